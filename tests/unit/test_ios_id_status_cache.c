/* IDStatusCache module (spec/ios.md §5.7): records with occurrences, the
 * email indicator on mailto: entries (case-insensitive, decoys), the
 * two-NUL heuristic only with indicators, timeline, check-iocs
 * equivalence, hostile plists. */
#include "bplist_writer.h"
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_id_status_cache;

/* A Pegasus-related address (amnesty-investigations/2021-07-18_nso/emails.txt). */
static const char *const PATTERNS[] = {"[email-addr:value='bekkerfredi@gmail.com']", NULL};

#define RELPATH "Library/Preferences/com.apple.identityservices.idstatuscache.plist"

static char *plist_backup(const char *root, const void *data, size_t len)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_file(b, "HomeDomain", RELPATH, data, len);
    mt_info_version(b, "14.6");
    bf_finish(b);
    return dir;
}

static void run_bytes(const void *bytes, size_t len, const char *stix, char **root, mh_result *r)
{
    *root = tu_mkdtemp();
    char *dir = plist_backup(*root, bytes, len);
    mh_run_backup(&spy_mod_id_status_cache, dir, stix, r);
    free(dir);
}

static void run_fixture(const char *stix, char **root, mh_result *r)
{
    char *text = mt_fixture("id_status_cache", "default.json");
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bytes, &len), 0);
    run_bytes(bytes, len, stix, root, r);
    free(bytes);
    json_decref(v);
    free(text);
}

static void done(char *root, mh_result *r)
{
    mh_result_free(r);
    tu_rmtree(root);
    free(root);
}

static void assert_email_alert(const mh_result *r)
{
    mt_one_alert(r, "CRITICAL", "",
                 "Found a known suspicious email address \"BekkerFredi@Gmail.com\" matching "
                 "indicators from \"TestMalware\"",
                 "bekkerfredi@gmail.com", "emails");
    mt_json(json_object_get(json_array_get(r->alerts, 0), "event"),
            "{\"package\":\"com.apple.madrid\",\"user\":\"mailto:BekkerFredi@Gmail.com\","
            "\"isodate\":\"2021-06-23 06:44:16.250000\",\"idstatus\":1,\"occurrences\":1}");
}

