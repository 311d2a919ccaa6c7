/* LocationdClients module (spec/ios.md §5.9): clients.plist records (Mac
 * times as ISO with the 18-digit rule, ClientStorageToken base64, package
 * without trailing ':'), HIGH process and file-path indicator alerts in
 * MVT's order with its skips, decoys, the timeline, hostile plists and
 * check-iocs on saved results. */
#include "bplist_writer.h"
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_locationd_clients;

#define LC_PATH "Library/Caches/locationd/clients.plist"
#define ROLE_PKG                                                                                   \
    "com.apple.locationd.executable-/private/var/db/com.apple.xpc.roleaccountd.staging/"           \
    "roleaccountd"

static const char *const PATTERNS[] = {"[process:name='roleaccountd']", "[process:name='bh']",
                                       "[file:path='/private/var/tmp/hooker']",
                                       "[file:path='/private/var/tmp/UserEventAgent']", NULL};

static char *backup_with(const char *root, const void *data, size_t len)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_file(b, "RootDomain", LC_PATH, data, len);
    mt_info(b);
    bf_finish(b);
    return dir;
}

static char *make_backup(const char *root, size_t keep_permille)
{
    char *text = mt_fixture("locationd_clients", "default.json");
    json_t *pl = json_loads(text, JSON_PRESERVE_ORDER, NULL);
    assert_non_null(pl);
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(pl, NULL, &buf, &len), 0);
    char *dir = backup_with(root, buf, len * keep_permille / 1000);
    free(buf);
    json_decref(pl);
    free(text);
    return dir;
}

static void assert_alert(const mh_result *r, size_t i, const char *msg, const char *value,
                         const char *type, const char *package)
{
    assert_string_equal(mh_alert_str(r, i, "level"), "HIGH");
    assert_string_equal(mh_alert_str(r, i, "event_time"), "");
    assert_string_equal(mh_alert_str(r, i, "message"), msg);
    assert_string_equal(mt_match(r, i, "value"), value);
    assert_string_equal(mt_match(r, i, "type"), type);
    mt_str(json_object_get(json_array_get(r->alerts, i), "event"), "package", package);
}

static void assert_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 4);
    /* the package's process match skips the client's path checks */
    assert_alert(r, 0, "Found a suspicious process name in LocationD entry " ROLE_PKG,
                 "roleaccountd", "processes", ROLE_PKG);
    /* a BundleId match does not skip the BundlePath check */
    assert_alert(r, 1, "Found a suspicious process name in LocationD entry com.example.tracker",
                 "bh", "processes", "com.example.tracker");
    assert_alert(
        r, 2, "Found a suspicious file path in LocationD entry /private/var/tmp/hooker/Tracker.app",
        "/private/var/tmp/hooker", "file_paths", "com.example.tracker");
    /* com.example.notes: mybh, hooker.app, tmp2, /var/tmp are decoys */
    assert_alert(r, 3,
                 "Found a suspicious file path in LocationD entry /private/var/tmp/UserEventAgent",
                 "/private/var/tmp/UserEventAgent", "file_paths", "com.example.reg");
}

