/* SecurityEvent (spec/android.md §4.25): records (nanosecond times), the
 * tag table, every tag's timeline text (table-driven, with MVT's defaults
 * and Python str()/truthiness), heuristics without indicators (CA
 * installed: success true/absent/false; crypto self test: object/scalar;
 * the benign PinStorage key pair), the log breakdown and unknown-tag
 * warning, IOC checks with real indicators (app_process_start "a:b"
 * components, packages, whole ADB commands, ADB paths), check-iocs. */
#include "il_test.h"

#include "core/mem.h"
#include "core/writers.h"
#include "modules/android/security_event_tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_security_event;

/* NoviSpy app ids (Amnesty 2024-12-16), RCS Lab's com.vodaservices
 * (mvt-indicators 2022-06-23_rcs_lab), Predator's /data/local/tmp/wd/
 * (mvt-indicators intellexa_predator). */
static const char *const PATTERNS[] = {"[app:id='com.serv.services']", "[app:id='com.gu.activity']",
                                       "[app:id='com.vodaservices']",
                                       "[file:path='/data/local/tmp/wd/']", NULL};

static void run_fixture(const char *stix, mh_result *r)
{
    char *text = af_fixture("security_event", "intrusion_2024-12-16.txt", NULL);
    it_run_text(&spy_mod_security_event, text, stix, r);
    free(text);
}

static void test_tag_table(void **state)
{
    (void)state;
    size_t n;
    const spy_se_tag *t = spy_se_tags(&n);
    assert_int_equal(n, 46);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t[i].id, 210001 + (int)i);
        assert_ptr_equal(spy_se_tag_find(t[i].key), &t[i]);
    }
    assert_string_equal(spy_se_tag_find("adb_shell_cmd")->name, "ADB Shell Command");
    assert_string_equal(spy_se_tag_find("cert_authority_installed")->name,
                        "Certificate Authority Installed");
    assert_string_equal(spy_se_tag_find("wifi_connection")->name, "WiFi Connection");
    assert_string_equal(spy_se_tag_find("os_startup")->name, "OS Startup");
    assert_string_equal(spy_se_tag_find("nfc_disabled")->name, "NFC Disabled");
    assert_int_equal(spy_se_tag_find("nfc_disabled")->id, 210046);
    assert_null(spy_se_tag_find("event_id"));
    assert_null(spy_se_tag_find("key_rotated"));
    /* the names of Android's own exports: aliases with their own display name */
    static const char *const ALIAS[][3] = {
        {"adb_shell_command", "adb_shell_cmd", "ADB Shell Command"},
        {"adb_sync_recv", "adb_sync_recv_file", "ADB Sync Recv"},
        {"adb_sync_send", "adb_sync_send_file", "ADB Sync Send"},
        {"media_mounted", "media_mount", "Media Mounted"},
        {"media_unmounted", "media_unmount", "Media Unmounted"},
        {"wipe_failed", "wipe_failure", "Wipe Failed"},
        {"key_imported", "key_import", "Key Imported"},
        {"key_destroyed", "key_destruction", "Key Destroyed"},
    };
    size_t na;
    const spy_se_tag *al = spy_se_aliases(&na);
    assert_int_equal(na, sizeof ALIAS / sizeof ALIAS[0]);
    for (size_t i = 0; i < na; i++) {
        const spy_se_tag *a = spy_se_tag_find(ALIAS[i][0]);
        assert_ptr_equal(a, &al[i]);
        assert_string_equal(a->key, ALIAS[i][0]);
        assert_string_equal(a->name, ALIAS[i][2]);
        assert_int_equal(a->id, spy_se_tag_find(ALIAS[i][1])->id);
    }
}

