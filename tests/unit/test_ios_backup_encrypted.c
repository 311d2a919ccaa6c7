/* Encrypted backups checked in place (spec/ios.md §3): an encrypted twin of
 * a plain backup (tests/lib/backup_crypt.c) reads exactly like it — files,
 * databases, WAL content — with the password or the key file; the wrong
 * password, a missing one, and every damaged piece (keybag, ManifestKey,
 * Manifest.db, a file, its key) get a clear refusal of the right kind, and
 * the other files still read. */
#include "acquire/ios_backup.h"
#include "acquire/ios_decrypt.h"
#include "acquire/ios_secret.h"
#include "backup_crypt.h"
#include "backup_fixture.h"
#include "bplist_writer.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/nska.h"
#include "core/plist.h"
#include "testutil.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PW "Pegasus-proof passphrase \xc3\xa9" /* UTF-8 on purpose */

typedef struct fx {
    char *root, *plain, *enc, *old; /* old: an iOS < 10.2 twin */
    uint8_t key[32];
} fx;

static const char PLIST_TEXT[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\">"
                                 "<dict><key>hello</key><string>world</string></dict></plist>";

static void build_plain(const char *dir)
{
    bf_backup *b = bf_new(dir);
    bf_add_dir(b, "HomeDomain", "Library/SMS");
    bf_add_sqlite(b, "HomeDomain", "Library/SMS/sms.db",
                  "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT);"
                  "INSERT INTO message (text) VALUES ('old 1'), ('old 2');",
                  "INSERT INTO message (text) VALUES ('only in the WAL');");
    bf_add_file(b, "HomeDomain", "Library/Preferences/test.plist", PLIST_TEXT,
                sizeof PLIST_TEXT - 1);
    bf_add_file(b, "HomeDomain", "Library/block16.bin", "0123456789abcdef", 16);
    bf_add_file(b, "HomeDomain", "Library/empty.bin", "", 0);
    bf_add_missing(b, "HomeDomain", "Library/Missing/content.db");
    json_t *info = json_pack("{s:s, s:s}", "Device Name", "Test iPhone", "Product Version", "17.1");
    json_t *manifest =
        json_pack("{s:b, s:{s:s}}", "IsEncrypted", 0, "Lockdown", "ProductVersion", "17.1");
    json_t *status = json_pack("{s:s}", "SnapshotState", "finished");
    bf_set_plists(b, info, manifest, status);
    json_decref(info);
    json_decref(manifest);
    json_decref(status);
    bf_finish(b);
}

static int setup(void **state)
{
    fx *f = spy_xcalloc(1, sizeof *f);
    f->root = tu_mkdtemp();
    f->plain = tu_join(f->root, "plain");
    f->enc = tu_join(f->root, "enc");
    f->old = tu_join(f->root, "old");
    build_plain(f->plain);
    bc_opts o = {.password = PW, .iter = 3, .dpic = 5};
    bc_encrypt_backup(f->plain, f->enc, &o, f->key);
    o.dpic = 0;
    bc_encrypt_backup(f->plain, f->old, &o, NULL);
    spy_log_set_quiet(true);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tu_rmtree(f->root);
    free(f->root);
    free(f->plain);
    free(f->enc);
    free(f->old);
    free(f);
    return 0;
}

static char *sms_rows(const spy_acq *a)
{
    spy_artifacts l = {0};
    spy_query q = {.domain = "HomeDomain", .path = "Library/SMS/sms.db"};
    assert_int_equal(spy_acq_find(a, &q, &l), SPY_OK);
    assert_int_equal(l.n, 1);
    sqlite3 *db = NULL;
    assert_int_equal(spy_acq_open_db(a, &l.v[0], &db), SPY_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT group_concat(text, '|') FROM message", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *s = spy_xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    spy_evdb_close(db);
    spy_artifacts_free(&l);
    return s;
}

/* The bytes of one file (NULL-terminated copy) or NULL with *err set. */
static char *file_bytes(const spy_acq *a, const char *path, size_t *len, int *err)
{
    spy_artifacts l = {0};
    spy_query q = {.domain = "HomeDomain", .path = path};
    assert_int_equal(spy_acq_find(a, &q, &l), SPY_OK);
    assert_int_equal(l.n, 1);
    void *buf = NULL;
    *err = spy_acq_read(a, &l.v[0], 1 << 20, &buf, len);
    spy_artifacts_free(&l);
    return buf;
}

/* What a module sees: the same rows (WAL included) and the same bytes. */
static void assert_reads_like_plain(const spy_acq *a)
{
    char *rows = sms_rows(a);
    assert_string_equal(rows, "old 1|old 2|only in the WAL");
    free(rows);
    size_t len = 0;
    int err;
    char *p = file_bytes(a, "Library/Preferences/test.plist", &len, &err);
    assert_int_equal(err, SPY_OK);
    assert_int_equal(len, sizeof PLIST_TEXT - 1);
    assert_memory_equal(p, PLIST_TEXT, len);
    assert_int_equal(p[len], '\0');
    free(p);
    p = file_bytes(a, "Library/block16.bin", &len, &err);
    assert_int_equal(len, 16);
    assert_memory_equal(p, "0123456789abcdef", 16);
    free(p);
    p = file_bytes(a, "Library/empty.bin", &len, &err);
    assert_int_equal(err, SPY_OK);
    assert_int_equal(len, 0);
    free(p);
    /* A whole-Manifest scan (the Manifest module's connection). */
    sqlite3 *db = NULL;
    assert_int_equal(spy_ios_backup_open_manifest(a, &db), SPY_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM Files", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 7);
    sqlite3_finalize(st);
    spy_evdb_close(db);
}

static void test_password_and_key_file(void **state)
{
    fx *f = *state;
    /* The encrypted twin does not read as a plain backup. */
    char *mdb = tu_join(f->enc, "Manifest.db");
    size_t n = 0;
    char *raw = tu_read(mdb, &n);
    assert_true(n % 16 == 0 && memcmp(raw, "SQLite format 3", 15) != 0);
    free(raw);
    free(mdb);

    spy_acq a;
    spy_secret_opts so = {.password = PW, .non_interactive = true};
    assert_int_equal(spy_ios_backup_open_ex(f->enc, &so, 0, &a), SPY_OK);
    assert_true(spy_ios_backup_is_encrypted(&a));
    uint8_t key[32];
    assert_int_equal(spy_ios_backup_derived_key(&a, key), SPY_OK);
    assert_memory_equal(key, f->key, 32);
    assert_reads_like_plain(&a);
    spy_acq_close(&a);

    char *kf = tu_join(f->root, "backup.key");
    assert_int_equal(spy_keyfile_write(kf, f->key), SPY_OK);
    struct stat st;
    assert_int_equal(stat(kf, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 64);
    assert_int_equal(spy_keyfile_write(kf, f->key), SPY_EEXISTS); /* never replaced */
    spy_secret_opts ko = {.key_file = kf, .non_interactive = true};
    assert_int_equal(spy_ios_backup_open_ex(f->enc, &ko, 0, &a), SPY_OK);
    assert_reads_like_plain(&a);
    spy_acq_close(&a);
    /* A key file of another backup: the wrong key. */
    uint8_t other[32] = {7};
    unlink(kf);
    assert_int_equal(spy_keyfile_write(kf, other), SPY_OK);
    assert_int_equal(spy_ios_backup_open_ex(f->enc, &ko, 0, &a), SPY_EPASSWORD);
    unlink(kf);
    free(kf);
}

static void test_wrong_or_missing_password(void **state)
{
    fx *f = *state;
    spy_acq a;
    spy_secret_opts wrong = {.password = "pegasus", .non_interactive = true};
    assert_int_equal(spy_ios_backup_open_ex(f->enc, &wrong, 0, &a), SPY_EPASSWORD);
    assert_int_equal(spy_ios_backup_open_ex(f->old, &wrong, 0, &a), SPY_EPASSWORD);
    assert_int_equal(spy_ios_backup_open(f->enc, &a), SPY_EPASSWORD);
    /* -n and no password anywhere (the test environment has none). */
    if (!getenv("SPYSCAN_BACKUP_PASSWORD") && !getenv("MVT_IOS_BACKUP_PASSWORD")) {
        spy_secret_opts none = {.non_interactive = true};
        assert_int_equal(spy_ios_backup_open_ex(f->enc, &none, 0, &a), SPY_EPASSWORD);
    }
}

/* iOS < 10.2: Manifest.db plain, files encrypted; and a decrypted copy
 * (IsEncrypted kept, everything plain), as decrypt-backup and MVT write. */
static void test_old_backup_and_decrypted_copy(void **state)
{
    fx *f = *state;
    spy_acq a;
    spy_secret_opts so = {.password = PW, .non_interactive = true};
    assert_int_equal(spy_ios_backup_open(f->old, &a), SPY_EPASSWORD); /* files need the key */
    assert_int_equal(spy_ios_backup_open_ex(f->old, &so, 0, &a), SPY_OK);
    assert_true(spy_ios_backup_is_encrypted(&a));
    assert_reads_like_plain(&a);
    spy_acq_close(&a);

    assert_int_equal(spy_ios_backup_open_ex(f->enc, &so, 0, &a), SPY_OK);
    char *dest = tu_join(f->root, "decrypted");
    char *inside = tu_join(f->enc, "copy");
    spy_decrypt_report rep;
    assert_int_equal(spy_ios_backup_decrypt_to(&a, inside, false, &rep), SPY_EUSAGE);
    assert_int_equal(spy_ios_backup_decrypt_to(&a, dest, false, &rep), SPY_OK);
    assert_int_equal(rep.files, 5);
    assert_int_equal(rep.missing, 1);
    assert_int_equal(rep.failed, 0);
    spy_acq_close(&a);
    struct stat st;
    assert_int_equal(stat(inside, &st), -1);
    char *sub = tu_join(dest, "Manifest.db");
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(sub);
    /* Every decrypted content file equals the plain twin's, mtime included. */
    char id[41];
    bf_file_id("HomeDomain", "Library/Preferences/test.plist", id);
    char *rel = spy_xasprintf("%.2s/%s", id, id);
    char *p1 = tu_join(f->plain, rel), *p2 = tu_join(dest, rel);
    size_t n1 = 0, n2 = 0;
    char *d1 = tu_read(p1, &n1), *d2 = tu_read(p2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(d1, d2, n1);
    assert_int_equal(stat(p2, &st), 0);
    assert_int_equal(st.st_mtime, 1600000100);
    free(d1), free(d2), free(p1), free(p2), free(rel);

    /* The copy opens without a key: checked as a plain backup. */
    assert_int_equal(spy_ios_backup_open(dest, &a), SPY_OK);
    assert_false(spy_ios_backup_is_encrypted(&a));
    assert_true(json_is_true(json_object_get(spy_ios_backup_manifest_plist(&a), "IsEncrypted")));
    assert_reads_like_plain(&a);
    spy_acq_close(&a);
    tu_rmtree(dest);
    free(dest);
    free(inside);
}

/* A fresh copy of the encrypted twin to damage. */
static char *copy_of(const fx *f, const char *src, const char *name)
{
    char *dst = tu_join(f->root, name);
    char *cmd = spy_xasprintf("cp -r '%s' '%s'", src, dst);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return dst;
}

static void rewrite_manifest_plist(const char *dir, const char *key, json_t *value)
{
    char *p = tu_join(dir, "Manifest.plist");
    size_t n = 0;
    char *d = tu_read(p, &n);
    json_t *mp = NULL;
    assert_int_equal(spy_plist_parse(d, n, &mp, NULL), SPY_OK);
    if (value)
        json_object_set_new(mp, key, value);
    else
        json_object_del(mp, key);
    uint8_t *out = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(mp, NULL, &out, &len), 0);
    tu_write(p, (const char *)out, len);
    free(out);
    json_decref(mp);
    free(d);
    free(p);
}

static int open_pw(const char *dir)
{
    spy_acq a;
    spy_secret_opts so = {.password = PW, .non_interactive = true};
    int err = spy_ios_backup_open_ex(dir, &so, 0, &a);
    if (err == SPY_OK)
        spy_acq_close(&a);
    return err;
}

static void test_damaged_backups(void **state)
{
    fx *f = *state;
    /* Manifest.plist and Manifest.db disagree: not encrypted, says the plist. */
    char *d = copy_of(f, f->enc, "says-plain");
    rewrite_manifest_plist(d, "IsEncrypted", json_false());
    assert_int_equal(open_pw(d), SPY_EFORMAT);
    tu_rmtree(d), free(d);
    /* No keybag; no ManifestKey; a keybag with ITER 0. */
    d = copy_of(f, f->enc, "no-keybag");
    rewrite_manifest_plist(d, "BackupKeyBag", NULL);
    assert_int_equal(open_pw(d), SPY_EFORMAT);
    tu_rmtree(d), free(d);
    d = copy_of(f, f->enc, "no-manifest-key");
    rewrite_manifest_plist(d, "ManifestKey", NULL);
    assert_int_equal(open_pw(d), SPY_EFORMAT);
    tu_rmtree(d), free(d);
    d = copy_of(f, f->enc, "iter-zero");
    uint8_t *kb = NULL;
    size_t kn = 0;
    uint8_t salt[20] = {0}, w[40] = {0}, uuid[16] = {0};
    bc_tlv(&kb, &kn, "UUID", uuid, 16);
    bc_tlv(&kb, &kn, "SALT", salt, 20);
    bc_tlv_u32(&kb, &kn, "ITER", 0);
    bc_tlv(&kb, &kn, "UUID", uuid, 16);
    bc_tlv_u32(&kb, &kn, "CLAS", 1);
    bc_tlv(&kb, &kn, "WPKY", w, 40);
    char *b64 = spy_xmalloc(4 * ((kn + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)b64, kb, (int)kn);
    rewrite_manifest_plist(d, "BackupKeyBag", json_pack("{s:s}", "$data", b64));
    assert_int_equal(open_pw(d), SPY_EFORMAT);
    free(b64), free(kb);
    tu_rmtree(d), free(d);
    /* Manifest.db cut short, and with its first page scrambled. */
    d = copy_of(f, f->enc, "manifest-cut");
    char *m = tu_join(d, "Manifest.db");
    size_t n = 0;
    char *raw = tu_read(m, &n);
    tu_write(m, raw, n - 7);
    assert_int_equal(open_pw(d), SPY_EFORMAT);
    /* in the first AES block: its plaintext (the "SQLite format 3" magic)
     * becomes noise whatever the key, so the outcome does not depend on the
     * random key of the run (a later block could decrypt to a header SQLite
     * still accepts) */
    raw[5] ^= 0x5a;
    tu_write(m, raw, n);
    assert_int_equal(open_pw(d), SPY_EFORMAT);
    free(raw), free(m);
    tu_rmtree(d), free(d);
}

/* One damaged file fails alone, with its own message; the rest reads. */
static void test_damaged_files(void **state)
{
    fx *f = *state;
    char *d = copy_of(f, f->enc, "file-cut");
    char id[41];
    bf_file_id("HomeDomain", "Library/Preferences/test.plist", id);
    char *rel = spy_xasprintf("%.2s/%s", id, id);
    char *p = tu_join(d, rel);
    size_t n = 0;
    char *raw = tu_read(p, &n);
    tu_write(p, raw, n - 16); /* whole blocks, but shorter than Size */
    spy_acq a;
    spy_secret_opts so = {.password = PW, .non_interactive = true};
    assert_int_equal(spy_ios_backup_open_ex(d, &so, 0, &a), SPY_OK);
    size_t len = 0;
    int err;
    char *buf = file_bytes(&a, "Library/Preferences/test.plist", &len, &err);
    assert_int_equal(err, SPY_EFORMAT);
    assert_null(buf);
    tu_write(p, raw, n - 3); /* not whole blocks */
    buf = file_bytes(&a, "Library/Preferences/test.plist", &len, &err);
    assert_int_equal(err, SPY_EFORMAT);
    char *rows = sms_rows(&a);
    assert_string_equal(rows, "old 1|old 2|only in the WAL");
    free(rows);
    spy_acq_close(&a);
    free(raw), free(p), free(rel);
    tu_rmtree(d), free(d);

    /* A per-file key of a class the keybag does not have (iOS < 10.2 twin:
     * its Manifest.db is plain, so the row can be edited in place). */
    d = copy_of(f, f->old, "bad-class");
    char *m = tu_join(d, "Manifest.db");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(m, &db), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "SELECT file FROM Files WHERE fileID = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    size_t blen = (size_t)sqlite3_column_bytes(st, 0);
    uint8_t *blob = spy_xmalloc(blen);
    memcpy(blob, sqlite3_column_blob(st, 0), blen);
    sqlite3_finalize(st);
    spy_mbfile mb;
    assert_int_equal(spy_nska_mbfile(blob, blen, &mb, NULL), SPY_OK);
    size_t at = (size_t)(mb.encryption_key - blob);
    spy_mbfile_clear(&mb);
    blob[at] = 20; /* class 20: not in the keybag */
    sqlite3_prepare_v2(db, "UPDATE Files SET file = ?2 WHERE fileID = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, blob, (int)blen, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(spy_ios_backup_open_ex(d, &so, 0, &a), SPY_OK);
    buf = file_bytes(&a, "Library/Preferences/test.plist", &len, &err);
    assert_int_equal(err, SPY_EFORMAT);
    buf = file_bytes(&a, "Library/block16.bin", &len, &err);
    assert_int_equal(err, SPY_OK);
    free(buf);
    spy_acq_close(&a);
    free(blob), free(m);
    tu_rmtree(d), free(d);
}

/* Once with the counts iOS really uses (10 000 000 + 10 000). */
static void test_real_iteration_counts(void **state)
{
    fx *f = *state;
    char *d = tu_join(f->root, "real-counts");
    bc_opts o = {.password = PW, .iter = 10000, .dpic = 10000000};
    uint8_t key[32], got[32];
    bc_encrypt_backup(f->plain, d, &o, key);
    spy_acq a;
    spy_secret_opts so = {.password = PW, .non_interactive = true};
    assert_int_equal(spy_ios_backup_open_ex(d, &so, 0, &a), SPY_OK);
    assert_int_equal(spy_ios_backup_derived_key(&a, got), SPY_OK);
    assert_memory_equal(got, key, 32);
    assert_reads_like_plain(&a);
    spy_acq_close(&a);
    tu_rmtree(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_and_key_file),
        cmocka_unit_test(test_wrong_or_missing_password),
        cmocka_unit_test(test_old_backup_and_decrypted_copy),
        cmocka_unit_test(test_damaged_backups),
        cmocka_unit_test(test_damaged_files),
        cmocka_unit_test(test_real_iteration_counts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
