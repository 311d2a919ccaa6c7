/* Loading indicators: STIX2 bundles (spec/iocs.md §3-§5), plain lists (§11),
 * folders and the implicit sources (design.md §4), bad input. */
#include "iocs_test_helpers.h"

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *k_pegasus_patterns[] = {
    "[domain-name:value='123tramites.com']",
    "[domain-name:value = '14-Tracking.COM']", /* lower-cased at load */
    "[process:name='ABSCarryLog']",
    "[email-addr:value='AmelieHaggart@gmail.com']",
    "[file:name='roleaccountd.plist']",
    "[domain-name:value='123tramites.com']", /* duplicate in the same collection */
};

static spy_iocs *new_set(void)
{
    spy_iocs *s;
    assert_int_equal(spy_iocs_new(&s), SPY_OK);
    return s;
}

static void test_basic_bundle(void **state)
{
    (void)state;
    spy_iocs *set = ft_set_from_patterns("Pegasus", k_pegasus_patterns, 6);
    assert_int_equal(spy_iocs_collection_count(set), 1);
    const spy_ioc_collection_info *c = spy_iocs_collection(set, 0);
    assert_string_equal(c->name, "Pegasus");
    assert_string_equal(c->description, "test malware");
    assert_string_equal(c->id, "malware--00000000-0000-4000-8000-000000000001");
    assert_string_equal(c->file_name, "test.stix2");
    assert_string_equal(c->file_path, "/fixtures/test.stix2");
    assert_int_equal(c->count, 5);
    assert_int_equal(c->key_counts[SPY_KEY_DOMAIN], 2);
    assert_int_equal(c->key_counts[SPY_KEY_PROCESS], 1);
    assert_int_equal(c->key_counts[SPY_KEY_EMAIL], 1);
    assert_int_equal(c->key_counts[SPY_KEY_FILE_NAME], 1);
    assert_int_equal(spy_iocs_total(set), 5);
    assert_int_equal(spy_iocs_unsupported_count(set), 0);
    ft_expect(set, SPY_CHECK_URL, "14-tracking.com", "14-tracking.com", NULL);
    ft_expect(set, SPY_CHECK_EMAIL, "ameliehaggart@gmail.com", "ameliehaggart@gmail.com", NULL);
    assert_null(spy_iocs_collection(set, 1));
    spy_iocs_free(set);
}

/* §4: malware collections, then reports, then the Default collection only
 * when it got something; reports first (the last one wins), then the first
 * relationship to a malware object. */
static const char k_attribution[] =
    "{\"type\":\"bundle\",\"objects\":["
    "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"pattern\":\"[domain-name:value='one.com']\"}"
    ","
    "{\"type\":\"indicator\",\"id\":\"indicator--2\",\"pattern\":\"[domain-name:value='two.com']\"}"
    ","
    "{\"type\":\"indicator\",\"id\":\"indicator--3\",\"pattern\":\"[domain-name:value='three.com']"
    "\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--4\",\"pattern\":\"[domain-name:value='four.com']"
    "\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--5\",\"pattern\":\"[domain-name:value='five.com']"
    "\"},"
    "{\"type\":\"report\",\"id\":\"report--a\",\"name\":\"Report "
    "A\",\"object_refs\":[\"indicator--1\",\"indicator--2\"]},"
    "{\"type\":\"malware\",\"id\":\"malware--m1\",\"name\":\"M1\"},"
    "{\"type\":\"report\",\"id\":\"report--b\",\"object_refs\":[\"indicator--2\"]},"
    "{\"type\":\"malware\",\"id\":\"malware--m2\",\"name\":\"M2\",\"description\":\"second\"},"
    "{\"type\":\"identity\",\"id\":\"identity--x\",\"name\":\"Someone\"},"
    "{\"type\":\"relationship\",\"source_ref\":\"indicator--3\",\"target_ref\":\"identity--x\"},"
    "{\"type\":\"relationship\",\"source_ref\":\"indicator--3\",\"target_ref\":\"malware--m2\","
    "\"relationship_type\":\"related-to\"},"
    "{\"type\":\"relationship\",\"source_ref\":\"indicator--3\",\"target_ref\":\"malware--m1\"},"
    "{\"type\":\"relationship\",\"source_ref\":\"indicator--1\",\"target_ref\":\"malware--m1\"},"
    "{\"type\":\"relationship\",\"source_ref\":\"indicator--5\",\"target_ref\":\"malware--"
    "elsewhere\"}"
    "]}";

