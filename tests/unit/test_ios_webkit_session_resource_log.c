/* WebkitSessionResourceLog (spec/ios.md §5.18) on real-shaped
 * full_browsing_session_resourceLog.plist files (binary plists built from
 * tests/fixtures/ios/webkit_session_resource_log/ JSON files) of two apps. */
#include "module_test.h"

#include "bplist_writer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_webkit_session_resource_log;

#define RELPATH                                                                                    \
    "Library/WebKit/WebsiteData/ResourceLoadStatistics/full_browsing_session_resourceLog.plist"
#define SAFARI "AppDomain-com.apple.mobilesafari"
#define READER "AppDomain-com.example.reader"

/* Pegasus domains (amnesty-investigations/2021-07-18_nso/domains.txt). */
static const char *const PATTERNS[] = {"[domain-name:value='24-7clinic.com']",
                                       "[domain-name:value='1minto-start.com']",
                                       "[domain-name:value='301-redirecting.com']", NULL};

static void add_plist(bf_backup *b, const char *domain, const char *fixture)
{
    char *text = mt_fixture("webkit_session_resource_log", fixture);
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    assert_non_null(v);
    uint8_t *bin = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bin, &len), 0);
    bf_add_file(b, domain, RELPATH, bin, len);
    free(bin);
    json_decref(v);
    free(text);
}

/* The mapping key of a backup file: its content-file path. */
static char *key_of(const char *dir, const char *domain)
{
    char id[41], rel[64];
    bf_file_id(domain, RELPATH, id);
    snprintf(rel, sizeof rel, "%.2s/%s", id, id);
    return tu_join(dir, rel);
}

static const json_t *items_of(const mh_result *r, const char *dir, const char *domain)
{
    char *k = key_of(dir, domain);
    const json_t *items = json_object_get(r->records, k);
    if (!items)
        fail_msg("no result key %s", k);
    free(k);
    return items;
}

static char *make_backup(const char *root)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    add_plist(b, SAFARI, "safari.json");
    add_plist(b, READER, "reader.json");
    mt_info(b);
    bf_finish(b);
    return dir;
}

