/* Manifest module (spec/ios.md §4.3) on a real-shaped backup. */
#include "module_test.h"

#include "backup_fixture.h"
#include "bplist_writer.h"
#include "module_harness.h"

#include <sqlite3.h>
#include <string.h>

extern const spy_module spy_mod_manifest;

/* Real Pegasus indicators (amnesty-investigations/2021-07-18_nso). */
#define PEG_FILE   "roleaccountd.plist"
#define PEG_DOMAIN "123tramites.com"

static const char *const PATTERNS[] = {"[file:name='" PEG_FILE "']",
                                       "[domain-name:value='" PEG_DOMAIN "']", NULL};

/* Rows added after the fixture: a blob with equal times, a NULL blob, a
 * blob that is not a plist. */
static void add_raw_rows(const char *dir)
{
    char *path = tu_join(dir, "Manifest.db");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    bpw_mbfile m = {.relative_path = "Library/Same.plist",
                    .size = 42,
                    .mode = 0100600,
                    .user_id = 0,
                    .group_id = 0,
                    .inode = 9,
                    .protection_class = 4,
                    .birth = 1650000000,
                    .last_modified = 1650000000,
                    .last_status_change = 1650000000};
    uint8_t *blob = NULL;
    size_t blen = 0;
    assert_int_equal(bpw_mbfile_blob(&m, &blob, &blen), 0);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, "1111111111111111111111111111111111111111", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, "RootDomain", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, "Library/Same.plist", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, 1);
    sqlite3_bind_blob(st, 5, blob, (int)blen, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(blob);
    /* edge dates for the printf-free renderer: a leap day, the epoch, 2099 */
    bpw_mbfile e = {.relative_path = "Library/Edge",
                    .size = 1,
                    .mode = 0100644,
                    .user_id = 501,
                    .birth = 951782400,
                    .last_modified = 0,
                    .last_status_change = 4102444799};
    assert_int_equal(bpw_mbfile_blob(&e, &blob, &blen), 0);
    sqlite3_prepare_v2(db, "INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, "4444444444444444444444444444444444444444", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, "HomeDomain", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, "Library/Edge", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, 1);
    sqlite3_bind_blob(st, 5, blob, (int)blen, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(blob);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO Files VALUES ('2222222222222222222222222222222222222222',"
                     " 'HomeDomain', 'Library/NoBlob', 2, NULL);"
                     "INSERT INTO Files VALUES ('3333333333333333333333333333333333333333',"
                     " 'HomeDomain', 'Library/BadBlob', 1, x'62706c6973743030ff');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    free(path);
}

static char *make_backup(char *root)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_dir(b, "HomeDomain", "");
    bf_add_file(b, "HomeDomain", "Library/Preferences/com.apple.Preferences.plist", "x", 1);
    /* Pegasus file name indicator */
    bf_add_file(b, "RootDomain", "Library/Preferences/" PEG_FILE, "y", 1);
    /* WebKit storage named after the site: the domain is a `_` piece */
    bf_add_file(b, "AppDomain-com.apple.mobilesafari",
                "Library/WebKit/WebsiteData/LocalStorage/https_" PEG_DOMAIN "_0.localstorage", "z",
                1);
    /* decoys: a longer domain, an unknown suffix, and the name inside a word */
    bf_add_file(b, "AppDomain-com.apple.mobilesafari",
                "Library/WebKit/WebsiteData/LocalStorage/https_my" PEG_DOMAIN "_0.localstorage",
                "z", 1);
    bf_add_file(b, "HomeDomain", "Library/Notes/" PEG_DOMAIN "x_0.db", "z", 1);
    bf_add_file(b, "HomeDomain", "Library/Preferences/my" PEG_FILE, "w", 1);
    mt_info_version(b, "16.5");
    bf_finish(b);
    add_raw_rows(dir);
    return dir;
}

static const json_t *find_rec(const json_t *recs, const char *rel)
{
    size_t i;
    json_t *r;
    json_array_foreach(recs, i, r)
    {
        const char *p = json_string_value(json_object_get(r, "relative_path"));
        if (p && strcmp(p, rel) == 0)
            return r;
    }
    fail_msg("no record for %s", rel);
    return NULL;
}

static void test_records_and_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root);
    mh_result r;
    mh_run_backup(&spy_mod_manifest, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 11);

    /* A full record, exact keys, order and values. */
    const json_t *rec = find_rec(r.records, "Library/Preferences/com.apple.Preferences.plist");
    mt_json(rec, "{\"file_id\":\"36eb88809db6179b2fda77099cefce12792f0889\","
                 "\"domain\":\"HomeDomain\","
                 "\"relative_path\":\"Library/Preferences/com.apple.Preferences.plist\","
                 "\"flags\":1,\"created\":\"2020-09-13 12:26:40.000000\","
                 "\"modified\":\"2020-09-13 12:28:20.000000\","
                 "\"status_changed\":\"2020-09-13 12:30:00.000000\","
                 "\"mode\":\"0o100644\",\"owner\":501,\"size\":1}");
    rec = find_rec(r.records, "Library/Edge");
    assert_string_equal(json_string_value(json_object_get(rec, "created")),
                        "2000-02-29 00:00:00.000000");
    assert_string_equal(json_string_value(json_object_get(rec, "modified")),
                        "1970-01-01 00:00:00.000000");
    assert_string_equal(json_string_value(json_object_get(rec, "status_changed")),
                        "2099-12-31 23:59:59.000000");
    rec = find_rec(r.records, "");
    assert_string_equal(json_string_value(json_object_get(rec, "mode")), "0o40755");
    assert_int_equal(json_integer_value(json_object_get(rec, "size")), 0);

    /* NULL blob and unparsable blob: the column values only. */
    mt_json(find_rec(r.records, "Library/NoBlob"),
            "{\"file_id\":\"2222222222222222222222222222222222222222\","
            "\"domain\":\"HomeDomain\",\"relative_path\":\"Library/NoBlob\","
            "\"flags\":2,\"created\":\"\"}");
    rec = find_rec(r.records, "Library/BadBlob");
    assert_int_equal(json_object_size(rec), 5);
    assert_null(json_object_get(rec, "modified"));

    /* Timeline: 3 distinct times -> 3 rows; equal times -> one "M-CB" row. */
    size_t i, n_pref = 0, n_same = 0;
    json_t *row;
    json_array_foreach(r.timeline, i, row)
    {
        const char *ts = json_string_value(json_array_get(row, 0));
        const char *ev = json_string_value(json_array_get(row, 2));
        const char *data = json_string_value(json_array_get(row, 3));
        assert_string_equal(json_string_value(json_array_get(row, 1)), "Manifest");
        if (strcmp(data, "Library/Preferences/com.apple.Preferences.plist - HomeDomain") == 0) {
            n_pref++;
            if (strcmp(ts, "2020-09-13 12:26:40.000000") == 0)
                assert_string_equal(ev, "---B");
            else if (strcmp(ts, "2020-09-13 12:28:20.000000") == 0)
                assert_string_equal(ev, "M---");
            else
                assert_string_equal(ev, "--C-");
        }
        if (strcmp(data, "Library/Same.plist - RootDomain") == 0) {
            n_same++;
            assert_string_equal(ts, "2022-04-15 05:20:00.000000");
            assert_string_equal(ev, "M-CB");
        }
        assert_true(strstr(data, "NoBlob") == NULL && strstr(data, "BadBlob") == NULL);
    }
    assert_int_equal(n_pref, 3);
    assert_int_equal(n_same, 1);
    /* 7 fixture rows with 3 distinct times each + Same.plist */
    assert_int_equal(json_array_size(r.timeline), 7 * 3 + 1 + 3);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void assert_manifest_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 2);
    const char *m0 = mh_alert_str(r, 0, "message");
    const char *m1 = mh_alert_str(r, 1, "message");
    const char *lp = "library/webkit/websitedata/localstorage/https_" PEG_DOMAIN "_0.localstorage";
    char want[512];
    snprintf(want, sizeof want, "Found mention of domain \"%s\" in a backup file with path: %s",
             PEG_DOMAIN, lp);
    const char *file_msg = strstr(m0, "Found mention") ? m1 : m0;
    const char *dom_msg = strstr(m0, "Found mention") ? m0 : m1;
    assert_string_equal(dom_msg, want);
    assert_non_null(strstr(file_msg, PEG_FILE));
    assert_non_null(strstr(file_msg, "TestMalware"));
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(mh_alert_str(r, i, "level"), "HIGH");
        assert_string_equal(mh_alert_str(r, i, "event_time"), "");
        /* the matched indicator is carried, as MVT's alerts do */
        json_t *mi = json_object_get(json_array_get(r->alerts, i), "matched_indicator");
        const char *want_value = mh_alert_str(r, i, "message") == dom_msg ? PEG_DOMAIN : PEG_FILE;
        assert_string_equal(json_string_value(json_object_get(mi, "value")), want_value);
        assert_string_equal(json_string_value(json_object_get(mi, "name")), "TestMalware");
    }
}

