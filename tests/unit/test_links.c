/* Link extraction (core/links.h): MVT's `https?://[^\s]+` with IGNORECASE,
 * Python's Unicode whitespace and case folding. Expected lists were
 * produced with Python's re.findall on the same texts. */
#include "testutil.h"

#include "core/links.h"

#include <stdbool.h>
#include <string.h>

typedef struct got {
    char v[8][128];
    size_t n;
    size_t stop_after;
} got;

static bool collect(const char *p, size_t n, void *ud)
{
    got *g = ud;
    if (g->n < 8 && n < 128) {
        memcpy(g->v[g->n], p, n);
        g->v[g->n][n] = '\0';
    }
    g->n++;
    return g->stop_after == 0 || g->n < g->stop_after;
}

static got run(const char *text, size_t len)
{
    got g = {0};
    size_t count = spy_links_extract(text, len, collect, &g);
    assert_int_equal(count, g.n);
    return g;
}

static void test_basic(void **state)
{
    (void)state;
    const char *t = "see https://a.example/x?y=1, and http://b.example\tnext HTTP://C.EXAMPLE/Z";
    got g = run(t, strlen(t));
    assert_int_equal(g.n, 3);
    assert_string_equal(g.v[0], "https://a.example/x?y=1,"); /* punctuation is kept */
    assert_string_equal(g.v[1], "http://b.example");
    assert_string_equal(g.v[2], "HTTP://C.EXAMPLE/Z");
}

static void test_no_match(void **state)
{
    (void)state;
    const char *cases[] = {"",          "http://",         "https:// x",
                           "ftp://a.b", "httpx://a",       "https:/a",
                           "http//a",   "www.example.com", "https://\xc2\xa0x"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(run(cases[i], strlen(cases[i])).n, 0);
}

static void test_unicode_whitespace(void **state)
{
    (void)state;
    /* NBSP, U+2028, U+3000, U+0085 and U+001F end a link; U+200B (zero
     * width space) does not (Python does not count it as whitespace). */
    const char t[] = "https://a.b\xc2\xa0x https://c.d\xe2\x80\xa8y https://e.f\xe3\x80\x80z "
                     "https://g.h\xc2\x85w https://i.j\x1fv https://k.l\xe2\x80\x8bm";
    got g = run(t, sizeof t - 1);
    assert_int_equal(g.n, 6);
    assert_string_equal(g.v[0], "https://a.b");
    assert_string_equal(g.v[1], "https://c.d");
    assert_string_equal(g.v[2], "https://e.f");
    assert_string_equal(g.v[3], "https://g.h");
    assert_string_equal(g.v[4], "https://i.j");
    assert_string_equal(g.v[5], "https://k.l\xe2\x80\x8bm");
}

static void test_case_folding_and_embedded(void **state)
{
    (void)state;
    /* U+017F (long s) folds to 's' under IGNORECASE; a NUL byte belongs to the link;
     * a link can start in the middle of a word. */
    const char t[] = "httP\xc5\xbf://x.org/ xhttps://y.org/a\0b https://z";
    got g = run(t, sizeof t - 1);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.v[0], "httP\xc5\xbf://x.org/");
    assert_int_equal(strlen(g.v[1]), strlen("https://y.org/a")); /* stored up to the NUL */
    assert_string_equal(g.v[2], "https://z");
}

static void test_bounds_and_stop(void **state)
{
    (void)state;
    /* The length is respected: nothing past len is read or reported. */
    const char t[] = "https://abc.def/ghi";
    got g = run(t, 9);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.v[0], "https://a");
    assert_int_equal(run(t, 8).n, 0);
    got s = {.stop_after = 1};
    const char two[] = "https://a https://b";
    assert_int_equal(spy_links_extract(two, sizeof two - 1, collect, &s), 1);
    assert_int_equal(spy_links_extract(NULL, 5, collect, &s), 0);
}

static void test_blank(void **state)
{
    (void)state;
    assert_true(spy_links_blank("", 0));
    assert_true(spy_links_blank(" \t\r\n\xc2\xa0\xe3\x80\x80", 9));
    assert_false(spy_links_blank(" a ", 3));
    assert_false(spy_links_blank("\xe2\x80\x8b", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_basic),
                                       cmocka_unit_test(test_no_match),
                                       cmocka_unit_test(test_unicode_whitespace),
                                       cmocka_unit_test(test_case_folding_and_embedded),
                                       cmocka_unit_test(test_bounds_and_stop),
                                       cmocka_unit_test(test_blank)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