static void test_records(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    char *root;
    mh_result r;
    run_fixture(stix, &root, &r);
    assert_int_equal(r.exit_code, 1);
    /* LastCleanupDate (not a dict) and the entry without LookupDate skipped */
    assert_int_equal(json_array_size(r.records), 5);
    mt_json(mt_rec(&r, 0),
            "{\"package\":\"com.apple.madrid\",\"user\":\"mailto:BekkerFredi@Gmail.com\","
            "\"isodate\":\"2021-06-23 06:44:16.250000\",\"idstatus\":1,\"occurrences\":1}");
    mt_json(mt_rec(&r, 1),
            "{\"package\":\"com.apple.madrid\",\"user\":\"tel:+41791234567\","
            "\"isodate\":\"2021-06-24 04:00:00.000000\",\"idstatus\":2,\"occurrences\":2}");
    mt_json(mt_rec(&r, 4),
            "{\"package\":\"com.apple.ess\",\"user\":\"tel:+41791234567\","
            "\"isodate\":\"2021-06-25 07:46:40.750000\",\"idstatus\":1,\"occurrences\":2}");
    assert_email_alert(&r); /* the two decoys do not match */
    assert_int_equal(json_array_size(r.timeline), 5);
    assert_true(mt_timeline_has(&r, "2021-06-23 06:44:16.250000", "IDStatusCache", "lookup",
                                "Lookup of mailto:BekkerFredi@Gmail.com within com.apple.madrid "
                                "(Status 1)"));
    assert_true(mt_timeline_has(&r, "2021-06-25 07:46:40.750000", "IDStatusCache", "lookup",
                                "Lookup of tel:+41791234567 within com.apple.ess (Status 1)"));
    free(stix);
    done(root, &r);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *root;
    mh_result clean;
    run_fixture(NULL, &root, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    mh_result direct, c;
    char *root2;
    run_fixture(stix, &root2, &direct);
    mt_check_iocs(&spy_mod_id_status_cache, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    assert_email_alert(&c);
    mt_same_alerts(&direct, &c);
    mh_result_free(&c);
    done(root2, &direct);
    free(stix);
    done(root, &clean);
}

static uint64_t raw_real(bpw_raw *w, double d)
{
    unsigned char b[9] = {0x23};
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)(u >> (56 - 8 * i));
    return bpw_raw_add(w, b, sizeof b);
}

/* {"com.apple.madrid": {<uri>: {"LookupDate": 646200000.0, "IDStatus": 1}}}
 * with the URI written as raw ASCII bytes (NULs or invalid UTF-8 inside). */
static void raw_cache(const unsigned char *uri, size_t n, uint8_t **out, size_t *len)
{
    bpw_raw *w = bpw_raw_new(1);
    unsigned char obj[64] = {(unsigned char)(0x50 | n)};
    assert_true(n < 15);
    memcpy(obj + 1, uri, n);
    uint64_t k_uri = bpw_raw_add(w, obj, n + 1);
    uint64_t k_date = bpw_raw_ascii(w, "LookupDate");
    uint64_t k_status = bpw_raw_ascii(w, "IDStatus");
    uint64_t v_date = raw_real(w, 646200000.0);
    uint64_t v_status = bpw_raw_int(w, 1);
    uint64_t ek[2] = {k_date, k_status}, ev[2] = {v_date, v_status};
    uint64_t entry = bpw_raw_dict(w, ek, ev, 2);
    uint64_t uris = bpw_raw_dict(w, &k_uri, &entry, 1);
    uint64_t k_svc = bpw_raw_ascii(w, "com.apple.madrid");
    uint64_t top = bpw_raw_dict(w, &k_svc, &uris, 1);
    bpw_raw_finish(w, top, 0, out, len);
}

/* The Pegasus zero-click pattern: two NUL bytes in the looked-up URI. */
static void test_nul_bytes(void **state)
{
    (void)state;
    static const unsigned char uri[] = {'t', 'e', 'l', ':', '+', '4', '1', 0, 0, '7'};
    uint8_t *bytes = NULL;
    size_t len = 0;
    raw_cache(uri, sizeof uri, &bytes, &len);
    char *root;
    mh_result r;
    run_bytes(bytes, len, NULL, &root, &r); /* without indicators: no alert */
    assert_int_equal(r.exit_code, 0);
    mt_str(mt_rec(&r, 0), "user", "tel:+41\\x00\\x007");
    assert_int_equal(json_array_size(r.alerts), 0);
    assert_true(mt_timeline_has(&r, "2021-06-24 04:00:00.000000", "IDStatusCache", "lookup",
                                "Lookup of tel:+41\\x00\\x007 within com.apple.madrid (Status 1)"));
    char *stix = mh_stix(PATTERNS);
    mh_result c;
    mt_check_iocs(&spy_mod_id_status_cache, r.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    assert_int_equal(json_array_size(c.alerts), 1);
    assert_string_equal(mh_alert_str(&c, 0, "level"), "HIGH");
    assert_string_equal(mh_alert_str(&c, 0, "message"),
                        "ID Status Cache entry with suspicious patterns: tel:+41\\x00\\x007");
    assert_string_equal(mh_alert_str(&c, 0, "event_time"), "");
    assert_true(json_is_null(json_object_get(json_array_get(c.alerts, 0), "matched_indicator")));
    mh_result_free(&c);
    free(stix);
    free(bytes);
    done(root, &r);
}

/* One NUL is not the pattern; a byte >= 0x80 in an "ASCII" string is read
 * as Latin-1, so records stay valid text. */
static void test_one_nul_and_invalid_utf8(void **state)
{
    (void)state;
    static const unsigned char uri[] = {'t', 'e', 'l', ':', 0xff, 0, '1'};
    uint8_t *bytes = NULL;
    size_t len = 0;
    raw_cache(uri, sizeof uri, &bytes, &len);
    char *stix = mh_stix(PATTERNS);
    char *root;
    mh_result r;
    run_bytes(bytes, len, stix, &root, &r);
    assert_int_equal(r.exit_code, 0);
    mt_str(mt_rec(&r, 0), "user", "tel:\xc3\xbf\\x001");
    assert_int_equal(json_array_size(r.alerts), 0);
    free(stix);
    free(bytes);
    done(root, &r);
}

static void test_hostile(void **state)
{
    (void)state;
    /* top level an array: reported; the only idstatuscache is unusable, so
     * the module failed (graded), no crash */
    json_t *v = json_loads("[{\"com.apple.madrid\":{}}]", 0, NULL);
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bytes, &len), 0);
    char *root;
    mh_result r;
    run_bytes(bytes, len, NULL, &root, &r);
    assert_int_equal(r.exit_code, 4);
    assert_true(r.records == NULL || json_array_size(r.records) == 0);
    done(root, &r);
    /* truncated */
    run_bytes(bytes, len - 4, NULL, &root, &r);
    assert_int_equal(r.exit_code, 4);
    assert_true(r.records == NULL || json_array_size(r.records) == 0);
    assert_int_equal(json_array_size(r.alerts), 0);
    done(root, &r);
    free(bytes);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records), cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_nul_bytes), cmocka_unit_test(test_one_nul_and_invalid_utf8),
        cmocka_unit_test(test_hostile)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
