/* DumpsysReceivers (spec/android.md §4.10): the Receiver Resolver Table of
 * a Pixel Android 13 report and a Samsung Android 11 one (header indented
 * 15 and 4 spaces, a repeated action, a lone hash, a lone word), also with
 * CRLF line ends; SMS and call receivers of RCS Lab's com.xdja.safekeyservice
 * (mvt-indicators/2022-06-23_rcs_lab) and ResidentBat's
 * com.android.framework.safety (mvt-indicators/ResidentBat) with a
 * near-miss decoy and the same packages in other tables; the mapping shape
 * on saved results (check-iocs); bad input. */
#include "dumpsys_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_receivers;

static const char *const PATTERNS[] = {"[app:id='com.xdja.safekeyservice']",
                                       "[app:id='com.android.framework.safety']", NULL};

static void run(const char *fixture, bool with_crlf, const char *stix, mh_result *r)
{
    char *text = af_fixture("dumpsys_receivers", fixture, NULL);
    if (with_crlf) {
        char *c = dt_crlf(text);
        free(text);
        text = c;
    }
    char *root = tu_mkdtemp();
    dt_run(&spy_mod_dumpsys_receivers, root, "package", text, stix, r);
    tu_rmtree(root);
    free(root);
    free(text);
}

#define RCV(pkg, cls) "{\"package_name\":\"" pkg "\",\"receiver\":\"" pkg cls "\"}"

