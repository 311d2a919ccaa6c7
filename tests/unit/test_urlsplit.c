/* spyscan's URL splitter against what Python's urlsplit + tld's
 * fix_protocol give MVT (spec/iocs.md §7.2). */
#include "testutil.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"
#include "core/urlsplit.h"

#include <stdlib.h>
#include <string.h>

typedef struct ucase {
    const char *in;
    int rc;
    const char *netloc;
    const char *host;
    bool scheme_added, userinfo, port, bracketed;
} ucase;

static const ucase k_cases[] = {
    {"https://www.Example.com/path", SPY_OK, "www.example.com", "www.example.com", false, false,
     false, false},
    {"example.com", SPY_OK, "example.com", "example.com", true, false, false, false},
    {"EXAMPLE.COM/x?y#z", SPY_OK, "example.com", "example.com", true, false, false, false},
    {"http://user:pw@Example.COM:8080/x", SPY_OK, "user:pw@example.com:8080", "example.com", false,
     true, true, false},
    {"HTTP://EXAMPLE.COM", SPY_OK, "example.com", "example.com", false, false, false, false},
    {"//example.com/x", SPY_OK, "example.com", "example.com", false, false, false, false},
    {"http://example.com?q=1", SPY_OK, "example.com", "example.com", false, false, false, false},
    {"http://example.com#frag", SPY_OK, "example.com", "example.com", false, false, false, false},
    {"http://example.com.", SPY_OK, "example.com.", "example.com", false, false, false, false},
    {"http://[2001:DB8::1]:443/", SPY_OK, "[2001:db8::1]:443", "2001:db8::1", false, false, true,
     true},
    {"http://[fe80::1%25eth0]/", SPY_OK, "[fe80::1%25eth0]", "fe80::1%25eth0", false, false, false,
     true},
    {"http://[v1.x]/", SPY_OK, "[v1.x]", "v1.x", false, false, false, true},
    {"198.51.100.1:8080/x", SPY_OK, "198.51.100.1:8080", "198.51.100.1", true, false, true, false},
    /* MVT quirks reproduced: no "//" after the scheme-like prefix -> "https://" prepended */
    {"mailto:foo@Evil.com", SPY_OK, "mailto:foo@evil.com", "evil.com", true, true, false, false},
    {"http:x.com", SPY_OK, "http:x.com", "http", true, false, true, false},
    {"ht\ttp://x.com/", SPY_OK, "http:", "http", true, false, true, false},
    /* Python drops tab/CR/LF before splitting */
    {"http://exa\tmple.com\n/", SPY_OK, "example.com", "example.com", false, false, false, false},
    {"svn+ssh://host.example.org/r", SPY_OK, "host.example.org", "host.example.org", false, false,
     false, false},
    /* failures: no hostname, or urlsplit raises */
    {"", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http:///path", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"1http://x.com", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http://[2001:db8::1/", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http://x]/", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http://x[::1]/", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http://[::1]x/", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http://[not-ip]/", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http://user@/", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http://:80/", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"...", SPY_EFORMAT, NULL, NULL, false, false, false, false},
    {"http:example.com:80//x", SPY_EFORMAT, NULL, NULL, false, false, false, false},
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_cases / sizeof *k_cases; i++) {
        const ucase *c = &k_cases[i];
        char buf[SPY_URLSPLIT_BUF];
        spy_url u;
        int rc = spy_urlsplit(c->in, strlen(c->in), buf, sizeof buf, &u);
        if (rc != c->rc)
            fail_msg("'%s': rc %d, expected %d", c->in, rc, c->rc);
        if (rc != SPY_OK)
            continue;
        assert_string_equal(u.netloc, c->netloc);
        assert_int_equal(u.netloc_len, strlen(c->netloc));
        assert_string_equal(u.host, c->host);
        assert_int_equal(u.host_len, strlen(c->host));
        if (u.scheme_added != c->scheme_added || u.has_userinfo != c->userinfo ||
            u.has_port != c->port || u.bracketed != c->bracketed)
            fail_msg("'%s': flags %d%d%d%d", c->in, u.scheme_added, u.has_userinfo, u.has_port,
                     u.bracketed);
    }
}

static void test_path_offset(void **state)
{
    (void)state;
    char buf[SPY_URLSPLIT_BUF];
    spy_url u;
    const char *s = "https://example.com/a/b?c";
    assert_int_equal(spy_urlsplit(s, strlen(s), buf, sizeof buf, &u), SPY_OK);
    assert_int_equal(u.path_off, strlen("https://example.com"));
    s = "example.com";
    assert_int_equal(spy_urlsplit(s, strlen(s), buf, sizeof buf, &u), SPY_OK);
    assert_int_equal(u.path_off, strlen(s));
}

static void test_limits(void **state)
{
    (void)state;
    char small[16];
    spy_url u;
    const char *s = "https://a-rather-long-host-name.example.com/";
    assert_int_equal(spy_urlsplit(s, strlen(s), small, sizeof small, &u), SPY_ELIMIT);
    size_t n = SPY_MAX_URL_BYTES + 1;
    char *big = spy_xmalloc(n);
    memset(big, 'a', n);
    char buf[SPY_URLSPLIT_BUF];
    assert_int_equal(spy_urlsplit(big, n, buf, sizeof buf, &u), SPY_ELIMIT);
    /* a long path after a short host is fine */
    memcpy(big, "http://x.org/", 13);
    assert_int_equal(spy_urlsplit(big, SPY_MAX_URL_BYTES, buf, sizeof buf, &u), SPY_OK);
    assert_string_equal(u.host, "x.org");
    free(big);
}

static void test_not_nul_terminated(void **state)
{
    (void)state;
    char buf[SPY_URLSPLIT_BUF];
    spy_url u;
    const char *s = "http://example.org/xyz";
    assert_int_equal(spy_urlsplit(s, strlen("http://exam"), buf, sizeof buf, &u), SPY_OK);
    assert_string_equal(u.host, "exam");
}

static void test_ipv4(void **state)
{
    (void)state;
    assert_true(spy_url_is_ipv4("1.2.3.4", 7));
    assert_true(spy_url_is_ipv4("255.255.255.255", 15));
    assert_false(spy_url_is_ipv4("256.1.1.1", 9));
    assert_false(spy_url_is_ipv4("1.2.3", 5));
    assert_false(spy_url_is_ipv4("1.2.3.4.5", 9));
    assert_false(spy_url_is_ipv4("01.2.3.4", 8));
    assert_false(spy_url_is_ipv4("1.2.3.a", 7));
    assert_false(spy_url_is_ipv4("", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),  cmocka_unit_test(test_path_offset),
        cmocka_unit_test(test_limits), cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_ipv4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
