/* Matching of every non-URL indicator type (spec/iocs.md §6, §8), compound
 * AND indicators through the scratch API, search order, thread safety. */
#include "iocs_test_helpers.h"

#include <pthread.h>

static const char *k_patterns[] = {
    "[process:name='ABSCarryLog']", /* real Pegasus values */
    "[process:name='com.apple.Mappit.SnapshotService']",
    "[process:name='abcdefghijklmnopXYZ']",
    "[process:name='abcdefghijklmnop']",
    "[email-addr:value='ameliehaggart@gmail.com']",
    "[file:name='roleaccountd.plist']",
    "[file:path='/private/var/tmp/hooker']",
    "[file:path='/data/local/tmp/wd/']",
    "[file:path='/']",
    "[file:hashes.md5='D41D8CD98F00B204E9800998ECF8427E']",
    "[file:hashes.sha1='da39a3ee5e6b4b0d3255bfef95601890afd80709']",
    "[file:hashes.sha256='54ee2c4f3e2396b6f92def135d68abd35d63ca7f9c304633a36f705ba4728cb7']",
    "[file:hashes.sha256='abc123']",
    "[file:hashes.sha512='"
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec"
    "2f63b931bd47417a81a538327af927da3e']",
    "[app:cert.sha256='3AC97735164824657b683e805133b1274b2dedabf9fdd6aa9aca31089d501e64']",
    "[app:cert.md5='0123456789abcdef0123456789abcdef']",
    "[app:id='com.serv.services']",
    "[configuration-profile:id='76DAB334-7E17-475D-A5D6-0794EB5818A5']",
    "[android-property:name='sys.brand.note']",
};

static spy_iocs *g_set;

static int setup(void **state)
{
    (void)state;
    g_set = ft_set_from_patterns("Pegasus", k_patterns, sizeof k_patterns / sizeof *k_patterns);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    spy_iocs_free(g_set);
    return 0;
}

#define FROM " matching indicators from \"Pegasus\""

static void test_process(void **state)
{
    (void)state;
    ft_expect(g_set, SPY_CHECK_PROCESS, "ABSCarryLog", "ABSCarryLog",
              "Found a known suspicious process name \"ABSCarryLog\"" FROM);
    ft_expect(g_set, SPY_CHECK_PROCESS, "/usr/libexec/ABSCarryLog", "ABSCarryLog",
              "Found a known suspicious process name \"/usr/libexec/ABSCarryLog\"" FROM);
    ft_expect_none(g_set, SPY_CHECK_PROCESS, "abscarrylog"); /* case-sensitive */
    ft_expect_none(g_set, SPY_CHECK_PROCESS, "ABSCarry");    /* prefix, not 15/16 chars */
    ft_expect_none(g_set, SPY_CHECK_PROCESS, "ABSCarryLog/");
    /* truncated names: 16 characters (MVT) */
    ft_expect(g_set, SPY_CHECK_PROCESS, "com.apple.Mappit", "com.apple.Mappit.SnapshotService",
              "Found a truncated known suspicious process name \"com.apple.Mappit\"" FROM);
    /* ... and 15 (extension: Linux comm) */
    ft_expect(g_set, SPY_CHECK_PROCESS, "com.apple.Mappi", "com.apple.Mappit.SnapshotService",
              "Found a truncated known suspicious process name \"com.apple.Mappi\"" FROM);
    ft_expect_none(g_set, SPY_CHECK_PROCESS, "com.apple.Mapp");
    ft_expect_none(g_set, SPY_CHECK_PROCESS, "com.apple.Mappit.");
    /* MVT checks indicators in order: the first one, a prefix match, wins
     * over a later exact one. */
    ft_expect(g_set, SPY_CHECK_PROCESS, "abcdefghijklmnop", "abcdefghijklmnopXYZ",
              "Found a truncated known suspicious process name \"abcdefghijklmnop\"" FROM);
    ft_expect_none(g_set, SPY_CHECK_PROCESS, "");
}