static void test_attribution(void **state)
{
    (void)state;
    spy_iocs *set = new_set();
    ft_load_json(set, k_attribution, "attr.json");
    spy_iocs_finalize(set);
    assert_int_equal(spy_iocs_collection_count(set), 5);
    const char *names[] = {"M1", "M2", "Report A", "", "Default collection"};
    size_t counts[] = {0, 1, 1, 1, 2};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(spy_iocs_collection(set, i)->name, names[i]);
        assert_int_equal(spy_iocs_collection(set, i)->count, counts[i]);
    }
    assert_string_equal(spy_iocs_collection(set, 1)->description, "second");
    assert_string_equal(spy_iocs_collection(set, 4)->id, "0");
    assert_string_equal(spy_iocs_collection(set, 4)->description,
                        "Collection with IOCs unrelated to malware or reports");
    spy_ioc_match m;
    const char *expect[][2] = {{"one.com", "Report A"},
                               {"two.com", ""},
                               {"three.com", "M2"},
                               {"four.com", "Default collection"},
                               {"five.com", "Default collection"}};
    for (size_t i = 0; i < 5; i++) {
        assert_true(spy_iocs_check(set, NULL, SPY_CHECK_URL, expect[i][0], &m));
        assert_string_equal(m.name, expect[i][1]);
        assert_string_equal(m.stix2_file_name, "attr.json");
        assert_string_equal(m.type, "domains");
        spy_ioc_match_clear(&m);
    }
    spy_iocs_free(set);
}

static void test_default_collection_dropped_when_empty(void **state)
{
    (void)state;
    const char *p[] = {"[domain-name:value='a.com']"};
    spy_iocs *set = ft_set_from_patterns("Only", p, 1);
    assert_int_equal(spy_iocs_collection_count(set), 1);
    spy_iocs_free(set);
    /* unowned indicators that load nothing leave no Default collection */
    spy_iocs_new(&set);
    spy_log_set_quiet(true);
    ft_load_json(set,
                 "{\"objects\":[{\"type\":\"indicator\",\"pattern\":\"[x:y != 'z']\"},"
                 "{\"type\":\"indicator\",\"pattern\":\"[mutex:name = 'm']\"}]}",
                 "d.json");
    spy_log_set_quiet(false);
    assert_int_equal(spy_iocs_collection_count(set), 0);
    assert_int_equal(spy_iocs_file_count(set), 0);
    spy_iocs_free(set);
}

static void test_dedup_per_collection(void **state)
{
    (void)state;
    const char *p[] = {"[domain-name:value='dup.com']", "[ipv4-addr:value='dup.com']",
                       "[domain-name:value='DUP.com ']"};
    spy_iocs *set = new_set();
    char *json = ft_bundle("A", p, 3);
    ft_load_json(set, json, "a.stix2");
    ft_load_json(set, json, "b.stix2"); /* the same file twice: counted twice (§4.3) */
    free(json);
    spy_iocs_finalize(set);
    assert_int_equal(spy_iocs_collection_count(set), 2);
    assert_int_equal(spy_iocs_collection(set, 0)->count, 1);
    assert_int_equal(spy_iocs_total(set), 2);
    spy_iocs_free(set);
}

static void test_hash_keys_normalised(void **state)
{
    (void)state;
    const char *p[] = {
        "[file:hashes.'SHA-256'='AA00000000000000000000000000000000000000000000000000000000000001'"
        "]",
        "[file:hashes.SHA256='aa00000000000000000000000000000000000000000000000000000000000002']",
        "[file:hashes.sha256='aa00000000000000000000000000000000000000000000000000000000000003']",
        "[file:hashes.'SHA-1'='aa00000000000000000000000000000000000001']",
        "[file:hashes.MD5='aa000000000000000000000000000001']",
        "[file:hashes.'SHA-512'='"
        "aa0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000001"
        "']",
        "[app:cert.'SHA-256'='cc00000000000000000000000000000000000000000000000000000000000001']",
        "[app:cert.md5='cc000000000000000000000000000001']",
        "[app:cert.'SHA1'='cc00000000000000000000000000000000000001']",
    };
    spy_iocs *set = ft_set_from_patterns("H", p, 9);
    const spy_ioc_collection_info *c = spy_iocs_collection(set, 0);
    assert_int_equal(c->key_counts[SPY_KEY_SHA256], 3);
    assert_int_equal(c->key_counts[SPY_KEY_SHA1], 1);
    assert_int_equal(c->key_counts[SPY_KEY_MD5], 1);
    assert_int_equal(c->key_counts[SPY_KEY_SHA512], 1);
    assert_int_equal(c->key_counts[SPY_KEY_CERT_SHA256], 1);
    assert_int_equal(c->key_counts[SPY_KEY_CERT_MD5], 1);
    assert_int_equal(c->key_counts[SPY_KEY_CERT_SHA1], 1);
    /* hash values keep their case (§5.2 step 4) but compare case-insensitively */
    ft_expect(set, SPY_CHECK_HASH,
              "aa00000000000000000000000000000000000000000000000000000000000001",
              "AA00000000000000000000000000000000000000000000000000000000000001", NULL);
    spy_iocs_free(set);
}

static void test_pattern_type_and_unknown_keys(void **state)
{
    (void)state;
    static const char json[] =
        "{\"objects\":[{\"type\":\"malware\",\"id\":\"malware--1\",\"name\":\"X\"},"
        "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"pattern\":\"rule a { condition: true "
        "}\",\"pattern_type\":\"yara\"},"
        "{\"type\":\"indicator\",\"id\":\"indicator--2\",\"pattern\":\"[mutex:name='m']\","
        "\"pattern_type\":\"stix\"},"
        "{\"type\":\"indicator\",\"id\":\"indicator--3\",\"pattern\":\"[ipv6-addr:value='::1']\"},"
        "{\"type\":\"indicator\",\"id\":\"indicator--4\",\"pattern\":\"[domain-name:value='kept."
        "com']\"},"
        "{\"type\":\"relationship\",\"source_ref\":\"indicator--4\",\"target_ref\":\"malware--1\"}]"
        "}";
    unsigned long w = spy_log_warning_count();
    spy_iocs *set = new_set();
    ft_load_json(set, json, "x.json");
    spy_iocs_finalize(set);
    assert_int_equal(spy_iocs_total(set), 1);
    assert_int_equal(spy_iocs_unsupported_count(set), 0);
    assert_int_equal(spy_log_warning_count(), w); /* unknown keys are debug only (MVT) */
    spy_iocs_free(set);
}