static void test_records_and_heuristics(void **state)
{
    (void)state;
    mh_result r;
    run_fixture(NULL, &r);
    assert_int_equal(r.exit_code, 0); /* MEDIUM alerts only */
    assert_int_equal(json_array_size(r.records), 24);
    mt_json(mt_rec(&r, 0), "{\"event_id\":100,\"event_time\":1734337800000000000,"
                           "\"os_startup\":{\"verified_boot_state\":\"green\","
                           "\"dm_verity_mode\":\"enforcing\"},"
                           "\"timestamp\":\"2024-12-16 08:30:00.000000\"}");
    mt_keys(mt_rec(&r, 23), "event_id,event_time,timestamp");
    assert_int_equal(json_array_size(r.alerts), 7);
    at_alert(&r, 0, "MEDIUM", "Certificate authority installed: CN=Corp Proxy Root CA,O=Corp");
    at_alert(&r, 1, "MEDIUM", "Certificate authority installed: CN=Legacy CA"); /* no success */
    at_alert(&r, 2, "MEDIUM", "Cryptographic self test failed");                /* 0 */
    at_alert(&r, 3, "MEDIUM", "Cryptographic self test failed"); /* {"success": false} */
    at_alert(&r, 4, "MEDIUM", "Certificate validation failure detected: chain validation failed");
    at_alert(&r, 5, "MEDIUM", "Key integrity violation detected: {'key_id': 'k1', 'uid': 1000}");
    at_alert(&r, 6, "MEDIUM", "Device wipe failure detected");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2024-12-16 08:30:10.000000");
    assert_string_equal(mh_alert_str(&r, 3, "event_time"), "2024-12-16 08:30:15.000000");
    /* log-only findings: a refused CA, one key failure (the PinStorage
     * pair of uid 1001 is routine; the same key in an app is not) */
    assert_int_equal(
        it_log_count(&r, "Failed certificate authority install attempt: CN=Rejected CA"), 1);
    assert_int_equal(
        it_log_count(&r, "Failed key generation detected for key_id: PinStorage_crossReboot_key"),
        1);
    assert_int_equal(it_log_count(&r, "Failed key generation detected"), 1);
    /* the breakdown, most frequent first (ties in first-seen order) */
    assert_int_equal(it_log_count(&r, "Identified 24 security events"), 1);
    size_t a = it_log_pos(&r, "Security event breakdown:");
    size_t b = it_log_pos(&r, "  - App Process Start: 3");
    size_t c = it_log_pos(&r, "  - Certificate Authority Installed: 3");
    size_t d = it_log_pos(&r, "  - Crypto Self Test Completed: 3");
    size_t e = it_log_pos(&r, "  - Key Generated: 3");
    size_t f = it_log_pos(&r, "  - ADB Shell Command: 2");
    size_t g = it_log_pos(&r, "  - OS Startup: 1");
    size_t h = it_log_pos(&r, "  - future_google_event: 1");
    assert_true(a < b && b < c && c < d && d < e && e < f && f < g && g < h);
    assert_int_equal(it_log_count(&r, "Found unknown intrusion logging security event type(s): "
                                      "future_google_event. Please open an issue on GitHub so "
                                      "MVT can add support for them."),
                     1);
    /* logged after parsing, before the checks' alerts */
    assert_true(h < it_log_pos(&r, "Certificate authority installed: CN=Corp"));
    mh_result_free(&r);
}

static void test_indicators(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_fixture(stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.alerts), 12);
    /* "com.android.chrome:com.serv.services": a component after the first */
    at_alert(&r, 0, "CRITICAL",
             "Found a known suspicious app with ID \"com.serv.services\" matching indicators from "
             "\"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2024-12-16 08:30:02.000000");
    at_alert(&r, 1, "CRITICAL",
             "Found a known suspicious app with ID \"com.gu.activity\" matching indicators from "
             "\"TestMalware\"");
    at_alert(&r, 2, "CRITICAL",
             "Found a known suspicious app with ID \"com.vodaservices\" matching indicators from "
             "\"TestMalware\"");
    /* only the command that is exactly an app id ("pm list packages
     * com.gu.activity" is not) */
    at_alert(&r, 3, "CRITICAL",
             "Found a known suspicious app with ID \"com.gu.activity\" matching indicators from "
             "\"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 3, "event_time"), "2024-12-16 08:30:07.000000");
    at_alert(&r, 4, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd/pred.so\" matching "
             "indicators form \"TestMalware\"");
    at_alert(&r, 5, "MEDIUM", "Certificate authority installed: CN=Corp Proxy Root CA,O=Corp");
    at_alert(&r, 11, "MEDIUM", "Device wipe failure detected");
    assert_string_equal(mt_match(&r, 4, "value"), "/data/local/tmp/wd/");
    mh_result_free(&r);
    free(stix);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    it_recheck_same(&spy_mod_security_event, run_fixture, stix, 12);
    free(stix);
}