static void test_path_process(void **state)
{
    (void)state;
    ft_expect(g_set, SPY_CHECK_PATH_PROCESS, "/private/var/db/ABSCarryLog/x.plist", "ABSCarryLog",
              "Found known suspicious process name mentioned in file at path "
              "\"/private/var/db/ABSCarryLog/x.plist\"" FROM);
    ft_expect(g_set, SPY_CHECK_PATH_PROCESS, "ABSCarryLog", "ABSCarryLog", NULL);
    ft_expect_none(g_set, SPY_CHECK_PATH_PROCESS, "/private/var/db/ABSCarryLogs/x");
    ft_expect_none(g_set, SPY_CHECK_PATH_PROCESS, "//");
}

static void test_file_paths(void **state)
{
    (void)state;
    ft_expect(g_set, SPY_CHECK_FILE_PATH, "/private/var/root/roleaccountd.plist",
              "roleaccountd.plist",
              "Found a known suspicious file name \"roleaccountd.plist\"" FROM);
    ft_expect(g_set, SPY_CHECK_FILE_PATH, "/private/var/tmp/hooker", "/private/var/tmp/hooker",
              "Found a known suspicious file path \"/private/var/tmp/hooker\" matching "
              "indicators form \"Pegasus\"");
    /* no boundary check (MVT) and trailing '/' stripped */
    ft_expect(g_set, SPY_CHECK_FILE_PATH, "/data/local/tmp/wdx", "/data/local/tmp/wd/", NULL);
    ft_expect(g_set, SPY_CHECK_FILE_PATH, "/data/local/tmp/wd", "/data/local/tmp/wd/", NULL);
    ft_expect(g_set, SPY_CHECK_FILE_PATH, "/private/var/tmp/hooker/a/b", "/private/var/tmp/hooker",
              NULL);
    ft_expect_none(g_set, SPY_CHECK_FILE_PATH, "/private/var/tmp/hooke");
    ft_expect_none(g_set, SPY_CHECK_FILE_PATH, "/PRIVATE/var/tmp/hooker");
    /* the indicator "/" is not loaded as "match every path" (difference) */
    ft_expect_none(g_set, SPY_CHECK_FILE_PATH, "/etc/hosts");
    ft_expect_none(g_set, SPY_CHECK_FILE_PATH, "roleaccountd.plist.bak");
}

static void test_email(void **state)
{
    (void)state;
    ft_expect(g_set, SPY_CHECK_EMAIL, "AmelieHaggart@Gmail.com", "ameliehaggart@gmail.com",
              "Found a known suspicious email address \"AmelieHaggart@Gmail.com\"" FROM);
    ft_expect_none(g_set, SPY_CHECK_EMAIL, "ameliehaggart@gmail.co");
    ft_expect_none(g_set, SPY_CHECK_EMAIL, "x ameliehaggart@gmail.com");
}

static void test_hashes(void **state)
{
    (void)state;
    ft_expect(g_set, SPY_CHECK_HASH, "d41d8cd98f00b204e9800998ecf8427e",
              "D41D8CD98F00B204E9800998ECF8427E",
              "Found a known suspicious file with hash \"d41d8cd98f00b204e9800998ecf8427e\"" FROM);
    ft_expect(g_set, SPY_CHECK_HASH, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
              "da39a3ee5e6b4b0d3255bfef95601890afd80709", NULL);
    ft_expect(g_set, SPY_CHECK_HASH,
              "54EE2C4F3E2396B6F92DEF135D68ABD35D63CA7F9C304633A36F705BA4728CB7",
              "54ee2c4f3e2396b6f92def135d68abd35d63ca7f9c304633a36f705ba4728cb7", NULL);
    /* any other length goes to the SHA-256 list (MVT) */
    ft_expect(g_set, SPY_CHECK_HASH, "ABC123", "abc123", NULL);
    /* 128 characters: SHA-512 (extension) */
    ft_expect(g_set, SPY_CHECK_HASH,
              "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff83"
              "18d2877eec2f63b931bd47417a81a538327af927da3e",
              "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff83"
              "18d2877eec2f63b931bd47417a81a538327af927da3e",
              NULL);
    ft_expect_none(g_set, SPY_CHECK_HASH, "d41d8cd98f00b204e9800998ecf8427f");
}

