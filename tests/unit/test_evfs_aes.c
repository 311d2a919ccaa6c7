/* The AES-256-CBC decrypting source (core/evfs_aes.h): every offset and
 * length reads the same bytes as the plaintext; sizes from the padding or
 * declared; truncated, unaligned and badly padded ciphertext refused; an
 * encrypted SQLite database and its encrypted -wal read page by page. */
#include "backup_crypt.h"
#include "core/error.h"
#include "core/evfs.h"
#include "core/evfs_aes.h"
#include "core/mem.h"
#include "testutil.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t KEY[32] = "an AES-256 key of 32 bytes long";

/* A source over ciphertext of plain (owned copy). */
static int src_of(const uint8_t *plain, size_t len, int64_t declared, spy_evsrc *out,
                  spy_aes_info *info)
{
    uint8_t *ct = NULL;
    size_t ctlen = 0;
    bc_cbc_encrypt(KEY, plain, len, &ct, &ctlen);
    assert_int_equal(ctlen, (len / 16 + 1) * 16);
    spy_evsrc in;
    assert_int_equal(spy_evsrc_from_mem_owned(&in, ct, ctlen), SPY_OK);
    return spy_evsrc_aes_cbc(out, &in, KEY, declared, info);
}

static void test_every_offset(void **state)
{
    (void)state;
    const size_t sizes[] = {0, 1, 15, 16, 17, 31, 32, 33, 100, 4096 + 7};
    uint8_t plain[4096 + 7], got[4096 + 64];
    RAND_bytes(plain, sizeof plain);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t len = sizes[s];
        spy_evsrc src;
        spy_aes_info info;
        assert_int_equal(src_of(plain, len, -1, &src, &info), SPY_OK);
        assert_int_equal(src.size, len);
        assert_true(info.padding_ok);
        assert_int_equal(info.unpadded_size, len);
        size_t step = len > 200 ? 61 : 1;
        for (size_t off = 0; off <= len + 3; off += step) {
            for (size_t n = 0; n <= len + 20 - (off > len ? len : off); n += step) {
                size_t k = 0;
                assert_int_equal(src.read(src.ud, got, n, off, &k), SPY_OK);
                size_t want = off >= len ? 0 : (n < len - off ? n : len - off);
                assert_int_equal(k, want);
                if (want)
                    assert_memory_equal(got, plain + off, want);
            }
        }
        spy_evsrc_release(&src);
    }
}

static void test_declared_size_and_padding(void **state)
{
    (void)state;
    uint8_t plain[40];
    memset(plain, 'p', sizeof plain);
    spy_evsrc src;
    spy_aes_info info;
    /* The Manifest Size wins (iOSbackup truncates to it); the mismatch is
     * visible to the caller. */
    assert_int_equal(src_of(plain, 40, 35, &src, &info), SPY_OK);
    assert_int_equal(src.size, 35);
    assert_int_equal(info.unpadded_size, 40);
    assert_true(info.padding_ok);
    spy_evsrc_release(&src);
    /* A Size beyond the ciphertext: truncated. */
    assert_int_equal(src_of(plain, 40, 49, &src, &info), SPY_EFORMAT);
    assert_int_equal(src.read, NULL);

    /* Bad padding: refused without a declared size, served with one. */
    uint8_t *ct = NULL;
    size_t ctlen = 0;
    bc_cbc_encrypt(KEY, plain, 40, &ct, &ctlen);
    ct[ctlen - 1] ^= 0x55;
    spy_evsrc in;
    spy_evsrc_from_mem(&in, ct, ctlen);
    assert_int_equal(spy_evsrc_aes_cbc(&src, &in, KEY, -1, &info), SPY_EFORMAT);
    spy_evsrc_from_mem(&in, ct, ctlen);
    assert_int_equal(spy_evsrc_aes_cbc(&src, &in, KEY, 40, &info), SPY_OK);
    assert_false(info.padding_ok);
    uint8_t got[40];
    assert_int_equal(spy_evsrc_pread(&src, got, 32, 0), SPY_OK);
    assert_memory_equal(got, plain, 32); /* earlier blocks are intact */
    spy_evsrc_release(&src);
    /* Not a whole number of blocks (cut short). */
    spy_evsrc_from_mem(&in, ct, ctlen - 5);
    assert_int_equal(spy_evsrc_aes_cbc(&src, &in, KEY, 40, &info), SPY_EFORMAT);
    /* The wrong key: padding garbage, refused when nothing is declared. */
    uint8_t other[32] = {1};
    free(ct);
    bc_cbc_encrypt(KEY, plain, 16, &ct, &ctlen);
    spy_evsrc_from_mem(&in, ct, ctlen);
    int err = spy_evsrc_aes_cbc(&src, &in, other, -1, &info);
    if (err == SPY_OK) /* 1 chance in 256 that garbage ends in 0x01 */
        spy_evsrc_release(&src);
    free(ct);
    /* Empty ciphertext: an empty file. */
    spy_evsrc_from_mem(&in, "", 0);
    assert_int_equal(spy_evsrc_aes_cbc(&src, &in, KEY, -1, &info), SPY_EFORMAT);
    spy_evsrc_from_mem(&in, "", 0);
    assert_int_equal(spy_evsrc_aes_cbc(&src, &in, KEY, 0, &info), SPY_OK);
    assert_int_equal(src.size, 0);
    spy_evsrc_release(&src);
}

