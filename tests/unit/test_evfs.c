/* Evidence VFS: plain and WAL databases, nothing written beside the
 * evidence, graded outcomes on damaged files, memory and transforming
 * sources, hostile schemas. Fixtures are built at test time with SQLite's
 * default VFS in a temp folder, then copied into an "evidence" folder. */
#define _GNU_SOURCE /* memmem */
#include "testutil.h"

#include "core/error.h"
#include "core/evfs.h"
#include "core/mem.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *g_tmp;      /* scratch: the writer's files */
static char *g_evidence; /* what the tests open */

static void sql(sqlite3 *db, const char *s)
{
    char *err = NULL;
    if (sqlite3_exec(db, s, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("fixture SQL failed: %s: %s", s, err);
}

static sqlite3 *writer(const char *name)
{
    sqlite3 *db = NULL;
    char *p = tu_join(g_tmp, name);
    unlink(p);
    if (sqlite3_open(p, &db) != SQLITE_OK)
        fail_msg("cannot create %s", p);
    free(p);
    return db;
}

static void copy_file(const char *from_dir, const char *name, const char *to_dir)
{
    char *a = tu_join(from_dir, name), *b = tu_join(to_dir, name);
    size_t n;
    char *d = tu_read(a, &n);
    if (!d)
        fail_msg("missing %s", a);
    tu_write(b, d, n);
    free(d);
    free(a);
    free(b);
}

static char *ev(const char *name)
{
    return tu_join(g_evidence, name);
}

#define ROWS_SQL(n)                                                                                \
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<" #n ") "                \
    "INSERT INTO t SELECT x, printf('row-%d-%s', x, hex(zeroblob(40))) FROM c;"

/* plain.db: rollback journal, 2000 rows over many pages. wal.db + wal.db-wal:
 * 10 rows checkpointed into the db, then 5 rows and a new table only in the
 * WAL, copied while the writer is still open. */
static int setup(void **st)
{
    (void)st;
    g_tmp = tu_mkdtemp();
    g_evidence = tu_mkdtemp();
    sqlite3 *db = writer("plain.db");
    sql(db,
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); CREATE INDEX tb ON t(b);" ROWS_SQL(2000));
    sqlite3_close(db);
    copy_file(g_tmp, "plain.db", g_evidence);

    db = writer("wal.db");
    sql(db, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
            "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);" ROWS_SQL(
                10) "PRAGMA wal_checkpoint(TRUNCATE);"
                    "INSERT INTO t VALUES "
                    "(11,'wal-only-11'),(12,'w12'),(13,'w13'),(14,'w14'),(15,'w15');"
                    "CREATE TABLE only_in_wal(x); INSERT INTO only_in_wal VALUES ('fresh');");
    copy_file(g_tmp, "wal.db", g_evidence);
    copy_file(g_tmp, "wal.db-wal", g_evidence);
    sqlite3_close(db);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    tu_rmtree(g_tmp);
    tu_rmtree(g_evidence);
    free(g_tmp);
    free(g_evidence);
    return 0;
}

static int64_t count(sqlite3 *db, const char *q)
{
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, q, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* All rows of a query as one string, to compare sources. */
static char *dump(sqlite3 *db, const char *q)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 4096, len = 0;
    char *out = spy_xmalloc(cap);
    out[0] = 0;
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            const char *t = (const char *)sqlite3_column_text(s, c);
            size_t k = strlen(t ? t : "NULL") + 2;
            while (len + k + 1 > cap)
                out = spy_xrealloc(out, cap *= 2);
            len += (size_t)snprintf(out + len, cap - len, "%s|", t ? t : "NULL");
        }
        out[len++] = '\n';
        out[len] = 0;
    }
    sqlite3_finalize(s);
    return out;
}