static void test_app_cert_id_property_profile(void **state)
{
    (void)state;
    ft_expect(g_set, SPY_CHECK_APP_CERT,
              "3ac97735164824657b683e805133b1274b2dedabf9fdd6aa9aca31089d501e64",
              "3AC97735164824657b683e805133b1274b2dedabf9fdd6aa9aca31089d501e64",
              "Found a known suspicious app certfificate with hash "
              "\"3ac97735164824657b683e805133b1274b2dedabf9fdd6aa9aca31089d501e64\"" FROM);
    /* any length, against the one certificate list */
    ft_expect(g_set, SPY_CHECK_APP_CERT, "0123456789ABCDEF0123456789ABCDEF",
              "0123456789abcdef0123456789abcdef", NULL);
    ft_expect_none(g_set, SPY_CHECK_HASH, "0123456789abcdef0123456789abcdef");
    ft_expect(g_set, SPY_CHECK_APP_ID, "COM.Serv.Services", "com.serv.services",
              "Found a known suspicious app with ID \"COM.Serv.Services\"" FROM);
    ft_expect_none(g_set, SPY_CHECK_APP_ID, "com.serv");
    ft_expect(g_set, SPY_CHECK_ANDROID_PROPERTY, "SYS.brand.note", "sys.brand.note",
              "Found a known suspicious Android property \"SYS.brand.note\"" FROM);
    ft_expect_none(g_set, SPY_CHECK_ANDROID_PROPERTY, "sys.brand.notes");
    /* profile ids: the observed value is a substring of the indicator */
    ft_expect(g_set, SPY_CHECK_PROFILE_ID, "76DAB334-7E17-475D-A5D6-0794EB5818A5",
              "76DAB334-7E17-475D-A5D6-0794EB5818A5",
              "Found a known suspicious profile ID \"76DAB334-7E17-475D-A5D6-0794EB5818A5\"" FROM);
    ft_expect(g_set, SPY_CHECK_PROFILE_ID, "7E17-475D", "76DAB334-7E17-475D-A5D6-0794EB5818A5",
              NULL);
    ft_expect_none(g_set, SPY_CHECK_PROFILE_ID, "76dab334-7e17-475d-a5d6-0794eb5818a5");
    ft_expect_none(g_set, SPY_CHECK_PROFILE_ID, "76DAB334-7E17-475D-A5D6-0794EB5818A5-X");
    ft_expect_none(g_set, SPY_CHECK_PROFILE_ID, "");
}

static void test_kinds_do_not_cross(void **state)
{
    (void)state;
    ft_expect_none(g_set, SPY_CHECK_URL, "ABSCarryLog");
    ft_expect_none(g_set, SPY_CHECK_EMAIL, "com.serv.services");
    ft_expect_none(g_set, SPY_CHECK_APP_ID, "sys.brand.note");
    ft_expect_none(g_set, SPY_CHECK_KIND_COUNT, "ABSCarryLog");
}

/* Hash checks skip the lookup when no hash indicator starts as the value
 * does (its first four bytes, case-folded): that filter must never turn a
 * match away, whatever the case of those bytes or the lengths. */
static void test_hash_prefix_filter(void **state)
{
    (void)state;
    const char *p[] = {"[file:hashes.sha256='ab1']", "[file:hashes.sha256='Ab12']",
                       "[file:hashes.md5='FACEB00C0123456789ABCDEF01234567']"};
    spy_iocs *set = ft_set_from_patterns("Prefix", p, 3);
    ft_expect(set, SPY_CHECK_HASH, "AB1", "ab1", NULL); /* shorter than the filter */
    ft_expect(set, SPY_CHECK_HASH, "aB12", "Ab12", NULL);
    const char *md5 = "faceb00c0123456789abcdef01234567";
    for (unsigned mask = 0; mask < 16; mask++) { /* every case of the first four */
        char v[33];
        memcpy(v, md5, sizeof v);
        for (unsigned i = 0; i < 4; i++)
            if (mask >> i & 1)
                v[i] = (char)(v[i] - 32);
        ft_expect(set, SPY_CHECK_HASH, v, "FACEB00C0123456789ABCDEF01234567", NULL);
    }
    ft_expect_none(set, SPY_CHECK_HASH, "faceb00c0123456789abcdef01234568");
    ft_expect_none(set, SPY_CHECK_HASH, "ab12x");
    ft_expect_none(set, SPY_CHECK_HASH, "facf");
    spy_iocs_free(set);
}

