/* GlobalPreferences module (spec/ios.md §5.24): one {entry, value} record
 * per top-level key in file order, the Lockdown Mode alert (INFORMATIONAL
 * when on, LOW when off, nothing when absent), hostile plists. */
#include "bplist_writer.h"
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_global_preferences;

#define DOMAIN  "HomeDomain"
#define RELPATH "Library/Preferences/.GlobalPreferences.plist"

/* <root>/backup holding the plist bytes at the module's fixed fileID. */
static char *plist_backup(const char *root, const void *data, size_t len)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_file(b, DOMAIN, RELPATH, data, len);
    mt_info_version(b, "17.5.1");
    bf_finish(b);
    return dir;
}

/* The fixture as JSON (core/bplist.h conventions), with LDMGlobalEnabled
 * set to ldm (NULL: key removed). */
static json_t *fixture(const json_t *ldm)
{
    char *text = mt_fixture("global_preferences", "default.json");
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    free(text);
    if (ldm)
        json_object_set(v, "LDMGlobalEnabled", (json_t *)ldm);
    else
        json_object_del(v, "LDMGlobalEnabled");
    return v;
}

static void run_fixture(const json_t *ldm, const char *stix, char **root, mh_result *r)
{
    json_t *v = fixture(ldm);
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bytes, &len), 0);
    *root = tu_mkdtemp();
    char *dir = plist_backup(*root, bytes, len);
    mh_run_backup(&spy_mod_global_preferences, dir, stix, r);
    free(dir);
    free(bytes);
    json_decref(v);
}

static void done(char *root, mh_result *r)
{
    mh_result_free(r);
    tu_rmtree(root);
    free(root);
}

static void test_records_enabled(void **state)
{
    (void)state;
    char *root;
    mh_result r;
    run_fixture(json_true(), NULL, &root, &r);
    assert_int_equal(r.exit_code, 0); /* INFORMATIONAL is not a finding */
    assert_int_equal(json_array_size(r.records), 11);
    mt_json(mt_rec(&r, 0), "{\"entry\":\"AppleLanguages\",\"value\":[\"en-GB\",\"fr-FR\"]}");
    mt_json(mt_rec(&r, 1), "{\"entry\":\"AppleLocale\",\"value\":\"en_GB\"}");
    /* a plist date as Python's str(datetime) */
    mt_json(mt_rec(&r, 2),
            "{\"entry\":\"AKLastCheckInSuccessDate\",\"value\":\"2023-03-08 20:26:40.500000\"}");
    mt_json(mt_rec(&r, 3), "{\"entry\":\"AppleICUForce24HourTime\",\"value\":true}");
    mt_json(mt_rec(&r, 4), "{\"entry\":\"AKLastIDMSEnvironment\",\"value\":0}");
    mt_json(mt_rec(&r, 5),
            "{\"entry\":\"NSPreferredWebServices\",\"value\":{\"NSWebServicesProviderWebSearch\":"
            "{\"NSDefaultDisplayName\":\"Google\",\"NSProviderIdentifier\":\"com.google.www\"}}}");
    mt_json(mt_rec(&r, 6), "{\"entry\":\"LDMGlobalEnabled\",\"value\":true}");
    mt_json(mt_rec(&r, 9),
            "{\"entry\":\"com.apple.TextInput.kbd.AutocorrectionModelVersion\",\"value\":2.5}");
    /* data: its bytes (01 02 ff); the emitter writes the invalid byte as \xff */
    const json_t *blob = json_object_get(mt_rec(&r, 10), "value");
    assert_true(json_is_string(blob));
    assert_int_equal(json_string_length(blob), 6);
    assert_memory_equal(json_string_value(blob), "\x01\x02\\xff", 6);
    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "INFORMATIONAL");
    assert_string_equal(mh_alert_str(&r, 0, "message"), "Lockdown mode enabled");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "");
    assert_true(json_is_null(json_object_get(json_array_get(r.alerts, 0), "matched_indicator")));
    mt_json(json_object_get(json_array_get(r.alerts, 0), "event"),
            "{\"entry\":\"LDMGlobalEnabled\",\"value\":true}");
    assert_int_equal(json_array_size(r.timeline), 0); /* no timeline (spec §1.6) */
    done(root, &r);
}

