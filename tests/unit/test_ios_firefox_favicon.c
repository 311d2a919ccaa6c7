/* FirefoxFavicon (spec/ios.md §5.5) on the real-shaped Firefox for iOS
 * browser.db fixture (shared with FirefoxHistory). */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_firefox_favicon;

#define DOMAIN  "AppDomainGroup-group.org.mozilla.ios.Firefox"
#define RELPATH "profile.profile/browser.db"

static const char *const PATTERNS[] = {"[domain-name:value='free247downloads.com']",
                                       "[domain-name:value='urlpush.net']", NULL};

static void test_records_alerts_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("firefox_history", "default.sql");
    bf_add_sqlite(b, DOMAIN, RELPATH, sql, NULL);
    free(sql);
    mt_info(b);
    bf_finish(b);

    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_firefox_favicon, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 3);
    const json_t *rec = NULL;
    for (size_t i = 0; i < 3; i++)
        if (json_integer_value(json_object_get(mt_rec(&r, i), "id")) == 1)
            rec = mt_rec(&r, i);
    assert_non_null(rec);
    mt_keys(rec, "id,url,width,height,type,isodate,history_id,history_url");
    mt_str(rec, "url", "https://www.mozilla.org/media/img/favicons/firefox/favicon.png");
    mt_int(rec, "width", 32);
    mt_int(rec, "height", 32);
    mt_int(rec, "type", 1);
    mt_str(rec, "isodate", "2021-07-18 09:20:00.500000");
    mt_int(rec, "history_id", 1);
    mt_str(rec, "history_url", "https://www.mozilla.org/en-US/firefox/ios/");

    /* favicon 2: the icon URL matches; favicon 3: only the page URL matches */
    assert_int_equal(json_array_size(r.alerts), 2);
    size_t icon = strstr(mh_alert_str(&r, 0, "message"), "cdn.urlpush.net") ? 0 : 1;
    assert_string_equal(
        mh_alert_str(&r, icon, "message"),
        "Found a sub-domain with a suspicious top level https://cdn.urlpush.net/icon.png "
        "matching indicator \"urlpush.net\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 1 - icon, "message"),
                        "Found a sub-domain with a suspicious top level "
                        "https://bun54l2b67.get1tn0w.free247downloads.com:30495/szev4hzm matching "
                        "indicator \"free247downloads.com\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "");
    assert_string_equal(mt_match(&r, icon, "type"), "domains");

    assert_true(mt_timeline_has(
        &r, "2021-07-18 09:20:00.500000", "FirefoxFavicon", "firefox_history",
        "Firefox favicon https://www.mozilla.org/media/img/favicons/firefox/favicon.png "
        "when visiting https://www.mozilla.org/en-US/firefox/ios/"));

    mh_result clean, c;
    mh_run_backup(&spy_mod_firefox_favicon, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    mt_check_iocs(&spy_mod_firefox_favicon, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    mt_same_alerts(&r, &c);
    mh_result_free(&c);
    mh_result_free(&clean);
    mh_result_free(&r);
    free(dir);

    /* a browser.db of another shape: the module fails, the run goes on */
    dir = tu_join(root, "backup2");
    b = bf_new(dir);
    bf_add_sqlite(b, DOMAIN, RELPATH, "CREATE TABLE history(id INTEGER PRIMARY KEY, url TEXT);",
                  NULL);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_firefox_favicon, dir, stix, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_records_alerts_timeline)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
