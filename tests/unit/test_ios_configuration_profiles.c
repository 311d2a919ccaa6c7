/* ConfigurationProfiles module (spec/ios.md §4.2): profile-* stubs of the
 * configuration-profiles group as exact records (binary values base64),
 * the Predator profile-id indicator (CRITICAL), the notification-settings
 * heuristic (MEDIUM, only with indicators), the install timeline, hostile
 * stubs, and check-iocs on saved results. */
#include "bplist_writer.h"
#include "core/mem.h"
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_configuration_profiles;

#define CP_DOMAIN "SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles"
#define STUB_A    "Library/ConfigurationProfiles/profile-1b9a5c0e77d2.stub"
#define STUB_B    "Library/ConfigurationProfiles/profile-8c2e41aa90b3.stub"
#define STUB_C    "Library/ConfigurationProfiles/profile-5d41d8cd98f0.stub"
/* Predator (amnesty-investigations/2021-12-16_cytrox/config_profiles.txt) */
#define PREDATOR "76DAB334-7E17-475D-A5D6-0794EB5818A5"

static const char *const PATTERNS[] = {"[configuration-profile:id='" PREDATOR "']", NULL};

static void add_bplist(bf_backup *b, const char *relpath, const json_t *v)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &buf, &len), 0);
    bf_add_file(b, CP_DOMAIN, relpath, buf, len);
    free(buf);
}

/* The fixture's files (relativePath -> plist), plus hostile stubs. */
static char *make_backup(const char *root, bool hostile)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char *text = mt_fixture("configuration_profiles", "default.json");
    json_t *files = json_loads(text, JSON_PRESERVE_ORDER, NULL);
    assert_non_null(files);
    const char *path;
    json_t *pl;
    json_object_foreach(files, path, pl)
    {
        if (path[0] != '_')
            add_bplist(b, path, pl);
    }
    if (hostile) {
        uint8_t *buf = NULL;
        size_t len = 0;
        assert_int_equal(bpw_write(json_object_get(files, STUB_A), NULL, &buf, &len), 0);
        bf_add_file(b, CP_DOMAIN, "Library/ConfigurationProfiles/profile-zz1.stub", buf, len / 2);
        free(buf);
        json_t *arr = json_pack("[s, i]", "PayloadUUID", 7);
        add_bplist(b, "Library/ConfigurationProfiles/profile-zz2.stub", arr);
        json_decref(arr);
        static const char bad_utf8[] =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
            "<key>PayloadDisplayName</key><string>Bad \xff\xfe name</string>"
            "<key>PayloadUUID</key><string>1234</string></dict></plist>\n";
        bf_add_file(b, CP_DOMAIN, "Library/ConfigurationProfiles/profile-zz3.stub", bad_utf8,
                    sizeof bad_utf8 - 1);
    }
    mt_info(b);
    bf_finish(b);
    json_decref(files);
    free(text);
    return dir;
}

static void assert_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 2);
    assert_string_equal(mh_alert_str(r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(r, 0, "message"),
                        "Found a known malicious configuration profile \"Wi-Fi Settings\" with "
                        "UUID \"" PREDATOR "\"");
    assert_string_equal(mh_alert_str(r, 0, "event_time"), "");
    assert_string_equal(mt_match(r, 0, "value"), PREDATOR);
    assert_string_equal(mt_match(r, 0, "type"), "ios_profile_ids");
    mt_str(json_object_get(json_array_get(r->alerts, 0), "event"), "relative_path", STUB_A);
    assert_string_equal(mh_alert_str(r, 1, "level"), "MEDIUM");
    assert_string_equal(mh_alert_str(r, 1, "message"),
                        "Found a potentially suspicious configuration profile \"Focus\" with "
                        "payload type com.apple.notificationsettings");
    assert_string_equal(mh_alert_str(r, 1, "event_time"), "");
    assert_null(mt_match(r, 1, "value"));
    mt_str(json_object_get(json_array_get(r->alerts, 1), "event"), "relative_path", STUB_B);
}

