/* SafariBrowserState (spec/ios.md §5.12) on real-shaped BrowserState.db
 * files: iOS 12+ (tab_sessions with binary-plist session data) and the
 * pre-iOS 12 layout. */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_safari_browser_state;

#define DOMAIN  "AppDomain-com.apple.mobilesafari"
#define RELPATH "Library/Safari/BrowserState.db"
#define PROFILE_RELPATH                                                                            \
    "Library/Safari/Profiles/6C1A1B2E-3D4F-4A5B-8C7D-9E0F1A2B3C4D/BrowserState.db"

static const char *const PATTERNS[] = {"[domain-name:value='free247downloads.com']",
                                       "[domain-name:value='urlpush.net']", NULL};

static const char PEGASUS_URL[] = "https://bun54l2b67.get1tn0w.free247downloads.com:30495/szev4hzm";

static const json_t *tab(const mh_result *r, const char *url)
{
    for (size_t i = 0; i < json_array_size(r->records); i++)
        if (!strcmp(json_string_value(json_object_get(mt_rec(r, i), "tab_url")), url))
            return mt_rec(r, i);
    fail_msg("no tab %s", url);
    return NULL;
}

static void test_records_alerts_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("safari_browser_state", "ios17.sql");
    bf_add_sqlite(b, DOMAIN, RELPATH, sql, NULL);
    free(sql);
    mt_info(b);
    bf_finish(b);

    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_safari_browser_state, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 5);

    char id[41], content[48];
    bf_file_id(DOMAIN, RELPATH, id);
    snprintf(content, sizeof content, "%.2s/%s", id, id);
    /* ordered by last_viewed_time: the Apple tab first */
    const json_t *rec = mt_rec(&r, 0);
    mt_keys(rec, "tab_title,tab_url,tab_visible_url,last_viewed_timestamp,session_data,"
                 "safari_browser_state_db");
    mt_str(rec, "tab_title", "Apple");
    mt_str(rec, "tab_url", "https://www.apple.com/");
    mt_str(rec, "tab_visible_url", "https://www.apple.com/");
    mt_str(rec, "last_viewed_timestamp", "2021-07-18 11:53:20.000000");
    mt_str(rec, "safari_browser_state_db", content);
    const json_t *sd = json_object_get(rec, "session_data");
    assert_int_equal(json_array_size(sd), 3);
    mt_keys(json_array_get(sd, 0), "entry_title,entry_url,data_length");
    mt_str(json_array_get(sd, 0), "entry_url", "https://www.apple.com/");
    mt_int(json_array_get(sd, 0), "data_length", 8);
    mt_str(json_array_get(sd, 1), "entry_title", "http://www.nytimes.com/"); /* OriginalURL (sic) */
    mt_str(json_array_get(sd, 1), "entry_url", PEGASUS_URL);
    mt_int(json_array_get(sd, 1), "data_length", 0); /* no SessionHistoryEntryData */
    mt_int(json_array_get(sd, 2), "data_length", 0); /* empty data */
    const json_t *news = json_array_get(
        json_object_get(tab(&r, "https://news.example.org/world/2021/07/18/story.html"),
                        "session_data"),
        1);
    mt_str(news, "entry_title", "https://news.example.org/world/2021/07/18/story.html");
    mt_int(news, "data_length", 40);
    /* a session blob that is not a plist: no entries */
    assert_int_equal(
        json_array_size(json_object_get(tab(&r, "https://www.wikipedia.org/"), "session_data")), 0);

    /* Apple tab: two session-history matches; Pegasus tab: the tab URL
     * only (its session entry is not checked); decoy: none. */
    assert_int_equal(json_array_size(r.alerts), 3);
    assert_string_equal(mh_alert_str(&r, 0, "message"),
                        "Found a sub-domain with a suspicious top level "
                        "https://bun54l2b67.get1tn0w.free247downloads.com:30495/szev4hzm matching "
                        "indicator \"free247downloads.com\" from \"TestMalware\"");
    mt_str(json_object_get(json_array_get(r.alerts, 0), "event"), "tab_url",
           "https://www.apple.com/");
    assert_string_equal(mh_alert_str(&r, 1, "message"),
                        "Found a known suspicious domain http://urlpush.net/abc matching indicator "
                        "\"urlpush.net\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 2, "message"),
                        "Found a sub-domain with a suspicious top level "
                        "https://bun54l2b67.get1tn0w.free247downloads.com:30495/szev4hzm matching "
                        "indicator \"free247downloads.com\" from \"TestMalware\"");
    mt_str(json_object_get(json_array_get(r.alerts, 2), "event"), "tab_url", PEGASUS_URL);
    assert_string_equal(mh_alert_str(&r, 2, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 2, "event_time"), "");
    assert_string_equal(mt_match(&r, 1, "value"), "urlpush.net");
    assert_string_equal(mt_match(&r, 1, "type"), "domains");

    assert_int_equal(json_array_size(r.timeline), 5);
    assert_true(
        mt_timeline_has(&r, "2021-07-18 12:00:00.250000", "SafariBrowserState", "tab",
                        "World news - https://news.example.org/world/2021/07/18/story.html"));

    mh_result clean, c;
    mh_run_backup(&spy_mod_safari_browser_state, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    mt_check_iocs(&spy_mod_safari_browser_state, clean.out_dir, stix, &c);
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

/* Pre-iOS 12 layout in HomeDomain, plus a profile database in WAL mode. */
static void test_old_schema_profile_wal(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("safari_browser_state", "ios11.sql");
    bf_add_sqlite(b, "HomeDomain", RELPATH, sql, NULL);
    free(sql);
    sql = mt_fixture("safari_browser_state", "ios17.sql");
    bf_add_sqlite(
        b, DOMAIN, PROFILE_RELPATH, sql,
        "INSERT INTO tabs (id, uuid, title, url, user_visible_url, last_viewed_time, "
        "order_index, browser_window_id) VALUES (6, 'A1B2C3D4-0006-4000-8000-000000000006', "
        "'Newest', 'https://urlpush.net/wal', 'https://urlpush.net/wal', 648303000.0, 5, 1);"
        "INSERT INTO tab_sessions (tab_uuid, session_data) VALUES "
        "('A1B2C3D4-0006-4000-8000-000000000006', NULL);");
    free(sql);
    mt_info(b);
    bf_finish(b);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_safari_browser_state, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 2 + 6);
    /* the default database's records come first */
    const json_t *rec = mt_rec(&r, 0);
    mt_str(rec, "tab_url", "https://www.apple.com/");
    assert_int_equal(json_array_size(json_object_get(rec, "session_data")), 3);
    assert_int_equal(json_array_size(json_object_get(mt_rec(&r, 1), "session_data")), 0);
    const json_t *last = mt_rec(&r, 7);
    mt_str(last, "tab_url", "https://urlpush.net/wal");
    mt_str(last, "last_viewed_timestamp", "2021-07-18 12:10:00.000000");
    assert_int_equal(json_array_size(json_object_get(last, "session_data")), 0);
    assert_int_equal(json_array_size(r.alerts), 2 + 3 + 1);
    mh_result_free(&r);
    free(dir);

    /* a BrowserState.db without the tabs table: the module fails, no crash */
    dir = tu_join(root, "backup2");
    b = bf_new(dir);
    bf_add_sqlite(b, DOMAIN, RELPATH, "CREATE TABLE browser_windows (id INTEGER PRIMARY KEY);",
                  NULL);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_safari_browser_state, dir, stix, &r);
    assert_int_equal(r.exit_code, 4);
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
        cmocka_unit_test(test_old_schema_profile_wal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