/* Android's own tag names (adb_sync_send for adb_sync_send_file...): the
 * same heuristics and indicator checks as the tags they stand for, counted
 * under the name found, never "unknown". */
#define ALIAS_LOG                                                                                  \
    "{\"security_event\":{\"event_id\":1,\"event_time\":1734337800000000000,"                      \
    "\"wipe_failed\":{}}}\n"                                                                       \
    "{\"security_event\":{\"event_id\":2,\"event_time\":1734337801000000000,"                      \
    "\"adb_sync_send\":{\"path\":\"/data/local/tmp/wd/pred.so\"}}}\n"                              \
    "{\"security_event\":{\"event_id\":3,\"event_time\":1734337802000000000,"                      \
    "\"adb_sync_send\":{\"path\":\"/data/local/tmp/w/decoy.so\"}}}\n"                              \
    "{\"security_event\":{\"event_id\":4,\"event_time\":1734337803000000000,"                      \
    "\"adb_sync_recv\":{\"path\":\"/data/local/tmp/wd/log.txt\"}}}\n"                              \
    "{\"security_event\":{\"event_id\":5,\"event_time\":1734337804000000000,"                      \
    "\"adb_shell_command\":{\"command\":\"com.gu.activity\"}}}\n"                                  \
    "{\"security_event\":{\"event_id\":6,\"event_time\":1734337805000000000,"                      \
    "\"adb_shell_command\":{\"command\":\"pm path com.gu.activity\"}}}\n"                          \
    "{\"security_event\":{\"event_id\":7,\"event_time\":1734337806000000000,"                      \
    "\"key_imported\":{\"success\":true,\"key_id\":\"k\"}}}\n"                                     \
    "{\"security_event\":{\"event_id\":8,\"event_time\":1734337807000000000,"                      \
    "\"key_destroyed\":{\"success\":true,\"key_id\":\"k\"}}}\n"                                    \
    "{\"security_event\":{\"event_id\":9,\"event_time\":1734337808000000000,"                      \
    "\"media_mounted\":{\"mount_point\":\"/storage/0000-0001\"}}}\n"                               \
    "{\"security_event\":{\"event_id\":10,\"event_time\":1734337809000000000,"                     \
    "\"media_unmounted\":{\"mount_point\":\"/storage/0000-0001\"}}}\n"

