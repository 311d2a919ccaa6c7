/* DumpsysAccessibility (spec/android.md §4.1): a Samsung Android 12 report
 * ("installed services:" list) and a Pixel Android 14 one ("Enabled
 * services:{{...}}"), also with CRLF line ends; the NoviSpy accessibility
 * app id (amnesty-investigations/2024-12-16_serbia_novispy) with a
 * near-miss decoy; the MEDIUM alert for every other service; check-iocs on
 * saved results; bad input. */
#include "dumpsys_test.h"

#include "modules/android/dumpsys_parse.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_accessibility;

static const char *const PATTERNS[] = {"[app:id='com.accesibilityservice']", NULL};
#define SPY_SVC "com.accesibilityservice/com.accesibilityservice.ServiceAccessibility"

static void run(const char *fixture, bool with_crlf, const char *stix, mh_result *r)
{
    char *text = af_fixture("dumpsys_accessibility", fixture, NULL);
    if (with_crlf) {
        char *c = dt_crlf(text);
        free(text);
        text = c;
    }
    char *root = tu_mkdtemp();
    dt_run(&spy_mod_dumpsys_accessibility, root, "accessibility", text, stix, r);
    tu_rmtree(root);
    free(root);
    free(text);
}

static void test_samsung_installed(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("samsung_a12.txt", false, stix, &r);
    assert_int_equal(r.exit_code, 1);
    dt_expect(r.records, "dumpsys_accessibility", "samsung_a12.expected.json");
    /* the lower-case "enabled services: {" block of this layout is not read */
    assert_int_equal(json_array_size(r.alerts), 4);
    dt_alert(&r, 0, "MEDIUM", "",
             "Found accessibility service: \"com.android.settings/"
             "com.samsung.android.settings.development.gpuwatch.GPUWatchInterceptor\"");
    dt_alert(&r, 1, "MEDIUM", "",
             "Found accessibility service: "
             "\"com.samsung.accessibility/.universalswitch.UniversalSwitchService\"");
    dt_app_alert(&r, 2, "com.accesibilityservice");
    mt_str(json_object_get(json_array_get(r.alerts, 2), "event"), "service", SPY_SVC);
    /* the decoy is one letter away: only the heuristic */
    dt_alert(&r, 3, "MEDIUM", "",
             "Found accessibility service: \"com.accesibilityservices/.Helper\"");
    assert_null(mt_match(&r, 3, "value"));
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
}

static void check_pixel(bool with_crlf)
{
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("pixel_u14.txt", with_crlf, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* the Android 14 syntax keeps only the class part */
    dt_expect(r.records, "dumpsys_accessibility", "pixel_u14.expected.json");
    mt_str(mt_rec(&r, 1), "service", "com.accesibilityservice.ServiceAccessibility");
    assert_int_equal(json_array_size(r.alerts), 2);
    dt_alert(&r, 0, "MEDIUM", "",
             "Found accessibility service: \"com.google.android.marvin.talkback.TalkBackService\"");
    dt_app_alert(&r, 1, "com.accesibilityservice");
    mh_result_free(&r);
    free(stix);
}

static void test_pixel_enabled(void **state)
{
    (void)state;
    check_pixel(false);
}

static void test_pixel_enabled_crlf(void **state)
{
    (void)state;
    check_pixel(true);
}

/* Without indicators every service is a MEDIUM alert; check-iocs on the
 * saved records finds what the run with indicators found. */
static void test_check_iocs(void **state)
{
    (void)state;
    mh_result clean, with;
    run("samsung_a12.txt", false, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(mh_alert_str(&clean, i, "level"), "MEDIUM");
    char *stix = mh_stix(PATTERNS);
    run("samsung_a12.txt", false, stix, &with);
    dt_recheck_same(&spy_mod_dumpsys_accessibility, clean.out_dir, stix, &with);
    mh_result_free(&clean);
    mh_result_free(&with);
    free(stix);
}

static json_t *parse(const char *text, size_t len)
{
    json_t *a = json_array();
    assert_int_equal(spy_parse_accessibility(text, len, dt_collect, a), 0);
    return a;
}

static void test_bad_input(void **state)
{
    (void)state;
    /* garbage: nothing */
    static const char garbage[] = "\x00\xff\xfe{{{}}}\x01installed services\n\r\r}{";
    json_t *a = parse(garbage, sizeof garbage - 1);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    /* truncated list: what is there; a line without ':' is skipped (MVT
     * stops with an error); a lone '{' group is not a match */
    static const char cut[] = "  installed services: {\n    0 : com.a/.A\n    junk\n    1 : com.b/";
    a = parse(cut, strlen(cut));
    assert_int_equal(json_array_size(a), 2);
    mt_json(json_array_get(a, 1), "{\"package_name\":\"com.b\",\"service\":\"com.b/\"}");
    json_decref(a);
    static const char groups[] = "Enabled services:{{}, {x}, {a{b}, {c/d/e}";
    a = parse(groups, strlen(groups));
    assert_int_equal(json_array_size(a), 3);
    /* as Python's re.finditer(r"{([^{]+?)}"): "x", "b", "c/d/e" */
    mt_json(json_array_get(a, 0), "{\"package_name\":\"x\",\"service\":\"\"}");
    mt_json(json_array_get(a, 1), "{\"package_name\":\"b\",\"service\":\"\"}");
    mt_json(json_array_get(a, 2), "{\"package_name\":\"c\",\"service\":\"d/e\"}");
    json_decref(a);
    a = parse(NULL, 0);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
}

/* Invalid UTF-8 in a package name reaches the JSON as \xNN. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    mh_result r;
    dt_run(&spy_mod_dumpsys_accessibility, root, "accessibility",
           "User state[\n  installed services: {\n    0 : com.bad\xff\xfe/.Svc\n  }\n", NULL, &r);
    assert_int_equal(json_array_size(r.records), 1);
    mt_str(mt_rec(&r, 0), "package_name", "com.bad\\xff\\xfe");
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
}

/* An empty section writes no file; no dumpstate file: module absent. */
static void test_empty_and_absent(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    mh_result r;
    dt_run(&spy_mod_dumpsys_accessibility, root, "accessibility", "", NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    root = tu_mkdtemp();
    dt_run_no_dumpstate(&spy_mod_dumpsys_accessibility, root, &r);
    assert_null(r.records);
    assert_int_equal(json_array_size(r.alerts), 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samsung_installed),  cmocka_unit_test(test_pixel_enabled),
        cmocka_unit_test(test_pixel_enabled_crlf), cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_input),          cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty_and_absent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
