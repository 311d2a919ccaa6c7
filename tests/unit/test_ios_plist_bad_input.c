/* Hostile plists for the nine plist-reading iOS modules, all run together
 * on one backup (issue #4): a reference cycle, nesting far too deep (binary
 * and XML), XML entities, the wrong top-level type, invalid UTF-8, unknown
 * keys, a 30 MB Info.plist and one above the limit; then check-iocs of a
 * saved results folder with truncated and foreign JSON. Each bad artifact
 * gives one clear line naming the file and the problem in command.log and
 * a graded outcome (a module whose only file is unusable failed; one bad
 * file among several is skipped), and the other modules go on. */
#include "module_test.h"

#include "acquire/commands.h"
#include "bplist_writer.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/run.h"
#include "modules/module_kit.h"

#include <openssl/evp.h>
#include <plist/plist.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CP_DOMAIN "SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles"
#define WK_PATH                                                                                    \
    "Library/WebKit/WebsiteData/ResourceLoadStatistics/full_browsing_session_resourceLog.plist"

extern const spy_module spy_mod_backup_info, spy_mod_configuration_profiles, spy_mod_profile_events,
    spy_mod_id_status_cache, spy_mod_locationd_clients, spy_mod_os_analytics_ad_daily,
    spy_mod_webkit_session_resource_log, spy_mod_applications, spy_mod_global_preferences;

static const spy_module *const PLIST_MODULES[] = {&spy_mod_backup_info,
                                                  &spy_mod_configuration_profiles,
                                                  &spy_mod_profile_events,
                                                  &spy_mod_id_status_cache,
                                                  &spy_mod_locationd_clients,
                                                  &spy_mod_os_analytics_ad_daily,
                                                  &spy_mod_webkit_session_resource_log,
                                                  &spy_mod_applications,
                                                  &spy_mod_global_preferences,
                                                  NULL};

/* ---- hostile plists --------------------------------------------------- */

/* {"a": <itself>}: a binary plist whose top dict refers to itself. */
static void cycle_bplist(uint8_t **out, size_t *len)
{
    bpw_raw *w = bpw_raw_new(1);
    uint64_t k = bpw_raw_ascii(w, "a");
    uint64_t self = bpw_raw_next(w);
    uint64_t top = bpw_raw_dict(w, &k, &self, 1);
    bpw_raw_finish(w, top, 0, out, len);
}

/* {"k": [[[...]]]} with `levels` nested arrays. */
static void deep_bplist(unsigned levels, uint8_t **out, size_t *len)
{
    bpw_raw *w = bpw_raw_new(2);
    uint64_t inner = bpw_raw_array(w, NULL, 0);
    for (unsigned i = 0; i < levels; i++)
        inner = bpw_raw_array(w, &inner, 1);
    uint64_t k = bpw_raw_ascii(w, "k");
    uint64_t top = bpw_raw_dict(w, &k, &inner, 1);
    bpw_raw_finish(w, top, 0, out, len);
}

static char *deep_xml(unsigned levels)
{
    size_t cap = 256 + (size_t)levels * 16;
    char *s = spy_xcalloc(1, cap);
    size_t n = (size_t)snprintf(s, cap,
                                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                "<plist version=\"1.0\"><dict><key>browsingStatistics</key>");
    for (unsigned i = 0; i < levels; i++)
        n += (size_t)snprintf(s + n, cap - n, "<array>");
    for (unsigned i = 0; i < levels; i++)
        n += (size_t)snprintf(s + n, cap - n, "</array>");
    snprintf(s + n, cap - n, "</dict></plist>\n");
    return s;
}

