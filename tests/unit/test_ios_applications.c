/* Applications (spec/ios.md §5.22) on a backup whose Info.plist (XML, as
 * the host writes it) holds an "Applications" dictionary: each app's
 * iTunesMetadata a binary plist in <data>, icons as <data>. The apps come
 * from tests/fixtures/ios/applications/default.json. */
#include "module_test.h"

#include "bplist_writer.h"

#include <openssl/evp.h>
#include <plist/plist.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_applications;

/* A NoviSpy app id (2024-12-16_serbia_novispy/package_names.txt) and a
 * Pegasus process name (2021-07-18_nso/processes.txt). */
static const char *const PATTERNS[] = {"[app:id='com.serv.services']",
                                       "[process:name='accountpfd']", NULL};

static plist_t data_node(const void *p, size_t n)
{
    return plist_new_data((const char *)p, (uint64_t)n);
}

/* One Applications entry: iTunesMetadata becomes a binary plist; other
 * {"$data"} values their bytes; bad_meta replaces the metadata bytes. */
static plist_t app_node(const json_t *app, const void *bad_meta, size_t bad_len)
{
    plist_t d = plist_new_dict();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)app, k, v)
    {
        if (!strcmp(k, "iTunesMetadata")) {
            uint8_t *bin = NULL;
            size_t len = 0;
            assert_int_equal(bpw_write(v, NULL, &bin, &len), 0);
            plist_dict_set_item(d, k,
                                bad_meta ? data_node(bad_meta, bad_len) : data_node(bin, len));
            free(bin);
        } else {
            const char *b64 = json_string_value(json_object_get(v, "$data"));
            unsigned char raw[256];
            size_t n = strlen(b64);
            assert_true(n % 4 == 0 && n / 4 * 3 <= sizeof raw);
            int got = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
            assert_true(got >= 0);
            plist_dict_set_item(d, k, data_node(raw, (size_t)got - (b64[n - 1] == '=')));
        }
    }
    return d;
}

/* <dir>/Info.plist: device fields plus `apps` (or, when apps_node is
 * given, that node as "Applications"). */
static void write_info(const char *dir, const json_t *apps, plist_t apps_node,
                       const char *bad_bundle)
{
    plist_t info = plist_new_dict();
    plist_dict_set_item(info, "Product Version", plist_new_string("17.5.1"));
    plist_dict_set_item(info, "Product Type", plist_new_string("iPhone14,2"));
    if (!apps_node) {
        apps_node = plist_new_dict();
        const char *k;
        json_t *v;
        static const uint8_t cut[] = {'b', 'p', 'l', 'i', 's', 't', '0', '0', 0xd1, 0x01};
        json_object_foreach((json_t *)apps, k, v)
        {
            bool bad = bad_bundle && !strcmp(k, bad_bundle);
            plist_dict_set_item(apps_node, k, app_node(v, bad ? cut : NULL, sizeof cut));
        }
    }
    plist_dict_set_item(info, "Applications", apps_node);
    char *xml = NULL;
    uint32_t n = 0;
    plist_to_xml(info, &xml, &n);
    char *path = tu_join(dir, "Info.plist");
    tu_write(path, xml, n);
    free(path);
    free(xml);
    plist_free(info);
}

static char *make_backup(const char *root, const char *name, plist_t apps_node,
                         const char *bad_bundle)
{
    char *dir = tu_join(root, name);
    bf_backup *b = bf_new(dir);
    bf_set_plists(b, NULL, NULL, NULL);
    bf_finish(b);
    char *text = mt_fixture("applications", "default.json");
    json_t *apps = json_loads(text, 0, NULL);
    assert_non_null(apps);
    write_info(dir, apps, apps_node, bad_bundle);
    json_decref(apps);
    free(text);
    return dir;
}