/* "name size fnv1a" for every entry of the evidence folder, sorted. */
static char *snapshot(void)
{
    struct dirent **ents = NULL;
    int n = scandir(g_evidence, &ents, NULL, alphasort);
    char *out = spy_xstrdup("");
    for (int i = 0; i < n; i++) {
        char *p = tu_join(g_evidence, ents[i]->d_name);
        size_t len = 0;
        uint64_t h = 1469598103934665603ull;
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
            char *d = tu_read(p, &len);
            for (size_t k = 0; k < len; k++)
                h = (h ^ (uint8_t)d[k]) * 1099511628211ull;
            free(d);
        }
        char *next =
            spy_xasprintf("%s%s %zu %llx\n", out, ents[i]->d_name, len, (unsigned long long)h);
        free(out);
        out = next;
        free(p);
        free(ents[i]);
    }
    free(ents);
    return out;
}

static void test_plain(void **st)
{
    (void)st;
    sqlite3 *db = NULL;
    char *p = ev("plain.db");
    assert_int_equal(spy_evdb_open_path(&db, p), SPY_OK);
    assert_string_equal(spy_evdb_label(db), p);
    spy_evdb_status s;
    char *why = NULL;
    assert_int_equal(spy_evdb_check(db, true, &s, &why), SPY_OK);
    assert_int_equal(s, SPY_EVDB_OK);
    assert_null(why);
    assert_int_equal(count(db, "SELECT count(*) FROM t"), 2000);
    assert_int_equal(count(db, "SELECT a FROM t WHERE b LIKE 'row-1234-%'"), 1234);
    spy_evscan sc;
    assert_int_equal(spy_evscan_prepare(&sc, db, "SELECT a FROM t WHERE a > ?"), SPY_OK);
    sqlite3_bind_int(sc.stmt, 1, 1990);
    while (spy_evscan_step(&sc))
        ;
    assert_int_equal(sc.rows, 10);
    assert_int_equal(sc.grade, SPY_EVSCAN_COMPLETE);
    spy_evscan_finish(&sc);
    spy_evdb_close(db);
    free(p);
    assert_int_equal(spy_evdb_open_path(&db, "/nonexistent/x.db"), SPY_ENOTFOUND);
    assert_null(db);
    /* An fd source (backup blobs opened with openat) owns its descriptor. */
    p = ev("plain.db");
    spy_evsrc fs;
    assert_int_equal(spy_evsrc_from_fd(&fs, open(p, O_RDONLY | O_CLOEXEC)), SPY_OK);
    assert_int_equal(spy_evdb_open(&db, "fd", &fs, NULL), SPY_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM t"), 2000);
    spy_evdb_close(db);
    assert_int_equal(spy_evsrc_from_fd(&fs, open(g_evidence, O_RDONLY | O_CLOEXEC)), SPY_EIO);
    free(p);
}

static void test_wal(void **st)
{
    (void)st;
    char *p = ev("wal.db");
    const unsigned flags[] = {0, SPY_EVDB_SHARED_SHM};
    for (size_t i = 0; i < 2; i++) {
        sqlite3 *db = NULL;
        spy_evsrc d, w;
        char *pw = spy_xasprintf("%s-wal", p);
        assert_int_equal(spy_evsrc_from_path(&d, p), SPY_OK);
        assert_int_equal(spy_evsrc_from_path(&w, pw), SPY_OK);
        free(pw);
        assert_int_equal(spy_evdb_open_ex(&db, "wal.db", &d, &w, flags[i]), SPY_OK);
        assert_int_equal(spy_evdb_check(db, true, NULL, NULL), SPY_OK);
        assert_int_equal(count(db, "SELECT count(*) FROM t"), 15);
        assert_int_equal(count(db, "SELECT count(*) FROM t WHERE b = 'wal-only-11'"), 1);
        assert_int_equal(count(db, "SELECT count(*) FROM only_in_wal"), 1);
        spy_evdb_close(db);
    }
    /* Without its -wal only the checkpointed rows are visible. */
    sqlite3 *db = NULL;
    spy_evsrc d;
    assert_int_equal(spy_evsrc_from_path(&d, p), SPY_OK);
    assert_int_equal(spy_evdb_open(&db, "wal.db without wal", &d, NULL), SPY_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM t"), 10);
    spy_evdb_close(db);
    free(p);
}

static void test_nothing_written(void **st)
{
    (void)st;
    char *before = snapshot();
    const char *names[] = {"plain.db", "wal.db"};
    for (int i = 0; i < 2; i++) {
        sqlite3 *db = NULL;
        char *p = ev(names[i]);
        assert_int_equal(spy_evdb_open_path(&db, p), SPY_OK);
        assert_int_equal(spy_evdb_check(db, true, NULL, NULL), SPY_OK);
        assert_true(count(db, "SELECT count(*) FROM t") > 0);
        /* Attempts to write are refused and leave no trace. */
        assert_int_not_equal(sqlite3_exec(db, "INSERT INTO t VALUES (99999,'x')", 0, 0, 0),
                             SQLITE_OK);
        assert_int_not_equal(sqlite3_exec(db, "PRAGMA query_only=0; DELETE FROM t", 0, 0, 0),
                             SQLITE_OK);
        assert_int_not_equal(sqlite3_exec(db, "PRAGMA journal_mode=DELETE; VACUUM", 0, 0, 0),
                             SQLITE_OK);
        assert_int_not_equal(sqlite3_exec(db, "ATTACH 'x.db' AS x", 0, 0, 0), SQLITE_OK);
        assert_int_not_equal(sqlite3_exec(db, "SELECT load_extension('/nonexistent')", 0, 0, 0),
                             SQLITE_OK);
        sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", 0, 0, 0);
        spy_evdb_close(db);
        free(p);
    }
    char *after = snapshot();
    assert_string_equal(before, after);
    assert_null(strstr(after, "-shm"));
    assert_null(strstr(after, "-journal"));
    free(before);
    free(after);
}

static sqlite3 *open_bytes(const char *label, const void *b, size_t n)
{
    sqlite3 *db = NULL;
    spy_evsrc s;
    assert_int_equal(spy_evsrc_from_mem(&s, b, n), SPY_OK);
    assert_int_equal(spy_evdb_open(&db, label, &s, NULL), SPY_OK);
    return db;
}

static spy_evdb_status grade_bytes(const void *b, size_t n, char **why)
{
    spy_evdb_status s = SPY_EVDB_OK;
    sqlite3 *db = open_bytes("bytes", b, n);
    int err = spy_evdb_check(db, true, &s, why);
    assert_int_equal(err, s == SPY_EVDB_OK ? SPY_OK : SPY_EFORMAT);
    spy_evdb_close(db);
    return s;
}

static void test_not_databases(void **st)
{
    (void)st;
    char *why = NULL;
    assert_int_equal(grade_bytes("", 0, &why), SPY_EVDB_EMPTY);
    assert_non_null(strstr(why, "empty"));
    free(why);
    assert_int_equal(grade_bytes("SQLite format 3\0\x10\0", 18, &why), SPY_EVDB_TRUNCATED);
    free(why);
    char text[2048];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "hello world, this is a text file\n"[i % 33];
    assert_int_equal(grade_bytes(text, sizeof text, &why), SPY_EVDB_NOT_SQLITE);
    assert_non_null(strstr(why, "file is not a database"));
    free(why);
    uint8_t rnd[8192];
    uint64_t x = 0x1234567;
    for (size_t i = 0; i < sizeof rnd; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        rnd[i] = (uint8_t)(x >> 56);
    }
    assert_int_equal(grade_bytes(rnd, sizeof rnd, &why), SPY_EVDB_ENCRYPTED);
    assert_non_null(strstr(why, "encrypted"));
    free(why);
    /* Queries on such files fail cleanly. */
    sqlite3 *db = open_bytes("rnd", rnd, sizeof rnd);
    spy_evscan sc;
    assert_int_equal(spy_evscan_prepare(&sc, db, "SELECT * FROM t"), SPY_EFORMAT);
    assert_int_equal(sc.grade, SPY_EVSCAN_UNREADABLE);
    assert_non_null(strstr(sc.why, "not a database"));
    spy_evscan_finish(&sc);
    spy_evdb_close(db);
}

static void test_damaged(void **st)
{
    (void)st;
    char *p = ev("plain.db");
    size_t n;
    char *img = tu_read(p, &n);
    free(p);
    assert_true(n > 8 * 4096);
    char *why = NULL;
    /* Truncated to half: pages referenced beyond the end. */
    assert_int_equal(grade_bytes(img, n / 2, &why), SPY_EVDB_MALFORMED);
    free(why);
    /* Header only. */
    assert_int_not_equal(grade_bytes(img, 100, &why), SPY_EVDB_OK);
    free(why);
    /* Last page (a table or index leaf) overwritten. */
    char *bad = spy_xmalloc(n);
    memcpy(bad, img, n);
    memset(bad + n - 4096, 0xff, 4096);
    assert_int_equal(grade_bytes(bad, n, &why), SPY_EVDB_MALFORMED);
    assert_non_null(why);
    free(why);
    /* A scan hitting a damaged leaf in the middle: rows then "rows skipped".
     * Find the leaf holding row 1500 with dbstat-free arithmetic: damage
     * every page that contains the text "row-1500-". */
    memcpy(bad, img, n);
    for (size_t pg = 4096; pg + 4096 <= n; pg += 4096) {
        if (memmem(bad + pg, 4096, "row-1500-", 9) && bad[pg] == 0x0d)
            memset(bad + pg, 0xee, 4096);
    }
    sqlite3 *db = open_bytes("damaged", bad, n);
    spy_evscan sc;
    assert_int_equal(spy_evscan_prepare(&sc, db, "SELECT a, b FROM t NOT INDEXED ORDER BY a"),
                     SPY_OK);
    while (spy_evscan_step(&sc))
        ;
    assert_int_equal(sc.grade, SPY_EVSCAN_ROWS_SKIPPED);
    assert_true(sc.rows > 100 && sc.rows < 1500);
    assert_int_equal(sc.sqlite_rc & 0xff, SQLITE_CORRUPT);
    spy_evscan_finish(&sc);
    spy_evdb_close(db);
    /* Root page of t (page 2) destroyed: the table is unreadable. */
    memcpy(bad, img, n);
    memset(bad + 4096, 0xee, 4096);
    db = open_bytes("rootless", bad, n);
    assert_int_equal(spy_evscan_prepare(&sc, db, "SELECT a FROM t NOT INDEXED"), SPY_OK);
    while (spy_evscan_step(&sc))
        ;
    assert_int_equal(sc.grade, SPY_EVSCAN_UNREADABLE);
    assert_int_equal(sc.rows, 0);
    assert_non_null(sc.why);
    spy_evscan_finish(&sc);
    spy_evdb_close(db);
    free(bad);
    free(img);
}

/* ---- a transforming source: toy CBC (C_i = P_i ^ K_i ^ C_{i-1}, IV 0,
 * PKCS#7 padding): decrypting block i needs ciphertext blocks i-1 and i,
 * exactly the access pattern of AES-256-CBC in encrypted backups. ---- */

typedef struct toy {
    uint8_t *cipher;
    size_t clen;
    spy_evsrc inner;
    uint64_t key;
    uint64_t size; /* plaintext size */
    unsigned reads;
} toy;

static void keyblock(uint64_t key, uint64_t i, uint8_t out[16])
{
    for (int h = 0; h < 2; h++) {
        uint64_t z = key + (2 * i + (uint64_t)h + 1) * 0x9e3779b97f4a7c15ull;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        memcpy(out + 8 * h, &z, 8);
    }
}

static uint8_t *toy_encrypt(uint64_t key, const uint8_t *p, size_t n, size_t *clen)
{
    size_t pad = 16 - n % 16;
    *clen = n + pad;
    uint8_t *c = spy_xmalloc(*clen), prev[16] = {0}, k[16];
    memcpy(c, p, n);
    memset(c + n, (int)pad, pad);
    for (size_t b = 0; b < *clen / 16; b++) {
        keyblock(key, b, k);
        for (int j = 0; j < 16; j++)
            c[16 * b + j] ^= k[j] ^ prev[j];
        memcpy(prev, c + 16 * b, 16);
    }
    return c;
}

static int toy_read(void *ud, void *buf, size_t n, uint64_t off, size_t *got)
{
    toy *t = ud;
    *got = 0;
    t->reads++;
    if (off >= t->size || n == 0)
        return SPY_OK;
    if (n > t->size - off)
        n = (size_t)(t->size - off);
    uint64_t first = off / 16, last = (off + n - 1) / 16;
    uint8_t blk[32], k[16];
    for (uint64_t b = first; b <= last && n; b++) {
        uint64_t from = b ? (b - 1) * 16 : 0;
        size_t want = b ? 32 : 16;
        int err = spy_evsrc_pread(&t->inner, b ? blk : blk + 16, want, from);
        if (err == SPY_ETRUNCATED)
            break;
        if (err != SPY_OK)
            return err;
        if (!b)
            memset(blk, 0, 16);
        keyblock(t->key, b, k);
        for (int j = 0; j < 16; j++)
            blk[16 + j] ^= k[j] ^ blk[j];
        size_t at = (size_t)(b == first ? off % 16 : 0);
        size_t take = 16 - at < n - *got ? 16 - at : n - *got;
        memcpy((uint8_t *)buf + *got, blk + 16 + at, take);
        *got += take;
    }
    return SPY_OK;
}

static void toy_release(void *ud)
{
    toy *t = ud;
    spy_evsrc_release(&t->inner);
    free(t->cipher);
    free(t);
}

/* Plaintext size from the padding of the last block. */
static spy_evsrc toy_source(uint64_t key, const uint8_t *plain, size_t n)
{
    toy *t = spy_xcalloc(1, sizeof *t);
    t->key = key;
    t->cipher = toy_encrypt(key, plain, n, &t->clen);
    spy_evsrc_from_mem(&t->inner, t->cipher, t->clen);
    spy_evsrc s = {.ud = t, .read = toy_read, .size = t->clen, .release = toy_release};
    uint8_t last;
    t->size = t->clen;
    assert_int_equal(spy_evsrc_pread(&s, &last, 1, t->clen - 1), SPY_OK);
    t->size = s.size = t->clen - last;
    return s;
}

static void test_sources_agree(void **st)
{
    (void)st;
    const char *q = "SELECT * FROM t ORDER BY a";
    char *p = ev("wal.db"), *pw = ev("wal.db-wal");
    size_t dn, wn;
    uint8_t *d = (uint8_t *)tu_read(p, &dn), *w = (uint8_t *)tu_read(pw, &wn);
    sqlite3 *db = NULL;
    assert_int_equal(spy_evdb_open_path(&db, p), SPY_OK);
    char *ref = dump(db, q);
    spy_evdb_close(db);

    spy_evsrc ms, mw;
    spy_evsrc_from_mem(&ms, d, dn);
    spy_evsrc_from_mem(&mw, w, wn);
    assert_int_equal(spy_evdb_open(&db, "mem", &ms, &mw), SPY_OK);
    char *got = dump(db, q);
    assert_string_equal(ref, got);
    free(got);
    spy_evdb_close(db);

    spy_evsrc ts = toy_source(42, d, dn), tw = toy_source(43, w, wn);
    assert_int_equal(ts.size, dn);
    assert_int_equal(tw.size, wn);
    toy *tdb = ts.ud;
    assert_int_equal(spy_evdb_open_ex(&db, "toy", &ts, &tw, SPY_EVDB_SHARED_SHM), SPY_OK);
    assert_int_equal(spy_evdb_check(db, true, NULL, NULL), SPY_OK);
    got = dump(db, q);
    assert_string_equal(ref, got);
    assert_true(tdb->reads > 1);
    free(got);
    spy_evdb_close(db);

    /* The big db through the toy layer, random access over many pages. */
    char *pp = ev("plain.db");
    size_t pn;
    uint8_t *pd = (uint8_t *)tu_read(pp, &pn);
    assert_int_equal(spy_evdb_open_path(&db, pp), SPY_OK);
    char *pref = dump(db, "SELECT a, b FROM t WHERE a % 97 = 0 ORDER BY b DESC");
    spy_evdb_close(db);
    ts = toy_source(7, pd, pn);
    assert_int_equal(spy_evdb_open(&db, "toy plain", &ts, NULL), SPY_OK);
    got = dump(db, "SELECT a, b FROM t WHERE a % 97 = 0 ORDER BY b DESC");
    assert_string_equal(pref, got);
    free(got);
    spy_evdb_close(db);
    free(pref);
    free(pd);
    free(pp);
    free(ref);
    free(d);
    free(w);
    free(p);
    free(pw);
}

static void test_hostile_schema(void **st)
{
    (void)st;
    sqlite3 *w = writer("hostile.db");
    sql(w, "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y');"
           "CREATE TABLE z(a, b AS (zeroblob(500000000)));"
           "INSERT INTO z(a) VALUES (1);"
           "CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
           "  SELECT x, randomblob(1000) FROM c;"
           "CREATE VIEW lim AS SELECT * FROM t LIMIT 9223372036854775807;"
           "CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM t; END;");
    sqlite3_close(w);
    copy_file(g_tmp, "hostile.db", g_evidence);
    char *before = snapshot();
    char *p = ev("hostile.db");
    sqlite3 *db = NULL;
    assert_int_equal(spy_evdb_open_path(&db, p), SPY_OK);
    assert_int_equal(spy_evdb_check(db, true, NULL, NULL), SPY_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM t LIMIT 9223372036854775807"), 2);
    /* Views are disabled: code chosen by the file's author never runs. */
    spy_evscan sc;
    assert_int_equal(spy_evscan_prepare(&sc, db, "SELECT * FROM v LIMIT 5"), SPY_EFORMAT);
    assert_int_equal(sc.grade, SPY_EVSCAN_UNREADABLE);
    spy_evscan_finish(&sc);
    /* A generated column asking for 500 MB hits SQLITE_LIMIT_LENGTH. */
    assert_int_equal(spy_evscan_prepare(&sc, db, "SELECT b FROM z"), SPY_OK);
    assert_false(spy_evscan_step(&sc));
    assert_int_equal(sc.sqlite_rc, SQLITE_TOOBIG);
    spy_evscan_finish(&sc);
    assert_int_equal(count(db, "SELECT a FROM z"), 1);
    assert_int_not_equal(sqlite3_exec(db, "INSERT INTO t VALUES (3, 'z')", 0, 0, 0), SQLITE_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM t"), 2);
    spy_evdb_close(db);
    /* With views allowed, a view over plain data works and limits still hold. */
    spy_evsrc s;
    assert_int_equal(spy_evsrc_from_path(&s, p), SPY_OK);
    assert_int_equal(spy_evdb_open_ex(&db, "views", &s, NULL, SPY_EVDB_ALLOW_VIEWS), SPY_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM lim"), 2);
    assert_int_equal(count(db, "SELECT count(*) FROM (SELECT * FROM v LIMIT 1000)"), 1000);
    spy_evdb_close(db);
    char *after = snapshot();
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(p);
}

static void *opener(void *arg)
{
    const char *p = arg;
    for (int i = 0; i < 25; i++) {
        sqlite3 *db = NULL;
        if (spy_evdb_open_path(&db, p) != SPY_OK || count(db, "SELECT count(*) FROM t") != 15)
            return (void *)1;
        spy_evdb_close(db);
    }
    return NULL;
}

static void test_threads(void **st)
{
    (void)st;
    char *p = ev("wal.db");
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, opener, p);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        assert_null(r);
    }
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),           cmocka_unit_test(test_wal),
        cmocka_unit_test(test_nothing_written), cmocka_unit_test(test_not_databases),
        cmocka_unit_test(test_damaged),         cmocka_unit_test(test_sources_agree),
        cmocka_unit_test(test_hostile_schema),  cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
