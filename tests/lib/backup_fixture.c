#include "backup_fixture.h"

#include "bplist_writer.h"
#include "core/mem.h"
#include "testutil.h"

#include <openssl/evp.h>
#include <plist/plist.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct bf_backup {
    char *dir;
    sqlite3 *db;
    int64_t inode;
};

static void die(const char *what)
{
    fprintf(stderr, "backup fixture: %s\n", what);
    abort();
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "backup fixture SQL: %s\n", err);
        abort();
    }
}

bf_backup *bf_new(const char *dir)
{
    bf_backup *b = spy_xcalloc(1, sizeof *b);
    b->dir = spy_xstrdup(dir);
    b->inode = 1000;
    if (mkdir(dir, 0755) != 0)
        die("cannot create the backup folder");
    if (sqlite3_open(":memory:", &b->db) != SQLITE_OK)
        die("sqlite");
    exec(b->db, "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, "
                "flags INTEGER, file BLOB);"
                "CREATE INDEX FilesDomainIdx ON Files(domain);"
                "CREATE INDEX FilesRelativePathIdx ON Files(relativePath);"
                "CREATE INDEX FilesFlagsIdx ON Files(flags);"
                "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);");
    return b;
}

void bf_file_id(const char *domain, const char *relpath, char out[41])
{
    char *s = spy_xasprintf("%s-%s", domain, relpath);
    unsigned char md[20];
    unsigned int n = 0;
    EVP_Digest(s, strlen(s), md, &n, EVP_sha1(), NULL);
    for (int i = 0; i < 20; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    free(s);
}

static void add_row(bf_backup *b, const char *domain, const char *relpath, int flags, int64_t size,
                    int64_t mode)
{
    char id[41];
    bf_file_id(domain, relpath, id);
    bpw_mbfile m = {.relative_path = relpath,
                    .size = size,
                    .mode = mode,
                    .user_id = 501,
                    .group_id = 501,
                    .inode = b->inode++,
                    .protection_class = flags == 1 ? 3 : 0,
                    .birth = 1600000000,
                    .last_modified = 1600000100,
                    .last_status_change = 1600000200};
    uint8_t *blob = NULL;
    size_t blen = 0;
    if (bpw_mbfile_blob(&m, &blob, &blen) != 0)
        die("MBFile blob");
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(b->db, "INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, domain, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, relpath, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, flags);
    sqlite3_bind_blob(st, 5, blob, (int)blen, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        die("insert Files row");
    sqlite3_finalize(st);
    free(blob);
}

static void write_blob(bf_backup *b, const char *domain, const char *relpath, const void *data,
                       size_t len)
{
    char id[41];
    bf_file_id(domain, relpath, id);
    char *sub = spy_xasprintf("%s/%.2s", b->dir, id);
    mkdir(sub, 0755);
    char *path = spy_xasprintf("%s/%s", sub, id);
    tu_write(path, data, len);
    free(path);
    free(sub);
}

void bf_add_file(bf_backup *b, const char *domain, const char *relpath, const void *data,
                 size_t len)
{
    add_row(b, domain, relpath, 1, (int64_t)len, 0100644);
    write_blob(b, domain, relpath, data, len);
}

void bf_add_missing(bf_backup *b, const char *domain, const char *relpath)
{
    add_row(b, domain, relpath, 1, 10, 0100644);
}

void bf_add_dir(bf_backup *b, const char *domain, const char *relpath)
{
    add_row(b, domain, relpath, 2, 0, 040755);
}

/* Builds the database in a scratch folder; with wal_sql, copies the -wal
 * while the writer still holds it, so those rows exist only there. */
void bf_add_sqlite(bf_backup *b, const char *domain, const char *relpath, const char *sql,
                   const char *wal_sql)
{
    char *tmp = tu_mkdtemp();
    char *path = tu_join(tmp, "db.sqlite");
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die("fixture db");
    if (wal_sql)
        exec(db, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;");
    exec(db, sql);
    if (wal_sql) {
        exec(db, "PRAGMA wal_checkpoint(TRUNCATE);");
        exec(db, wal_sql);
    }
    size_t len = 0, wlen = 0;
    char *data = tu_read(path, &len);
    char *wal_path = spy_xasprintf("%s-wal", path);
    char *wal = wal_sql ? tu_read(wal_path, &wlen) : NULL;
    if (wal_sql && (!wal || wlen == 0))
        die("no WAL content");
    bf_add_file(b, domain, relpath, data, len);
    if (wal) {
        char *wrel = spy_xasprintf("%s-wal", relpath);
        bf_add_file(b, domain, wrel, wal, wlen);
        free(wrel);
    }
    sqlite3_close(db);
    free(data);
    free(wal);
    free(wal_path);
    free(path);
    tu_rmtree(tmp);
    free(tmp);
}

static plist_t to_plist(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        plist_t d = plist_new_dict();
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) plist_dict_set_item(d, k, to_plist(x));
        return d;
    }
    case JSON_ARRAY: {
        plist_t a = plist_new_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) plist_array_append_item(a, to_plist(x));
        return a;
    }
    case JSON_STRING: return plist_new_string(json_string_value(v));
    case JSON_INTEGER: return plist_new_uint((uint64_t)json_integer_value(v));
    case JSON_REAL: return plist_new_real(json_real_value(v));
    case JSON_TRUE: return plist_new_bool(1);
    case JSON_FALSE: return plist_new_bool(0);
    default: return plist_new_string("");
    }
}

static void write_xml_plist(const char *path, const json_t *v)
{
    plist_t p = to_plist(v);
    char *xml = NULL;
    uint32_t n = 0;
    plist_to_xml(p, &xml, &n);
    tu_write(path, xml, n);
    free(xml);
    plist_free(p);
}

static void write_bin_plist(const char *path, const json_t *v)
{
    uint8_t *out = NULL;
    size_t n = 0;
    if (bpw_write(v, NULL, &out, &n) != 0)
        die("binary plist");
    tu_write(path, (const char *)out, n);
    free(out);
}

void bf_set_plists(bf_backup *b, const json_t *info, const json_t *manifest, const json_t *status)
{
    char *p;
    if (info) {
        p = tu_join(b->dir, "Info.plist");
        write_xml_plist(p, info);
        free(p);
    }
    if (manifest) {
        p = tu_join(b->dir, "Manifest.plist");
        write_bin_plist(p, manifest);
        free(p);
    }
    if (status) {
        p = tu_join(b->dir, "Status.plist");
        write_bin_plist(p, status);
        free(p);
    }
}

void bf_finish(bf_backup *b)
{
    char *path = tu_join(b->dir, "Manifest.db");
    sqlite3 *out = NULL;
    if (sqlite3_open(path, &out) != SQLITE_OK)
        die("Manifest.db");
    sqlite3_backup *bk = sqlite3_backup_init(out, "main", b->db, "main");
    if (!bk || sqlite3_backup_step(bk, -1) != SQLITE_DONE)
        die("Manifest.db copy");
    sqlite3_backup_finish(bk);
    sqlite3_close(out);
    sqlite3_close(b->db);
    free(path);
    free(b->dir);
    free(b);
}
