/* DumpsysPlatformCompat (spec/android.md §4.9): the DOWNSCALED raw
 * overrides of a Pixel Android 14 report (boolean values, other changes
 * with overrides of the same package) and a Samsung Android 13 one
 * (ranged values with commas, packageOverrides beside rawOverrides, an
 * indented line, a line without "};"), also with CRLF line ends; WyrmSpy's
 * com.android.system.configs.service (mvt-indicators/
 * 2023-07-25_wyrmspy_dragonegg) with a near-miss decoy; check-iocs on saved
 * results; bad input. */
#include "dumpsys_test.h"

#include "modules/android/dumpsys_parse.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_platform_compat;

static const char *const PATTERNS[] = {"[app:id='com.android.system.configs.service']", NULL};

static void run(const char *fixture, bool with_crlf, const char *stix, mh_result *r)
{
    char *text = af_fixture("dumpsys_platform_compat", fixture, NULL);
    if (with_crlf) {
        char *c = dt_crlf(text);
        free(text);
        text = c;
    }
    char *root = tu_mkdtemp();
    dt_run(&spy_mod_dumpsys_platform_compat, root, "platform_compat", text, stix, r);
    tu_rmtree(root);
    free(root);
    free(text);
}

#define PKG(p) "{\"package_name\":\"" p "\"}"

static void test_pixel(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("pixel_u14.txt", false, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* only change 168419799 counts, not DOWNSCALE_90 or pointer tagging */
    dt_expect(r.records, "dumpsys_platform_compat", "pixel_u14.expected.json");
    assert_int_equal(json_array_size(r.records), 3);
    assert_int_equal(json_array_size(r.alerts), 1);
    dt_app_alert(&r, 0, "com.android.system.configs.service");
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
}

static void check_samsung(bool with_crlf)
{
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("samsung_t13.txt", with_crlf, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* values "[min,max,enabled]" hold commas but no ", "; a line without
     * "};" is read to its end; packageOverrides are not raw overrides */
    dt_expect(r.records, "dumpsys_platform_compat", "samsung_t13.expected.json");
    mt_str(mt_rec(&r, 2), "package_name", "com.samsung.second.line");
    assert_int_equal(json_array_size(r.alerts), 1);
    dt_app_alert(&r, 0, "com.android.system.configs.service");
    mh_result_free(&r);
    free(stix);
}

static void test_samsung(void **state)
{
    (void)state;
    check_samsung(false);
}

static void test_samsung_crlf(void **state)
{
    (void)state;
    check_samsung(true);
}

static void test_check_iocs(void **state)
{
    (void)state;
    mh_result clean, with;
    run("pixel_u14.txt", false, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    run("pixel_u14.txt", false, stix, &with);
    dt_recheck_same(&spy_mod_dumpsys_platform_compat, clean.out_dir, stix, &with);
    mh_result_free(&clean);
    mh_result_free(&with);
    free(stix);
}

static void test_bad_input(void **state)
{
    (void)state;
    static const char garbage[] =
        "\xff\xfe\x00ChangeId(168419799; name=DOWNSCALED; rawOverrides={a=1}";
    static const char *const texts[] = {
        garbage,
        "ChangeId(168419799; name=DOWNSCALED; disabled)\n",
        /* as MVT, an empty override list gives one empty name */
        "ChangeId(168419799; name=DOWNSCALED; rawOverrides={}; )\n",
        "ChangeId(168419799; name=DOWNSCALED; rawOverrides={ a , b=2, =3",
    };
    static const char *const want[] = {"[]", "[]", "[" PKG("") "]",
                                       "[" PKG("a") "," PKG("b") "," PKG("") "]"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        json_t *a = json_array();
        size_t n = i == 0 ? sizeof garbage - 1 : strlen(texts[i]);
        assert_int_equal(spy_parse_platform_compat(texts[i], n, dt_collect, a), 0);
        mt_json(a, want[i]);
        json_decref(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel),        cmocka_unit_test(test_samsung),
        cmocka_unit_test(test_samsung_crlf), cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