static void test_records_alerts_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "backup", NULL, NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_applications, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 6);
    mt_equal(mt_rec(&r, 0),
             "{\"name\": \"net.whatsapp.WhatsApp\", \"softwareVersionBundleId\": "
             "\"net.whatsapp.WhatsApp\", \"itemName\": \"WhatsApp Messenger\", \"artistName\": "
             "\"WhatsApp Inc.\", \"bundleShortVersionString\": \"2.21.140\", \"bundleVersion\": "
             "\"2.21.140.11\", \"itemId\": 310633997, \"genre\": \"Social Networking\", "
             "\"sourceApp\": \"com.apple.AppStore\", \"com.apple.iTunesStore.downloadInfo\": "
             "{\"accountInfo\": {\"AppleID\": \"user@example.org\", \"DSPersonID\": 12345}, "
             "\"purchaseDate\": \"2021-07-18T12:00:00Z\"}, \"icon_sha256\": "
             "\"7c85163b7dde5ab859a7eb2760e361d362915fdad680a24a3c3f37e31237704d\", "
             "\"isodate\": \"2021-07-18 12:00:00.000000\"}");
    /* no icon, no purchase date: neither key */
    mt_keys(mt_rec(&r, 2), "name,softwareVersionBundleId,itemName,sourceApp");

    assert_int_equal(json_array_size(r.alerts), 4);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 0, "message"),
                        "Found a known suspicious app with ID \"com.serv.services\" matching "
                        "indicators from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "");
    assert_string_equal(mt_match(&r, 0, "value"), "com.serv.services");
    assert_string_equal(mt_match(&r, 0, "type"), "app_ids");
    assert_string_equal(mh_alert_str(&r, 1, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 1, "message"),
                        "Malicious application accountpfd identified");
    assert_string_equal(mt_match(&r, 1, "type"), "processes");
    mt_str(json_object_get(json_array_get(r.alerts, 1), "event"), "name", "accountpfd");
    /* com.serv.servicesx (decoy, MDM-installed) raises nothing */
    assert_string_equal(mh_alert_str(&r, 2, "level"), "MEDIUM");
    assert_string_equal(mh_alert_str(&r, 2, "message"),
                        "Suspicious app not installed from the App Store or MDM: "
                        "com.example.altstore.app");
    assert_null(mt_match(&r, 2, "value"));
    assert_string_equal(mh_alert_str(&r, 3, "level"), "MEDIUM");
    assert_string_equal(mh_alert_str(&r, 3, "message"),
                        "Suspicious application identified without softwareVersionBundleId");

    assert_int_equal(json_array_size(r.timeline), 2);
    assert_true(mt_timeline_has(&r, "2021-07-18 12:00:00.000000", "Applications", "app_installed",
                                "App net.whatsapp.WhatsApp version 2.21.140 from WhatsApp Inc. "
                                "installed from com.apple.AppStore"));
    /* missing artist... -> empty text */
    assert_true(mt_timeline_has(&r, "2024-10-01 08:30:05.000000", "Applications", "app_installed",
                                "App com.serv.services version 1.0 from Serv installed from "
                                "com.apple.AppStore"));

    /* without indicators only the installer heuristic runs; check-iocs
     * of those saved results finds what the direct run found */
    mh_result clean, c;
    mh_run_backup(&spy_mod_applications, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 1);
    assert_string_equal(mh_alert_str(&clean, 0, "level"), "MEDIUM");
    mt_check_iocs(&spy_mod_applications, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    mt_same_alerts(&r, &c);
    mh_result_free(&c);
    mh_result_free(&clean);
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

static void test_hostile(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    /* one app's metadata is a truncated binary plist: skipped, others kept */
    char *dir = make_backup(root, "backup", NULL, "com.serv.services");
    mh_result r;
    mh_run_backup(&spy_mod_applications, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 5);
    mt_str(mt_rec(&r, 1), "name", "accountpfd");
    mh_result_free(&r);
    free(dir);

    /* Applications an array: reported, the module fails (exit 4) */
    plist_t arr = plist_new_array();
    plist_array_append_item(arr, plist_new_string("net.whatsapp.WhatsApp"));
    dir = make_backup(root, "backup2", arr, NULL);
    mh_run_backup(&spy_mod_applications, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    assert_null(r.records);
    mh_result_free(&r);
    free(dir);

    /* an entry that is not a dictionary and one with unknown keys only */
    plist_t d = plist_new_dict();
    plist_dict_set_item(d, "com.example.str", plist_new_string("not a dict"));
    plist_t odd = plist_new_dict();
    plist_dict_set_item(odd, "Unknown", plist_new_bool(1));
    plist_dict_set_item(d, "com.example.odd", odd);
    dir = make_backup(root, "backup3", d, NULL);
    mh_run_backup(&spy_mod_applications, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_alerts_timeline),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
