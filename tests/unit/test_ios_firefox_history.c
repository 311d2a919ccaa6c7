/* FirefoxHistory (spec/ios.md §5.6) on a real-shaped Firefox for iOS
 * browser.db inside a fixture backup. */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_firefox_history;

#define DOMAIN  "AppDomainGroup-group.org.mozilla.ios.Firefox"
#define RELPATH "profile.profile/browser.db"

static const char *const PATTERNS[] = {"[domain-name:value='free247downloads.com']",
                                       "[domain-name:value='urlpush.net']", NULL};

static char *make_backup(const char *root, const char *name, const char *wal_sql)
{
    char *dir = tu_join(root, name);
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("firefox_history", "default.sql");
    bf_add_sqlite(b, DOMAIN, RELPATH, sql, wal_sql);
    free(sql);
    mt_info(b);
    bf_finish(b);
    return dir;
}

static void test_records_alerts_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "backup", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_firefox_history, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 4);
    const json_t *rec = NULL;
    for (size_t i = 0; i < 4; i++)
        if (json_integer_value(json_object_get(mt_rec(&r, i), "id")) == 2)
            rec = mt_rec(&r, i);
    assert_non_null(rec);
    mt_keys(rec, "id,isodate,url,title,i1000000s_local,type,is_local");
    mt_int(rec, "id", 2);
    mt_str(rec, "isodate", "2021-07-18 12:00:00.123456");
    mt_str(rec, "url", "https://news.example.org/world/2021/07/18/story.html");
    mt_str(rec, "title", "World news");
    mt_int(rec, "i1000000s_local", 1);
    mt_int(rec, "type", 2);
    mt_int(rec, "is_local", 1);

    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 0, "message"),
                        "Found a sub-domain with a suspicious top level "
                        "https://bun54l2b67.get1tn0w.free247downloads.com:30495/szev4hzm matching "
                        "indicator \"free247downloads.com\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "");
    assert_string_equal(mt_match(&r, 0, "value"), "free247downloads.com");
    assert_string_equal(mt_match(&r, 0, "type"), "domains");

    assert_int_equal(json_array_size(r.timeline), 4);
    assert_true(mt_timeline_has(&r, "2021-07-18 12:00:00.123456", "FirefoxHistory",
                                "firefox_history",
                                "Firefox visit with ID 2 to URL: "
                                "https://news.example.org/world/2021/07/18/story.html"));

    mh_result clean, c;
    mh_run_backup(&spy_mod_firefox_history, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    mt_check_iocs(&spy_mod_firefox_history, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    mt_same_alerts(&r, &c);
    mh_result_free(&c);
    mh_result_free(&clean);
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

static void test_wal_and_corrupt(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir =
        make_backup(root, "backup",
                    "INSERT INTO history VALUES (5, 'vT3eXp9ZuC4g', 'http://urlpush.net/r/1', '', "
                    "NULL, 1626610000000, 0, 1, NULL);"
                    "INSERT INTO visits VALUES (5, 5, 1626610000000000, 1, 1);");
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_firefox_history, dir, stix, &r);
    assert_int_equal(json_array_size(r.records), 5);
    assert_int_equal(json_array_size(r.alerts), 2);
    assert_true(mt_timeline_has(&r, "2021-07-18 12:06:40.000000", "FirefoxHistory",
                                "firefox_history",
                                "Firefox visit with ID 5 to URL: http://urlpush.net/r/1"));
    mh_result_free(&r);
    free(dir);

    dir = tu_join(root, "backup2");
    bf_backup *b = bf_new(dir);
    static const char junk[] = "\x13\x37 definitely not SQLite, random-looking bytes \xff\xfe\xfd";
    bf_add_file(b, DOMAIN, RELPATH, junk, sizeof junk);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_firefox_history, dir, stix, &r);
    assert_int_equal(r.exit_code, 4);
    assert_int_equal(json_array_size(r.records), 0);
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_alerts_timeline),
        cmocka_unit_test(test_wal_and_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