/* Case folding: an upper-case letter anywhere, between the bytes just
 * outside 'A'-'Z' ('@' and '['), is folded; nothing else is. */
static void test_upper_case_any_position(void **state)
{
    (void)state;
    /* 40 bytes (5 words), letters at every offset of a word */
    const char *ind = "ab@cd[ef`gh{ij@kl[mn`op{qr@st[uv`wx{yz@a";
    enum { N = 40 };
    char pats[N][64];
    const char *p[N];
    for (size_t len = 1; len <= N; len++) { /* every prefix is an indicator */
        snprintf(pats[len - 1], sizeof pats[len - 1], "[app:id='%.*s']", (int)len, ind);
        p[len - 1] = pats[len - 1];
    }
    spy_iocs *set = ft_set_from_patterns("Fold", p, N);
    for (size_t len = 1; len <= N; len++) {
        char want[64], v[64];
        snprintf(want, sizeof want, "%.*s", (int)len, ind);
        memcpy(v, want, len + 1);
        for (size_t i = 0; i < len; i++) {
            if (v[i] < 'a' || v[i] > 'z')
                continue;
            v[i] = (char)(v[i] - 32);
            ft_expect(set, SPY_CHECK_APP_ID, v, want, NULL);
            v[i] = (char)(v[i] + 32);
        }
    }
    /* folding is ASCII only: a byte with the top bit set is not a letter */
    char hi[64];
    memcpy(hi, ind, N + 1);
    hi[8] = (char)0xC1; /* 'A' | 0x80 */
    ft_expect_none(set, SPY_CHECK_APP_ID, hi);
    spy_iocs_free(set);
}

/* §6.5: for everything but domains, the first collection in load order. */
static void test_search_order(void **state)
{
    (void)state;
    const char *p[] = {"[process:name='dup']", "[app:id='com.dup']"};
    spy_iocs *set;
    spy_iocs_new(&set);
    char *a = ft_bundle("First", p, 2), *b = ft_bundle("Second", p, 2);
    ft_load_json(set, a, "a.stix2");
    ft_load_json(set, b, "b.stix2");
    spy_iocs_finalize(set);
    spy_ioc_match m;
    assert_true(spy_iocs_check(set, NULL, SPY_CHECK_PROCESS, "dup", &m));
    assert_string_equal(m.name, "First");
    assert_string_equal(m.type, "processes");
    spy_ioc_match_clear(&m);
    assert_true(spy_iocs_check(set, NULL, SPY_CHECK_APP_ID, "COM.DUP", &m));
    assert_string_equal(m.name, "First");
    assert_string_equal(m.type, "app_ids");
    spy_ioc_match_clear(&m);
    spy_iocs_free(set);
    free(a);
    free(b);
}