static void test_records_alerts_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, false);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_configuration_profiles, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* ProfileTruth.plist is in the domain but is not a profile-* stub */
    assert_int_equal(json_array_size(r.records), 3);
    char id[41];
    bf_file_id(CP_DOMAIN, STUB_A, id);
    char *want = spy_xasprintf(
        "{\"file_id\":\"%s\",\"relative_path\":\"" STUB_A "\",\"domain\":\"" CP_DOMAIN "\","
        "\"plist\":{\"PayloadDisplayName\":\"Wi-Fi Settings\",\"PayloadDescription\":"
        "\"Configures Wi-Fi\",\"PayloadIdentifier\":\"com.apple.wifi.managed.76DAB334\","
        "\"PayloadType\":\"Configuration\",\"PayloadUUID\":\"" PREDATOR "\","
        "\"PayloadVersion\":1,\"InstallDate\":\"2021-07-15 00:00:00.500000\","
        "\"SignerCerts\":[\"MIIBAQ==\"],\"PushTokenDataSentToServerKey\":\"3q2+7w==\","
        "\"PayloadContent\":[{\"PayloadType\":\"com.apple.wifi.managed\",\"PayloadUUID\":"
        "\"0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0\",\"SSID_STR\":\"Free Airport WiFi\","
        "\"PERSISTENT_REF\":\"AAECAw==\"}]},\"install_date\":\"2021-07-15 00:00:00.500000\"}",
        id);
    mt_json(mt_rec(&r, 0), want);
    free(want);
    /* python str() of a whole-second datetime has no fraction; ISO keeps it */
    mt_str(json_object_get(mt_rec(&r, 2), "plist"), "InstallDate", "2021-08-07 03:33:20");
    mt_str(mt_rec(&r, 2), "install_date", "2021-08-07 03:33:20.000000");
    mt_str(json_array_get(
               json_object_get(json_object_get(mt_rec(&r, 2), "plist"), "PayloadContent"), 0),
           "IdentityPersistentRef", "BAUG");
    /* OTAProfileStub binaries base64; other data as its bytes */
    mt_json(json_object_get(mt_rec(&r, 1), "plist"),
            "{\"PayloadDisplayName\":\"School MDM\",\"PayloadType\":\"Configuration\","
            "\"PayloadUUID\":\"" PREDATOR "-ENROLL\",\"LastPushTokenHash\":\"qrvM\","
            "\"UnknownBlob\":\"hi\",\"OTAProfileStub\":{\"SignerCerts\":[\"MAo=\",\"MAs=\"],"
            "\"PayloadContent\":{\"EnrollmentIdentityPersistentID\":\"AQID\",\"URL\":"
            "\"https://mdm.example.edu/enroll\"}}}");
    mt_str(mt_rec(&r, 1), "install_date", "");
    /* one-character decoy (B) and superstring decoy (C) do not match; C has
     * no PayloadContent, which stops MVT's whole check (quirk): B after it
     * is still checked (docs/differences-from-mvt.md) */
    assert_alerts(&r);
    assert_int_equal(json_array_size(r.timeline), 2);
    assert_true(mt_timeline_has(
        &r, "2021-07-15 00:00:00.500000", "ConfigurationProfiles", "configuration_profile_install",
        "Configuration installed: " PREDATOR " - Wi-Fi Settings: Configures Wi-Fi"));
    assert_true(mt_timeline_has(&r, "2021-08-07 03:33:20.000000", "ConfigurationProfiles",
                                "configuration_profile_install",
                                "Configuration installed: 76DAB334-7E17-475D-A5D6-0794EB5818A6"
                                " - Focus: Notification settings"));
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* Without indicators MVT runs no check at all, not even the heuristic;
 * check-iocs on the saved records then finds what a direct run finds. */
static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, false);
    mh_result clean;
    mh_run_backup(&spy_mod_configuration_profiles, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    mh_result c, direct;
    mt_check_iocs(&spy_mod_configuration_profiles, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    assert_alerts(&c);
    mh_run_backup(&spy_mod_configuration_profiles, dir, stix, &direct);
    mt_same_alerts(&direct, &c);
    mh_result_free(&direct);
    mh_result_free(&c);
    mh_result_free(&clean);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* Truncated, array-shaped and invalid-UTF-8 stubs: kept as records with an
 * empty plist (spec §4.2) or read as far as they are valid; no crash, and
 * the good stubs still alert. */
static void test_hostile(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, true);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_configuration_profiles, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 6);
    mt_json(json_object_get(mt_rec(&r, 3), "plist"), "{}");
    mt_str(mt_rec(&r, 3), "install_date", "");
    mt_json(json_object_get(mt_rec(&r, 4), "plist"), "{}");
    assert_true(json_is_object(json_object_get(mt_rec(&r, 5), "plist")));
    assert_alerts(&r);
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_absent(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    mt_info(b);
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_configuration_profiles, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0); /* not found is not a failure */
    assert_int_equal(json_array_size(r.alerts), 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_alerts_timeline), cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_hostile), cmocka_unit_test(test_absent)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
