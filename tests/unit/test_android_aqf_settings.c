/* AQFSettings (spec/android.md §4.17): settings_<namespace>.txt files into
 * one mapping, LF and CRLF layouts, the ten unsafe-value heuristics (no
 * indicators needed), MVT's literal key split, check-iocs, bad input. */
#include "aqf_test.h"

#include "modules/android/settings_txt.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_aqf_settings;

static char *qf(const char *root)
{
    char *dir = af_androidqf_dir(root);
    const char *names[] = {"settings_global.txt", "settings_secure.txt", "settings_system.txt"};
    for (size_t i = 0; i < 3; i++) {
        char *t = af_fixture("aqf_settings", names[i], NULL);
        af_write_str(dir, names[i], t);
        free(t);
    }
    return dir;
}

/* The alert with this message (namespace order follows the folder walk). */
static const json_t *alert_with(const mh_result *r, const char *msg)
{
    size_t i;
    json_t *a;
    json_array_foreach(r->alerts, i, a)
    {
        if (strcmp(json_string_value(json_object_get(a, "message")), msg) == 0)
            return a;
    }
    fail_msg("no alert \"%s\"", msg);
    return NULL;
}

static void assert_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 5);
    const json_t *a = alert_with(r, "Found suspicious \"global\" setting \"package_verifier_enable "
                                    "= 0\" (disabled Google Play Protect)");
    assert_string_equal(json_string_value(json_object_get(a, "level")), "MEDIUM");
    mt_json(json_object_get(a, "event"),
            "{\"namespace\":\"global\",\"key\":\"package_verifier_enable\",\"value\":\"0\","
            "\"description\":\"disabled Google Play Protect\"}");
    assert_true(json_is_null(json_object_get(a, "matched_indicator")));
    alert_with(r, "Found suspicious \"global\" setting \"upload_apk_enable = 0\" (disabled Google "
                  "Play Protect)");
    alert_with(r, "Found suspicious \"secure\" setting \"accessibility_enabled = 1\" (enabled "
                  "accessibility services)");
    alert_with(r, "Found suspicious \"secure\" setting \"samsung_errorlog_agree = 0\" (disabled "
                  "sharing of crash logs with manufacturer)");
    alert_with(r, "Found suspicious \"secure\" setting \"send_security_reports = \" (disabled "
                  "sharing of security reports)");
}

static void test_settings(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = qf(root);
    mh_result r;
    at_run(&spy_mod_aqf_settings, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0); /* MEDIUM only */
    assert_true(json_is_object(r.records));
    assert_int_equal(json_object_size(r.records), 3);
    const json_t *global = json_object_get(r.records, "global");
    mt_keys(global, "adb_enabled,adb_wifi_enabled,airplane_mode_on,development_settings_enabled,"
                    "package_verifier_enable,package_verifier_user_consent,upload_apk_enable,"
                    "verifier_verify_adb_installs,wifi_on,device_name");
    mt_str(global, "device_name", "Galaxy A52");
    const json_t *secure = json_object_get(r.records, "secure");
    /* CRLF dropped; split at the first '='; "k = v" keeps its spaces (MVT) */
    mt_str(secure, "lock_screen_owner_info", "a=b=c");
    mt_str(secure, "send_action_app_error ", " 0");
    mt_str(secure, "send_security_reports", "");
    mt_equal(json_object_get(r.records, "system"),
             "{\"screen_brightness\": \"102\", \"font_scale\": \"1.0\", \"time_12_24\": \"24\"}");
    assert_alerts(&r);
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = qf(root);
    static const char *const patterns[] = {"[app:id='com.accesibilityservice']", NULL};
    char *stix = mh_stix(patterns);
    mh_result clean, again;
    at_run(&spy_mod_aqf_settings, dir, NULL, &clean);
    at_recheck(&spy_mod_aqf_settings, clean.out_dir, stix, &again);
    assert_alerts(&again);
    mh_result_free(&clean);
    mh_result_free(&again);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_bad_input(void **state)
{
    (void)state;
    char *ns = spy_settings_namespace("uuid/settings_secure.txt");
    assert_string_equal(ns, "secure");
    free(ns);
    ns = spy_settings_namespace("uuid/settings_a_b.txt");
    assert_string_equal(ns, "b");
    free(ns);
    char *root = tu_mkdtemp();
    char *dir = af_androidqf_dir(root);
    af_write(dir, "settings_global.txt", "\x00\x01\xff\xfe=\xc3\n\n=x\npackage_verifier_enable",
             31);
    af_write_str(dir, "settings_empty.txt", "");
    mh_result r;
    at_run(&spy_mod_aqf_settings, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_object_size(r.records), 2);
    assert_int_equal(json_object_size(json_object_get(r.records, "empty")), 0);
    const json_t *g = json_object_get(r.records, "global");
    mt_str(g, "", "x");
    assert_int_equal(json_array_size(r.alerts), 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