/* MVT crashes on '=' inside values; here they load, as do quotes
 * (escaped, then removed as MVT removes them) and non-ASCII. */
static void test_values_with_equals_quotes_unicode(void **state)
{
    (void)state;
    const char *p[] = {
        "[url:value='https://evil.example/p?a=b&c=d']",
        "[email-addr:value='o\\'brien@example.org']",
        "[file:path='/data/local/tmp/a\\\\b']",
        "[domain-name:value='b\303\274cher.example']", /* "bücher", UTF-8 in octal */
        "[process:name='  spaced  ']",
    };
    spy_iocs *set = ft_set_from_patterns("Q", p, 5);
    assert_int_equal(spy_iocs_total(set), 5);
    ft_expect(set, SPY_CHECK_URL, "https://evil.example/p?a=b&c=d",
              "https://evil.example/p?a=b&c=d",
              "Found a known suspicious URL https://evil.example/p?a=b&c=d matching indicator "
              "\"https://evil.example/p?a=b&c=d\" from \"Q\"");
    ft_expect(set, SPY_CHECK_EMAIL, "OBrien@example.org", "obrien@example.org", NULL);
    ft_expect(set, SPY_CHECK_FILE_PATH, "/data/local/tmp/a\\b/x", "/data/local/tmp/a\\b", NULL);
    ft_expect(set, SPY_CHECK_URL,
              "https://b\xc3\xbc"
              "cher.example/",
              "b\xc3\xbc"
              "cher.example",
              NULL);
    ft_expect(set, SPY_CHECK_PROCESS, "spaced", "spaced", NULL);
    spy_iocs_free(set);
}

/* MVT's lax rule still applies to text that is not a STIX pattern. */
static void test_mvt_lax_patterns(void **state)
{
    (void)state;
    const char *p[] = {"[domain-name:value=unquoted.com]", "domain-name:value='nobrackets.com'",
                       "[[domain-name:value='double.com']]"};
    spy_iocs *set = ft_set_from_patterns("L", p, 3);
    assert_int_equal(spy_iocs_total(set), 3);
    ft_expect(set, SPY_CHECK_URL, "unquoted.com", "unquoted.com", NULL);
    ft_expect(set, SPY_CHECK_URL, "nobrackets.com", "nobrackets.com", NULL);
    ft_expect(set, SPY_CHECK_URL, "double.com", "double.com", NULL);
    spy_iocs_free(set);
}

static void test_unsupported_patterns_warn_once(void **state)
{
    (void)state;
    const char *p[] = {
        "[domain-name:value != 'a.com']",
        "[domain-name:value LIKE '%.evil.com']",
        "[domain-name:value MATCHES '^x']",
        "[domain-name:value IN ('a.com', 'b.com')]",
        "[domain-name:value = 'a.com'] FOLLOWEDBY [domain-name:value = 'b.com']",
        "[domain-name:value = 'a.com'] WITHIN 300 SECONDS",
        "[domain-name:value = 'a.com'] REPEATS 5 TIMES",
        "[NOT domain-name:value = 'a.com']",
        "[domain-name:value = 'a.com' AND mutex:name = 'm']",
        "[domain-name:value = 'a.com' AND domain-name:value = 'b.com'",
        "[file:size > 10 AND file:name = 'x']",
        "[domain-name:value = 'ok.com']",
    };
    ft_logcap cap;
    ft_log_begin(&cap);
    unsigned long w = spy_log_warning_count();
    spy_iocs *set = ft_set_from_patterns("U", p, 12);
    char *log = ft_log_end(&cap);
    assert_int_equal(spy_log_warning_count() - w, 11);
    assert_int_equal(spy_iocs_unsupported_count(set), 11);
    assert_int_equal(ft_count(log, "/fixtures/test.stix2: skipping unsupported indicator pattern"),
                     11);
    assert_non_null(strstr(log, "FOLLOWEDBY [domain-name:value = 'b.com']"));
    assert_int_equal(spy_iocs_total(set), 1);
    ft_expect(set, SPY_CHECK_URL, "ok.com", "ok.com", NULL);
    ft_expect_none(set, SPY_CHECK_URL, "a.com");
    free(log);
    spy_iocs_free(set);
}