static void test_indicators_and_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_manifest, dir, stix, &r);
    assert_int_equal(r.exit_code, 1); /* HIGH alerts are findings */
    assert_manifest_alerts(&r);

    /* check-iocs on a run without indicators gives the same alerts. */
    mh_result clean;
    mh_run_backup(&spy_mod_manifest, dir, NULL, &clean);
    assert_int_equal(json_array_size(clean.alerts), 0);
    mh_result c;
    mt_check_iocs(&spy_mod_manifest, clean.out_dir, stix, &c);
    assert_manifest_alerts(&c);
    mt_same_alerts(&r, &c);
    mh_result_free(&r);
    mh_result_free(&c);
    mh_result_free(&clean);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_not_sqlite(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root);
    char *path = tu_join(dir, "Manifest.db");
    /* random-looking bytes: what an encrypted Manifest.db looks like */
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)((i * 2654435761u) >> 13);
    tu_write(path, junk, sizeof junk);
    mh_result r;
    mh_run_backup(&spy_mod_manifest, dir, NULL, &r);
    /* the module fails (reported), nothing crashes */
    assert_true(r.exit_code >= 3);
    assert_true(r.records == NULL || json_array_size(r.records) == 0);
    mh_result_free(&r);
    free(path);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_records_and_timeline),
                                       cmocka_unit_test(test_indicators_and_check_iocs),
                                       cmocka_unit_test(test_not_sqlite)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
