/* Graded outcomes for evidence databases (design.md §3): whole-file grade
 * (spy_evdb_check) and per-scan grade (spy_evscan_*). Nothing here repairs. */
#include "core/evfs.h"

#include "core/error.h"
#include "core/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* SQLite file format §1.3: the first 16 bytes are "SQLite format 3\0"
 * and the header is 100 bytes. */
static const char sqlite_magic[16] = "SQLite format 3";
#define SQLITE_HEADER_BYTES 100u
/* Bytes sampled to tell ciphertext from other non-SQLite content. */
#define ENTROPY_SAMPLE 4096u

const char *spy_evdb_status_str(spy_evdb_status st)
{
    switch (st) {
    case SPY_EVDB_OK: return "ok";
    case SPY_EVDB_EMPTY: return "empty file";
    case SPY_EVDB_TRUNCATED: return "truncated header";
    case SPY_EVDB_ENCRYPTED: return "encrypted-looking";
    case SPY_EVDB_NOT_SQLITE: return "not a database";
    case SPY_EVDB_MALFORMED: return "malformed";
    }
    return "?";
}

/* Shannon entropy in bits per byte. AES output is ~8 bits/byte; SQLite pages,
 * text and most other formats are far below 7.5 on a 4 KiB sample. */
static double entropy(const uint8_t *b, size_t n)
{
    unsigned hist[256] = {0};
    double h = 0;
    for (size_t i = 0; i < n; i++)
        hist[b[i]]++;
    for (unsigned i = 0; i < 256; i++) {
        if (hist[i]) {
            double p = (double)hist[i] / (double)n;
            h -= p * log2(p);
        }
    }
    return h;
}

/* A random sample of n bytes has entropy close to log2(min(n,256)); ask for
 * 85 % of that so short encrypted files still read as encrypted. */
static bool looks_random(const uint8_t *b, size_t n)
{
    if (n < 64)
        return false;
    double max = log2(n < 256 ? (double)n : 256.0);
    double want = n >= 1024 ? 7.5 : 0.85 * max;
    return entropy(b, n) >= want;
}

static int grade(spy_evdb_status *st, char **why, spy_evdb_status g, char *msg)
{
    if (st)
        *st = g;
    if (why)
        *why = msg;
    else
        free(msg);
    return g == SPY_EVDB_OK ? SPY_OK : SPY_EFORMAT;
}

static int check_header(sqlite3 *db, spy_evdb_status *st, char **why, bool *done)
{
    uint8_t *buf = spy_xmalloc(ENTROPY_SAMPLE);
    size_t got = 0;
    uint64_t size = 0;
    const char *label = spy_evdb_label(db);
    int err = spy_evdb_peek(db, buf, ENTROPY_SAMPLE, &got, &size);
    *done = true;
    if (err != SPY_OK)
        err = grade(st, why, SPY_EVDB_NOT_SQLITE,
                    spy_xasprintf("%s: cannot read the file (%s)", label, spy_err_str(err)));
    else if (size == 0)
        err = grade(st, why, SPY_EVDB_EMPTY,
                    spy_xasprintf("%s: file is not a database: empty file (0 bytes)", label));
    else if (got < SQLITE_HEADER_BYTES && memcmp(buf, sqlite_magic, got < 16 ? got : 16) == 0)
        err = grade(st, why, SPY_EVDB_TRUNCATED,
                    spy_xasprintf("%s: file is not a database: only %zu bytes, shorter than "
                                  "the 100-byte SQLite header",
                                  label, got));
    else if (got < 16 || memcmp(buf, sqlite_magic, 16) != 0)
        err = looks_random(buf, got)
                  ? grade(st, why, SPY_EVDB_ENCRYPTED,
                          spy_xasprintf("%s: file is not a database: header is not \"SQLite "
                                        "format 3\\0\" and the bytes look random (encrypted?)",
                                        label))
                  : grade(st, why, SPY_EVDB_NOT_SQLITE,
                          spy_xasprintf("%s: file is not a database: header is not \"SQLite "
                                        "format 3\\0\"",
                                        label));
    else
        *done = false;
    free(buf);
    return err;
}

