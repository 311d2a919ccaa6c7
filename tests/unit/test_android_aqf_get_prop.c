/* AQFGetProp (spec/android.md §4.16, §4.7): getprop.txt records, the
 * six-month security patch alert against an injected clock, android-property
 * indicators (amnesty-investigations/2023-03-29_android_campaign), layouts
 * with CRLF and indentation, bad input. */
#include "aqf_test.h"

#include "core/timeconv.h"
#include "modules/android/getprop.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const spy_module spy_mod_aqf_get_prop;

static const char *const PATTERNS[] = {"[android-property:name='sys.brand.note']",
                                       "[android-property:name='sys.brand.doc']", NULL};

/* Unix time of a local wall-clock date (MVT compares naive local times). */
static int64_t local_time(int y, int m, int d, int hh, int mm, int ss)
{
    int64_t guess = spy_unix_from_utc(y, m, d, hh, mm, ss);
    time_t t = (time_t)guess;
    struct tm tm;
    localtime_r(&t, &tm);
    return guess - tm.tm_gmtoff;
}

static int64_t now_value;
static int64_t fake_now(void)
{
    return now_value;
}

static char *qf_with(const char *root, const char *fixture)
{
    char *text = af_fixture("aqf_get_prop", fixture, NULL);
    const char *files[] = {"getprop.txt", text, NULL};
    char *dir = at_qf(root, files);
    free(text);
    return dir;
}

static void test_records_alerts(void **state)
{
    (void)state;
    now_value = local_time(2024, 9, 1, 12, 0, 0);
    spy_getprop_set_clock(fake_now);
    char *root = tu_mkdtemp();
    char *dir = qf_with(root, "getprop.txt");
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    at_run(&spy_mod_aqf_get_prop, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* 21 lines: the empty value and the garbage line are not properties */
    assert_int_equal(json_array_size(r.records), 19);
    mt_json(mt_rec(&r, 0), "{\"name\":\"aaudio.hw_burst_min_usec\",\"value\":\"2000\"}");
    /* \[(.+?)\] stops the value at the first ']' */
    mt_json(mt_rec(&r, 18),
            "{\"name\":\"ro.config.ringtone\",\"value\":\"Over the Horizon [2019\"}");
    /* MVT keeps the indicator in the record; the decoy sys.brand.noter has none */
    const json_t *note = mt_find_str(r.records, "name", "sys.brand.note");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(note, "matched_indicator"), "value")),
        "sys.brand.note");
    assert_null(
        json_object_get(mt_find_str(r.records, "name", "sys.brand.noter"), "matched_indicator"));
    assert_int_equal(json_array_size(r.alerts), 2);
    at_alert(&r, 0, "MEDIUM",
             "This phone has not received security updates for more than six months (last "
             "update: 2024-01-05).");
    assert_null(mt_match(&r, 0, "value"));
    at_alert(&r, 1, "CRITICAL",
             "Found a known suspicious Android property \"sys.brand.note\" matching indicators "
             "from \"TestMalware\"");
    assert_string_equal(mt_match(&r, 1, "type"), "android_property_names");
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
    spy_getprop_set_clock(NULL);
}

/* 186 days (6 x 31) after the patch date, to the second. */
static size_t alerts_at(const char *dir, int64_t now)
{
    now_value = now;
    spy_getprop_set_clock(fake_now);
    mh_result r;
    at_run(&spy_mod_aqf_get_prop, dir, NULL, &r);
    size_t n = json_array_size(r.alerts);
    assert_int_equal(r.exit_code, 0);
    mh_result_free(&r);
    spy_getprop_set_clock(NULL);
    return n;
}

