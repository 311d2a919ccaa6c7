/* URL and domain matching (spec/iocs.md §7, design.md §4): MVT's exact and
 * registered-domain matches with MVT's messages, parents of the host,
 * decoys that must not match, IP literals, hosts without a PSL rule. */
#include "iocs_test_helpers.h"

static const char *k_patterns[] = {
    "[domain-name:value='123tramites.com']", /* real Pegasus domains */
    "[domain-name:value='14-tracking.com']",
    "[domain-name:value='example.com']",
    "[domain-name:value='sub.target.org']",
    "[domain-name:value='co.uk']",
    "[domain-name:value='github.io']",
    "[ipv4-addr:value='198.51.100.1']",
    "[domain-name:value='2001:db8::1']",
    "[domain-name:value='evil.local']",
    "[domain-name:value='eb.quirk.com']",
    "[domain-name:value='web.example.net']",
    "[url:value='http://example.com/thisisbad']",
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

#define DOMAIN_MSG(s, v)                                                                           \
    "Found a known suspicious domain " s " matching indicator \"" v "\" from \"Pegasus\""
#define SUB_MSG(s, v)                                                                              \
    "Found a sub-domain with a suspicious top level " s " matching indicator \"" v                 \
    "\" from \"Pegasus\""
#define MAYBE_MSG(s, v)                                                                            \
    "Maybe found a known suspicious domain " s " matching indicator \"" v "\" from \"Pegasus\""

static void expect(const char *s, const char *v, const char *msg)
{
    ft_expect(g_set, SPY_CHECK_URL, s, v, msg);
}

/* §7.1 step 4: MVT's `domain` (www. stripped) equals the indicator. */
static void test_full_domain(void **state)
{
    (void)state;
    expect("example.com", "example.com", DOMAIN_MSG("example.com", "example.com"));
    expect("https://www.example.com/index.html", "example.com",
           DOMAIN_MSG("https://www.example.com/index.html", "example.com"));
    expect("HTTPS://WWW.123TRAMITES.COM/", "123tramites.com",
           DOMAIN_MSG("HTTPS://WWW.123TRAMITES.COM/", "123tramites.com"));
    expect("EXAMPLE.COM", "example.com", DOMAIN_MSG("EXAMPLE.COM", "example.com"));
    expect("//14-tracking.com/a?b=c", "14-tracking.com",
           DOMAIN_MSG("//14-tracking.com/a?b=c", "14-tracking.com"));
}

/* §7.1 step 5: ports, sub-domains, userinfo, trailing dots. */
static void test_registered_domain(void **state)
{
    (void)state;
    expect("http://example.com:8080/x", "example.com",
           SUB_MSG("http://example.com:8080/x", "example.com"));
    expect("https://a.b.example.com/path", "example.com",
           SUB_MSG("https://a.b.example.com/path", "example.com"));
    expect("http://user:pw@example.com/", "example.com",
           SUB_MSG("http://user:pw@example.com/", "example.com"));
    expect("http://example.com./", "example.com", SUB_MSG("http://example.com./", "example.com"));
    expect("mailto:someone@example.com", "example.com",
           SUB_MSG("mailto:someone@example.com", "example.com"));
    expect("a.b.example.com", "example.com", SUB_MSG("a.b.example.com", "example.com"));
}

static void test_decoys(void **state)
{
    (void)state;
    ft_expect_none(g_set, SPY_CHECK_URL, "myexample.com");
    ft_expect_none(g_set, SPY_CHECK_URL, "https://example.com.evil.net/");
    ft_expect_none(g_set, SPY_CHECK_URL, "https://notexample.com/example.com");
    ft_expect_none(g_set, SPY_CHECK_URL, "http://evil.net/?u=example.com");
    ft_expect_none(g_set, SPY_CHECK_URL, "example.co");
    ft_expect_none(g_set, SPY_CHECK_URL, "target.org");
    ft_expect_none(g_set, SPY_CHECK_URL, "https://bit.ly/3xyz"); /* shortener: never resolved */
    ft_expect_none(g_set, SPY_CHECK_URL, "");
    ft_expect_none(g_set, SPY_CHECK_URL, NULL);
    ft_expect_none(g_set, SPY_CHECK_URL, "http://[example.com/");
    ft_expect_none(g_set, SPY_CHECK_URL, "http:///example.com");
}

/* Difference from MVT: a sub-domain indicator also matches its own
 * sub-domains (MVT only compares the registered domain). */
static void test_subdomain_indicator(void **state)
{
    (void)state;
    expect("sub.target.org", "sub.target.org", DOMAIN_MSG("sub.target.org", "sub.target.org"));
    expect("https://x.sub.target.org/p", "sub.target.org",
           SUB_MSG("https://x.sub.target.org/p", "sub.target.org"));
    expect("https://y.x.sub.target.org", "sub.target.org",
           SUB_MSG("https://y.x.sub.target.org", "sub.target.org"));
}

/* A parent that is a public suffix is never a match. */
static void test_public_suffix_indicators(void **state)
{
    (void)state;
    ft_expect_none(g_set, SPY_CHECK_URL, "https://bbc.co.uk/news");
    ft_expect_none(g_set, SPY_CHECK_URL, "https://evil.github.io/");
    expect("co.uk", "co.uk", DOMAIN_MSG("co.uk", "co.uk")); /* MVT: exact match */
}

/* IP literals: exact host only (MVT: substring fallback, §7.5). */
static void test_ip_literals(void **state)
{
    (void)state;
    expect("https://198.51.100.1:8080/", "198.51.100.1",
           MAYBE_MSG("https://198.51.100.1:8080/", "198.51.100.1"));
    expect("198.51.100.1", "198.51.100.1", MAYBE_MSG("198.51.100.1", "198.51.100.1"));
    ft_expect_none(g_set, SPY_CHECK_URL, "198.51.100.10");
    ft_expect_none(g_set, SPY_CHECK_URL, "1198.51.100.1");
    ft_expect_none(g_set, SPY_CHECK_URL, "http://10.198.51.100.1/");
    expect("http://[2001:DB8::1]:443/x", "2001:db8::1",
           MAYBE_MSG("http://[2001:DB8::1]:443/x", "2001:db8::1"));
    ft_expect_none(g_set, SPY_CHECK_URL, "http://[2001:db8::2]/");
}

/* Hosts without a public-suffix rule: MVT's "Maybe found" message. */
static void test_no_psl_rule(void **state)
{
    (void)state;
    expect("http://evil.local/x", "evil.local", MAYBE_MSG("http://evil.local/x", "evil.local"));
    expect("x.y.evil.local", "evil.local", MAYBE_MSG("x.y.evil.local", "evil.local"));
    ft_expect_none(g_set, SPY_CHECK_URL, "notevil.local");
}

static void test_url_indicator(void **state)
{
    (void)state;
    ft_expect(g_set, SPY_CHECK_URL, "http://example.com/thisisbad", "http://example.com/thisisbad",
              "Found a known suspicious URL http://example.com/thisisbad matching indicator "
              "\"http://example.com/thisisbad\" from \"Pegasus\"");
    /* case-sensitive: a different URL, then matched by its domain */
    expect("http://example.com/thisisBAD", "example.com",
           DOMAIN_MSG("http://example.com/thisisBAD", "example.com"));
}

/* MVT strips every leading 'w' and '.' of the netloc, not "www.": its exact
 * matches on such hosts are kept with its message ... */
static void test_w_strip_quirk(void **state)
{
    (void)state;
    expect("https://web.quirk.com/", "eb.quirk.com",
           DOMAIN_MSG("https://web.quirk.com/", "eb.quirk.com"));
    /* ... and the real host matches too (MVT misses this one). */
    expect("https://web.example.net/", "web.example.net",
           SUB_MSG("https://web.example.net/", "web.example.net"));
}

/* §6.5: for domains the last loaded collection wins. */
static void test_domain_attribution_last_wins(void **state)
{
    (void)state;
    const char *p[] = {"[domain-name:value='shared.com']"};
    spy_iocs *set;
    spy_iocs_new(&set);
    char *a = ft_bundle("First", p, 1), *b = ft_bundle("Second", p, 1);
    ft_load_json(set, a, "a.stix2");
    ft_load_json(set, b, "b.stix2");
    spy_iocs_finalize(set);
    spy_ioc_match m;
    assert_true(spy_iocs_check(set, NULL, SPY_CHECK_URL, "shared.com", &m));
    assert_string_equal(m.name, "Second");
    assert_string_equal(m.stix2_file_name, "b.stix2");
    spy_ioc_match_clear(&m);
    spy_iocs_free(set);
    free(a);
    free(b);
}

static void test_not_finalized_never_matches(void **state)
{
    (void)state;
    const char *p[] = {"[domain-name:value='x.com']"};
    spy_iocs *set;
    spy_iocs_new(&set);
    char *a = ft_bundle("X", p, 1);
    ft_load_json(set, a, "a.stix2");
    assert_false(spy_iocs_check(set, NULL, SPY_CHECK_URL, "x.com", NULL));
    spy_iocs_finalize(set);
    assert_true(spy_iocs_check(set, NULL, SPY_CHECK_URL, "x.com", NULL));
    /* loading after finalize is refused */
    assert_int_equal(spy_iocs_load_stix2_buffer(set, "b", (const unsigned char *)a, strlen(a)),
                     SPY_EINTERNAL);
    spy_iocs_free(set);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_domain),
        cmocka_unit_test(test_registered_domain),
        cmocka_unit_test(test_decoys),
        cmocka_unit_test(test_subdomain_indicator),
        cmocka_unit_test(test_public_suffix_indicators),
        cmocka_unit_test(test_ip_literals),
        cmocka_unit_test(test_no_psl_rule),
        cmocka_unit_test(test_url_indicator),
        cmocka_unit_test(test_w_strip_quirk),
        cmocka_unit_test(test_domain_attribution_last_wins),
        cmocka_unit_test(test_not_finalized_never_matches),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
