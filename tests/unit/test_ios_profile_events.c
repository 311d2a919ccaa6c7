/* ProfileEvents module (spec/ios.md §4.4): MCProfileEvents.plist records
 * (inner keys lower-cased, plist dates as ISO), the LOW alert for every
 * profile operation, process and profile-id indicators (CRITICAL) with
 * decoys, the timeline, hostile plists, and check-iocs on saved results. */
#include "bplist_writer.h"
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_profile_events;

#define CP_DOMAIN "SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles"
#define PE_PATH   "Library/ConfigurationProfiles/MCProfileEvents.plist"
#define PREDATOR  "76DAB334-7E17-475D-A5D6-0794EB5818A5"

static const char *const PATTERNS[] = {"[configuration-profile:id='" PREDATOR "']",
                                       "[process:name='roleaccountd']", NULL};

/* A backup holding MCProfileEvents.plist with these bytes. */
static char *backup_with(const char *root, const void *data, size_t len)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_file(b, CP_DOMAIN, PE_PATH, data, len);
    mt_info(b);
    bf_finish(b);
    return dir;
}

static char *make_backup(const char *root, size_t keep_permille)
{
    char *text = mt_fixture("profile_events", "default.json");
    json_t *pl = json_loads(text, JSON_PRESERVE_ORDER, NULL);
    assert_non_null(pl);
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(pl, NULL, &buf, &len), 0);
    char *dir = backup_with(root, buf, len * keep_permille / 1000);
    free(buf);
    json_decref(pl);
    free(text);
    return dir;
}

static void assert_alert(const mh_result *r, size_t i, const char *level, const char *ts,
                         const char *msg, const char *value, const char *type)
{
    assert_string_equal(mh_alert_str(r, i, "level"), level);
    assert_string_equal(mh_alert_str(r, i, "event_time"), ts);
    assert_string_equal(mh_alert_str(r, i, "message"), msg);
    if (value) {
        assert_string_equal(mt_match(r, i, "value"), value);
        assert_string_equal(mt_match(r, i, "type"), type);
    } else {
        assert_null(mt_match(r, i, "value"));
    }
}

#define T1 "2021-07-15 00:00:00.500000"
#define T2 "2021-08-07 03:33:20.000000"
#define T3 "2021-04-13 09:46:40.123456"
#define T4 "2021-08-30 07:06:40.250000"

static void assert_first_low(const mh_result *r)
{
    assert_alert(r, 0, "LOW", T1,
                 "On " T1
                 " process \"profiled\" started operation \"install\" of profile \"" PREDATOR "\"",
                 NULL, NULL);
}

static void assert_all_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 6);
    assert_first_low(r);
    /* indicator matches carry no event time (as in MVT) */
    assert_alert(r, 1, "CRITICAL", "",
                 "Found a known suspicious profile ID \"" PREDATOR
                 "\" matching indicators from \"TestMalware\"",
                 PREDATOR, "ios_profile_ids");
    assert_alert(r, 2, "LOW", T2,
                 "On " T2 " process \"/usr/libexec/roleaccountd\" started operation \"install\" "
                 "of profile \"com.example.mdm.enroll\"",
                 NULL, NULL);
    assert_alert(r, 3, "CRITICAL", "",
                 "Found a known suspicious process name \"/usr/libexec/roleaccountd\" matching "
                 "indicators from \"TestMalware\"",
                 "roleaccountd", "processes");
    /* decoys: myroleaccountd, a profile id that is not inside the indicator */
    assert_alert(r, 4, "LOW", T3,
                 "On " T3 " process \"myroleaccountd\" started operation \"remove\" of profile "
                 "\"" PREDATOR "-copy\"",
                 NULL, NULL);
    assert_alert(r, 5, "LOW", T4,
                 "On " T4 " process \"\" started operation \"\" of profile "
                 "\"com.example.bare\"",
                 NULL, NULL);
}

