/* The Manifest module (spec/ios.md §4.3) on a generated backup: a
 * Manifest.db of N Files rows (default 400000, a large real backup) with
 * real-shaped MBFile blobs, scanned by the module through the run loop
 * (records built, checked and dropped; no output files), without and with
 * indicators. Usage: bench_manifest [rows] [stix2 file]. Blobs come from the
 * test fixture writer, compiled in because bench programs link only spycore. */
#include "../tests/lib/bplist_writer.c"

#include "acquire/ios_backup.h"
#include "core/error.h"
#include "core/evfs.h"
#include "core/iocs.h"
#include "core/nska.h"
#include "core/log.h"
#include "core/run.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern const spy_module spy_mod_manifest;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void must(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "bench_manifest: %s failed\n", what);
        exit(1);
    }
}

static void make_backup(const char *dir, long rows)
{
    char path[512];
    snprintf(path, sizeof path, "%s/Info.plist", dir);
    FILE *f = fopen(path, "w");
    must(f != NULL, "Info.plist");
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
          "<key>Product Version</key><string>17.4</string></dict></plist>\n",
          f);
    fclose(f);
    snprintf(path, sizeof path, "%s/Manifest.db", dir);
    sqlite3 *db = NULL;
    must(sqlite3_open(path, &db) == SQLITE_OK, "Manifest.db");
    must(sqlite3_exec(db,
                      "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
                      "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT,"
                      " flags INTEGER, file BLOB);"
                      "CREATE INDEX FilesDomainIdx ON Files(domain);"
                      "CREATE INDEX FilesRelativePathIdx ON Files(relativePath);"
                      "CREATE INDEX FilesFlagsIdx ON Files(flags);"
                      "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);",
                      NULL, NULL, NULL) == SQLITE_OK,
         "schema");
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
    static const uint8_t ek[44] = {3, 0, 0, 0, 0x11, 0x22};
    for (long i = 0; i < rows; i++) {
        char rel[200], id[48], domain[64];
        int kind = (int)(i % 10); /* 70 % files, 25 % folders, 5 % links */
        int flags = kind < 7 ? 1 : kind < 9 || i % 20 != 19 ? 2 : 4;
        snprintf(domain, sizeof domain, "AppDomain-com.example.app%ld", i % 211);
        snprintf(rel, sizeof rel,
                 "Library/WebKit/WebsiteData/LocalStorage/https_www.site%ld.example_0/%08lx.%s",
                 i % 997, (unsigned long)i * 2654435761ul, flags == 1 ? "localstorage" : "d");
        snprintf(id, sizeof id, "%08x%016lx%016lx", (unsigned)i,
                 (unsigned long)i * 11400714819323198485ul, (unsigned long)i);
        bpw_mbfile m = {.relative_path = rel,
                        .target = flags == 4 ? "../x" : NULL,
                        .size = flags == 1 ? i * 37 : 0,
                        .mode = flags == 1 ? 0100644 : 040755,
                        .user_id = 501,
                        .group_id = 501,
                        .inode = 100000 + i,
                        .protection_class = flags == 1 ? 3 : 0,
                        .birth = 1600000000 + i,
                        .last_modified = 1600000100 + i,
                        .last_status_change = 1600000200 + i,
                        .encryption_key = flags == 1 && i % 2 ? ek : NULL,
                        .encryption_key_len = 44};
        uint8_t *blob = NULL;
        size_t blen = 0;
        must(bpw_mbfile_blob(&m, &blob, &blen) == 0, "blob");
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, domain, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, rel, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, flags);
        sqlite3_bind_blob(st, 5, blob, (int)blen, SQLITE_TRANSIENT);
        must(sqlite3_step(st) == SQLITE_DONE, "insert");
        sqlite3_reset(st);
        free(blob);
    }
    sqlite3_finalize(st);
    must(sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL) == SQLITE_OK, "commit");
    sqlite3_close(db);
}

/* The floor under the module: the same scan and MBFile decode, no records. */
static double scan_only(const spy_acq *acq, size_t *rows)
{
    sqlite3 *db = NULL;
    must(spy_ios_backup_open_manifest(acq, &db) == SPY_OK, "open Manifest.db");
    sqlite3_stmt *st = NULL;
    must(sqlite3_prepare_v2(db, "SELECT fileID, domain, relativePath, flags, file FROM Files", -1,
                            &st, NULL) == SQLITE_OK,
         "prepare");
    double t0 = now();
    size_t n = 0;
    int64_t sum = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        spy_mbfile m;
        sum += sqlite3_column_bytes(st, 0) + sqlite3_column_bytes(st, 2);
        if (spy_nska_mbfile(sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4), &m,
                            NULL) == SPY_OK) {
            sum += m.size;
            spy_mbfile_clear(&m);
        }
        n++;
    }
    double t = now() - t0;
    sqlite3_finalize(st);
    spy_evdb_close(db);
    *rows = n + (size_t)(sum & 0);
    return t;
}

static double run_once(const spy_acq *acq, const spy_iocs *iocs, size_t *records)
{
    spy_run r = {.acq = acq, .iocs = iocs, .threads = 1};
    spy_job job = {.module = &spy_mod_manifest};
    double t0 = now();
    must(spy_run_jobs(&r, &job, 1) == SPY_OK, "run");
    double t = now() - t0;
    *records = r.stats[0].records;
    spy_run_free(&r);
    return t;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 400000;
    /* BENCH_MANIFEST_DIR: generate there once and keep it (profiling). */
    const char *keep = getenv("BENCH_MANIFEST_DIR");
    char tmpl[] = "/tmp/bench-manifest-XXXXXX";
    const char *dir = keep ? keep : mkdtemp(tmpl);
    must(dir != NULL, "mkdtemp");
    char probe[512];
    snprintf(probe, sizeof probe, "%s/Manifest.db", dir);
    if (!keep || access(probe, F_OK) != 0) {
        double t0 = now();
        make_backup(dir, rows);
        printf("generated %ld rows in %.2f s\n", rows, now() - t0);
    }
    spy_log_set_quiet(true);

    spy_acq acq;
    must(spy_ios_backup_open(dir, &acq) == SPY_OK, "open backup");
    spy_iocs *iocs = NULL;
    if (argc > 2) {
        spy_iocs_new(&iocs);
        must(spy_iocs_load_path(iocs, argv[2]) == SPY_OK, "indicators");
        spy_iocs_finalize(iocs);
    }
    for (int pass = 0; pass < 3; pass++) {
        size_t n = 0;
        double t = scan_only(&acq, &n);
        printf("scan + MBFile decode only (floor): %zu rows in %.3f s = %.0f rows/s\n", n, t,
               (double)n / t);
        t = run_once(&acq, NULL, &n);
        printf("no indicators: %zu records in %.3f s = %.0f rows/s\n", n, t, (double)n / t);
        if (iocs) {
            t = run_once(&acq, iocs, &n);
            printf("indicators:    %zu records in %.3f s = %.0f rows/s\n", n, t, (double)n / t);
        }
    }
    spy_iocs_free(iocs);
    spy_acq_close(&acq);
    if (keep)
        return 0;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