static void test_compound_shapes(void **state)
{
    (void)state;
    const char *p[] = {
        "[domain-name:value = 'or1.com' OR domain-name:value = 'or2.com']",
        "[domain-name:value = 'obs1.com'] OR [process:name = 'obsproc']",
        "[domain-name:value = 'and1.com' AND process:name = 'andproc']",
        "[domain-name:value = 'oand.com'] AND [file:name = 'oand.txt']",
        "[domain-name:value = 'same.com' AND domain-name:value = 'SAME.com']",
        "([domain-name:value = 'p1.com'] OR [domain-name:value = 'p2.com']) AND [app:id = 'com.x']",
        "[(domain-name:value = 'q1.com' OR domain-name:value = 'q2.com') AND app:id = 'com.q']",
    };
    spy_iocs *set = ft_set_from_patterns("C", p, 7);
    const spy_ioc_collection_info *c = spy_iocs_collection(set, 0);
    /* or1, or2, obs1 and 'same' (its AND collapses) are singles */
    assert_int_equal(c->key_counts[SPY_KEY_DOMAIN], 4);
    assert_int_equal(c->key_counts[SPY_KEY_PROCESS], 1);
    assert_int_equal(c->key_counts[SPY_KEY_COMPOUND], 6);
    assert_int_equal(spy_iocs_unsupported_count(set), 0);
    /* an AND term alone never matches (AND is never turned into OR) */
    ft_expect_none(set, SPY_CHECK_URL, "and1.com");
    ft_expect_none(set, SPY_CHECK_PROCESS, "andproc");
    ft_expect(set, SPY_CHECK_URL, "or2.com", "or2.com", NULL);
    ft_expect(set, SPY_CHECK_PROCESS, "obsproc", "obsproc", NULL);
    spy_iocs_free(set);
}

static char *tmp_file(const char *dir, const char *name, const char *content)
{
    char *p = tu_join(dir, name);
    tu_write_str(p, content);
    return p;
}

static void test_bad_files(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    spy_iocs *set = new_set();
    ft_logcap cap;
    ft_log_begin(&cap);
    unsigned long e = spy_log_error_count();
    char *missing = tu_join(dir, "missing.stix2");
    assert_int_equal(spy_iocs_load_stix2_file(set, missing), SPY_ENOTFOUND);
    assert_int_equal(spy_iocs_load_path(set, missing), SPY_ENOTFOUND);
    assert_int_equal(spy_iocs_load_stix2_file(set, dir), SPY_EFORMAT);
    char *empty = tmp_file(dir, "empty.stix2", "");
    assert_int_equal(spy_iocs_load_stix2_file(set, empty), SPY_EFORMAT);
    char *notjson = tmp_file(dir, "notjson.stix2", "domain-name:value='x.com'\n");
    assert_int_equal(spy_iocs_load_stix2_file(set, notjson), SPY_EFORMAT);
    char *arr = tmp_file(dir, "array.json", "[1,2]");
    assert_int_equal(spy_iocs_load_stix2_file(set, arr), SPY_EFORMAT);
    char *noobj = tmp_file(dir, "noobjects.json", "{\"type\":\"bundle\"}");
    assert_int_equal(spy_iocs_load_stix2_file(set, noobj), SPY_EFORMAT);
    char *badobj = tmp_file(dir, "badobjects.json", "{\"objects\":{}}");
    assert_int_equal(spy_iocs_load_stix2_file(set, badobj), SPY_EFORMAT);
    char deep[400];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 200);
    char *deepf = tu_join(dir, "deep.json");
    tu_write(deepf, deep, sizeof deep);
    assert_int_equal(spy_iocs_load_stix2_file(set, deepf), SPY_ELIMIT);
    char *log = ft_log_end(&cap);
    assert_int_equal(spy_log_error_count() - e, 9);
    assert_non_null(strstr(log, "missing.stix2: indicator file not found"));
    assert_non_null(strstr(log, "empty.stix2: empty indicator file"));
    assert_non_null(strstr(log, "notjson.stix2: not a STIX2 bundle: invalid JSON at line 1"));
    assert_non_null(strstr(log, "array.json: not a STIX2 bundle: the JSON is not an object"));
    assert_non_null(strstr(log, "noobjects.json: not a STIX2 bundle: no \"objects\" array"));
    assert_non_null(strstr(log, "deep.json: JSON nested deeper than 64 levels"));
    if (geteuid() != 0) {
        char *unreadable = tmp_file(dir, "unreadable.stix2", "{}");
        chmod(unreadable, 0);
        assert_int_equal(spy_iocs_load_stix2_file(set, unreadable), SPY_EIO);
        free(unreadable);
    }
    assert_int_equal(spy_iocs_collection_count(set), 0);
    assert_int_equal(spy_iocs_file_count(set), 0);
    free(log);
    free(missing);
    free(empty);
    free(notjson);
    free(arr);
    free(noobj);
    free(badobj);
    free(deepf);
    spy_iocs_free(set);
    tu_rmtree(dir);
    free(dir);
}

static void test_no_indicators_is_a_warning(void **state)
{
    (void)state;
    spy_iocs *set = new_set();
    ft_logcap cap;
    ft_log_begin(&cap);
    unsigned long w = spy_log_warning_count();
    ft_load_json(set, "{\"type\":\"bundle\",\"objects\":[]}", "none.json");
    char *log = ft_log_end(&cap);
    assert_int_equal(spy_log_warning_count() - w, 1);
    assert_non_null(strstr(log, "none.json: no indicators"));
    free(log);
    spy_iocs_free(set);
}

