/* The iOS backup acquisition: locating the backup, lookups by path, domain,
 * wildcard and fixed fileID, WAL read from its own Manifest entry, blobs that
 * cannot escape the folder, graded refusals, and an untouched input tree. */
#include "acquire/ios_backup.h"
#include "backup_fixture.h"
#include "core/error.h"
#include "core/evfs.h"
#include "core/log.h"
#include "core/mem.h"
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fx {
    char *root, *backup;
} fx;

static json_t *info_plist(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:[s,s]}", "Device Name", "Test iPhone", "Product Type",
                     "iPhone12,1", "Product Version", "15.1", "Build Version", "19B74",
                     "Installed Applications", "com.apple.mobilesafari", "net.whatsapp.WhatsApp");
}

static void build(const char *dir, bool encrypted)
{
    bf_backup *b = bf_new(dir);
    bf_add_dir(b, "HomeDomain", "Library/SMS");
    bf_add_sqlite(b, "HomeDomain", "Library/SMS/sms.db",
                  "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT);"
                  "INSERT INTO message (text) VALUES ('old 1'), ('old 2');",
                  "INSERT INTO message (text) VALUES ('only in the WAL');");
    bf_add_file(b, "HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist", "x", 1);
    bf_add_file(b, "AppDomain-com.google.chrome.ios",
                "Library/Application Support/Google/Chrome/Default/History", "h", 1);
    bf_add_file(b, "RootDomain", "Library/Safari/History.db", "s", 1);
    bf_add_file(b, "AppDomain-com.apple.mobilesafari", "Library/Safari/History.db", "s", 1);
    bf_add_file(b, "HomeDomain", "Library/Safari_old/x.db", "u", 1);
    bf_add_file(b, "HomeDomain", "Library/SafariXold/y.db", "v", 1);
    bf_add_missing(b, "HomeDomain", "Library/Missing/content.db");
    json_t *info = info_plist();
    json_t *manifest =
        json_pack("{s:b, s:{s:s}}", "IsEncrypted", encrypted, "Lockdown", "ProductVersion", "15.1");
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
    f->backup = tu_join(f->root, "00008030-001A2B3C4D5E6F70");
    build(f->backup, false);
    spy_log_set_quiet(true);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tu_rmtree(f->root);
    free(f->root);
    free(f->backup);
    free(f);
    return 0;
}

/* A digest of every path, size and content under dir (sorted walk). */
static void tree_digest(const char *dir, EVP_MD_CTX *md)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strcmp(name, ".") && strcmp(name, "..")) {
            char *p = tu_join(dir, name);
            struct stat st;
            lstat(p, &st);
            EVP_DigestUpdate(md, p, strlen(p) + 1);
            if (S_ISDIR(st.st_mode))
                tree_digest(p, md);
            else {
                size_t len = 0;
                char *data = tu_read(p, &len);
                EVP_DigestUpdate(md, data, len);
                free(data);
            }
            free(p);
        }
        free(names[i]);
    }
    free(names);
}

static void tree_hash(const char *dir, unsigned char out[32])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    tree_digest(dir, md);
    EVP_DigestFinal_ex(md, out, NULL);
    EVP_MD_CTX_free(md);
}

static void test_lookups(void **state)
{
    fx *f = *state;
    unsigned char before[32], after[32];
    tree_hash(f->root, before);
    spy_acq a;
    assert_int_equal(spy_ios_backup_open(f->backup, &a), SPY_OK);
    assert_string_equal(
        json_string_value(json_object_get(spy_ios_backup_info_plist(&a), "Device Name")),
        "Test iPhone");
    assert_true(json_is_false(json_object_get(spy_ios_backup_manifest_plist(&a), "IsEncrypted")));

    spy_artifacts l = {0};
    spy_query exact = {.domain = "HomeDomain", .path = "Library/SMS/sms.db"};
    assert_int_equal(spy_acq_find(&a, &exact, &l), SPY_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].label, "HomeDomain/Library/SMS/sms.db");
    char id[41];
    bf_file_id("HomeDomain", "Library/SMS/sms.db", id);
    assert_string_equal(l.v[0].file_id, id);

    /* The newest row lives only in the -wal, itself a Manifest entry. */
    sqlite3 *db = NULL;
    assert_int_equal(spy_acq_open_db(&a, &l.v[0], &db), SPY_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT count(*), max(text) FROM message", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 3);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "only in the WAL");
    sqlite3_finalize(st);
    spy_evdb_close(db);
    spy_artifacts_free(&l);

    /* Any domain, ordered; the missing content file is skipped. */
    spy_query any = {.path = "Library/Safari/History.db"};
    assert_int_equal(spy_acq_find(&a, &any, &l), SPY_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].domain, "AppDomain-com.apple.mobilesafari");
    assert_string_equal(l.v[1].domain, "RootDomain");
    spy_artifacts_free(&l);
    any.first_only = true;
    assert_int_equal(spy_acq_find(&a, &any, &l), SPY_OK);
    assert_int_equal(l.n, 1);
    spy_artifacts_free(&l);

    /* '*' wildcard; '_' stays literal (Safari_old must not match SafariXold). */
    spy_query wild = {.path = "Library/Safari*/*.db"};
    assert_int_equal(spy_acq_find(&a, &wild, &l), SPY_OK);
    assert_int_equal(l.n, 4);
    spy_artifacts_free(&l);
    spy_query under = {.path = "Library/Safari_old/*.db"};
    assert_int_equal(spy_acq_find(&a, &under, &l), SPY_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].path, "Library/Safari_old/x.db");
    spy_artifacts_free(&l);
    /* after the literal prefix too: '_' must not act as LIKE's one-character wildcard */
    spy_query under2 = {.path = "Library/*_old/*.db"};
    assert_int_equal(spy_acq_find(&a, &under2, &l), SPY_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].path, "Library/Safari_old/x.db");
    spy_artifacts_free(&l);
    spy_query missing = {.path = "Library/Missing/content.db"};
    assert_int_equal(spy_acq_find(&a, &missing, &l), SPY_OK);
    assert_int_equal(l.n, 0);

    /* Fixed fileIDs: the content decides; bad IDs never become paths. */
    char chrome[41];
    bf_file_id("AppDomain-com.google.chrome.ios",
               "Library/Application Support/Google/Chrome/Default/History", chrome);
    const char *ids[] = {"../../etc/passwd", "0000000000000000000000000000000000000000", chrome,
                         NULL};
    spy_query byid = {.file_ids = ids};
    assert_int_equal(spy_acq_find(&a, &byid, &l), SPY_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].domain, "AppDomain-com.google.chrome.ios");
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(spy_acq_read(&a, &l.v[0], 16, &buf, &len), SPY_OK);
    assert_int_equal(len, 1);
    assert_memory_equal(buf, "h", 1);
    free(buf);
    assert_int_equal(spy_acq_read(&a, &l.v[0], 0, &buf, &len), SPY_ELIMIT);
    spy_artifacts_free(&l);
    spy_acq_close(&a);

    tree_hash(f->root, after);
    assert_memory_equal(before, after, 32);
}

