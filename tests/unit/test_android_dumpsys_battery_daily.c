/* DumpsysBatteryDaily (spec/android.md §4.4): the daily stats of a Pixel
 * Android 14 report (blocks newest-first, a duplicate update, an
 * "Uninstall" line, updates before the first block) and a Samsung Android
 * 11 one with CRLF line ends (date-only ranges, deeper indentation, a
 * non-numeric and a malformed version); RCS Lab's com.fintur.support
 * (mvt-indicators/2022-06-23_rcs_lab) with the near-miss
 * com.fintur.supportx; uninstall and downgrade alerts raised at parse time
 * and not again by check-iocs; timeline rows; bad input. */
#include "dumpsys_test.h"

#include "core/limits.h"
#include "modules/android/dumpsys_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_battery_daily;

static const char *const PATTERNS[] = {"[app:id='com.fintur.support']", NULL};

static void run(const char *fixture, const char *stix, mh_result *r)
{
    char *text = af_fixture("dumpsys_battery_daily", fixture, NULL);
    char *root = tu_mkdtemp();
    dt_run(&spy_mod_dumpsys_battery_daily, root, "batterystats", text, stix, r);
    tu_rmtree(root);
    free(root);
    free(text);
}

#define UPD(from, to, pkg, vers)                                                                   \
    "{\"action\":\"update\",\"from\":\"" from "\",\"to\":\"" to "\",\"package_name\":\"" pkg       \
    "\",\"vers\":\"" vers "\"}"

static void pixel_alerts(const mh_result *r)
{
    /* walked in (from, to, package) order: 131 on 02-26, 120 on 02-27,
     * 98 on 02-28 */
    dt_alert(r, 0, "MEDIUM", "2024-02-27",
             "Detected downgrade of package com.fintur.support from vers 131 to vers 120");
    dt_alert(r, 1, "MEDIUM", "2024-02-28",
             "Detected uninstall of package com.example.temp (vers 0)");
    dt_alert(r, 2, "MEDIUM", "2024-02-28",
             "Detected downgrade of package com.fintur.support from vers 120 to vers 98");
    mt_json(json_object_get(json_array_get(r->alerts, 2), "event"),
            "{\"action\":\"downgrade\",\"from\":\"2024-02-28\",\"to\":\"2024-02-29\","
            "\"package_name\":\"com.fintur.support\",\"vers\":\"98\",\"previous_vers\":\"120\"}");
}

static void test_pixel(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("pixel_u14.txt", stix, &r);
    assert_int_equal(r.exit_code, 1);
    dt_expect(r.records, "dumpsys_battery_daily", "pixel_u14.expected.json");
    mt_json(mt_rec(&r, 0),
            "{\"action\":\"downgrade\",\"from\":\"2024-02-27\",\"to\":\"2024-02-28\","
            "\"package_name\":\"com.fintur.support\",\"vers\":\"120\",\"previous_vers\":\"131\"}");
    /* the repeated gms update of the first block is kept once */
    mt_json(mt_rec(&r, 1), UPD("2024-02-27", "2024-02-28", "com.google.android.gms", "240812035"));
    mt_json(mt_rec(&r, 3), UPD("2024-02-28", "2024-02-29", "com.fintur.supportx", "7"));
    mt_json(mt_rec(&r, 5), UPD("2024-02-28", "2024-02-29", "com.example.temp", "0"));
    mt_json(mt_rec(&r, 6), UPD("2024-02-26", "2024-02-27", "com.fintur.support", "131"));
    mt_json(mt_rec(&r, 7), UPD("2024-02-26", "2024-02-27", "com.example.temp", "15"));
    assert_int_equal(json_array_size(r.alerts), 6);
    pixel_alerts(&r);
    /* then the indicator, once per record of the package (not the decoy) */
    dt_app_alert(&r, 3, "com.fintur.support");
    mt_str(json_object_get(json_array_get(r.alerts, 3), "event"), "vers", "120");
    dt_app_alert(&r, 4, "com.fintur.support");
    dt_app_alert(&r, 5, "com.fintur.support");
    mt_str(json_object_get(json_array_get(r.alerts, 5), "event"), "vers", "131");
    assert_int_equal(json_array_size(r.timeline), 8);
    assert_true(mt_timeline_has(&r, "2024-02-27", "DumpsysBatteryDaily", "battery_daily",
                                "Recorded downgrade of package com.fintur.support from vers 131 "
                                "to vers 120"));
    assert_true(mt_timeline_has(&r, "2024-02-28", "DumpsysBatteryDaily", "battery_daily",
                                "Recorded uninstall of package com.example.temp (vers 0)"));
    assert_true(mt_timeline_has(&r, "2024-02-28", "DumpsysBatteryDaily", "battery_daily",
                                "Recorded update of package com.google.android.gms with vers "
                                "240812035"));
    mh_result_free(&r);
    free(stix);
}