static void test_pixel(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("package_pixel_t13.txt", false, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* one mapping intent -> receivers, in the order of the table */
    assert_true(json_is_object(r.records));
    static const char want[] =
        "{\"android.provider.Telephony.SMS_RECEIVED\":["
        "{\"package_name\":\"com.google.android.apps.messaging\",\"receiver\":"
        "\"com.google.android.apps.messaging/.shared.receiver.SmsReceiver\"},"
        "{\"package_name\":\"com.xdja.safekeyservice\",\"receiver\":"
        "\"com.xdja.safekeyservice/.sms.SmsInterceptor\"}],"
        "\"android.intent.action.PHONE_STATE\":["
        "{\"package_name\":\"com.android.framework.safety\",\"receiver\":"
        "\"com.android.framework.safety/.PhoneStateReceiver\"},"
        "{\"package_name\":\"com.xdja.safekey\",\"receiver\":\"com.xdja.safekey/.CallReceiver\"}],"
        "\"android.intent.action.NEW_OUTGOING_CALL\":["
        "{\"package_name\":\"com.google.android.dialer\",\"receiver\":"
        "\"com.google.android.dialer/com.android.dialer.callrecord.OutgoingCallReceiver\"}],"
        "\"android.intent.action.BOOT_COMPLETED\":["
        "{\"package_name\":\"com.android.framework.safety\",\"receiver\":"
        "\"com.android.framework.safety/.BootReceiver\"}],"
        "\"android.provider.Telephony.NEW_OUTGOING_SMS\":[],"
        "\"android.intent.action.DATA_SMS_RECEIVED\":["
        "{\"package_name\":\"com.google.android.apps.messaging\",\"receiver\":"
        "\"com.google.android.apps.messaging/.shared.receiver.SmsReceiver\"}]}";
    mt_json(r.records, want);
    dt_expect(r.records, "dumpsys_receivers", "package_pixel_t13.expected.json");
    assert_int_equal(json_array_size(r.alerts), 3);
    dt_app_alert(&r, 0, "com.xdja.safekeyservice");
    /* the event is {intent: receiver} */
    mt_json(json_object_get(json_array_get(r.alerts, 0), "event"),
            "{\"android.provider.Telephony.SMS_RECEIVED\":" RCV("com.xdja.safekeyservice",
                                                                "/.sms.SmsInterceptor") "}");
    dt_app_alert(&r, 1, "com.android.framework.safety");
    dt_app_alert(&r, 2, "com.android.framework.safety");
    mt_json(json_object_get(json_array_get(r.alerts, 2), "event"),
            "{\"android.intent.action.BOOT_COMPLETED\":" RCV("com.android.framework.safety",
                                                             "/.BootReceiver") "}");
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
}

static void check_samsung(bool with_crlf)
{
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("package_samsung_r11.txt", with_crlf, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* PHONE_STATE starts over where it is repeated and keeps its place;
     * lone "token:" lines (15 and 4 spaces) are actions; the lone word
     * leaves BOOT open */
    static const char want[] =
        "{\"android.intent.action.PHONE_STATE\":[{\"package_name\":"
        "\"com.android.framework.safety\",\"receiver\":"
        "\"com.android.framework.safety/.CallMonitor\"}],"
        "\"android.provider.Telephony.SMS_RECEIVED\":[{\"package_name\":"
        "\"com.xdja.safekeyservice\",\"receiver\":\"com.xdja.safekeyservice/.SmsReceiver\"}],"
        "\"android.intent.action.NEW_OUTGOING_CALL\":[{\"package_name\":"
        "\"com.samsung.android.dialer\",\"receiver\":"
        "\"com.samsung.android.dialer/.OutgoingReceiver\"}],"
        "\"com.sec.android.app.BOOT\":[{\"package_name\":\"com.sec.android.app.launcher\","
        "\"receiver\":\"com.sec.android.app.launcher/.BootReceiver\"},"
        "{\"package_name\":\"com.sec.android.app.launcher\","
        "\"receiver\":\"com.sec.android.app.launcher/.LateReceiver\"}]}";
    mt_json(r.records, want);
    dt_expect(r.records, "dumpsys_receivers", "package_samsung_r11.expected.json");
    assert_int_equal(json_array_size(r.alerts), 2);
    dt_app_alert(&r, 0, "com.android.framework.safety");
    dt_app_alert(&r, 1, "com.xdja.safekeyservice");
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
    run("package_pixel_t13.txt", false, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    run("package_pixel_t13.txt", false, stix, &with);
    dt_recheck_same(&spy_mod_dumpsys_receivers, clean.out_dir, stix, &with);
    assert_int_equal(json_array_size(with.alerts), 3);
    mh_result_free(&clean);
    mh_result_free(&with);
    free(stix);
}

/* Results saved by MVT (4-space JSON, an older MVT's matched_indicator
 * inside a receiver, upper-case package) re-checked by check-iocs. */
static void test_check_iocs_mvt_saved(void **state)
{
    (void)state;
    char *saved = tu_mkdtemp();
    char *json = af_fixture("dumpsys_receivers", "mvt_saved.json", NULL);
    af_write_str(saved, "dumpsys_receivers.json", json);
    char *stix = mh_stix(PATTERNS);
    mh_result re;
    dt_recheck(&spy_mod_dumpsys_receivers, saved, stix, &re);
    assert_int_equal(re.exit_code, 1);
    assert_int_equal(json_array_size(re.alerts), 2);
    dt_app_alert(&re, 0, "com.xdja.safekeyservice");
    dt_alert(&re, 1, "CRITICAL", "",
             "Found a known suspicious app with ID \"COM.ANDROID.FRAMEWORK.SAFETY\" matching "
             "indicators from \"TestMalware\"");
    mh_result_free(&re);
    free(stix);
    free(json);
    tu_rmtree(saved);
    free(saved);
}

static void test_bad_input(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "\xff\xfe\x00garbage\n\n\n",
        /* no Non-Data part: {} writes no file, as MVT's empty mapping */
        "Receiver Resolver Table:\n  Full MIME Types:\n      a/b:\n        1 com.x/.R\n",
        /* cut after a header */
        "Receiver Resolver Table:\n  Non-Data Actions:\n      android.intent.action.PHONE_STATE:",
        "",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        char *root = tu_mkdtemp();
        mh_result r;
        dt_run(&spy_mod_dumpsys_receivers, root, "package", bodies[i], NULL, &r);
        assert_int_equal(r.exit_code, 0);
        if (i == 2)
            mt_json(r.records, "{\"android.intent.action.PHONE_STATE\":[]}");
        else
            assert_null(r.records);
        mh_result_free(&r);
        tu_rmtree(root);
        free(root);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel),
        cmocka_unit_test(test_samsung),
        cmocka_unit_test(test_samsung_crlf),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_check_iocs_mvt_saved),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
