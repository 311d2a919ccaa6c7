/* ChromeFavicon (spec/ios.md §5.2) on a real-shaped Chrome for iOS
 * Favicons database inside a fixture backup. */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_chrome_favicon;

#define DOMAIN  "AppDomain-com.google.chrome.ios"
#define RELPATH "Library/Application Support/Google/Chrome/Default/Favicons"

static const char *const PATTERNS[] = {"[domain-name:value='free247downloads.com']",
                                       "[domain-name:value='urlpush.net']",
                                       "[domain-name:value='baramije.net']", NULL};

static char *make_backup(const char *root, const char *wal_sql)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("chrome_favicon", "default.sql");
    bf_add_sqlite(b, DOMAIN, RELPATH, sql, wal_sql);
    free(sql);
    mt_info(b);
    bf_finish(b);
    return dir;
}

static void test_records_sorted_alerts(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_chrome_favicon, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 4);

    /* sorted by isodate: mapping 2 (last_requested 10:00:00.5) comes first */
    const json_t *rec = mt_rec(&r, 0);
    mt_keys(rec, "url,icon_url,timestamp,isodate");
    mt_str(rec, "url", "https://news.example.org/world/2021/07/18/story.html");
    mt_str(rec, "icon_url", "https://cdn.baramije.net/static/icon.png");
    mt_int(rec, "timestamp", 13271076000500000LL);
    mt_str(rec, "isodate", "2021-07-18 10:00:00.500000");
    mt_str(mt_rec(&r, 1), "url", "https://www.google.com/");
    mt_int(mt_rec(&r, 1), "timestamp", 13271079600000000LL);
    mt_str(mt_rec(&r, 2), "isodate", "2021-07-18 12:00:01.000000");
    mt_str(mt_rec(&r, 3), "url", "https://baramije.net.example.com/");

    /* icon URL matched (page did not); page URL matched first (icon not checked) */
    assert_int_equal(json_array_size(r.alerts), 2);
    assert_string_equal(
        mh_alert_str(&r, 0, "message"),
        "Found a sub-domain with a suspicious top level "
        "https://cdn.baramije.net/static/icon.png matching indicator \"baramije.net\" "
        "from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "");
    assert_string_equal(mh_alert_str(&r, 1, "message"),
                        "Found a sub-domain with a suspicious top level "
                        "https://bun54l2b67.get1tn0w.free247downloads.com:30495/szev4hzm matching "
                        "indicator \"free247downloads.com\" from \"TestMalware\"");
    assert_string_equal(mt_match(&r, 1, "value"), "free247downloads.com");
    assert_string_equal(mt_match(&r, 1, "type"), "domains");

    assert_int_equal(json_array_size(r.timeline), 4);
    assert_true(mt_timeline_has(&r, "2021-07-18 10:00:00.500000", "ChromeFavicon", "new_favicon",
                                "https://cdn.baramije.net/static/icon.png from "
                                "https://news.example.org/world/2021/07/18/story.html"));

    mh_result clean, c;
    mh_run_backup(&spy_mod_chrome_favicon, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    mt_check_iocs(&spy_mod_chrome_favicon, clean.out_dir, stix, &c);
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

static void test_wal_and_wrong_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir =
        make_backup(root, "INSERT INTO favicons VALUES (5, 'https://x.example.com/i.ico', 1);"
                          "INSERT INTO favicon_bitmaps VALUES (5, 5, 13271090000000000, "
                          "X'00', 16, 16, 0);"
                          "INSERT INTO icon_mapping VALUES (5, 'http://urlpush.net/p', 5);");
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_chrome_favicon, dir, stix, &r);
    assert_int_equal(json_array_size(r.records), 5);
    mt_str(mt_rec(&r, 4), "url", "http://urlpush.net/p");
    mt_str(mt_rec(&r, 4), "isodate", "2021-07-18 13:53:20.000000");
    assert_int_equal(json_array_size(r.alerts), 3);
    mh_result_free(&r);
    free(dir);

    dir = tu_join(root, "backup2");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(b, DOMAIN, RELPATH, "CREATE TABLE favicons(id INTEGER PRIMARY KEY, url TEXT);",
                  NULL);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_chrome_favicon, dir, stix, &r);
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
        cmocka_unit_test(test_records_sorted_alerts),
        cmocka_unit_test(test_wal_and_wrong_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
