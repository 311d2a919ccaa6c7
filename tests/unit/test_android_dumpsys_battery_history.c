/* DumpsysBatteryHistory (spec/android.md §4.5): the history of a Pixel
 * Android 14 report (relative times, indented) and a Samsung Android 11
 * one (absolute "MM-DD hh:mm:ss.mmm" times, no indentation), also with
 * CRLF line ends; RCS Lab's com.vodaservices (mvt-indicators/
 * 2022-06-23_rcs_lab) in job, alarm and top events, with the near-miss
 * com.vodaservice; check-iocs on saved results; bad input. */
#include "dumpsys_test.h"

#include "modules/android/dumpsys_parse.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_battery_history;

static const char *const PATTERNS[] = {"[app:id='com.vodaservices']", NULL};

static void run(const char *fixture, bool with_crlf, const char *stix, mh_result *r)
{
    char *text = af_fixture("dumpsys_battery_history", fixture, NULL);
    if (with_crlf) {
        char *c = dt_crlf(text);
        free(text);
        text = c;
    }
    char *root = tu_mkdtemp();
    dt_run(&spy_mod_dumpsys_battery_history, root, "batterystats", text, stix, r);
    tu_rmtree(root);
    free(root);
    free(text);
}

#define EV(t, ev, uid, pkg, svc)                                                                   \
    "{\"time_elapsed\":\"" t "\",\"event\":\"" ev "\",\"uid\":\"" uid "\",\"package_name\":\"" pkg \
    "\",\"service\":\"" svc "\"}"

