/* DumpsysGetProp (spec/android.md §4.7): the SYSTEM PROPERTIES block of a
 * bug report's dumpstate file, in a Pixel layout and a CRLF, indented
 * layout; the block ends at the next "------" line; indicators from
 * amnesty-investigations/2023-03-29_android_campaign; no dumpstate file. */
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
    /* 8 lines in the block, the empty value skipped; the property-shaped
     * line in the package section after the block is not read */
    assert_int_equal(json_array_size(r.records), 7);
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
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_no_block_no_dumpstate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