static void test_subfolder_and_refusals(void **state)
{
    fx *f = *state;
    spy_acq a;
    /* the folder holding exactly one backup */
    assert_int_equal(spy_ios_backup_open(f->root, &a), SPY_OK);
    assert_string_equal(spy_ios_backup_dir(&a), f->backup);
    spy_acq_close(&a);
    /* not a backup */
    char *empty = tu_join(f->root, "empty");
    mkdir(empty, 0700);
    assert_int_equal(spy_ios_backup_open(empty, &a), SPY_ENOTFOUND);
    assert_int_equal(spy_ios_backup_open("/nonexistent/backup", &a), SPY_ENOTFOUND);
    /* two backups */
    char *second = tu_join(f->root, "second");
    build(second, false);
    assert_int_equal(spy_ios_backup_open(f->root, &a), SPY_EFORMAT);
    free(second);
    free(empty);
}

static void test_encrypted_and_corrupt(void **state)
{
    fx *f = *state;
    char *enc = tu_join(f->root, "encrypted");
    build(enc, true);
    char *mdb = tu_join(enc, "Manifest.db");
    unsigned char noise[4096];
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (unsigned char)((i * 2654435761u) >> 13);
    tu_write(mdb, (const char *)noise, sizeof noise);
    spy_acq a;
    assert_int_equal(spy_ios_backup_open(enc, &a), SPY_EPASSWORD);

    char *plain = tu_join(f->root, "corrupt");
    build(plain, false);
    char *pm = tu_join(plain, "Manifest.db");
    tu_write_str(pm, "this is not a database at all, just text that is long enough to pass the "
                     "header size check of one hundred bytes");
    assert_int_equal(spy_ios_backup_open(plain, &a), SPY_EFORMAT);
    tu_write(pm, "", 0);
    assert_int_equal(spy_ios_backup_open(plain, &a), SPY_EFORMAT);
    char *info = tu_join(plain, "Info.plist");
    tu_write_str(info, "<?xml version=\"1.0\"?><plist><dict><key>a</key>");
    assert_int_equal(spy_ios_backup_open(plain, &a), SPY_EFORMAT);
    free(info);
    free(pm);
    free(plain);
    free(mdb);
    free(enc);
}

/* A content folder replaced by a link pointing outside is not followed. */
static void test_blob_links_not_followed(void **state)
{
    fx *f = *state;
    char id[41];
    bf_file_id("RootDomain", "Library/Safari/History.db", id);
    char sub[3] = {id[0], id[1], 0};
    char *subdir = tu_join(f->backup, sub);
    char *outside = tu_join(f->root, "outside");
    rename(subdir, outside);
    assert_int_equal(symlink(outside, subdir), 0);
    spy_acq a;
    assert_int_equal(spy_ios_backup_open(f->backup, &a), SPY_OK);
    spy_artifacts l = {0};
    spy_query q = {.domain = "RootDomain", .path = "Library/Safari/History.db"};
    assert_int_equal(spy_acq_find(&a, &q, &l), SPY_OK);
    assert_int_equal(l.n, 0);
    spy_acq_close(&a);
    free(subdir);
    free(outside);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lookups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subfolder_and_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encrypted_and_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blob_links_not_followed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