/* design.md §4: AND matches only when every term matches the same record. */
static void test_compound_and(void **state)
{
    (void)state;
    const char *p[] = {
        "[domain-name:value = 'c2.example' AND app:id = 'com.bad.app']",
        "[process:name = 'implantd'] AND [file:path = '/data/local/tmp/x']",
        "[domain-name:value = 'single.example']",
    };
    spy_iocs *set = ft_set_from_patterns("Spy", p, 3);
    spy_ioc_scratch *sc = spy_ioc_scratch_new(set);
    spy_ioc_match m;
    /* record 1: both terms of the first AND */
    spy_ioc_scratch_reset(sc);
    assert_false(spy_iocs_check(set, sc, SPY_CHECK_URL, "https://www.c2.example/beacon", NULL));
    assert_false(spy_ioc_scratch_next_compound(sc, &m));
    assert_false(spy_iocs_check(set, sc, SPY_CHECK_APP_ID, "COM.BAD.APP", NULL));
    assert_true(spy_ioc_scratch_next_compound(sc, &m));
    assert_string_equal(m.message, "Found a known suspicious record matching compound indicator "
                                   "\"[domain-name:value = 'c2.example' AND app:id = "
                                   "'com.bad.app']\" from \"Spy\"");
    assert_string_equal(m.type, "compound");
    assert_string_equal(m.name, "Spy");
    spy_ioc_match_clear(&m);
    assert_false(spy_ioc_scratch_next_compound(sc, &m)); /* reported once */
    /* record 2: one term only -> nothing, and nothing left over */
    spy_ioc_scratch_reset(sc);
    assert_false(spy_iocs_check(set, sc, SPY_CHECK_APP_ID, "com.bad.app", NULL));
    assert_false(spy_ioc_scratch_next_compound(sc, &m));
    /* record 3: observation AND, terms matched by prefix/truncation rules */
    spy_ioc_scratch_reset(sc);
    spy_iocs_check(set, sc, SPY_CHECK_PROCESS, "/system/bin/implantd", NULL);
    spy_iocs_check(set, sc, SPY_CHECK_FILE_PATH, "/data/local/tmp/x/y.so", NULL);
    assert_true(spy_ioc_scratch_next_compound(sc, &m));
    spy_ioc_match_clear(&m);
    /* record 4: a single match still reports, and its AND terms are marked
     * even when the check stops early without a scratch */
    spy_ioc_scratch_reset(sc);
    assert_true(spy_iocs_check(set, sc, SPY_CHECK_URL, "single.example", NULL));
    assert_false(spy_ioc_scratch_next_compound(sc, &m));
    /* subdomain of an AND domain term counts, like a single indicator */
    spy_ioc_scratch_reset(sc);
    spy_iocs_check(set, sc, SPY_CHECK_URL, "a.c2.example", NULL);
    spy_iocs_check(set, sc, SPY_CHECK_APP_ID, "com.bad.app", NULL);
    assert_true(spy_ioc_scratch_next_compound(sc, NULL));
    /* without a scratch an AND never matches */
    assert_false(spy_iocs_check(set, NULL, SPY_CHECK_APP_ID, "com.bad.app", NULL));
    spy_ioc_scratch_free(sc);
    /* a scratch of another set is ignored */
    spy_iocs *other = ft_set_from_patterns("Other", p, 1);
    sc = spy_ioc_scratch_new(other);
    spy_iocs_check(set, sc, SPY_CHECK_URL, "c2.example", NULL);
    spy_iocs_check(set, sc, SPY_CHECK_APP_ID, "com.bad.app", NULL);
    assert_false(spy_ioc_scratch_next_compound(sc, NULL));
    spy_ioc_scratch_free(sc);
    spy_ioc_scratch_free(NULL);
    spy_iocs_free(other);
    spy_iocs_free(set);
}

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        spy_ioc_match m;
        if (!spy_iocs_check(g_set, NULL, SPY_CHECK_PROCESS, "com.apple.Mappit", &m))
            return (void *)1;
        if (strcmp(m.value, "com.apple.Mappit.SnapshotService") != 0)
            return (void *)1;
        spy_ioc_match_clear(&m);
        if (spy_iocs_check(g_set, NULL, SPY_CHECK_HASH, "00", &m))
            return (void *)1;
    }
    return NULL;
}

static void test_concurrent_checks(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_process),
        cmocka_unit_test(test_path_process),
        cmocka_unit_test(test_file_paths),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_hashes),
        cmocka_unit_test(test_app_cert_id_property_profile),
        cmocka_unit_test(test_kinds_do_not_cross),
        cmocka_unit_test(test_hash_prefix_filter),
        cmocka_unit_test(test_upper_case_any_position),
        cmocka_unit_test(test_search_order),
        cmocka_unit_test(test_compound_and),
        cmocka_unit_test(test_concurrent_checks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