static void test_patch_boundary(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = qf_with(root, "getprop.txt"); /* patch 2024-01-05 */
    int64_t limit = local_time(2024, 1, 5, 0, 0, 0) + 186 * 86400LL;
    assert_int_equal(alerts_at(dir, local_time(2024, 3, 1, 9, 0, 0)), 0);
    assert_int_equal(alerts_at(dir, limit), 0);
    assert_int_equal(alerts_at(dir, limit + 1), 1);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_crlf_layout(void **state)
{
    (void)state;
    now_value = local_time(2023, 6, 1, 0, 0, 0);
    spy_getprop_set_clock(fake_now);
    char *root = tu_mkdtemp();
    char *dir = qf_with(root, "getprop_crlf.txt");
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    at_run(&spy_mod_aqf_get_prop, dir, stix, &r);
    assert_int_equal(json_array_size(r.records), 4);
    mt_json(mt_rec(&r, 1),
            "{\"name\":\"ro.build.version.security_patch\",\"value\":\"2023-05-01\"}");
    mt_json(mt_rec(&r, 3), "{\"name\":\"ro.product.vendor.model\",\"value\":\"Pixel 7\"}");
    mt_one_alert(&r, "CRITICAL", "", "sys.brand.doc", "sys.brand.doc", "android_property_names");
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
    spy_getprop_set_clock(NULL);
}

static void test_check_iocs(void **state)
{
    (void)state;
    now_value = local_time(2024, 9, 1, 12, 0, 0);
    spy_getprop_set_clock(fake_now);
    char *root = tu_mkdtemp();
    char *dir = qf_with(root, "getprop.txt");
    char *stix = mh_stix(PATTERNS);
    mh_result with, clean, again;
    at_run(&spy_mod_aqf_get_prop, dir, stix, &with);
    at_run(&spy_mod_aqf_get_prop, dir, NULL, &clean);
    assert_int_equal(json_array_size(clean.alerts), 1); /* the patch heuristic only */
    at_recheck(&spy_mod_aqf_get_prop, clean.out_dir, stix, &again);
    assert_int_equal(again.exit_code, 1);
    mt_same_alerts(&with, &again);
    mh_result_free(&with);
    mh_result_free(&clean);
    mh_result_free(&again);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
    spy_getprop_set_clock(NULL);
}

static void test_bad_input(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    /* invalid UTF-8 inside a value is dropped, the rest kept; binary junk,
     * a truncated line and a bad patch date give no record and no crash */
    const char *files[] = {"getprop.txt",
                           "\x01\x02\xff\xfe[\n[ro.product.vendor.model]: [SM\xff-A525F]\n"
                           "[ro.build.version.security_patch]: [2024-13-45]\n[ro.trunc",
                           NULL};
    char *dir = at_qf(root, files);
    mh_result r;
    at_run(&spy_mod_aqf_get_prop, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 2);
    mt_json(mt_rec(&r, 0), "{\"name\":\"ro.product.vendor.model\",\"value\":\"SM-A525F\"}");
    assert_int_equal(json_array_size(r.alerts), 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);

    root = tu_mkdtemp();
    const char *empty[] = {"getprop.txt", "", NULL};
    dir = at_qf(root, empty);
    at_run(&spy_mod_aqf_get_prop, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* A NUL byte in getprop.txt (binary junk, a cut write): the properties
 * after it are still read. The copy made for the UTF-8 clean-up used to
 * stop at the NUL and the clean-up then read past its end (ASan). */
static void test_nul_byte(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    const char *files[] = {"getprop.txt", "", NULL};
    char *dir = at_qf(root, files);
    static const char text[] = "[a]: [b]\n\0\x01junk\n[ro.product.model]: [Pixel\xff 8]\n";
    af_write(dir, "getprop.txt", text, sizeof text - 1);
    mh_result r;
    at_run(&spy_mod_aqf_get_prop, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 2);
    mt_json(mt_rec(&r, 0), "{\"name\":\"a\",\"value\":\"b\"}");
    mt_json(mt_rec(&r, 1), "{\"name\":\"ro.product.model\",\"value\":\"Pixel 8\"}");
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_absent_and_root_level(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    const char *other[] = {"ps.txt", "USER PID\n", NULL};
    char *dir = at_qf(root, other);
    mh_result r;
    at_run(&spy_mod_aqf_get_prop, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    /* deeper folders match "*\/getprop.txt" too (fnmatch '*' crosses '/') */
    af_write_str(dir, "nested/getprop.txt", "[ro.build.version.sdk]: [33]\n");
    at_run(&spy_mod_aqf_get_prop, dir, NULL, &r);
    assert_int_equal(json_array_size(r.records), 1);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_parser_direct(void **state)
{
    (void)state;
    const char text[] = "[a]: []]\n[persist.sys.timezone]: [Asia/Tokyo]\n"
                        "[persist.sys.timezone]: [Europe/Rome]\n[]: [x]\nx [b]: [c] [d]: [e]\n";
    char *tz = spy_getprop_timezone(text, sizeof text - 1);
    assert_string_equal(tz, "Asia/Tokyo");
    free(tz);
    assert_null(spy_getprop_timezone("[persist.sys.timezone]: []\n", 27));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_alerts), cmocka_unit_test(test_patch_boundary),
        cmocka_unit_test(test_crlf_layout),    cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_input),      cmocka_unit_test(test_absent_and_root_level),
        cmocka_unit_test(test_parser_direct),  cmocka_unit_test(test_nul_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
