/* BackupInfo module (spec/ios.md §4.1): the 18-key object from Info.plist
 * (null for missing keys, the date as Python's str(datetime)), no alerts
 * and no timeline; hostile Info.plist values; the version table helpers
 * behind the "outdated iOS" warning (§8). */
#include "module_test.h"

#include "modules/ios/ios_data.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_backup_info;

/* A backup whose Info.plist is `info` as it is (written after bf_finish, so
 * the XML stays the host's own text). */
static char *info_backup(const char *root, const char *info, size_t len)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_finish(b);
    char *path = tu_join(dir, "Info.plist");
    tu_write(path, info, len);
    free(path);
    return dir;
}

static void run_info(const char *info, size_t len, char **root, mh_result *r)
{
    *root = tu_mkdtemp();
    char *dir = info_backup(*root, info, len);
    mh_run_backup(&spy_mod_backup_info, dir, NULL, r);
    free(dir);
}

static void done(char *root, mh_result *r)
{
    mh_result_free(r);
    tu_rmtree(root);
    free(root);
}

static void test_record(void **state)
{
    (void)state;
    char *xml = mt_fixture("backup_info", "Info.plist");
    char *root;
    mh_result r;
    run_info(xml, strlen(xml), &root, &r);
    assert_int_equal(r.exit_code, 0);
    assert_true(json_is_object(r.records)); /* a mapping, not a list */
    mt_json(
        r.records,
        "{\"Build Version\":\"18F72\",\"Device Name\":\"Test iPhone\","
        "\"Display Name\":\"Test iPhone\",\"GUID\":\"5D1B6A1C0E7F4E2A9B3C8D7E6F5A4B3C\","
        "\"ICCID\":\"89410000000000000000\",\"IMEI\":\"356000000000000\",\"MEID\":null,"
        "\"Installed Applications\":[\"net.whatsapp.WhatsApp\",\"com.google.chrome.ios\"],"
        "\"Last Backup Date\":\"2021-07-18 10:20:30\",\"Phone Number\":\"+41 79 123 45 67\","
        "\"Product Name\":\"iPhone 13 Pro\",\"Product Type\":\"iPhone14,2\","
        "\"Product Version\":\"14.6\",\"Serial Number\":\"F2LXK0ABCDEF\","
        "\"Target Identifier\":\"00008110-000A1B2C3D4E5F60\",\"Target Type\":\"Device\","
        "\"Unique Identifier\":\"00008110-000A1B2C3D4E5F60\",\"iTunes Version\":\"12.12.4.1\"}");
    assert_int_equal(json_array_size(r.alerts), 0);
    assert_int_equal(json_array_size(r.timeline), 0);
    free(xml);
    done(root, &r);
}

/* Only one key, of an unexpected type, plus unknown keys: 17 nulls, the
 * value kept as it is. */
static void test_sparse(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
        "<key>Product Version</key><integer>17</integer>"
        "<key>Something New</key><string>x</string></dict></plist>\n";
    char *root;
    mh_result r;
    run_info(xml, sizeof xml - 1, &root, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_object_size(r.records), 18);
    mt_int(r.records, "Product Version", 17);
    mt_null(r.records, "Build Version");
    mt_null(r.records, "iTunes Version");
    assert_null(json_object_get(r.records, "Something New"));
    done(root, &r);
}

/* Invalid UTF-8 inside an XML string: a graded outcome, never a crash. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
        "<key>Device Name</key><string>bad \xff\xfe name</string></dict></plist>\n";
    char *root;
    mh_result r;
    run_info(xml, sizeof xml - 1, &root, &r);
    assert_true(r.exit_code == 0 || r.exit_code == 3 || r.exit_code == 4);
    assert_int_equal(json_array_size(r.alerts), 0);
    done(root, &r);
}

/* A truncated Info.plist: the backup cannot be opened (exit 3), no crash. */
static void test_truncated(void **state)
{
    (void)state;
    char *xml = mt_fixture("backup_info", "Info.plist");
    char *root;
    mh_result r;
    run_info(xml, strlen(xml) / 2, &root, &r);
    assert_int_not_equal(r.exit_code, 0);
    assert_null(r.records);
    free(xml);
    done(root, &r);
}

/* A top-level array: no object written, reported. */
static void test_wrong_type(void **state)
{
    (void)state;
    static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist "
                              "version=\"1.0\"><array><string>Product Version</string>"
                              "</array></plist>\n";
    char *root;
    mh_result r;
    run_info(xml, sizeof xml - 1, &root, &r);
    assert_int_not_equal(r.exit_code, 0);
    assert_null(r.records);
    done(root, &r);
}

/* spec §8: MVT's own examples, its build quirk, the model table. */
static void test_version_data(void **state)
{
    (void)state;
    assert_string_equal(spy_ios_latest_version(), "26.6.1");
    assert_true(spy_ios_is_outdated("20B110")); /* build of 16.1.2 */
    assert_true(spy_ios_is_outdated("16.3"));
    assert_false(spy_ios_is_outdated("38.2"));
    assert_false(spy_ios_is_outdated("26.6.1"));
    assert_true(spy_ios_is_outdated("26.6"));
    assert_true(spy_ios_is_outdated("16.10"));   /* numeric, not text order */
    assert_false(spy_ios_is_outdated("ZZZ999")); /* unknown build */
    assert_false(spy_ios_is_outdated("not.a.version"));
    assert_string_equal(spy_ios_version_by_build("8C148"), "4.2");  /* first entry wins */
    assert_string_equal(spy_ios_version_by_build("18f72"), "14.6"); /* upper-cased */
    assert_null(spy_ios_version_by_build("1A543a"));                /* MVT quirk: never matches */
    assert_string_equal(spy_ios_model_name("iPhone14,2"), "iPhone 13 Pro");
    assert_string_equal(spy_ios_model_name("iPhone18,4"), "iPhone Air");
    assert_null(spy_ios_model_name("iPad13,1"));
}

/* check-iocs ≡ check: BackupInfo has no check, so indicators equal to
 * saved values raise nothing, and its saved mapping re-reads cleanly. */
static void test_check_iocs(void **state)
{
    (void)state;
    char *xml = mt_fixture("backup_info", "Info.plist");
    char *root = tu_mkdtemp();
    char *dir = info_backup(root, xml, strlen(xml));
    const char *pats[] = {"[app:id='net.whatsapp.WhatsApp']", "[process:name='Test iPhone']", NULL};
    char *stix = mh_stix(pats);
    assert_int_equal(mt_check_iocs_same(&spy_mod_backup_info, dir, stix), 0);
    free(stix);
    free(dir);
    free(xml);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record),       cmocka_unit_test(test_sparse),
        cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_wrong_type),   cmocka_unit_test(test_version_data),
        cmocka_unit_test(test_check_iocs)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