static void test_samsung_crlf(void **state)
{
    (void)state;
    mh_result r;
    run("samsung_s11_crlf.txt", NULL, &r);
    assert_int_equal(r.exit_code, 0);
    /* "Update com.broken.line" has no version: skipped (MVT stops there) */
    dt_expect(r.records, "dumpsys_battery_daily", "samsung_s11_crlf.expected.json");
    mt_json(mt_rec(&r, 0),
            UPD("2023-07-14", "2023-07-15", "com.samsung.android.app.notes", "420100000"));
    mt_json(mt_rec(&r, 3),
            UPD("2023-07-14", "2023-07-15", "com.samsung.android.bixby.agent", "beta-3"));
    /* versions compare as integers; the raw text stays in the record */
    mt_json(mt_rec(&r, 4),
            "{\"action\":\"downgrade\",\"from\":\"2023-07-15\",\"to\":\"2023-07-16\","
            "\"package_name\":\"com.samsung.android.app.notes\",\"vers\":\"0420000000\","
            "\"previous_vers\":\"420100000\"}");
    /* after an uninstall the package's version is forgotten: 0 then 1 is no
     * downgrade; a non-numeric version is ignored */
    mt_str(mt_rec(&r, 2), "action", "update");
    mt_str(mt_rec(&r, 5), "action", "update");
    assert_int_equal(json_array_size(r.alerts), 2);
    dt_alert(&r, 0, "MEDIUM", "2023-07-14",
             "Detected uninstall of package com.fintur.support (vers 0)");
    dt_alert(&r, 1, "MEDIUM", "2023-07-15",
             "Detected downgrade of package com.samsung.android.app.notes from vers 420100000 to "
             "vers 420000000");
    assert_true(mt_timeline_has(&r, "2023-07-15", "DumpsysBatteryDaily", "battery_daily",
                                "Recorded downgrade of package com.samsung.android.app.notes "
                                "from vers 420100000 to vers 0420000000"));
    mh_result_free(&r);
}

/* check-iocs runs only the indicator check: the parse-time uninstall and
 * downgrade alerts are not raised again (spec §6, as MVT). */
static void test_check_iocs(void **state)
{
    (void)state;
    mh_result clean, re;
    run("pixel_u14.txt", NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 3);
    pixel_alerts(&clean);
    char *stix = mh_stix(PATTERNS);
    dt_recheck(&spy_mod_dumpsys_battery_daily, clean.out_dir, stix, &re);
    assert_int_equal(re.exit_code, 1);
    assert_int_equal(json_array_size(re.alerts), 3);
    for (size_t i = 0; i < 3; i++)
        dt_app_alert(&re, i, "com.fintur.support");
    mh_result_free(&clean);
    mh_result_free(&re);
    free(stix);
}

typedef struct seen {
    size_t n;
    char msg[4][160];
} seen;

static void on_alert(void *ud, spy_level level, const char *time, const json_t *rec,
                     const char *message)
{
    (void)level, (void)time, (void)rec;
    seen *s = ud;
    if (s->n < 4)
        snprintf(s->msg[s->n], sizeof s->msg[0], "%s", message);
    s->n++;
}

static void test_bad_input(void **state)
{
    (void)state;
    seen s = {0};
    size_t dropped;
    static const char garbage[] = "\xff\x00  Daily from\n      Update \n      Update x\n";
    json_t *a = spy_parse_battery_daily(garbage, sizeof garbage - 1, on_alert, &s, &dropped);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    /* a header without " to " (MVT stops with an error) keeps "to" empty;
     * versions as Python's int() reads them, of any length */
    static const char odd[] = "  Daily from 2024-01-01-00-00-00:\n"
                              "    Update a vers=99999999999999999999999\n"
                              "    Update a vers= +0099999999999999999999998 \n"
                              "    Update b vers=-5\n    Update b vers=-6\n    Update b vers=0x1\n";
    a = spy_parse_battery_daily(odd, strlen(odd), on_alert, &s, &dropped);
    assert_int_equal(json_array_size(a), 5);
    mt_json(json_array_get(a, 0), UPD("2024-01-01", "", "a", "99999999999999999999999"));
    mt_str(json_array_get(a, 1), "previous_vers", "99999999999999999999999");
    mt_str(json_array_get(a, 3), "previous_vers", "-5");
    assert_int_equal(s.n, 2);
    assert_string_equal(s.msg[0], "Detected downgrade of package a from vers "
                                  "99999999999999999999999 to vers 99999999999999999999998");
    assert_string_equal(s.msg[1], "Detected downgrade of package b from vers -5 to vers -6");
    json_decref(a);
    a = spy_parse_battery_daily(NULL, 0, on_alert, &s, &dropped);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
}

/* Past SPY_DUMPSYS_MAX_HELD_ITEMS updates the rest are counted, not held. */
static void test_ceiling(void **state)
{
    (void)state;
    size_t n = SPY_DUMPSYS_MAX_HELD_ITEMS + 3, cap = 64 + n * 32, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text, cap, "  Daily from 2024-01-01 to 2024-01-02:\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "    Update p%zu vers=1\n", i);
    seen s = {0};
    size_t dropped;
    json_t *a = spy_parse_battery_daily(text, len, on_alert, &s, &dropped);
    assert_int_equal(json_array_size(a), SPY_DUMPSYS_MAX_HELD_ITEMS);
    assert_int_equal(dropped, 3);
    json_decref(a);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel),      cmocka_unit_test(test_samsung_crlf),
        cmocka_unit_test(test_check_iocs), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_ceiling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