static int fail_sql(sqlite3 *db, spy_evdb_status *st, char **why, int rc, const char *what)
{
    spy_evdb_status g = (rc & 0xff) == SQLITE_NOTADB ? SPY_EVDB_NOT_SQLITE : SPY_EVDB_MALFORMED;
    return grade(st, why, g,
                 spy_xasprintf("%s: %s: %s", spy_evdb_label(db), what, sqlite3_errmsg(db)));
}

/* Reading the schema parses page 1 and every CREATE statement. */
static int check_schema(sqlite3 *db, spy_evdb_status *st, char **why)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        rc = rc == SQLITE_ROW ? SQLITE_OK : sqlite3_finalize(s);
        if (rc == SQLITE_OK)
            sqlite3_finalize(s);
        s = NULL;
    }
    if (rc != SQLITE_OK)
        return fail_sql(db, st, why, rc, "cannot read the schema");
    return SPY_OK;
}

static int check_quick(sqlite3 *db, spy_evdb_status *st, char **why)
{
    sqlite3_stmt *s = NULL;
    int err = SPY_OK;
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        if (!t || strcmp(t, "ok") != 0)
            err = grade(st, why, SPY_EVDB_MALFORMED,
                        spy_xasprintf("%s: malformed database: %s", spy_evdb_label(db),
                                      t ? t : "quick_check returned NULL"));
    } else {
        rc = sqlite3_finalize(s);
        s = NULL;
        err = fail_sql(db, st, why, rc == SQLITE_OK ? SQLITE_CORRUPT : rc, "malformed database");
    }
    sqlite3_finalize(s);
    return err;
}

int spy_evdb_check(sqlite3 *db, bool run_quick_check, spy_evdb_status *st, char **why)
{
    bool done = false;
    if (why)
        *why = NULL;
    if (st)
        *st = SPY_EVDB_OK;
    int err = check_header(db, st, why, &done);
    if (done)
        return err;
    err = check_schema(db, st, why);
    if (err == SPY_OK && run_quick_check)
        err = check_quick(db, st, why);
    return err;
}

/* ---- graded scans ---- */

const char *spy_evscan_grade_str(spy_evscan_grade g)
{
    switch (g) {
    case SPY_EVSCAN_COMPLETE: return "complete";
    case SPY_EVSCAN_ROWS_SKIPPED: return "rows skipped";
    case SPY_EVSCAN_UNREADABLE: return "table unreadable";
    }
    return "?";
}

static void scan_fail(spy_evscan *s, sqlite3 *db, int rc, const char *what)
{
    s->sqlite_rc = rc;
    s->grade = s->rows ? SPY_EVSCAN_ROWS_SKIPPED : SPY_EVSCAN_UNREADABLE;
    free(s->why);
    s->why = spy_xasprintf("%s: %s after %llu rows: %s", spy_evdb_label(db), what,
                           (unsigned long long)s->rows, sqlite3_errmsg(db));
}

int spy_evscan_prepare(spy_evscan *s, sqlite3 *db, const char *sql)
{
    memset(s, 0, sizeof *s);
    int rc = sqlite3_prepare_v2(db, sql, -1, &s->stmt, NULL);
    if (rc == SQLITE_OK)
        return SPY_OK;
    scan_fail(s, db, sqlite3_extended_errcode(db), "cannot prepare the query");
    return SPY_EFORMAT;
}

bool spy_evscan_step(spy_evscan *s)
{
    if (!s->stmt || s->sqlite_rc != SQLITE_OK)
        return false;
    int rc = sqlite3_step(s->stmt);
    if (rc == SQLITE_ROW) {
        s->rows++;
        return true;
    }
    if (rc == SQLITE_DONE) {
        s->sqlite_rc = SQLITE_DONE;
        s->grade = SPY_EVSCAN_COMPLETE;
        return false;
    }
    /* SQLite cannot step past a damaged page: the rest of the scan is lost. */
    scan_fail(s, sqlite3_db_handle(s->stmt), sqlite3_extended_errcode(sqlite3_db_handle(s->stmt)),
              "scan stopped");
    return false;
}

void spy_evscan_finish(spy_evscan *s)
{
    sqlite3_finalize(s->stmt);
    s->stmt = NULL;
    free(s->why);
    s->why = NULL;
}