static void test_disabled(void **state)
{
    (void)state;
    char *root;
    mh_result r;
    run_fixture(json_false(), NULL, &root, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "LOW");
    assert_string_equal(mh_alert_str(&r, 0, "message"), "Lockdown mode disabled");
    done(root, &r);
}

static void test_absent(void **state)
{
    (void)state;
    char *root;
    mh_result r;
    run_fixture(NULL, NULL, &root, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 10);
    assert_int_equal(json_array_size(r.alerts), 0);
    done(root, &r);
}

/* The heuristic needs no indicator, and check-iocs re-runs it on the
 * saved record with the same outcome. */
static void test_check_iocs(void **state)
{
    (void)state;
    static const char *const PATTERNS[] = {"[process:name='bh']", NULL};
    char *root;
    mh_result first;
    run_fixture(json_false(), NULL, &root, &first);
    char *stix = mh_stix(PATTERNS);
    mh_result c;
    mt_check_iocs(&spy_mod_global_preferences, first.out_dir, stix, &c);
    assert_int_equal(json_array_size(c.alerts), 1);
    mt_same_alerts(&first, &c);
    mh_result_free(&c);
    free(stix);
    done(root, &first);
}

static void test_not_found(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    mt_info_version(b, "17.5.1");
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_global_preferences, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0); /* absent is not a failure */
    assert_true(r.records == NULL || json_array_size(r.records) == 0);
    free(dir);
    done(root, &r);
}

static void expect_failure(const void *data, size_t len)
{
    char *root = tu_mkdtemp();
    char *dir = plist_backup(root, data, len);
    mh_result r;
    mh_run_backup(&spy_mod_global_preferences, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4); /* module failed, reported, others go on */
    assert_int_equal(json_array_size(r.alerts), 0);
    free(dir);
    done(root, &r);
}

static void test_truncated(void **state)
{
    (void)state;
    json_t *v = fixture(json_true());
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bytes, &len), 0);
    expect_failure(bytes, len / 2);
    free(bytes);
    json_decref(v);
}

static void test_wrong_type(void **state)
{
    (void)state;
    json_t *v = json_pack("[s, b]", "LDMGlobalEnabled", 1);
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bytes, &len), 0);
    expect_failure(bytes, len);
    free(bytes);
    json_decref(v);
}

/* A "ASCII" string object holding a byte >= 0x80: not UTF-8; the reader
 * takes it as Latin-1 (core/bplist.h), so the record stays valid text. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    bpw_raw *w = bpw_raw_new(1);
    uint64_t dict_idx = bpw_raw_next(w);
    uint64_t k = dict_idx + 1, val = dict_idx + 2;
    bpw_raw_dict(w, &k, &val, 1);
    bpw_raw_ascii(w, "AppleLocale");
    static const unsigned char bad[] = {0x53, 'e', 0xff, 'n'};
    bpw_raw_add(w, bad, sizeof bad);
    uint8_t *bytes = NULL;
    size_t len = 0;
    bpw_raw_finish(w, dict_idx, 0, &bytes, &len);
    char *root = tu_mkdtemp();
    char *dir = plist_backup(root, bytes, len);
    mh_result r;
    mh_run_backup(&spy_mod_global_preferences, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    mt_json(mt_rec(&r, 0), "{\"entry\":\"AppleLocale\",\"value\":\"e\xc3\xbf"
                           "n\"}");
    free(bytes);
    free(dir);
    done(root, &r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_enabled), cmocka_unit_test(test_disabled),
        cmocka_unit_test(test_absent),          cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_not_found),       cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_wrong_type),      cmocka_unit_test(test_invalid_utf8)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