static void test_pixel(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("pixel_u14.txt", false, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* up to the first blank line: the Per-PID job is not history */
    dt_expect(r.records, "dumpsys_battery_history", "pixel_u14.expected.json");
    mt_json(mt_rec(&r, 0),
            EV("0", "start_top", "u0a182", "com.google.android.apps.nexuslauncher", ""));
    mt_json(mt_rec(&r, 1), EV("0", "start_job", "1000", "android",
                              "android/com.android.server.pm.BackgroundDexOptService"));
    mt_json(mt_rec(&r, 2), EV("+1s002ms", "end_job", "1000", "android",
                              "android/com.android.server.pm.BackgroundDexOptService"));
    mt_json(mt_rec(&r, 3), EV("+47s645ms", "start_job", "u0a231", "com.vodaservices",
                              "com.vodaservices/.sync.UploadJobService"));
    /* alarms without a component, and wake locks that are not alarms, are
     * not events */
    mt_json(mt_rec(&r, 4), EV("+1m02s413ms", "wake", "u0a231", "com.vodaservices",
                              "com.vodaservices/.AlarmReceiver"));
    mt_json(mt_rec(&r, 5),
            EV("+1m05s120ms", "end_top", "u0a182", "com.google.android.apps.nexuslauncher", ""));
    mt_json(mt_rec(&r, 6), EV("+1m05s121ms", "start_top", "u0a232", "com.vodaservice", ""));
    mt_json(mt_rec(&r, 7), EV("+1m09s900ms", "end_job", "u0a231", "com.vodaservices",
                              "com.vodaservices/.sync.UploadJobService"));
    assert_int_equal(json_array_size(r.alerts), 3);
    for (size_t i = 0; i < 3; i++)
        dt_app_alert(&r, i, "com.vodaservices");
    mt_str(json_object_get(json_array_get(r.alerts, 1), "event"), "event", "wake");
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
}

static void check_samsung(bool with_crlf)
{
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("samsung_s11.txt", with_crlf, stix, &r);
    assert_int_equal(r.exit_code, 1);
    dt_expect(r.records, "dumpsys_battery_history", "samsung_s11.expected.json");
    mt_json(mt_rec(&r, 0),
            EV("07-15 20:27:39.431", "start_job", "u0a94", "com.samsung.android.app.reminder",
               "com.samsung.android.app.reminder/.data.alarmregister.RegisterAlarmJobService"));
    mt_json(mt_rec(&r, 1), EV("07-15 20:27:40.002", "start_top", "u0a231", "com.vodaservices", ""));
    mt_str(mt_rec(&r, 2), "time_elapsed", "07-15 20:28:01.500");
    mt_json(mt_rec(&r, 3), EV("07-15 20:29:12.000", "wake", "u0a231", "com.vodaservices",
                              "com.vodaservices/com.vodaservices.KeepAlive"));
    mt_json(mt_rec(&r, 4), EV("07-15 20:30:00.000", "end_top", "u0a231", "com.vodaservices", ""));
    assert_int_equal(json_array_size(r.alerts), 3);
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
    dt_recheck_same(&spy_mod_dumpsys_battery_history, clean.out_dir, stix, &with);
    mh_result_free(&clean);
    mh_result_free(&with);
    free(stix);
}

static json_t *parse(const char *text, size_t len)
{
    json_t *a = json_array();
    assert_int_equal(spy_parse_battery_history(text, len, dt_collect, a), 0);
    return a;
}

static void test_bad_input(void **state)
{
    (void)state;
    /* events at column 0 do not count (MVT's find() > 0); "+job" without
     * "=", "-top" without "=" or ':' and wake locks without "*walarm*:" are
     * skipped (MVT fails, or slices garbage, there) */
    static const char odd[] = "+job=u0a1:\"com.a/.J\"\n"
                              " +1s +jobs\n"
                              " +2s -top\n"
                              " +3s +top=u0a3\n"
                              " +4s +running +wake_lock=u0a4:\"x/y\"\n"
                              /* MVT would take "a/b" at column 8 as the service
                               * (spec §4.5 quirk; docs/differences-from-mvt.md) */
                              "(2) 100 a/b +running +wake_lock=u0a9:\"NlpWakeLock\"\n"
                              " +5s +running +wake_lock=u0a5\n"
                              " +6s (2) +job=u0a6: \"com.b/.J\" \n"
                              " +7s +top=u0a7:\"com.c\" extra\n";
    json_t *a = parse(odd, strlen(odd));
    assert_int_equal(json_array_size(a), 2);
    /* the service is stripped of blanks, then of quotes */
    mt_json(json_array_get(a, 0), EV("+6s", "start_job", "u0a6", "com.b", "com.b/.J"));
    mt_json(json_array_get(a, 1), EV("+7s", "start_top", "u0a7", "com.c\\\" extra", ""));
    json_decref(a);
    static const char garbage[] = "\xff\xfe\x00+job=\x01:\n\n+job=u0a1:\"x/y\"\n";
    a = parse(garbage, sizeof garbage - 1);
    /* what Python would make of it: one job with an empty service, then
     * the blank line ends the history */
    assert_int_equal(json_array_size(a), 1);
    mt_str(json_array_get(a, 0), "service", "");
    json_decref(a);
    a = parse(NULL, 0);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
}

/* Which job key a line holds: "+job" wins over an earlier "-job"; other
 * 'j's and "-jobx" are passed over; a line starting with the key at column
 * 0 is not an event; a 'j' in the last bytes; a time token ended by a tab
 * or by U+00A0 (whitespace to split()). */
static void test_job_keys(void **state)
{
    (void)state;
    static const char text[] = " +1s -job=u0a1:\"com.a/.J\" +job=u0a2:\"com.b/.K\"\n"
                               " +2s (2) jj -jobx +jo -job=u0a3:\"com.jjob/.J\"\n"
                               "-job=u0a4:\"com.d/.J\" -job=u0a5:\"com.e/.K\"\n"
                               " +3s +running +wake_lock=u0a6:\"*walarm*:com.f/.A\" j\n"
                               "\t+4s\t+job=u0a7:\"com.g/.J\"\n"
                               " +5s\xc2\xa0x +job=u0a8:\"com.h/.J\"\n"
                               " +6s -top=u0a9:com.i j\n";
    json_t *a = parse(text, strlen(text));
    assert_int_equal(json_array_size(a), 6);
    mt_json(json_array_get(a, 0), EV("+1s", "start_job", "u0a2", "com.b", "com.b/.K"));
    mt_json(json_array_get(a, 1), EV("+2s", "end_job", "u0a3", "com.jjob", "com.jjob/.J"));
    mt_json(json_array_get(a, 2), EV("+3s", "wake", "u0a6", "com.f", "com.f/.A"));
    mt_json(json_array_get(a, 3), EV("+4s", "start_job", "u0a7", "com.g", "com.g/.J"));
    mt_json(json_array_get(a, 4), EV("+5s", "start_job", "u0a8", "com.h", "com.h/.J"));
    mt_json(json_array_get(a, 5), EV("+6s", "end_top", "u0a9", "com.i j", ""));
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel),        cmocka_unit_test(test_samsung),
        cmocka_unit_test(test_samsung_crlf), cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_input),    cmocka_unit_test(test_job_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
