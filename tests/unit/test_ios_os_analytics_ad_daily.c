/* OSAnalyticsADDaily module (spec/ios.md §5.10): one record per process of
 * netUsageBaseline, process indicators (exact and 16-character truncated
 * names) with decoys, timeline rows, check-iocs equivalence and hostile
 * plists. */
#include "bplist_writer.h"
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_os_analytics_ad_daily;

/* Pegasus process names (amnesty-investigations/2021-07-18_nso/processes.txt). */
static const char *const PATTERNS[] = {"[process:name='roleaccountd']",
                                       "[process:name='CommsCenterRootHelper']", NULL};

#define RELPATH "Library/Preferences/com.apple.osanalytics.addaily.plist"

static char *plist_backup(const char *root, const void *data, size_t len)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_file(b, "HomeDomain", RELPATH, data, len);
    mt_info_version(b, "14.6");
    bf_finish(b);
    return dir;
}

static json_t *fixture(void)
{
    char *text = mt_fixture("os_analytics_ad_daily", "default.json");
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    free(text);
    return v;
}

static void run_json(const json_t *v, const char *stix, char **root, mh_result *r)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bytes, &len), 0);
    *root = tu_mkdtemp();
    char *dir = plist_backup(*root, bytes, len);
    mh_run_backup(&spy_mod_os_analytics_ad_daily, dir, stix, r);
    free(dir);
    free(bytes);
}

static void done(char *root, mh_result *r)
{
    mh_result_free(r);
    tu_rmtree(root);
    free(root);
}

static void assert_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 2);
    assert_string_equal(mh_alert_str(r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(r, 0, "event_time"), "");
    assert_non_null(strstr(mh_alert_str(r, 0, "message"), "roleaccountd"));
    assert_string_equal(mt_match(r, 0, "value"), "roleaccountd");
    assert_string_equal(mt_match(r, 0, "type"), "processes");
    mt_json(json_object_get(json_array_get(r->alerts, 0), "event"),
            "{\"package\":\"roleaccountd\",\"ts\":\"2021-06-24 04:00:00.000000\","
            "\"wifi_in\":10240,\"wifi_out\":2048,\"wwan_in\":0,\"wwan_out\":0}");
    /* a kernel-truncated (16-character) name matches by prefix */
    assert_string_equal(mh_alert_str(r, 1, "level"), "CRITICAL");
    assert_string_equal(mt_match(r, 1, "value"), "CommsCenterRootHelper");
    assert_string_equal(mt_match(r, 1, "type"), "processes");
}

static void test_records(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    json_t *v = fixture();
    char *root;
    mh_result r;
    run_json(v, stix, &root, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 6);
    mt_json(mt_rec(&r, 0),
            "{\"package\":\"com.apple.WebKit.Networking\",\"ts\":\"2021-06-23 06:44:16.250000\","
            "\"wifi_in\":1840250,\"wifi_out\":95000,\"wwan_in\":360120,\"wwan_out\":20480}");
    mt_json(mt_rec(&r, 2),
            "{\"package\":\"mobilesafari\",\"ts\":\"2021-06-25 07:46:40.750000\","
            "\"wifi_in\":9007199254740993,\"wifi_out\":12.5,\"wwan_in\":0,\"wwan_out\":1}");
    /* decoys myroleaccountd and roleaccountd.evil: no alert */
    assert_alerts(&r);
    assert_int_equal(json_array_size(r.timeline), 6);
    assert_true(mt_timeline_has(&r, "2021-06-23 06:44:16.250000", "OSAnalyticsADDaily",
                                "osanalytics_addaily",
                                "com.apple.WebKit.Networking WIFI IN: 1840250, WIFI OUT: 95000 - "
                                "WWAN IN: 360120, WWAN OUT: 20480"));
    assert_true(mt_timeline_has(&r, "2021-06-25 07:46:40.750000", "OSAnalyticsADDaily",
                                "osanalytics_addaily",
                                "mobilesafari WIFI IN: 9007199254740993, WIFI OUT: 12.5 - "
                                "WWAN IN: 0, WWAN OUT: 1"));
    json_decref(v);
    free(stix);
    done(root, &r);
}

static void test_check_iocs(void **state)
{
    (void)state;
    json_t *v = fixture();
    char *root;
    mh_result clean;
    run_json(v, NULL, &root, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    mh_result direct, c;
    char *root2;
    run_json(v, stix, &root2, &direct);
    mt_check_iocs(&spy_mod_os_analytics_ad_daily, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    assert_alerts(&c);
    mt_same_alerts(&direct, &c);
    mh_result_free(&c);
    done(root2, &direct);
    json_decref(v);
    free(stix);
    done(root, &clean);
}

/* Entries that are not [date, 4 counters] are skipped and counted; the
 * others are still read. */
static void test_bad_entries(void **state)
{
    (void)state;
    json_t *v = json_loads("{\"netUsageBaseline\":{\"short\":[{\"$date\":646200000.0},1],"
                           "\"nodate\":[\"x\",1,2,3,4],\"dict\":{\"a\":1},"
                           "\"ok\":[{\"$date\":646200000.0},1,2,3,4,\"extra\"]},"
                           "\"unknownKey\":[1,2]}",
                           0, NULL);
    assert_non_null(v);
    char *root;
    mh_result r;
    run_json(v, NULL, &root, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 1);
    mt_json(mt_rec(&r, 0), "{\"package\":\"ok\",\"ts\":\"2021-06-24 04:00:00.000000\","
                           "\"wifi_in\":1,\"wifi_out\":2,\"wwan_in\":3,\"wwan_out\":4}");
    json_decref(v);
    done(root, &r);
}

/* netUsageBaseline of the wrong type, or a top level that is an array. */
static void test_wrong_types(void **state)
{
    (void)state;
    json_t *v = json_loads("{\"netUsageBaseline\":[1,2,3]}", 0, NULL);
    char *root;
    mh_result r;
    run_json(v, NULL, &root, &r);
    assert_int_equal(r.exit_code, 0);
    assert_true(r.records == NULL || json_array_size(r.records) == 0);
    json_decref(v);
    done(root, &r);
    v = json_loads("[{\"netUsageBaseline\":{}}]", 0, NULL);
    run_json(v, NULL, &root, &r);
    assert_int_equal(r.exit_code, 4);
    json_decref(v);
    done(root, &r);
}

static void test_truncated(void **state)
{
    (void)state;
    json_t *v = fixture();
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bytes, &len), 0);
    char *root = tu_mkdtemp();
    char *dir = plist_backup(root, bytes, len - 10);
    mh_result r;
    mh_run_backup(&spy_mod_os_analytics_ad_daily, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    free(dir);
    free(bytes);
    json_decref(v);
    done(root, &r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records), cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_entries), cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_truncated)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
