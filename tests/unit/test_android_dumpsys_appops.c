/* DumpsysAppops (spec/android.md §4.3): a Samsung Android 10 report
 * (entries right under each op, "[fg-s]2021-..." without a space) and a
 * Pixel Android 14 one ("null=[" attribution blocks, "(allow / switch
 * ...)" modes, an impossible date), also with CRLF line ends; ResidentBat's
 * com.google.bat (mvt-indicators/ResidentBat) with the near-miss
 * com.google.battery; the REQUEST_INSTALL_PACKAGES and com.android.shell
 * heuristics; timeline rows; check-iocs on saved results; bad input. */
#include "dumpsys_test.h"

#include "core/limits.h"
#include "modules/android/dumpsys_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_appops;

static const char *const PATTERNS[] = {"[app:id='com.google.bat']", NULL};

static void run(const char *fixture, bool with_crlf, const char *stix, mh_result *r)
{
    char *text = af_fixture("dumpsys_appops", fixture, NULL);
    if (with_crlf) {
        char *c = dt_crlf(text);
        free(text);
        text = c;
    }
    char *root = tu_mkdtemp();
    dt_run(&spy_mod_dumpsys_appops, root, "appops", text, stix, r);
    tu_rmtree(root);
    free(root);
    free(text);
}

static void check_samsung(const mh_result *r)
{
    /* from "  Uid 0:" to the first blank line */
    dt_expect(r->records, "dumpsys_appops", "samsung_q10.expected.json");
    /* entries keep their order (oldest is not first); "Running start at"
     * is not an entry; "[bg-s]2021-05-10 08:00:00.9" reads as .900000 */
    const json_t *rip = json_array_get(json_object_get(mt_rec(r, 3), "permissions"), 0);
    mt_keys(rip, "name,entries,access");
    mt_str(json_array_get(json_object_get(rip, "entries"), 1), "timestamp",
           "2021-05-10 08:00:00.900000");
    assert_int_equal(json_array_size(json_object_get(rip, "entries")), 2);
    mt_str(mt_rec(r, 4), "package_name", "com.google.battery");
    /* one row per timed entry */
    assert_int_equal(json_array_size(r->timeline), 8);
    assert_true(mt_timeline_has(r, "2021-05-19 22:02:52.054000", "DumpsysAppops", "Reject",
                                "com.facebook.katana access to WRITE_SMS: Reject"));
    assert_true(mt_timeline_has(r, "2021-05-10 08:00:00.900000", "DumpsysAppops", "Access",
                                "com.google.bat access to REQUEST_INSTALL_PACKAGES: Access"));
}

static void shell_alerts(const mh_result *r)
{
    /* oldest entry first; an op without entries gets one "Unknown" */
    dt_alert(r, 0, "MEDIUM", "2021-05-19 20:00:02.500000",
             "Risky package 'com.android.shell' had 'READ_CLIPBOARD' permission set to 'Reject' "
             "at 2021-05-19 20:00:02.500000");
    dt_alert(r, 1, "MEDIUM", "2021-05-19 21:00:01.000000",
             "Risky package 'com.android.shell' had 'READ_CLIPBOARD' permission set to 'Access' "
             "at 2021-05-19 21:00:01.000000");
    dt_alert(r, 2, "MEDIUM", "",
             "Risky package 'com.android.shell' had 'SYSTEM_ALERT_WINDOW' permission set to "
             "'Unknown' at ");
    /* the event holds the package with only that permission */
    const json_t *ev = json_object_get(json_array_get(r->alerts, 2), "event");
    mt_keys(ev, "package_name,permissions,uid");
    mt_json(json_object_get(ev, "permissions"),
            "[{\"name\":\"SYSTEM_ALERT_WINDOW\",\"entries\":[],\"access\":\"allow\"}]");
}

static void test_samsung(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("samsung_q10.txt", false, stix, &r);
    assert_int_equal(r.exit_code, 1);
    check_samsung(&r);
    assert_int_equal(json_array_size(r.alerts), 5);
    shell_alerts(&r);
    /* the indicator replaces com.google.bat's heuristic alerts */
    dt_app_alert(&r, 3, "com.google.bat");
    dt_alert(&r, 4, "MEDIUM", "2021-05-19 22:15:00.000000",
             "Package 'com.google.battery' had risky permission 'REQUEST_INSTALL_PACKAGES' set "
             "to 'Access' at 2021-05-19 22:15:00.000000");
    mh_result_free(&r);
    free(stix);
}

