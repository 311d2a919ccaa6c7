/* ChromeHistory (spec/ios.md §5.3) on a real-shaped Chrome for iOS History
 * database inside a fixture backup. */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_chrome_history;

#define DOMAIN  "AppDomain-com.google.chrome.ios"
#define RELPATH "Library/Application Support/Google/Chrome/Default/History"

static const char *const PATTERNS[] = {"[domain-name:value='free247downloads.com']",
                                       "[domain-name:value='urlpush.net']", NULL};

static char *make_backup(const char *root, const char *wal_sql)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("chrome_history", "default.sql");
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
    char *dir = make_backup(root, NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_chrome_history, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 5);

    const json_t *rec = mt_rec(&r, 1);
    mt_keys(rec, "id,url,visit_id,timestamp,isodate,redirect_source");
    mt_int(rec, "id", 2);
    mt_str(rec, "url", "https://news.example.org/world/2021/07/18/story.html");
    mt_int(rec, "visit_id", 2);
    mt_int(rec, "timestamp", 13271083200123456LL);
    mt_str(rec, "isodate", "2021-07-18 12:00:00.123456");
    mt_int(rec, "redirect_source", 1);

    /* one match: the Pegasus sub-domain; the two decoys do not match */
    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 0, "message"),
                        "Found a sub-domain with a suspicious top level "
                        "https://bun54l2b67.get1tn0w.free247downloads.com:30495/szev4hzm matching "
                        "indicator \"free247downloads.com\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "");
    assert_string_equal(mt_match(&r, 0, "value"), "free247downloads.com");
    assert_string_equal(mt_match(&r, 0, "type"), "domains");
    mt_int(json_object_get(json_array_get(r.alerts, 0), "event"), "visit_id", 3);

    assert_int_equal(json_array_size(r.timeline), 5);
    assert_true(mt_timeline_has(&r, "2021-07-18 12:00:00.123456", "ChromeHistory", "visit",
                                "2 - https://news.example.org/world/2021/07/18/story.html "
                                "(visit ID: 2, redirect source: 1)"));

    /* check-iocs on the saved records of a run without indicators */
    mh_result clean, c;
    mh_run_backup(&spy_mod_chrome_history, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    mt_check_iocs(&spy_mod_chrome_history, clean.out_dir, stix, &c);
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

static void test_wal_rows_read(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir =
        make_backup(root, "INSERT INTO urls VALUES (6, 'http://urlpush.net/a1b2', '', 1, 0, "
                          "13271083500000000, 0);"
                          "INSERT INTO visits (id, url, visit_time, from_visit) VALUES "
                          "(6, 6, 13271083500000000, 0);");
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_chrome_history, dir, stix, &r);
    assert_int_equal(json_array_size(r.records), 6);
    mt_str(mt_rec(&r, 5), "url", "http://urlpush.net/a1b2");
    mt_str(mt_rec(&r, 5), "isodate", "2021-07-18 12:05:00.000000");
    assert_int_equal(json_array_size(r.alerts), 2);
    assert_string_equal(
        mh_alert_str(&r, 1, "message"),
        "Found a known suspicious domain http://urlpush.net/a1b2 matching indicator "
        "\"urlpush.net\" from \"TestMalware\"");
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

static void test_corrupt_and_wrong_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    static const char junk[] = "SQLite format 3\0 this is not really a database at all ...........";
    bf_add_file(b, DOMAIN, RELPATH, junk, sizeof junk);
    mt_info(b);
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_chrome_history, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4); /* the module failed, the run completed */
    assert_int_equal(json_array_size(r.records), 0);
    mh_result_free(&r);
    free(dir);

    dir = tu_join(root, "backup2");
    b = bf_new(dir);
    bf_add_sqlite(b, DOMAIN, RELPATH, "CREATE TABLE urls(id INTEGER PRIMARY KEY, url TEXT);", NULL);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_chrome_history, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    assert_int_equal(json_array_size(r.records), 0);
    mh_result_free(&r);
    free(dir);

    /* absent: not a failure */
    dir = tu_join(root, "backup3");
    b = bf_new(dir);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_chrome_history, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_alerts_timeline),
        cmocka_unit_test(test_wal_rows_read),
        cmocka_unit_test(test_corrupt_and_wrong_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