/* An internal entity, defined and used: must never be expanded. */
static const char ENTITY_XML[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist [<!ENTITY x \"EXPANDED-ENTITY\">]>\n"
    "<plist version=\"1.0\"><dict><key>ProfileEvents</key><array><dict>"
    "<key>76DAB334-7E17-475D-A5D6-0794EB5818A5</key><dict><key>operation</key>"
    "<string>&x;</string></dict></dict></array></dict></plist>\n";

/* A baseline entry whose process name is not UTF-8. */
static const char BAD_UTF8_XML[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<plist version=\"1.0\"><dict><key>netUsageBaseline</key><dict>"
    "<key>proc\xff\xfe</key><array><date>2021-06-23T07:24:16Z</date><integer>1</integer>"
    "<integer>2</integer><integer>3</integer><integer>4</integer></array>"
    "</dict></dict></plist>\n";

static void add_json_plist(bf_backup *b, const char *domain, const char *path, const char *json)
{
    json_t *v = json_loads(json, 0, NULL);
    assert_non_null(v);
    uint8_t *bin = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(v, NULL, &bin, &len), 0);
    bf_add_file(b, domain, path, bin, len);
    free(bin);
    json_decref(v);
}

/* ---- reading a run's outputs ------------------------------------------ */

/* Is there a command.log line holding both a and b? */
static bool log_has(const char *log, const char *a, const char *b)
{
    for (const char *line = log; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char *l = strndup(line, n);
        bool hit = strstr(l, a) && (!b || strstr(l, b));
        free(l);
        if (hit)
            return true;
        line = end ? end + 1 : NULL;
    }
    return false;
}

static void assert_log(const char *log, const char *a, const char *b)
{
    if (!log_has(log, a, b))
        fail_msg("no command.log line with \"%s\" and \"%s\" in:\n%s", a, b ? b : "", log);
}

static char *out_file(const mh_result *r, const char *name)
{
    char *p = tu_join(r->out_dir, name);
    char *s = tu_read(p, NULL);
    free(p);
    return s;
}

static json_t *out_json(const mh_result *r, const char *slug)
{
    char *name = spy_xasprintf("%s.json", slug), *p = tu_join(r->out_dir, name);
    json_t *j = json_load_file(p, JSON_ALLOW_NUL, NULL);
    free(p);
    free(name);
    return j;
}

/* ---- one backup, every module, every kind of damage ------------------- */

static void test_hostile_artifacts_others_go_on(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    uint8_t *bin = NULL;
    size_t len = 0;
    cycle_bplist(&bin, &len);
    bf_add_file(b, CP_DOMAIN, "Library/ConfigurationProfiles/profile-cycle.stub", bin, len);
    free(bin);
    bf_add_file(b, CP_DOMAIN, "Library/ConfigurationProfiles/MCProfileEvents.plist", ENTITY_XML,
                sizeof ENTITY_XML - 1);
    deep_bplist(200, &bin, &len);
    bf_add_file(b, "HomeDomain",
                "Library/Preferences/com.apple.identityservices.idstatuscache.plist", bin, len);
    free(bin);
    add_json_plist(b, "RootDomain", "Library/Caches/locationd/clients.plist",
                   "[{\"BundleId\": \"bh\"}]");
    bf_add_file(b, "HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist",
                BAD_UTF8_XML, sizeof BAD_UTF8_XML - 1);
    char *xml = deep_xml(500);
    bf_add_file(b, "AppDomain-com.example.browser", WK_PATH, xml, strlen(xml));
    free(xml);
    add_json_plist(b, "HomeDomain", "Library/Preferences/.GlobalPreferences.plist",
                   "{\"AppleLocale\": \"en_GB\", \"SpyscanUnknownKey\": {\"nested\": [1, 2]},"
                   " \"ZZUnknown\": {\"$data\": \"AQID\"}}");
    mt_info(b); /* no Applications: the Applications module finds nothing */
    bf_finish(b);

    mh_result r;
    mh_run(&spy_cmd_ios_check_backup, PLIST_MODULES, dir, NULL, "global_preferences", &r);
    /* modules whose only file is unusable failed; no finding */
    assert_int_equal(r.exit_code, 4);
    char *log = out_file(&r, "command.log");
    assert_non_null(log);

    /* cycle: reported, the stub kept with an empty plist (spec §4.2),
     * counted as skipped: the module itself went on */
    assert_log(log, "profile-cycle.stub: not a readable plist", "reference cycle");
    assert_false(log_has(log, "Module ConfigurationProfiles failed", NULL));
    json_t *cp = out_json(&r, "configuration_profiles");
    assert_int_equal(json_array_size(cp), 1);
    assert_int_equal(json_object_size(json_object_get(json_array_get(cp, 0), "plist")), 0);
    json_decref(cp);
    /* entity: refused, never expanded anywhere */
    assert_log(log, "MCProfileEvents.plist: not a readable plist", "XML");
    assert_null(strstr(log, "EXPANDED-ENTITY"));
    assert_log(log, "Module ProfileEvents failed", NULL);
    json_t *pe = out_json(&r, "profile_events");
    assert_int_equal(json_array_size(pe), 0);
    json_decref(pe);
    /* binary plist nested 200 deep */
    assert_log(log, "idstatuscache.plist: not a readable plist", "nesting deeper than 64");
    assert_log(log, "Module IDStatusCache failed", NULL);
    /* wrong top-level type */
    assert_log(log, "clients.plist", "not a dictionary");
    assert_log(log, "Module LocationdClients failed", NULL);
    /* invalid UTF-8 in a key: the record is kept, bytes as they are */
    json_t *oa = out_json(&r, "os_analytics_ad_daily");
    assert_int_equal(json_array_size(oa), 1);
    assert_int_equal(strncmp(spy_kit_str(json_array_get(oa, 0), "package"), "proc", 4), 0);
    json_decref(oa);
    /* XML nested 500 deep: refused before libplist recurses */
    assert_log(log, "full_browsing_session_resourceLog.plist", "nested deeper than 64");
    assert_log(log, "Module WebkitSessionResourceLog failed", NULL);
    /* unknown keys are records like any other */
    assert_int_equal(json_array_size(r.records), 3);
    mt_json(mt_find_str(r.records, "entry", "SpyscanUnknownKey"),
            "{\"entry\":\"SpyscanUnknownKey\",\"value\":{\"nested\":[1,2]}}");
    /* the untouched modules went on */
    json_t *bi = out_json(&r, "backup_info");
    mt_str(bi, "Product Version", "17.5.1");
    json_decref(bi);
    assert_log(log, "Info.plist has no Applications", NULL);

    free(log);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* ---- several files of one module (a dump's two clients.plist) --------- */

/* A test acquisition answering every query with two files: a truncated
 * binary plist, then a good one. */
typedef struct two_files {
    uint8_t *bad, *good;
    size_t bad_len, good_len;
} two_files;

static int two_find(const spy_acq *a, const spy_query *q, spy_artifacts *out)
{
    (void)a;
    spy_artifacts_add(out, NULL, q->globs[0], NULL, 0);
    spy_artifacts_add(out, NULL, q->globs[1], NULL, 0);
    return SPY_OK;
}

static int two_read(const spy_acq *a, const spy_artifact *art, size_t max, void **buf, size_t *len)
{
    (void)max;
    const two_files *f = a->impl;
    bool first = strstr(art->path, "mobile") != NULL;
    *len = first ? f->bad_len : f->good_len;
    *buf = spy_xmalloc(*len + 1);
    memcpy(*buf, first ? f->bad : f->good, *len);
    return SPY_OK;
}

static const spy_acq_ops two_ops = {.find = two_find, .read = two_read};

static void test_one_bad_file_among_two(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:{s:s, s:f}}", "com.example.notes", "BundleId", "com.example.notes",
                          "LocationTimeStopped", 700000000.5);
    two_files f = {0};
    assert_int_equal(bpw_write(v, NULL, &f.good, &f.good_len), 0);
    json_decref(v);
    f.bad = f.good;
    f.bad_len = f.good_len - 5;
    spy_acq acq = {.kind = SPY_ACQ_TEST, .path = "two", .impl = &f, .ops = &two_ops};
    spy_run r = {.acq = &acq, .threads = 1};
    spy_job job = {.module = &spy_mod_locationd_clients};
    spy_log_set_quiet(true);
    assert_int_equal(spy_run_jobs(&r, &job, 1), SPY_OK);
    /* the good file's client is kept, the bad file counted: the module ran */
    assert_int_equal(r.stats[0].status, SPY_MODST_OK);
    assert_int_equal(r.stats[0].records, 1);
    assert_int_equal(r.stats[0].skipped, 1);
    spy_run_free(&r);
    free(f.good);
}

/* ---- Info.plist at realistic and at hostile sizes --------------------- */

/* Deterministic filler bytes (icons do not compress, nor should these). */
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

#define BIG_APPS  2000
#define ICON_SIZE 9000
#define SINF_SIZE 1500

static plist_t big_app(unsigned i, uint8_t *icon)
{
    char id[64], name[64];
    snprintf(id, sizeof id, "com.example.app%04u", i);
    snprintf(name, sizeof name, "Example App %u", i);
    json_t *meta = json_pack(
        "{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:{s:{s:s, s:i}, s:s}}", "softwareVersionBundleId", id,
        "itemName", name, "artistName", "Example Developer Ltd", "bundleShortVersionString",
        "4.2.1", "itemId", 1000000 + (int)i, "genre", "Productivity", "sourceApp",
        "com.apple.AppStore", "com.apple.iTunesStore.downloadInfo", "accountInfo", "AppleID",
        "owner@example.org", "DSPersonID", 12345, "purchaseDate", "2023-05-01T10:00:00Z");
    uint8_t *bin = NULL;
    size_t len = 0;
    assert_int_equal(bpw_write(meta, NULL, &bin, &len), 0);
    json_decref(meta);
    plist_t app = plist_new_dict();
    plist_dict_set_item(app, "iTunesMetadata", plist_new_data((const char *)bin, len));
    free(bin);
    fill(icon, ICON_SIZE, i);
    plist_dict_set_item(app, "PlaceholderIcon", plist_new_data((const char *)icon, ICON_SIZE));
    uint8_t sinf[SINF_SIZE];
    fill(sinf, sizeof sinf, ~i);
    plist_dict_set_item(app, "ApplicationSINF", plist_new_data((const char *)sinf, sizeof sinf));
    return app;
}

static char *sha256_hex(const uint8_t *p, size_t n)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL);
    char *hex = spy_xmalloc(2 * mdlen + 1);
    for (unsigned i = 0; i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return hex;
}

/* A heavily used phone's Info.plist (thousands of apps with their metadata,
 * icons and SINFs) passes 30 MB; it must be read whole and every app kept. */
static void test_huge_info_plist(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_finish(b);
    plist_t info = plist_new_dict();
    plist_dict_set_item(info, "Product Version", plist_new_string("17.5.1"));
    plist_dict_set_item(info, "Product Type", plist_new_string("iPhone15,3"));
    plist_t apps = plist_new_dict();
    uint8_t *icon = spy_xmalloc(ICON_SIZE);
    char *icon_7 = NULL;
    for (unsigned i = 0; i < BIG_APPS; i++) {
        char id[64];
        snprintf(id, sizeof id, "com.example.app%04u", i);
        plist_dict_set_item(apps, id, big_app(i, icon));
        if (i == 7)
            icon_7 = sha256_hex(icon, ICON_SIZE);
    }
    free(icon);
    plist_dict_set_item(info, "Applications", apps);
    char *xml = NULL;
    uint32_t n = 0;
    plist_to_xml(info, &xml, &n);
    plist_free(info);
    assert_true(n > 30u * 1000u * 1000u);
    char *path = tu_join(dir, "Info.plist");
    tu_write(path, xml, n);
    free(xml);

    const spy_module *mods[] = {&spy_mod_backup_info, &spy_mod_applications, NULL};
    mh_result r;
    mh_run(&spy_cmd_ios_check_backup, mods, dir, NULL, "applications", &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), BIG_APPS);
    const json_t *app7 = mt_find_str(r.records, "name", "com.example.app0007");
    mt_str(app7, "itemName", "Example App 7");
    mt_str(app7, "icon_sha256", icon_7);
    mt_str(app7, "isodate", "2023-05-01 10:00:00.000000");
    assert_int_equal(json_array_size(r.timeline), BIG_APPS);
    json_t *bi = out_json(&r, "backup_info");
    mt_str(bi, "Product Type", "iPhone15,3");
    json_decref(bi);
    mh_result_free(&r);

    /* Above the ceiling: refused from its size alone, one line naming it. */
    assert_int_equal(truncate(path, (off_t)SPY_BPLIST_MAX_BYTES + 1), 0);
    char *log_path = tu_join(root, "stderr.log");
    FILE *err_log = fopen(log_path, "w+");
    spy_log_set_console(err_log);
    mh_run(&spy_cmd_ios_check_backup, mods, dir, NULL, "applications", &r);
    spy_log_set_console(stderr);
    fclose(err_log);
    assert_int_equal(r.exit_code, 3);
    char *log = tu_read(log_path, NULL);
    char limit[64];
    snprintf(limit, sizeof limit, "more than the %u", SPY_BPLIST_MAX_BYTES);
    assert_log(log, "Info.plist", limit);
    free(log);
    free(log_path);
    mh_result_free(&r);
    free(icon_7);
    free(path);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* ---- check-iocs on damaged saved results ------------------------------ */

static void save(const char *dir, const char *name, const char *text)
{
    char *p = tu_join(dir, name);
    tu_write_str(p, text);
    free(p);
}

static void test_check_iocs_damaged_results(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *saved = tu_join(root, "saved");
    assert_int_equal(mkdir(saved, 0700), 0);
    /* intact, with a Pegasus process: must still be found */
    save(saved, "os_analytics_ad_daily.json",
         "[{\"package\": \"roleaccountd\", \"ts\": \"2021-06-23 07:24:16.000000\", \"wifi_in\": 1,"
         " \"wifi_out\": 2, \"wwan_in\": 3, \"wwan_out\": 4}]");
    /* truncated after its first record, which holds the indicator */
    save(saved, "id_status_cache.json",
         "[{\"package\": \"com.apple.madrid\", \"user\": \"mailto:bekkerfredi@gmail.com\","
         " \"isodate\": \"2021-06-23 07:24:16.000000\", \"idstatus\": 1, \"occurrences\": 1},"
         " {\"package\": \"com.apple.madrid\", \"us");
    /* foreign JSON: a bare number, HTML, and an array of non-records */
    save(saved, "locationd_clients.json", "42\n");
    save(saved, "global_preferences.json", "<html><body>Not found</body></html>\n");
    save(saved, "profile_events.json", "[1, \"x\", null, []]");
    const char *pats[] = {"[process:name='roleaccountd']",
                          "[email-addr:value='bekkerfredi@gmail.com']", NULL};
    char *stix = mh_stix(pats);
    mh_result c;
    mh_check_iocs(&spy_cmd_ios_check_iocs, PLIST_MODULES, saved, stix, "os_analytics_ad_daily", &c);
    /* findings, and modules failed: 1 + 4 */
    assert_int_equal(c.exit_code, 5);
    assert_int_equal(json_array_size(c.alerts), 1);
    assert_string_equal(mt_match(&c, 0, "value"), "roleaccountd");
    char *alerts = out_file(&c, "alerts.json");
    json_t *all = json_loads(alerts, 0, NULL);
    assert_int_equal(json_array_size(all), 2); /* + the e-mail before the damage */
    json_decref(all);
    free(alerts);
    char *log = out_file(&c, "command.log");
    assert_log(log, "id_status_cache.json: ", "(1 records before it were checked)");
    assert_log(log, "locationd_clients.json: ", "at byte");
    assert_log(log, "global_preferences.json: ", "at byte");
    /* non-record elements are skipped and counted, never checked */
    assert_log(log, "profile_events.json: 4 saved records are not JSON objects", NULL);
    assert_false(log_has(log, "started operation", NULL));
    free(log);
    mh_result_free(&c);
    free(stix);
    free(saved);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_hostile_artifacts_others_go_on),
                                       cmocka_unit_test(test_one_bad_file_among_two),
                                       cmocka_unit_test(test_huge_info_plist),
                                       cmocka_unit_test(test_check_iocs_damaged_results)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