/* A database in WAL mode: the main file and the -wal each encrypted with
 * their own key, read by SQLite through the evidence VFS. */
static void test_encrypted_sqlite_with_wal(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "db.sqlite");
    sqlite3 *w = NULL;
    assert_int_equal(sqlite3_open(path, &w), SQLITE_OK);
    assert_int_equal(sqlite3_exec(w,
                                  "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
                                  "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
                                  "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c "
                                  "WHERE i < 3000) INSERT INTO t (v) SELECT printf('row %05d "
                                  "padding padding padding', i) FROM c;"
                                  "PRAGMA wal_checkpoint(TRUNCATE);"
                                  "INSERT INTO t (v) VALUES ('only in the WAL');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    size_t dlen = 0, wlen = 0;
    char *data = tu_read(path, &dlen);
    char *wpath = spy_xasprintf("%s-wal", path);
    char *wal = tu_read(wpath, &wlen);
    assert_true(dlen > 100000 && wlen > 0);
    sqlite3_close(w);
    uint8_t k2[32] = "a second key, for the -wal file";
    uint8_t *c1 = NULL, *c2 = NULL;
    size_t n1 = 0, n2 = 0;
    bc_cbc_encrypt(KEY, data, dlen, &c1, &n1);
    bc_cbc_encrypt(k2, wal, wlen, &c2, &n2);
    spy_evsrc i1, i2, s1, s2;
    spy_evsrc_from_mem_owned(&i1, c1, n1);
    spy_evsrc_from_mem_owned(&i2, c2, n2);
    assert_int_equal(spy_evsrc_aes_cbc(&s1, &i1, KEY, (int64_t)dlen, NULL), SPY_OK);
    assert_int_equal(spy_evsrc_aes_cbc(&s2, &i2, k2, -1, NULL), SPY_OK);
    sqlite3 *db = NULL;
    assert_int_equal(spy_evdb_open(&db, "enc.sqlite", &s1, &s2), SPY_OK);
    spy_evdb_status st;
    assert_int_equal(spy_evdb_check(db, true, &st, NULL), SPY_OK);
    assert_int_equal(st, SPY_EVDB_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), max(v) FROM t", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 3001);
    assert_string_equal((const char *)sqlite3_column_text(q, 1),
                        "row 03000 padding padding padding");
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT v FROM t WHERE id = 3001", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "only in the WAL");
    sqlite3_finalize(q);
    spy_evdb_close(db);
    free(data);
    free(wal);
    free(wpath);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_offset),
        cmocka_unit_test(test_declared_size_and_padding),
        cmocka_unit_test(test_encrypted_sqlite_with_wal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
