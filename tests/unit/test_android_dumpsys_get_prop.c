/* DumpsysGetProp (spec/android.md §4.7): the SYSTEM PROPERTIES block of a
 * bug report's dumpstate file, in a Pixel layout, a CRLF, indented layout
 * and a Samsung Android 7 layout (no "(getprop)" in the header, no
 * duration line); the block ends at the next "------" line; indicators
 * from amnesty-investigations/2023-03-29_android_campaign with near-miss
 * decoys; no dumpstate file. */
#include "module_test.h"

#include "acquire/commands.h"
#include "android_fixture.h"
#include "core/timeconv.h"
#include "modules/android/getprop.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const spy_module spy_mod_dumpsys_get_prop;

static const char *const PATTERNS[] = {"[android-property:name='sys.brand.notes']",
                                       "[android-property:name='sys.brand.doc']", NULL};

static int64_t fake_now(void)
{
    return spy_unix_from_utc(2024, 8, 1, 12, 0, 0); /* 10 months after the patch */
}

static void run(const char *dumpstate, const char *stix, mh_result *r)
{
    char *root = tu_mkdtemp();
    char *dir = af_bugreport_dir(root, dumpstate);
    const spy_module *mods[] = {&spy_mod_dumpsys_get_prop, NULL};
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, stix, "dumpsys_get_prop", r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void check_layout(const char *fixture, const char *model)
{
    spy_getprop_set_clock(fake_now);
    char *text = af_fixture("dumpsys_get_prop", fixture, NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run(text, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* 9 lines in the block, the empty value skipped; the property-shaped
     * line in the package section after the block is not read */
    assert_int_equal(json_array_size(r.records), 8);
    mt_json(mt_rec(&r, 0), "{\"name\":\"dalvik.vm.heapsize\",\"value\":\"576m\"}");
    assert_string_equal(json_string_value(json_object_get(
                            mt_find_str(r.records, "name", "ro.product.vendor.model"), "value")),
                        model);
    assert_int_equal(json_array_size(r.alerts), 2);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "MEDIUM");
    assert_string_equal(mh_alert_str(&r, 0, "message"),
                        "This phone has not received security updates for more than six months "
                        "(last update: 2023-10-05).");
    assert_string_equal(mh_alert_str(&r, 1, "level"), "CRITICAL");
    assert_string_equal(mt_match(&r, 1, "value"), "sys.brand.notes");
    assert_string_equal(mh_alert_str(&r, 1, "module"), "dumpsys_get_prop");
    /* the decoy vendor.sys.brand.notes is read but raises nothing */
    mt_str(mt_find_str(r.records, "name", "vendor.sys.brand.notes"), "value", "enabled");
    mh_result_free(&r);
    free(stix);
    free(text);
    spy_getprop_set_clock(NULL);
}

static void test_pixel(void **state)
{
    (void)state;
    check_layout("dumpstate.txt", "Pixel 7");
}

static void test_crlf_indented(void **state)
{
    (void)state;
    check_layout("dumpstate_crlf.txt", "M2101K6G");
}

/* Android 7 printed "------ SYSTEM PROPERTIES ------", the sorted lines and
 * a blank line, then the next command's header with no duration line. */
static void test_samsung_android7(void **state)
{
    (void)state;
    spy_getprop_set_clock(fake_now);
    char *text = af_fixture("dumpsys_get_prop", "dumpstate_samsung_android7.txt", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run(text, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* 27 lines: a value spanning three lines (one blank) matches none of
     * them, the blank line before VOLD DUMP is skipped */
    assert_int_equal(json_array_size(r.records), 23);
    mt_json(mt_rec(&r, 0), "{\"name\":\"dalvik.vm.heapsize\",\"value\":\"512m\"}");
    mt_json(mt_rec(&r, 22), "{\"name\":\"wlan.driver.status\",\"value\":\"ok\"}");
    mt_str(mt_find_str(r.records, "name", "gsm.sim.operator.alpha"), "value", "Vodafone.de,");
    mt_str(mt_find_str(r.records, "name", "ril.last_reject_cause"), "value", "CS: 0, PS: 0");
    /* MVT's lazy \[(.+?)\] ends the value at its first ']' */
    mt_str(mt_find_str(r.records, "name", "ril.sim_state.names"), "value", "SIM1[READY");
    mt_str(mt_find_str(r.records, "name", "ro.product.model"), "value", "SM-G930F");
    mt_str(mt_rec(&r, 19), "name", "sys.brand.doc"); /* right after the 3-line value */
    /* decoys: near-miss names, and an indicator as a value, raise nothing */
    assert_int_equal(json_array_size(r.alerts), 2);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "MEDIUM");
    assert_string_equal(mh_alert_str(&r, 0, "message"),
                        "This phone has not received security updates for more than six months "
                        "(last update: 2018-01-01).");
    assert_string_equal(mh_alert_str(&r, 1, "level"), "CRITICAL");
    assert_string_equal(mt_match(&r, 1, "value"), "sys.brand.doc");
    mh_result_free(&r);
    free(stix);
    free(text);
    spy_getprop_set_clock(NULL);
}

/* Names compare case-insensitively (MVT lowercases both) but otherwise
 * exactly: the spaces inside the brackets belong to the name. */
static void test_name_matching(void **state)
{
    (void)state;
    static const char text[] = "------ SYSTEM PROPERTIES (getprop) ------\n"
                               "[Sys.Brand.Notes]: [1]\n"
                               "[sys.brand.notes ]: [1]\n"
                               "[ sys.brand.doc]: [1]\n"
                               "[sys.brand]: [notes]\n"
                               "------ 0.041s was the duration of 'SYSTEM PROPERTIES' ------\n";
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run(text, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 4);
    mt_json(mt_rec(&r, 1), "{\"name\":\"sys.brand.notes \",\"value\":\"1\"}");
    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "CRITICAL");
    assert_string_equal(mt_match(&r, 0, "value"), "sys.brand.notes");
    assert_string_equal(mt_match(&r, 0, "type"), "android_property_names");
    assert_string_equal(mh_alert_str(&r, 0, "message"),
                        "Found a known suspicious Android property \"Sys.Brand.Notes\" matching "
                        "indicators from \"TestMalware\"");
    mh_result_free(&r);
    free(stix);
}

static void test_check_iocs(void **state)
{
    (void)state;
    spy_getprop_set_clock(fake_now);
    char *text = af_fixture("dumpsys_get_prop", "dumpstate.txt", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result with, clean, again;
    run(text, stix, &with);
    run(text, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    const spy_module *mods[] = {&spy_mod_dumpsys_get_prop, NULL};
    mh_check_iocs(&spy_cmd_android_check_iocs, mods, clean.out_dir, stix, "dumpsys_get_prop",
                  &again);
    mt_same_alerts(&with, &again);
    mh_result_free(&with);
    mh_result_free(&clean);
    mh_result_free(&again);
    free(stix);
    free(text);
    spy_getprop_set_clock(NULL);
}

static void test_no_block_no_dumpstate(void **state)
{
    (void)state;
    mh_result r;
    /* a dumpstate without the properties block */
    const char *pairs[] = {"package", "Packages:\n", NULL};
    char *ds = af_dumpstate(pairs);
    run(ds, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    free(ds);
    /* no dumpstate file at all: nothing, and not a failure of the module */
    run(NULL, NULL, &r);
    assert_null(r.records);
    assert_int_equal(r.exit_code & 4, 0);
    mh_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel),
        cmocka_unit_test(test_crlf_indented),
        cmocka_unit_test(test_samsung_android7),
        cmocka_unit_test(test_name_matching),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_no_block_no_dumpstate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