static void test_records_alerts_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, 1000);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_profile_events, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 4); /* the two non-dict events skipped */
    mt_json(mt_rec(&r, 0), "{\"profile_id\":\"" PREDATOR "\",\"timestamp\":\"" T1 "\","
                           "\"operation\":\"install\",\"process\":\"profiled\"}");
    mt_json(mt_rec(&r, 1), "{\"profile_id\":\"com.example.mdm.enroll\",\"timestamp\":\"" T2 "\","
                           "\"operation\":\"install\",\"process\":\"/usr/libexec/roleaccountd\","
                           "\"reason\":\"UserInstall\"}");
    /* inner key order does not move the four record keys */
    mt_json(mt_rec(&r, 2), "{\"profile_id\":\"" PREDATOR "-copy\",\"timestamp\":\"" T3 "\","
                           "\"operation\":\"remove\",\"process\":\"myroleaccountd\"}");
    /* an event's second key (roleaccountd, would match) is not read */
    mt_json(mt_rec(&r, 3), "{\"profile_id\":\"com.example.bare\",\"timestamp\":\"" T4 "\","
                           "\"operation\":\"\",\"process\":\"\"}");
    assert_all_alerts(&r);
    assert_int_equal(json_array_size(r.timeline), 4);
    assert_true(mt_timeline_has(&r, T1, "ProfileEvents", "profile_operation",
                                "Process profiled started operation install of profile " PREDATOR));
    assert_true(mt_timeline_has(&r, T2, "ProfileEvents", "profile_operation",
                                "Process /usr/libexec/roleaccountd started operation install of "
                                "profile com.example.mdm.enroll"));
    assert_true(mt_timeline_has(&r, T4, "ProfileEvents", "profile_operation",
                                "Process  started operation  of profile com.example.bare"));
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, 1000);
    mh_result clean;
    mh_run_backup(&spy_mod_profile_events, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0); /* LOW alerts only */
    assert_int_equal(json_array_size(clean.alerts), 4);
    /* one LOW per operation, indicators or not */
    assert_first_low(&clean);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(mh_alert_str(&clean, i, "level"), "LOW");
        assert_null(mt_match(&clean, i, "value"));
    }
    char *stix = mh_stix(PATTERNS);
    mh_result c, direct;
    mt_check_iocs(&spy_mod_profile_events, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    assert_all_alerts(&c);
    mh_run_backup(&spy_mod_profile_events, dir, stix, &direct);
    mt_same_alerts(&direct, &c);
    mh_result_free(&direct);
    mh_result_free(&c);
    mh_result_free(&clean);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* A truncated plist, an array instead of a dict, invalid UTF-8: reported,
 * graded (the only MCProfileEvents.plist unusable: the module failed, no
 * records), no crash, the run completes. */
static void test_hostile(void **state)
{
    (void)state;
    static const char bad_utf8[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
        "<key>ProfileEvents</key><array><dict><key>com.bad\xff</key><dict>"
        "<key>process</key><string>p\xfe\xff</string></dict></dict></array></dict></plist>\n";
    json_t *arr = json_pack("[{s:s}]", "ProfileEvents", "x");
    uint8_t *abuf = NULL;
    size_t alen = 0;
    assert_int_equal(bpw_write(arr, NULL, &abuf, &alen), 0);
    for (int variant = 0; variant < 3; variant++) {
        char *root = tu_mkdtemp();
        char *dir = variant == 0   ? make_backup(root, 600)
                    : variant == 1 ? backup_with(root, abuf, alen)
                                   : backup_with(root, bad_utf8, sizeof bad_utf8 - 1);
        mh_result r;
        mh_run_backup(&spy_mod_profile_events, dir, NULL, &r);
        /* variant 2's LOW alert is no finding */
        assert_int_equal(r.exit_code, variant < 2 ? 4 : 0);
        if (variant < 2)
            assert_int_equal(json_array_size(r.records), 0);
        assert_int_equal(json_array_size(r.alerts), json_array_size(r.records));
        mh_result_free(&r);
        tu_rmtree(root);
        free(root);
        free(dir);
    }
    free(abuf);
    json_decref(arr);
}

static void test_absent(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    mt_info(b);
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_profile_events, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.alerts), 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_alerts_timeline), cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_hostile), cmocka_unit_test(test_absent)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