static void test_samsung_no_iocs(void **state)
{
    (void)state;
    mh_result r;
    run("samsung_q10.txt", true, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    check_samsung(&r);
    assert_int_equal(json_array_size(r.alerts), 6);
    shell_alerts(&r);
    dt_alert(&r, 3, "MEDIUM", "2021-05-10 08:00:00.900000",
             "Package 'com.google.bat' had risky permission 'REQUEST_INSTALL_PACKAGES' set to "
             "'Access' at 2021-05-10 08:00:00.900000");
    dt_alert(&r, 4, "MEDIUM", "2021-05-19 22:10:00.123000",
             "Package 'com.google.bat' had risky permission 'REQUEST_INSTALL_PACKAGES' set to "
             "'Access' at 2021-05-19 22:10:00.123000");
    mh_result_free(&r);
}

static void check_pixel(bool with_crlf)
{
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("pixel_u14.txt", with_crlf, stix, &r);
    assert_int_equal(r.exit_code, 1);
    dt_expect(r.records, "dumpsys_appops", "pixel_u14.expected.json");
    /* "(allow / switch ...)": MVT cuts the token "(allow" to "all"; an
     * impossible date (February 30) leaves the entry without timestamp */
    const json_t *perms = json_object_get(mt_rec(&r, 1), "permissions");
    mt_str(json_array_get(perms, 0), "access", "all");
    mt_json(json_array_get(json_object_get(json_array_get(perms, 1), "entries"), 1),
            "{\"access\":\"Reject\",\"type\":\"bg-s\"}");
    assert_int_equal(json_array_size(r.alerts), 1);
    dt_app_alert(&r, 0, "com.google.bat");
    assert_int_equal(json_array_size(r.timeline), 4);
    mh_result_free(&r);
    free(stix);
}

static void test_pixel(void **state)
{
    (void)state;
    check_pixel(false);
}

static void test_pixel_crlf(void **state)
{
    (void)state;
    check_pixel(true);
}

static void test_check_iocs(void **state)
{
    (void)state;
    mh_result clean, with;
    run("samsung_q10.txt", false, NULL, &clean);
    char *stix = mh_stix(PATTERNS);
    run("samsung_q10.txt", false, stix, &with);
    dt_recheck_same(&spy_mod_dumpsys_appops, clean.out_dir, stix, &with);
    mh_result_free(&clean);
    mh_result_free(&with);
    free(stix);
}

static json_t *parse(const char *text)
{
    json_t *a = json_array();
    size_t dropped;
    assert_int_equal(spy_parse_appops(text, strlen(text), dt_collect, a, &dropped), 0);
    assert_int_equal(dropped, 0);
    return a;
}

static void test_bad_input(void **state)
{
    (void)state;
    json_t *a = parse("\xff\xfe garbage\n  Uid\n    Package \n");
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    /* entries outside any op (MVT stops with an error) are dropped; a
     * package cut short is kept; odd times have no timestamp; without
     * brackets the type is Python's line[0:-1] */
    a = parse("  Uid 0:\n          Access: [x]2021-01-01 00:00:00.000 (-1s)\n"
              "    Package p:\n      OP (allow):\n"
              "          Access: [a]2021-02-29 00:00:00.000 (-1s)\n"
              "          Access: [b]2021-01-01 24:00:00.000 (-1s)\n"
              "          Access: [c]2021-1-2  3:04:05.6 (-1s)\n"
              "          Reject: no brackets\n"
              "    Package q:\n      OP2");
    assert_int_equal(json_array_size(a), 2);
    static const char want_p[] =
        "{\"package_name\":\"p\",\"permissions\":[{\"name\":\"OP\",\"entries\":["
        "{\"access\":\"Access\",\"type\":\"a\"},{\"access\":\"Access\",\"type\":\"b\"},"
        "{\"access\":\"Access\",\"type\":\"c\",\"timestamp\":\"2021-01-02 03:04:05.600000\"},"
        "{\"access\":\"Reject\",\"type\":\"          Reject: no bracket\"}],"
        "\"access\":\"allow\"}],\"uid\":\"0\"}";
    mt_json(json_array_get(a, 0), want_p);
    mt_json(json_array_get(a, 1), "{\"package_name\":\"q\",\"permissions\":[{\"name\":\"OP2\","
                                  "\"entries\":[]}],\"uid\":\"0\"}");
    json_decref(a);
}

/* Past SPY_DUMPSYS_MAX_HELD_ITEMS permissions and entries in one package
 * the rest are counted, not held; the next package starts afresh. */
static void test_ceiling(void **state)
{
    (void)state;
    static const char head[] = "  Uid 0:\n    Package big:\n      OP (allow):\n";
    static const char entry[] = "          Access: [a]2021-01-01 00:00:00.000 (-1s)\n";
    static const char tail[] = "    Package small:\n      OP (allow):\n";
    size_t n = SPY_DUMPSYS_MAX_HELD_ITEMS + 1; /* with OP: two past the ceiling */
    size_t len = strlen(head) + n * strlen(entry) + strlen(tail);
    char *text = malloc(len + 1), *p = text;
    assert_non_null(text);
    p += snprintf(p, len + 1, "%s", head);
    for (size_t i = 0; i < n; i++)
        p += snprintf(p, len + 1 - (size_t)(p - text), "%s", entry);
    snprintf(p, len + 1 - (size_t)(p - text), "%s", tail);
    json_t *a = json_array();
    size_t dropped;
    assert_int_equal(spy_parse_appops(text, len, dt_collect, a, &dropped), 0);
    assert_int_equal(dropped, 2);
    assert_int_equal(json_array_size(a), 2);
    const json_t *op = json_array_get(json_object_get(json_array_get(a, 0), "permissions"), 0);
    assert_int_equal(json_array_size(json_object_get(op, "entries")),
                     SPY_DUMPSYS_MAX_HELD_ITEMS - 1);
    mt_str(json_array_get(a, 1), "package_name", "small");
    json_decref(a);
    free(text);
}

/* Times at the ends of their ranges keep every padded digit, and a timeline
 * description longer than the module's stack buffer (a 600-byte package
 * name) is built whole. */
static void test_time_digits_and_long_rows(void **state)
{
    (void)state;
    json_t *a = parse("  Uid 0:\n    Package p:\n      OP (allow):\n"
                      "          Access: [a]9999-12-31 23:59:59.999999 (-1s)\n"
                      "          Reject: [b]0001-01-01 00:00:00.0 (-1s)\n");
    assert_int_equal(json_array_size(a), 1);
    const json_t *e = json_object_get(
        json_array_get(json_object_get(json_array_get(a, 0), "permissions"), 0), "entries");
    mt_str(json_array_get(e, 0), "timestamp", "9999-12-31 23:59:59.999999");
    mt_str(json_array_get(e, 1), "timestamp", "0001-01-01 00:00:00.000000");
    json_decref(a);

    char pkg[601];
    memset(pkg, 'x', 600);
    memcpy(pkg, "com.", 4);
    pkg[600] = '\0';
    char text[1024];
    snprintf(text, sizeof text,
             "  Uid 0:\n    Package %s:\n      OP_LONG (allow):\n"
             "          Access: [a]2021-05-19 22:02:52.054 (-1s)\n",
             pkg);
    char want[700];
    snprintf(want, sizeof want, "%s access to OP_LONG: Access", pkg);
    char *root = tu_mkdtemp();
    mh_result r;
    dt_run(&spy_mod_dumpsys_appops, root, "appops", text, NULL, &r);
    assert_int_equal(json_array_size(r.timeline), 1);
    assert_true(mt_timeline_has(&r, "2021-05-19 22:02:52.054000", "DumpsysAppops", "Access", want));
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samsung),    cmocka_unit_test(test_samsung_no_iocs),
        cmocka_unit_test(test_pixel),      cmocka_unit_test(test_pixel_crlf),
        cmocka_unit_test(test_check_iocs), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_ceiling),    cmocka_unit_test(test_time_digits_and_long_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
