/* The real public indicator files of ../shared/iocs: counts of
 * spec/iocs.md §12, lists vs STIX2, and matches on real values. Skipped
 * (exit 77) when ../shared is absent. */
#include "iocs_test_helpers.h"

typedef struct expected {
    const char *rel;
    const char *name;
    size_t total;
    /* per key, in spy_ioc_key order up to SPY_KEY_ANDROID_PROPERTY */
    size_t k[SPY_KEY_COMPOUND];
} expected;

#define AI "iocs/amnesty-investigations/"
#define MI "iocs/mvt-indicators/"

/*                     dom   ip4  url proc email fname fpath md5 sha1 sha256 sha512 cmd5 csha1
 * csha256 app prof prop */
static const expected k_files[] = {
    {AI "2021-07-18_nso/pegasus.stix2",
     "Pegasus",
     1549,
     {1438, 0, 0, 81, 29, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {AI "2021-12-16_cytrox/cytrox.stix2",
     "Predator",
     343,
     {336, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}},
    {AI "2023-03-29_android_campaign/malware.stix2",
     "MercenarySpywareCampaign",
     2187,
     {2183, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3}},
    {AI "2024-05-02_wintego_helios/wintego_helios.stix2",
     "Wintego Helios",
     175,
     {175, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {AI "2024-12-16_serbia_novispy/novispy.stix2",
     "NoviSpy",
     18,
     {7, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 3, 4, 0, 0}},
    {MI "2022-06-23_rcs_lab/rcs.stix2",
     "RCSLab",
     40,
     {26, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 5, 0, 0}},
    {MI "2023-04-11_quadream/kingspawn.stix2",
     "KingSpawn",
     167,
     {164, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {MI "2023-06_01_operation_triangulation/operation_triangulation.stix2",
     "OperationTriangulation",
     112,
     {75, 0, 0, 1, 36, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {MI "2023-07-25_wyrmspy_dragonegg/wyrmspy_dragonegg.stix2",
     "WyrmSpy_DragonEgg",
     53,
     {7, 5, 0, 0, 0, 0, 0, 0, 0, 34, 0, 0, 0, 0, 7, 0, 0}},
    {MI "2024-12-25_eaglemsgspy/eaglemsgspy.stix2",
     "EagleMsgSpy",
     51,
     {13, 13, 0, 0, 0, 0, 0, 0, 0, 25, 0, 0, 0, 0, 0, 0, 0}},
    {MI "2026-03-03_coruna_cryptowaters/coruna.stix2",
     "Coruna",
     216,
     {177, 0, 0, 0, 0, 7, 12, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0}},
    {MI "2026-03-30_darksword/darksword.stix2",
     "DarkSword",
     43,
     {10, 3, 0, 0, 0, 7, 22, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}},
    {MI "ResidentBat/residentbat.stix2",
     "ResidentBat",
     48,
     {0, 24, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 8, 8, 0, 0}},
    {MI "candiru/candiru.stix2",
     "Candiru",
     125,
     {125, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {MI "cellebrite/cellebrite.stix2",
     "Cellebrite",
     1,
     {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}},
    {MI "intellexa_predator/predator.stix2",
     "Predator",
     585,
     {569, 0, 0, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}},
};
#define N_FILES   (sizeof k_files / sizeof *k_files)
#define FIRST_MVT 5

static spy_iocs *load_one(const char *rel)
{
    char *p = tu_shared_path_or_skip(rel);
    spy_iocs *set;
    spy_iocs_new(&set);
    unsigned long w = spy_log_warning_count();
    assert_int_equal(spy_iocs_load_stix2_file(set, p), SPY_OK);
    assert_int_equal(spy_log_warning_count(), w);
    spy_iocs_finalize(set);
    free(p);
    return set;
}

static void test_counts_per_file(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FILES; i++) {
        const expected *x = &k_files[i];
        spy_iocs *set = load_one(x->rel);
        assert_int_equal(spy_iocs_collection_count(set), 1);
        const spy_ioc_collection_info *c = spy_iocs_collection(set, 0);
        assert_string_equal(c->name, x->name);
        if (c->count != x->total)
            fail_msg("%s: %zu indicators, expected %zu", x->rel, c->count, x->total);
        for (int k = 0; k < SPY_KEY_COMPOUND; k++)
            if (c->key_counts[k] != x->k[k])
                fail_msg("%s: %s %zu, expected %zu", x->rel, spy_ioc_key_name((spy_ioc_key)k),
                         c->key_counts[k], x->k[k]);
        assert_int_equal(c->key_counts[SPY_KEY_COMPOUND], 0);
        assert_int_equal(spy_iocs_unsupported_count(set), 0);
        assert_int_equal(spy_iocs_file_count(set), 1);
        assert_int_equal(strlen(spy_iocs_file_sha256(set, 0)), 64);
        spy_iocs_free(set);
    }
    spy_iocs *peg = load_one(k_files[0].rel);
    assert_string_equal(spy_iocs_collection(peg, 0)->description, "IOCs for Pegasus");
    spy_iocs_free(peg);
}

/* §12.2 totals, in keys and in MVT's buckets. */
static void test_mvt_indicators_totals(void **state)
{
    (void)state;
    size_t key[SPY_KEY_COUNT] = {0}, bucket[SPY_BUCKET_COUNT] = {0}, total = 0;
    for (size_t i = FIRST_MVT; i < N_FILES; i++) {
        spy_iocs *set = load_one(k_files[i].rel);
        const spy_ioc_collection_info *c = spy_iocs_collection(set, 0);
        for (int k = 0; k < SPY_KEY_COMPOUND; k++) {
            key[k] += c->key_counts[k];
            bucket[spy_ioc_key_bucket((spy_ioc_key)k)] += c->key_counts[k];
        }
        total += spy_iocs_total(set);
        spy_iocs_free(set);
    }
    assert_int_equal(total, 1441);
    assert_int_equal(key[SPY_KEY_DOMAIN], 1166);
    assert_int_equal(key[SPY_KEY_IPV4], 45);
    assert_int_equal(bucket[SPY_BUCKET_DOMAINS], 1211);
    assert_int_equal(bucket[SPY_BUCKET_PROCESSES], 2);
    assert_int_equal(bucket[SPY_BUCKET_EMAILS], 36);
    assert_int_equal(bucket[SPY_BUCKET_FILE_NAMES], 14);
    assert_int_equal(bucket[SPY_BUCKET_FILE_PATHS], 51);
    assert_int_equal(bucket[SPY_BUCKET_FILES_SHA256], 97);
    assert_int_equal(bucket[SPY_BUCKET_APP_IDS], 21);
    assert_int_equal(bucket[SPY_BUCKET_APP_CERT_HASHES], 8);
    assert_int_equal(bucket[SPY_BUCKET_IOS_PROFILE_IDS], 1);
    assert_int_equal(bucket[SPY_BUCKET_URLS], 0);
    assert_int_equal(bucket[SPY_BUCKET_FILES_MD5] + bucket[SPY_BUCKET_FILES_SHA1], 0);
    assert_int_equal(bucket[SPY_BUCKET_ANDROID_PROPERTY_NAMES], 0);
}

/* -i ../shared/iocs: every bundle, recursively, without a warning. */
static void test_whole_folder(void **state)
{
    (void)state;
    char *dir = tu_shared_path_or_skip("iocs");
    spy_iocs *set;
    spy_iocs_new(&set);
    unsigned long w = spy_log_warning_count(), e = spy_log_error_count();
    assert_int_equal(spy_iocs_load_path(set, dir), SPY_OK);
    assert_int_equal(spy_log_warning_count(), w);
    assert_int_equal(spy_log_error_count(), e);
    spy_iocs_finalize(set);
    assert_int_equal(spy_iocs_total(set), 1549 + 343 + 2187 + 175 + 18 + 1441);
    assert_int_equal(spy_iocs_collection_count(set), N_FILES);
    assert_int_equal(spy_iocs_file_count(set), N_FILES);
    /* a real Predator configuration profile, and a real Pegasus process */
    ft_expect(set, SPY_CHECK_PROFILE_ID, "76DAB334-7E17-475D-A5D6-0794EB5818A5",
              "76DAB334-7E17-475D-A5D6-0794EB5818A5", NULL);
    ft_expect(set, SPY_CHECK_PROCESS, "com.apple.Mappit", "com.apple.Mappit.SnapshotService",
              "Found a truncated known suspicious process name \"com.apple.Mappit\" matching "
              "indicators from \"Pegasus\"");
    spy_iocs_free(set);
    free(dir);
}

/* Every line of a list file matches in the set built from its STIX2 file,
 * with the same collection name as the list's. */
static void check_list_values(const spy_iocs *stix, const char *rel, spy_check_kind kind,
                              const char *coll)
{
    char *p = tu_shared_path_or_skip(rel);
    size_t len;
    char *data = tu_read(p, &len);
    assert_non_null(data);
    size_t n = 0;
    for (char *line = data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\r' || line[l - 1] == ' '))
            line[--l] = '\0';
        if (!l)
            continue;
        spy_ioc_match m;
        if (!spy_iocs_check(stix, NULL, kind, line, &m))
            fail_msg("%s: '%s' does not match", rel, line);
        assert_string_equal(m.name, coll);
        spy_ioc_match_clear(&m);
        n++;
    }
    assert_true(n > 0);
    free(data);
    free(p);
}

typedef struct listdef {
    const char *type;
    const char *file;
} listdef;

static void compare_lists(const char *stix_rel, const char *dir_rel, const listdef *lists,
                          size_t nlists)
{
    spy_iocs *stix = load_one(stix_rel);
    spy_iocs *fromlists;
    spy_iocs_new(&fromlists);
    const char *folder = strrchr(dir_rel, '/') + 1;
    for (size_t i = 0; i < nlists; i++) {
        char *rel = spy_xasprintf("%s/%s", dir_rel, lists[i].file);
        char *p = tu_shared_path_or_skip(rel);
        assert_int_equal(spy_iocs_load_list(fromlists, lists[i].type, p), SPY_OK);
        assert_string_equal(spy_iocs_collection(fromlists, i)->name, folder);
        free(rel);
        free(p);
    }
    spy_iocs_finalize(fromlists);
    size_t sum[SPY_KEY_COUNT] = {0};
    for (size_t i = 0; i < spy_iocs_collection_count(fromlists); i++)
        for (int k = 0; k < SPY_KEY_COUNT; k++)
            sum[k] += spy_iocs_collection(fromlists, i)->key_counts[k];
    for (int k = 0; k < SPY_KEY_COUNT; k++)
        if (sum[k] != spy_iocs_collection(stix, 0)->key_counts[k])
            fail_msg("%s: %s lists %zu, STIX2 %zu", dir_rel, spy_ioc_key_name((spy_ioc_key)k),
                     sum[k], spy_iocs_collection(stix, 0)->key_counts[k]);
    assert_int_equal(spy_iocs_total(fromlists), spy_iocs_total(stix));
    spy_iocs_free(stix);
    spy_iocs_free(fromlists);
}

static void test_lists_equal_stix(void **state)
{
    (void)state;
    static const listdef peg[] = {{"domain", "domains.txt"},
                                  {"process", "processes.txt"},
                                  {"email", "emails.txt"},
                                  {"file_name", "files.txt"}};
    compare_lists(k_files[0].rel, AI "2021-07-18_nso", peg, 4);
    static const listdef cyt[] = {{"domain", "domains.txt"},
                                  {"file_path", "file_paths.txt"},
                                  {"profile_id", "config_profiles.txt"}};
    compare_lists(k_files[1].rel, AI "2021-12-16_cytrox", cyt, 3);
    static const listdef andr[] = {{"domain", "domains.txt"},
                                   {"file_path", "file_paths.txt"},
                                   {"android_property", "android_properties.txt"}};
    compare_lists(k_files[2].rel, AI "2023-03-29_android_campaign", andr, 3);
    static const listdef novi[] = {{"domain", "domains.txt"},
                                   {"app_id", "package_names.txt"},
                                   {"sha256", "sha256.txt"},
                                   {"cert_sha256", "package_cert_hashes.txt"}};
    compare_lists(k_files[4].rel, AI "2024-12-16_serbia_novispy", novi, 4);
}

/* Every real value matches through its check, attributed to its family. */
static void test_real_values_match(void **state)
{
    (void)state;
    spy_iocs *peg = load_one(k_files[0].rel);
    check_list_values(peg, AI "2021-07-18_nso/domains.txt", SPY_CHECK_URL, "Pegasus");
    check_list_values(peg, AI "2021-07-18_nso/processes.txt", SPY_CHECK_PROCESS, "Pegasus");
    check_list_values(peg, AI "2021-07-18_nso/emails.txt", SPY_CHECK_EMAIL, "Pegasus");
    check_list_values(peg, AI "2021-07-18_nso/files.txt", SPY_CHECK_FILE_PATH, "Pegasus");
    spy_iocs_free(peg);
    spy_iocs *novi = load_one(k_files[4].rel);
    check_list_values(novi, AI "2024-12-16_serbia_novispy/domains.txt", SPY_CHECK_URL, "NoviSpy");
    check_list_values(novi, AI "2024-12-16_serbia_novispy/package_names.txt", SPY_CHECK_APP_ID,
                      "NoviSpy");
    check_list_values(novi, AI "2024-12-16_serbia_novispy/sha256.txt", SPY_CHECK_HASH, "NoviSpy");
    check_list_values(novi, AI "2024-12-16_serbia_novispy/package_cert_hashes.txt",
                      SPY_CHECK_APP_CERT, "NoviSpy");
    spy_iocs_free(novi);
    spy_iocs *andr = load_one(k_files[2].rel);
    check_list_values(andr, AI "2023-03-29_android_campaign/android_properties.txt",
                      SPY_CHECK_ANDROID_PROPERTY, "MercenarySpywareCampaign");
    check_list_values(andr, AI "2023-03-29_android_campaign/file_paths.txt", SPY_CHECK_FILE_PATH,
                      "MercenarySpywareCampaign");
    spy_iocs_free(andr);
}

int main(void)
{
    tu_shared_dir_or_skip();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_per_file),   cmocka_unit_test(test_mvt_indicators_totals),
        cmocka_unit_test(test_whole_folder),      cmocka_unit_test(test_lists_equal_stix),
        cmocka_unit_test(test_real_values_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