static void test_records_alerts_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, 1000);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_locationd_clients, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 5); /* non-dict values skipped */
    mt_json(mt_rec(&r, 0),
            "{\"BundleId\":\"com.apple.Maps\",\"BundlePath\":\"/Applications/Maps.app\","
            "\"Executable\":\"/Applications/Maps.app/Maps\",\"Registered\":\"\","
            "\"Authorization\":4,\"Whitelisted\":false,"
            "\"LocationTimeStopped\":\"2021-07-15 00:00:00.500000\","
            "\"ConsumptionPeriodBegin\":\"2021-04-13 09:46:40.123456\","
            "\"ClientStorageToken\":\"AAECAwQ=\",\"SupportedAuthorizationMask\":15,"
            "\"package\":\"com.apple.Maps\"}");
    mt_json(mt_rec(&r, 1), "{\"Executable\":\"/private/var/tmp/hooker/roleaccountd\","
                           "\"Registered\":true,\"SignificantTimeStopped\":\"2021-08-07 "
                           "03:33:20.000000\",\"Authorization\":2,\"package\":\"" ROLE_PKG "\"}");
    /* 18-digit integer: MVT keeps its first 9 digits */
    mt_str(mt_rec(&r, 2), "VisitTimeStopped", "2021-08-07 03:33:20.000000");
    mt_str(mt_rec(&r, 3), "FenceTimeStopped", "");
    assert_alerts(&r);
    assert_int_equal(json_array_size(r.timeline), 5);
    assert_true(mt_timeline_has(&r, "2021-07-15 00:00:00.500000", "LocationdClients",
                                "LocationTimeStopped", "LocationTimeStopped from com.apple.Maps"));
    assert_true(mt_timeline_has(&r, "2021-04-13 09:46:40.123456", "LocationdClients",
                                "ConsumptionPeriodBegin",
                                "ConsumptionPeriodBegin from com.apple.Maps"));
    assert_true(mt_timeline_has(&r, "2021-08-07 03:33:20.000000", "LocationdClients",
                                "SignificantTimeStopped", "SignificantTimeStopped from " ROLE_PKG));
    assert_true(mt_timeline_has(&r, "2021-08-07 03:33:20.000000", "LocationdClients",
                                "VisitTimeStopped", "VisitTimeStopped from com.example.tracker"));
    assert_true(mt_timeline_has(&r, "", "LocationdClients", "FenceTimeStopped",
                                "FenceTimeStopped from com.example.notes"));
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, 1000);
    mh_result clean;
    mh_run_backup(&spy_mod_locationd_clients, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    mh_result c, direct;
    mt_check_iocs(&spy_mod_locationd_clients, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    assert_alerts(&c);
    mh_run_backup(&spy_mod_locationd_clients, dir, stix, &direct);
    mt_same_alerts(&direct, &c);
    mh_result_free(&direct);
    mh_result_free(&c);
    mh_result_free(&clean);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* Truncated plist, an array instead of a dict, invalid UTF-8 in strings:
 * reported and graded (the only clients.plist unusable: the module failed),
 * the run completes, no crash. */
static void test_hostile(void **state)
{
    (void)state;
    static const char bad_utf8[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
        "<key>com.bad\xff:</key><dict><key>BundleId</key><string>b\xfe\xff</string>"
        "</dict></dict></plist>\n";
    json_t *arr = json_pack("[{s:s}]", "BundleId", "bh");
    uint8_t *abuf = NULL;
    size_t alen = 0;
    assert_int_equal(bpw_write(arr, NULL, &abuf, &alen), 0);
    char *stix = mh_stix(PATTERNS);
    for (int variant = 0; variant < 3; variant++) {
        char *root = tu_mkdtemp();
        char *dir = variant == 0   ? make_backup(root, 700)
                    : variant == 1 ? backup_with(root, abuf, alen)
                                   : backup_with(root, bad_utf8, sizeof bad_utf8 - 1);
        mh_result r;
        mh_run_backup(&spy_mod_locationd_clients, dir, stix, &r);
        assert_int_equal(r.exit_code, variant < 2 ? 4 : 0);
        assert_int_equal(json_array_size(r.alerts), 0);
        if (variant < 2)
            assert_int_equal(json_array_size(r.records), 0);
        mh_result_free(&r);
        tu_rmtree(root);
        free(root);
        free(dir);
    }
    free(stix);
    free(abuf);
    json_decref(arr);
}

static void test_absent(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    /* a clients.plist elsewhere is not the one MVT reads by fileID */
    bf_add_file(b, "HomeDomain", LC_PATH, "x", 1);
    mt_info(b);
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_locationd_clients, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
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