static void test_records_and_alerts(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_webkit_session_resource_log, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_true(json_is_object(r.records));
    assert_int_equal(json_object_size(r.records), 2);

    const json_t *safari = items_of(&r, dir, SAFARI);
    assert_int_equal(json_array_size(safari), 4);
    mt_equal(json_array_get(safari, 0),
             "{\"origin\": \"example.org\", \"redirect_source\": [], \"redirect_destination\": [],"
             " \"subframe_under_origin\": [], \"subresource_under_origin\": [{\"origin\": "
             "\"cdn.example.org\", \"domain\": \"example.org\"}], \"user_interaction\": true,"
             " \"most_recent_interaction\": \"2021-07-18 12:00:00.000000\","
             " \"last_seen\": \"2021-07-18 12:00:01.250000\"}");
    /* missing lists and dates become "", a missing flag null */
    mt_equal(
        json_array_get(safari, 3),
        "{\"origin\": \"wikipedia.org\", \"redirect_source\": \"\", \"redirect_destination\":"
        " \"\", \"subframe_under_origin\": \"\", \"subresource_under_origin\": \"\","
        " \"user_interaction\": null, \"most_recent_interaction\": \"\", \"last_seen\": \"\"}");
    const json_t *reader = items_of(&r, dir, READER);
    assert_int_equal(json_array_size(reader), 1);
    /* a zero date is no date */
    mt_str(json_array_get(reader, 0), "most_recent_interaction", "");
    mt_str(json_array_get(reader, 0), "last_seen", "2021-07-18 14:00:00.000000");

    /* per item: CRITICAL for its first matching domain only (news.example.com
     * also loads 301-redirecting.com), then the HIGH path; decoys my24-7clinic.com and
     * 24-7clinic.com.evil.net do not match */
    assert_int_equal(json_array_size(r.alerts), 4);
    size_t s = strstr(mh_alert_str(&r, 0, "message"), "24-7clinic") ? 0 : 2;
    size_t w = 2 - s;
    assert_string_equal(mh_alert_str(&r, s, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, s, "message"),
                        "Found a known suspicious domain 24-7clinic.com matching indicator "
                        "\"24-7clinic.com\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, s, "event_time"), "");
    assert_string_equal(mt_match(&r, s, "value"), "24-7clinic.com");
    assert_string_equal(mt_match(&r, s, "type"), "domains");
    mt_str(json_object_get(json_array_get(r.alerts, s), "event"), "origin", "news.example.com");
    assert_string_equal(mh_alert_str(&r, s + 1, "level"), "HIGH");
    assert_string_equal(mh_alert_str(&r, s + 1, "message"),
                        "Found HTTP redirect between suspicious domains: SOURCE: \"t.example.net\" "
                        "-> ORIGIN: \"news.example.com\" -> DESTINATION: \"24-7clinic.com\"");
    assert_null(mt_match(&r, s + 1, "value"));
    assert_string_equal(mt_match(&r, w, "value"), "1minto-start.com");
    assert_string_equal(mh_alert_str(&r, w + 1, "message"),
                        "Found HTTP redirect between suspicious domains: ORIGIN: "
                        "\"1minto-start.com\"");
    assert_int_equal(json_array_size(r.timeline), 0);

    /* check-iocs on what a run without indicators saved finds the same */
    mh_result clean, c;
    mh_run_backup(&spy_mod_webkit_session_resource_log, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    mt_check_iocs(&spy_mod_webkit_session_resource_log, clean.out_dir, stix, &c);
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

/* A plist whose origin is ASCII-marked but holds a byte that is not UTF-8. */
static void raw_bad_utf8(uint8_t **out, size_t *len)
{
    bpw_raw *w = bpw_raw_new(1);
    uint64_t top_key = bpw_raw_ascii(w, "browsingStatistics");
    uint64_t k = bpw_raw_ascii(w, "PrevalentResourceOrigin");
    static const uint8_t bad[] = {0x56, 'e', 'v', 'i', 'l', 0xff, '!'};
    uint64_t v = bpw_raw_add(w, bad, sizeof bad);
    uint64_t item = bpw_raw_dict(w, &k, &v, 1);
    uint64_t arr = bpw_raw_array(w, &item, 1);
    uint64_t top = bpw_raw_dict(w, &top_key, &arr, 1);
    bpw_raw_finish(w, top, 0, out, len);
}

static void test_hostile(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    add_plist(b, SAFARI, "safari.json");
    /* truncated binary plist, an array where a dict is expected, bad UTF-8 */
    char *text = mt_fixture("webkit_session_resource_log", "reader.json");
    json_t *v = json_loads(text, 0, NULL);
    uint8_t *bin = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bin, &len), 0);
    bf_add_file(b, READER, RELPATH, bin, len / 2);
    free(bin);
    json_t *arr = json_pack("[O]", v);
    assert_int_equal(bpw_write(arr, NULL, &bin, &len), 0);
    bf_add_file(b, "AppDomain-com.example.array", RELPATH, bin, len);
    free(bin);
    raw_bad_utf8(&bin, &len);
    bf_add_file(b, "AppDomain-com.example.utf8", RELPATH, bin, len);
    free(bin);
    json_decref(arr);
    json_decref(v);
    free(text);
    mt_info(b);
    bf_finish(b);

    mh_result r;
    char *stix = mh_stix(PATTERNS);
    mh_run_backup(&spy_mod_webkit_session_resource_log, dir, stix, &r);
    /* the readable files are kept, the two bad ones reported and skipped */
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_object_size(r.records), 2);
    assert_int_equal(json_array_size(items_of(&r, dir, SAFARI)), 4);
    const json_t *u = items_of(&r, dir, "AppDomain-com.example.utf8");
    assert_int_equal(json_array_size(u), 1);
    assert_non_null(json_object_get(json_array_get(u, 0), "origin"));
    mh_result_free(&r);
    free(dir);

    /* no readable file at all: the module fails (exit 4), nothing written */
    dir = tu_join(root, "backup2");
    b = bf_new(dir);
    static const char junk[] = "bplist00 not really";
    bf_add_file(b, SAFARI, RELPATH, junk, sizeof junk - 1);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_webkit_session_resource_log, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    assert_null(r.records);
    mh_result_free(&r);
    free(dir);

    /* absent file: not found, not a failure */
    dir = tu_join(root, "backup3");
    b = bf_new(dir);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_webkit_session_resource_log, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    free(dir);
    free(stix);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_and_alerts),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