static void test_alias_tags(void **state)
{
    (void)state;
    mh_result r;
    it_run_text(&spy_mod_security_event, ALIAS_LOG, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 10);
    assert_int_equal(json_array_size(r.alerts), 1);
    at_alert(&r, 0, "MEDIUM", "Device wipe failure detected");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2024-12-16 08:30:00.000000");
    assert_int_equal(it_log_count(&r, "  - ADB Sync Send: 2"), 1);
    assert_int_equal(it_log_count(&r, "  - ADB Shell Command: 2"), 1);
    assert_int_equal(it_log_count(&r, "  - Wipe Failed: 1"), 1);
    assert_int_equal(it_log_count(&r, "  - Key Destroyed: 1"), 1);
    assert_int_equal(it_log_count(&r, "  - Media Unmounted: 1"), 1);
    assert_int_equal(it_log_count(&r, "unknown intrusion logging security event"), 0);
    mh_result_free(&r);

    char *stix = mh_stix(PATTERNS);
    it_run_text(&spy_mod_security_event, ALIAS_LOG, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.alerts), 4);
    at_alert(&r, 0, "MEDIUM", "Device wipe failure detected");
    at_alert(&r, 1, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd/pred.so\" matching "
             "indicators form \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 1, "event_time"), "2024-12-16 08:30:01.000000");
    at_alert(&r, 2, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd/log.txt\" matching "
             "indicators form \"TestMalware\"");
    /* the whole command only, as for adb_shell_cmd */
    at_alert(&r, 3, "CRITICAL",
             "Found a known suspicious app with ID \"com.gu.activity\" matching indicators from "
             "\"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 3, "event_time"), "2024-12-16 08:30:04.000000");
    mh_result_free(&r);
    free(stix);
}

/* One event per case: tag, payload (JSON text), the timeline text. */
static const char *const CASES[][3] = {
    {"adb_shell_interactive", "{}", "ADB interactive shell opened"},
    {"adb_shell_cmd", "{\"command\":\"getprop ro.build.id\"}",
     "ADB shell command: getprop ro.build.id"},
    {"adb_sync_recv_file", "{\"path\":\"/sdcard/a.txt\"}", "File pulled via ADB: /sdcard/a.txt"},
    {"adb_sync_send_file", "{\"path\":\"/data/local/tmp/x\"}",
     "File pushed via ADB: /data/local/tmp/x"},
    {"app_process_start", "{\"process\":\"com.example\",\"uid\":10001,\"pid\":77}",
     "Process started: com.example (UID: 10001, PID: 77)"},
    {"app_process_start", "{\"process\":\"com.example\"}",
     "Process started: com.example (UID: , PID: )"},
    {"keyguard_dismissed", "{}", "Keyguard dismissed"},
    {"keyguard_dismiss_auth_attempt", "{\"success\":true,\"method_strength\":1}",
     "Auth attempt: Success (method strength: 1)"},
    {"keyguard_dismiss_auth_attempt", "{\"success\":0}",
     "Auth attempt: Failed (method strength: 0)"},
    {"keyguard_secured", "{}", "Device locked"},
    {"os_startup", "{\"verified_boot_state\":\"orange\",\"dm_verity_mode\":\"eio\"}",
     "OS startup (verified boot: orange, dm-verity: eio)"},
    {"os_shutdown", "{}", "OS shutdown"},
    {"logging_started", "{}", "Audit logging started"},
    {"logging_stopped", "{}", "Audit logging stopped"},
    {"media_mount", "{\"mount_point\":\"/storage/1A2B-3C4D\",\"volume_label\":\"SD\"}",
     "Media mounted: /storage/1A2B-3C4D (SD)"},
    {"media_unmount", "{\"mount_point\":\"/storage/1A2B-3C4D\",\"volume_label\":\"\"}",
     "Media unmounted: /storage/1A2B-3C4D ()"},
    {"log_buffer_size_critical", "{}", "Log buffer at 90% capacity"},
    {"password_expiration_set", "{\"admin_package\":\"com.mdm\",\"timeout_ms\":86400000}",
     "Password expiration set by com.mdm: 86400000ms"},
    {"password_complexity_set", "{\"admin_package\":\"com.mdm\",\"length\":6}",
     "Password complexity set by com.mdm"},
    {"password_history_length_set", "{\"admin_package\":\"com.mdm\",\"length\":5}",
     "Password history length set by com.mdm: 5"},
    {"max_screen_lock_timeout_set", "{\"admin_package\":\"com.mdm\",\"timeout_ms\":60000}",
     "Max screen lock timeout set by com.mdm: 60000ms"},
    {"max_password_attempts_set", "{\"admin_package\":\"com.mdm\",\"max_attempts\":10}",
     "Max password attempts set by com.mdm: 10"},
    {"keyguard_disabled_features_set", "{\"admin_package\":\"com.mdm\",\"disabled_features\":16}",
     "Keyguard features disabled by com.mdm: 16"},
    {"remote_lock", "{\"admin_package\":\"com.mdm\"}", "Device remotely locked by com.mdm"},
    {"wipe_failure", "{}", "Device wipe failed"},
    {"key_generated", "{\"success\":true,\"key_id\":\"k\",\"uid\":10001}",
     "Key generated: k (UID: 10001)"},
    {"key_generated", "{}", "Key generation failed: unknown (UID: )"},
    {"key_import", "{\"success\":1,\"key_id\":\"k\"}", "Key imported: k"},
    {"key_import", "{\"success\":false}", "Key import failed: unknown"},
    {"key_destruction", "{\"success\":true,\"key_id\":\"k\",\"uid\":1000}",
     "Key destroyed: k (UID: 1000)"},
    {"key_destruction", "{\"key_id\":\"k\",\"uid\":null}", "Key destruction failed: k (UID: None)"},
    {"user_restriction_added",
     "{\"admin_package\":\"com.mdm\",\"restriction\":\"no_debugging_features\"}",
     "User restriction added by com.mdm: no_debugging_features"},
    {"user_restriction_removed",
     "{\"admin_package\":\"com.mdm\",\"restriction\":\"no_usb_file_transfer\"}",
     "User restriction removed by com.mdm: no_usb_file_transfer"},
    {"cert_authority_installed", "{\"subject\":\"CN=A\",\"success\":true}", "Cert installed: CN=A"},
    {"cert_authority_installed", "{\"subject\":\"CN=A\"}", "Cert install failed: CN=A"},
    {"cert_authority_removed", "{\"subject\":\"CN=A\",\"success\":1}", "Cert removed: CN=A"},
    {"cert_authority_removed", "{\"success\":false}", "Cert removal failed: unknown"},
    {"crypto_self_test_completed", "1", "Crypto self test: passed"},
    {"crypto_self_test_completed", "true", "Crypto self test: passed"},
    {"crypto_self_test_completed", "\"1\"", "Crypto self test: FAILED"},
    {"crypto_self_test_completed", "{\"success\":true}", "Crypto self test: passed"},
    {"crypto_self_test_completed", "{}", "Crypto self test: FAILED"},
    {"key_integrity_violation", "{\"key_id\":\"k\",\"uid\":1000}", "Key integrity violation: k"},
    {"cert_validation_failure", "\"chain validation failed\"",
     "Certificate validation failure: chain validation failed"},
    {"cert_validation_failure", "{\"reason\":\"expired\"}",
     "Certificate validation failure: {'reason': 'expired'}"},
    {"camera_policy_set", "{\"admin_package\":\"com.mdm\",\"disabled\":true}",
     "Camera disabled by com.mdm"},
    {"camera_policy_set", "{\"admin_package\":\"com.mdm\"}", "Camera enabled by com.mdm"},
    {"password_complexity_required", "{\"admin_package\":\"com.mdm\",\"complexity\":196608}",
     "Password complexity required by com.mdm: 196608"},
    {"password_changed", "{\"complexity\":327680,\"user_id\":0}",
     "Password changed (complexity: 327680, user: 0)"},
    {"wifi_connection",
     "{\"bssid\":\"02:00:00:00:00:01\",\"event_type\":\"connected\",\"reason\":\"\"}",
     "WiFi connection: connected (BSSID: 02:00:00:00:00:01)"},
    {"wifi_connection",
     "{\"bssid\":\"02:00:00:00:00:01\",\"event_type\":\"failed\",\"reason\":\"auth\"}",
     "WiFi connection: failed (BSSID: 02:00:00:00:00:01) - auth"},
    {"wifi_disconnection", "{\"bssid\":\"02:00:00:00:00:01\",\"reason\":3}",
     "WiFi disconnection (BSSID: 02:00:00:00:00:01) - 3"},
    {"bluetooth_connection", "{\"mac_address\":\"02:00:00:00:00:02\",\"success\":true}",
     "Bluetooth connected: 02:00:00:00:00:02"},
    {"bluetooth_connection", "{\"mac_address\":\"02:00:00:00:00:02\",\"reason\":\"timeout\"}",
     "Bluetooth connection failed: 02:00:00:00:00:02 - timeout"},
    {"bluetooth_disconnection", "{\"mac_address\":\"02:00:00:00:00:02\"}",
     "Bluetooth disconnected: 02:00:00:00:00:02"},
    {"package_installed", "{\"package_name\":\"com.example\",\"version_code\":7,\"user_id\":0}",
     "Package Installed: com.example (v7, user: 0)"},
    {"package_updated", "{\"package_name\":\"com.example\",\"version_code\":8}",
     "Package Updated: com.example (v8, user: )"},
    {"package_uninstalled", "{\"package_name\":\"com.example\",\"version_code\":8,\"user_id\":10}",
     "Package Uninstalled: com.example (v8, user: 10)"},
    {"backup_service_toggled", "{\"admin_package\":\"com.mdm\",\"enabled\":1}",
     "Backup service enabled by com.mdm"},
    {"backup_service_toggled", "{\"admin_package\":\"com.mdm\",\"enabled\":false}",
     "Backup service disabled by com.mdm"},
    {"nfc_enabled", "{}", "NFC enabled"},
    {"nfc_disabled", "{}", "NFC disabled"},
    /* unknown tags: "<tag>: <str(value)>"; non-object payloads of known
     * tags read as empty */
    {"key_rotated", "{\"success\":true,\"key_id\":\"k\",\"f\":1.5,\"n\":null}",
     "key_rotated: {'success': True, 'key_id': 'k', 'f': 1.5, 'n': None}"},
    {"future_google_event", "[1, \"a\"]", "future_google_event: [1, 'a']"},
    {"media_mount", "null", "Media mounted:  ()"},
    /* the aliases read as the tags they stand for */
    {"adb_shell_command", "{\"command\":\"id\"}", "ADB shell command: id"},
    {"adb_sync_recv", "{\"path\":\"/sdcard/b.txt\"}", "File pulled via ADB: /sdcard/b.txt"},
    {"adb_sync_send", "{\"path\":\"/data/local/tmp/y\"}", "File pushed via ADB: /data/local/tmp/y"},
    {"media_mounted", "{\"mount_point\":\"/storage/0000-0001\",\"volume_label\":\"USB\"}",
     "Media mounted: /storage/0000-0001 (USB)"},
    {"media_unmounted", "{\"mount_point\":\"/storage/0000-0001\"}",
     "Media unmounted: /storage/0000-0001 ()"},
    {"wipe_failed", "{}", "Device wipe failed"},
    {"key_imported", "{\"success\":true,\"key_id\":\"k2\"}", "Key imported: k2"},
    {"key_destroyed", "{\"success\":false,\"key_id\":\"k2\",\"uid\":1000}",
     "Key destruction failed: k2 (UID: 1000)"},
};

static void test_timeline_every_tag(void **state)
{
    (void)state;
    const size_t n = sizeof CASES / sizeof CASES[0];
    spy_buf text = {0};
    for (size_t i = 0; i < n; i++) {
        char *line = spy_xasprintf("{\"security_event\":{\"event_id\":%zu,\"event_time\":%lld,"
                                   "\"%s\":%s}}\n",
                                   i, (1734337800LL + (long long)i) * 1000000000LL, CASES[i][0],
                                   CASES[i][1]);
        spy_buf_put(&text, line, strlen(line));
        free(line);
    }
    /* no tag: event "unknown", the record as Python shows it */
    const char *last = "{\"security_event\":{\"event_id\":999,\"event_time\":0}}\n";
    spy_buf_put(&text, last, strlen(last));
    mh_result r;
    it_run_text(&spy_mod_security_event, text.p, NULL, &r);
    spy_buf_free(&text);
    assert_int_equal(json_array_size(r.records), n + 1);
    assert_int_equal(json_array_size(r.timeline), n + 1);
    /* the time-less row sorts first */
    mt_row(&r, 0, "", "SecurityEvent", "unknown",
           "{'event_id': 999, 'event_time': 0, 'timestamp': None}");
    for (size_t i = 0; i < n; i++) {
        char ts[40];
        snprintf(ts, sizeof ts, "2024-12-16 08:%02zu:%02zu.000000", 30 + i / 60, i % 60);
        mt_row(&r, i + 1, ts, "SecurityEvent", CASES[i][0], CASES[i][2]);
    }
    mh_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_table),          cmocka_unit_test(test_records_and_heuristics),
        cmocka_unit_test(test_indicators),         cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_timeline_every_tag), cmocka_unit_test(test_alias_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