static void sha256_hex(const char *s, char out[65])
{
    unsigned char md[32];
    unsigned int n;
    EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* info.json: files that produced a collection, with their SHA-256. */
static void test_files_and_sha256(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    const char *p[] = {"[domain-name:value='file.com']"};
    char *json = ft_bundle("F", p, 1);
    char *good = tmp_file(dir, "good.stix2", json);
    char *none = tmp_file(dir, "none.stix2", "{\"objects\":[]}");
    spy_iocs *set = new_set();
    assert_int_equal(spy_iocs_load_stix2_file(set, good), SPY_OK);
    assert_int_equal(spy_iocs_load_stix2_file(set, none), SPY_OK);
    assert_int_equal(spy_iocs_file_count(set), 1);
    assert_string_equal(spy_iocs_file_path(set, 0), good);
    char hex[65];
    sha256_hex(json, hex);
    assert_string_equal(spy_iocs_file_sha256(set, 0), hex);
    assert_null(spy_iocs_file_path(set, 1));
    spy_iocs_free(set);
    free(json);
    free(good);
    free(none);
    tu_rmtree(dir);
    free(dir);
}

/* -i FOLDER: recursive, *.stix2 and *.json, sorted, bad files skipped. */
static void test_load_folder(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *sub = tu_join(dir, "sub");
    mkdir(sub, 0700);
    const char *p1[] = {"[domain-name:value='one.com']"};
    const char *p2[] = {"[domain-name:value='two.com']"};
    const char *p3[] = {"[domain-name:value='three.com']"};
    char *j1 = ft_bundle("B", p1, 1), *j2 = ft_bundle("A", p2, 1), *j3 = ft_bundle("C", p3, 1);
    free(tmp_file(dir, "b.stix2", j1));
    free(tmp_file(sub, "a.json", j2));
    free(tmp_file(dir, "c.txt", j3));
    free(tmp_file(dir, "broken.json", "{"));
    spy_iocs *set = new_set();
    unsigned long w = spy_log_warning_count(), e = spy_log_error_count();
    spy_log_set_quiet(true);
    assert_int_equal(spy_iocs_load_path(set, dir), SPY_OK);
    spy_log_set_quiet(false);
    assert_int_equal(spy_log_warning_count() - w, 1); /* broken.json, as a warning */
    assert_int_equal(spy_log_error_count(), e);
    assert_int_equal(spy_iocs_collection_count(set), 2);
    assert_string_equal(spy_iocs_collection(set, 0)->name, "B"); /* "b.stix2" < "sub" */
    assert_string_equal(spy_iocs_collection(set, 1)->name, "A");
    spy_iocs_free(set);
    free(j1);
    free(j2);
    free(j3);
    tu_rmtree(dir);
    free(dir);
    free(sub);
}

/* A bundle of n indicators, well above the size from which a folder load
 * parses a bundle element by element on several threads (256 KB): plain
 * values, values with backslashes, quotes and brackets, AND compounds and
 * unsupported patterns (a warning each). */
static char *big_bundle(const char *malware, size_t n)
{
    char **p = spy_xcalloc(n, sizeof *p);
    for (size_t i = 0; i < n; i++) {
        if (i % 97 == 5)
            p[i] = spy_xasprintf("[file:size > %zu]", i);
        else if (i % 31 == 7)
            p[i] = spy_xasprintf("[domain-name:value='and%zu.com' AND url:value='http://x/%zu']", i,
                                 i);
        else if (i % 13 == 3)
            p[i] = spy_xasprintf("[file:name='a\\\\\\\\b\"[{%zu\\\\']", i);
        else
            p[i] = spy_xasprintf("[domain-name:value='%s%zu.example']", malware, i);
    }
    char *json = ft_bundle(malware, (const char *const *)p, n);
    for (size_t i = 0; i < n; i++)
        free(p[i]);
    free(p);
    assert_true(strlen(json) > 300 * 1024);
    return json;
}

/* The line a message starts on in a captured log, from `from` to its end. */
static char *log_line(const char *log, const char *from)
{
    const char *s = strstr(log, from);
    assert_non_null(s);
    return spy_xstrndup(s, strcspn(s, "\n"));
}

/* A folder of large bundles (parsed element by element, pipelined with the
 * apply) loads exactly like its files loaded one by one: collections, their
 * order and counts, files and hashes, and the messages of bad files. */
static void test_folder_equals_one_by_one(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *big = big_bundle("Big", 1500);
    const char *sp[] = {"[domain-name:value='small.com']"};
    char *small = ft_bundle("Small", sp, 1);
    /* "objects": [] after a long member */
    size_t padn = 300 * 1024;
    char *pad = spy_xmalloc(padn + 1);
    memset(pad, 'x', padn);
    pad[padn] = '\0';
    char *empty = spy_xasprintf("{\"description\": \"%s\", \"objects\": []}", pad);
    /* an element jansson refuses (an unquoted word) in the middle */
    char *bad = big_bundle("Bad", 1500);
    char *at = strstr(bad + strlen(bad) / 2, "\"indicates\"");
    assert_non_null(at);
    memcpy(at, " indicatez ", 11);
    /* an element nested deeper than the limit */
    char *deep = big_bundle("Deep", 1500);
    at = strstr(deep + strlen(deep) / 2, "\"stix\"");
    assert_non_null(at);
    char nest[2 * 70 + 1];
    memset(nest, '[', 70);
    memset(nest + 70, ']', 70);
    nest[140] = '\0';
    char *deep2 = spy_xasprintf("%.*s%s%s", (int)(at - deep), deep, nest, at + 6);
    char *big2 = big_bundle("Big2", 2000);
    const char *names[] = {"a_big.stix2", "b_small.json", "c_empty.json",
                           "d_bad.json",  "e_deep.json",  "f_big2.json"};
    const char *texts[] = {big, small, empty, bad, deep2, big2};
    char *paths[6];
    for (size_t i = 0; i < 6; i++)
        paths[i] = tmp_file(dir, names[i], texts[i]);

    spy_iocs *one = new_set();
    ft_logcap cap;
    ft_log_begin(&cap);
    for (size_t i = 0; i < 6; i++)
        (void)spy_iocs_load_stix2_file(one, paths[i]);
    char *log1 = ft_log_end(&cap);
    json_malloc_t m0, m1;
    json_free_t f0, f1;
    json_get_alloc_funcs(&m0, &f0);
    spy_iocs *all = new_set();
    ft_log_begin(&cap);
    assert_int_equal(spy_iocs_load_path(all, dir), SPY_OK);
    char *log2 = ft_log_end(&cap);
    json_get_alloc_funcs(&m1, &f1);
    assert_ptr_equal(m0, m1); /* jansson's allocator is the caller's again */
    assert_ptr_equal(f0, f1);

    assert_int_equal(spy_iocs_collection_count(all), spy_iocs_collection_count(one));
    assert_int_equal(spy_iocs_collection_count(all), 3);
    for (size_t i = 0; i < spy_iocs_collection_count(one); i++) {
        const spy_ioc_collection_info *a = spy_iocs_collection(one, i);
        const spy_ioc_collection_info *b = spy_iocs_collection(all, i);
        assert_string_equal(a->name, b->name);
        assert_string_equal(a->id, b->id);
        assert_string_equal(a->file_path, b->file_path);
        assert_int_equal(a->count, b->count);
        for (int k = 0; k < SPY_KEY_COUNT; k++)
            assert_int_equal(a->key_counts[k], b->key_counts[k]);
    }
    assert_int_equal(spy_iocs_file_count(all), 3);
    for (size_t i = 0; i < spy_iocs_file_count(one); i++) {
        assert_string_equal(spy_iocs_file_path(one, i), spy_iocs_file_path(all, i));
        assert_string_equal(spy_iocs_file_sha256(one, i), spy_iocs_file_sha256(all, i));
    }
    assert_int_equal(spy_iocs_total(all), spy_iocs_total(one));
    assert_int_equal(spy_iocs_unsupported_count(all), spy_iocs_unsupported_count(one));
    assert_true(spy_iocs_unsupported_count(all) > 0);
    assert_int_equal(ft_count(log2, "skipping unsupported indicator pattern"),
                     ft_count(log1, "skipping unsupported indicator pattern"));
    assert_int_equal(ft_count(log2, "no indicators in this STIX2 bundle"), 1);
    const char *msgs[] = {"d_bad.json: not a STIX2 bundle: invalid JSON at line ",
                          "e_deep.json: JSON nested deeper than 64 levels"};
    for (size_t i = 0; i < 2; i++) {
        char *want = log_line(log1, msgs[i]);
        char *got = log_line(log2, msgs[i]);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    assert_int_equal(spy_iocs_finalize(all), SPY_OK);
    ft_expect(all, SPY_CHECK_URL, "big20.example", "big20.example", NULL);
    ft_expect(all, SPY_CHECK_URL, "big21999.example", "big21999.example", NULL);
    spy_iocs_free(one);
    spy_iocs_free(all);
    free(log1);
    free(log2);
    for (size_t i = 0; i < 6; i++)
        free(paths[i]);
    free(big);
    free(small);
    free(pad);
    free(empty);
    free(bad);
    free(deep);
    free(deep2);
    free(big2);
    tu_rmtree(dir);
    free(dir);
}

/* The depth check skips strings, escaped quotes included. */
static void test_depth_check_strings(void **state)
{
    (void)state;
    char nest[2 * 70 + 1];
    memset(nest, '[', 70);
    memset(nest + 70, ']', 70);
    nest[140] = '\0';
    /* "\\" ends the string: the brackets after it count */
    char *a = spy_xasprintf("{\"a\": \"x\\\\\", \"b\": %s}", nest);
    /* \" does not end it: the brackets are text */
    char *b = spy_xasprintf("{\"a\": \"x\\\\\\\"%s\"}", nest);
    char *c = spy_xasprintf("{\"a\": \"\\\"\\\\\\\\\\\"%s\"}", nest);
    const char *t[] = {a, b, c};
    const int want[] = {SPY_ELIMIT, SPY_OK, SPY_OK};
    for (size_t i = 0; i < 3; i++) {
        char *why = NULL;
        assert_int_equal(spy_iocs_precheck_stix2((const unsigned char *)t[i], strlen(t[i]), &why),
                         want[i]);
        free(why);
        json_t *j = json_loads(t[i], 0, NULL);
        assert_non_null(j); /* valid JSON all three */
        json_decref(j);
    }
    free(a);
    free(b);
    free(c);
}

static void test_lists(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *camp = tu_join(dir, "2021-07-18_nso");
    mkdir(camp, 0700);
    char *doms = tmp_file(
        camp, "domains.txt",
        "\xEF\xBB\xBF# Pegasus\r\n123tramites.com\r\n\r\n14-TRACKING.com  1minto-start.com\n"
        "   \n123tramites.com\n#comment.com");
    char *procs = tmp_file(camp, "processes.txt", "ABSCarryLog\naccountpfd");
    char *hashes = tmp_file(camp, "sha256.txt",
                            "54ee2c4f3e2396b6f92def135d68abd35d63ca7f9c304633a36f705ba4728cb7\n"
                            "d41d8cd98f00b204e9800998ecf8427e\n"
                            "da39a3ee5e6b4b0d3255bfef95601890afd80709\n");
    spy_iocs *set = new_set();
    assert_int_equal(spy_iocs_load_list(set, "domain", doms), SPY_OK);
    assert_int_equal(spy_iocs_load_list(set, "process", procs), SPY_OK);
    assert_int_equal(spy_iocs_load_list(set, "sha256", hashes), SPY_OK);
    spy_log_set_quiet(true);
    assert_int_equal(spy_iocs_load_list(set, "ipv6", procs), SPY_EUSAGE);
    char *nope = tu_join(camp, "nope.txt");
    assert_int_equal(spy_iocs_load_list(set, "domain", nope), SPY_ENOTFOUND);
    spy_log_set_quiet(false);
    spy_iocs_finalize(set);
    assert_int_equal(spy_iocs_collection_count(set), 3);
    const spy_ioc_collection_info *c = spy_iocs_collection(set, 0);
    assert_string_equal(c->name, "2021-07-18_nso");
    assert_string_equal(c->file_name, "domains.txt");
    assert_int_equal(c->key_counts[SPY_KEY_DOMAIN], 3);
    c = spy_iocs_collection(set, 2);
    assert_int_equal(c->key_counts[SPY_KEY_SHA256], 1);
    assert_int_equal(c->key_counts[SPY_KEY_MD5], 1);
    assert_int_equal(c->key_counts[SPY_KEY_SHA1], 1);
    assert_int_equal(spy_iocs_total(set), 3 + 2 + 3);
    assert_int_equal(spy_iocs_file_count(set), 3);
    ft_expect(set, SPY_CHECK_URL, "https://www.14-tracking.com/x", "14-tracking.com",
              "Found a known suspicious domain https://www.14-tracking.com/x matching "
              "indicator \"14-tracking.com\" from \"2021-07-18_nso\"");
    ft_expect(set, SPY_CHECK_PROCESS, "accountpfd", "accountpfd", NULL);
    ft_expect(set, SPY_CHECK_HASH, "D41D8CD98F00B204E9800998ECF8427E",
              "d41d8cd98f00b204e9800998ecf8427e", NULL);
    ft_expect_none(set, SPY_CHECK_URL, "comment.com");
    spy_iocs_free(set);
    free(doms);
    free(procs);
    free(hashes);
    free(nope);
    tu_rmtree(dir);
    free(dir);
    free(camp);
}

/* A list and the STIX2 bundle generated from it load the same. */
static void test_list_equals_stix(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *lst = tmp_file(dir, "emails.txt", "AmelieHaggart@gmail.com\narvidamelia1@gmail.com\n");
    const char *p[] = {"[email-addr:value='AmelieHaggart@gmail.com']",
                       "[email-addr:value='arvidamelia1@gmail.com']"};
    spy_iocs *a = new_set(), *b = ft_set_from_patterns("x", p, 2);
    assert_int_equal(spy_iocs_load_list(a, "email", lst), SPY_OK);
    spy_iocs_finalize(a);
    for (int k = 0; k < SPY_KEY_COUNT; k++)
        assert_int_equal(spy_iocs_collection(a, 0)->key_counts[k],
                         spy_iocs_collection(b, 0)->key_counts[k]);
    spy_ioc_match ma, mb;
    assert_true(spy_iocs_check(a, NULL, SPY_CHECK_EMAIL, "ameliehaggart@GMAIL.com", &ma));
    assert_true(spy_iocs_check(b, NULL, SPY_CHECK_EMAIL, "ameliehaggart@GMAIL.com", &mb));
    assert_string_equal(ma.value, mb.value);
    spy_ioc_match_clear(&ma);
    spy_ioc_match_clear(&mb);
    spy_iocs_free(a);
    spy_iocs_free(b);
    free(lst);
    tu_rmtree(dir);
    free(dir);
}

static void test_defaults(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *data = tu_join(dir, "data");
    char *spy = tu_join(data, "spyscan");
    char *ind = tu_join(spy, "indicators");
    mkdir(data, 0700);
    mkdir(spy, 0700);
    mkdir(ind, 0700);
    char *nested = tu_join(ind, "nested");
    mkdir(nested, 0700);
    const char *pa[] = {"[domain-name:value='dl-a.com']"},
               *pb[] = {"[domain-name:value='dl-b.com']"},
               *pc[] = {"[domain-name:value='env.com']"},
               *pd[] = {"[domain-name:value='envdir.com']"};
    char *ja = ft_bundle("DL-A", pa, 1), *jb = ft_bundle("DL-B", pb, 1),
         *jc = ft_bundle("ENV", pc, 1), *jd = ft_bundle("ENVDIR", pd, 1);
    free(tmp_file(ind, "b.STIX2", jb));
    free(tmp_file(ind, "a.stix2", ja));
    free(tmp_file(ind, "c.json", ja));     /* not .stix2: ignored */
    free(tmp_file(nested, "d.stix2", ja)); /* non-recursive */
    char *envfile = tmp_file(dir, "env.stix2", jc);
    char *envdir = tu_join(dir, "envdir");
    mkdir(envdir, 0700);
    char *envsub = tu_join(envdir, "deeper");
    mkdir(envsub, 0700);
    free(tmp_file(envsub, "x.stix2", jd));
    free(tmp_file(envsub, "y.json", jd)); /* env folders: *.stix2 only */
    char *bad = tu_join(dir, "nothing-here");
    char *mvt = spy_xasprintf("%s::%s", bad, envdir);
    spy_iocs_env env = {data, "/nonexistent-home", envfile, mvt};
    spy_iocs *set = new_set();
    ft_logcap cap;
    ft_log_begin(&cap);
    unsigned long e = spy_log_error_count();
    assert_int_equal(spy_iocs_load_defaults_env(set, &env), SPY_OK);
    char *log = ft_log_end(&cap);
    assert_int_equal(spy_log_error_count() - e, 1);
    char *want = spy_xasprintf("Path specified with env MVT_STIX2 is not a valid path: '%s'", bad);
    assert_non_null(strstr(log, want));
    assert_int_equal(spy_iocs_collection_count(set), 4);
    const char *names[] = {"DL-A", "DL-B", "ENV", "ENVDIR"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(spy_iocs_collection(set, i)->name, names[i]);
    spy_iocs_free(set);
    /* HOME fallback, and nothing at all */
    spy_iocs_env env2 = {NULL, "/nonexistent-home", NULL, ""};
    set = new_set();
    assert_int_equal(spy_iocs_load_defaults_env(set, &env2), SPY_OK);
    assert_int_equal(spy_iocs_collection_count(set), 0);
    spy_iocs_free(set);
    set = new_set();
    assert_int_equal(spy_iocs_load_defaults(set), SPY_OK); /* CTest isolates the env */
    spy_iocs_free(set);
    free(want);
    free(log);
    free(mvt);
    free(bad);
    free(envfile);
    free(envdir);
    free(envsub);
    free(ja);
    free(jb);
    free(jc);
    free(jd);
    free(nested);
    free(ind);
    free(spy);
    free(data);
    tu_rmtree(dir);
    free(dir);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(spy_ioc_bucket_name(SPY_BUCKET_DOMAINS), "domains");
    assert_string_equal(spy_ioc_bucket_name(SPY_BUCKET_ANDROID_PROPERTY_NAMES),
                        "android_property_names");
    assert_string_equal(spy_ioc_bucket_name(SPY_BUCKET_APP_CERT_HASHES), "app_cert_hashes");
    assert_string_equal(spy_ioc_key_name(SPY_KEY_CERT_SHA256), "app:cert.sha256");
    assert_string_equal(spy_ioc_key_name(SPY_KEY_PROFILE_ID), "configuration-profile:id");
    assert_int_equal(spy_ioc_key_from_name("file:hashes.sha512"), SPY_KEY_SHA512);
    assert_int_equal(spy_ioc_key_from_name("compound"), SPY_KEY_COUNT);
    char *k = spy_ioc_key_normalise("  file:hashes.'SHA-256' ", 24);
    assert_string_equal(k, "file:hashes.sha256");
    free(k);
}

static void test_empty_values_skipped(void **state)
{
    (void)state;
    const char *p[] = {"[domain-name:value='']", "[domain-name:value='   ']",
                       "[process:name='\\'\\'']"};
    spy_iocs *set = ft_set_from_patterns("E", p, 3);
    assert_int_equal(spy_iocs_total(set), 0);
    ft_expect_none(set, SPY_CHECK_URL, "anything.com");
    spy_iocs_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_bundle),
        cmocka_unit_test(test_attribution),
        cmocka_unit_test(test_default_collection_dropped_when_empty),
        cmocka_unit_test(test_dedup_per_collection),
        cmocka_unit_test(test_hash_keys_normalised),
        cmocka_unit_test(test_pattern_type_and_unknown_keys),
        cmocka_unit_test(test_values_with_equals_quotes_unicode),
        cmocka_unit_test(test_mvt_lax_patterns),
        cmocka_unit_test(test_unsupported_patterns_warn_once),
        cmocka_unit_test(test_compound_shapes),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_no_indicators_is_a_warning),
        cmocka_unit_test(test_files_and_sha256),
        cmocka_unit_test(test_load_folder),
        cmocka_unit_test(test_folder_equals_one_by_one),
        cmocka_unit_test(test_depth_check_strings),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_list_equals_stix),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_empty_values_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
