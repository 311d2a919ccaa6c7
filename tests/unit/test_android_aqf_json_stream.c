/* The streaming walk of AndroidQF's JSON (aqf_json.c): the same elements
 * and statistics as the whole-text walk whatever the size of the pieces a
 * stream gives (1, 2, 3, 7, 64, 4096 bytes), on the aqf_* fixtures and on
 * crafted text: UTF-8 cut at every byte, a BOM cut, a damaged tail, line
 * mode with CRLF, integers beyond 64 bits beside INT64_MIN, brackets in
 * strings; a value longer than the limit and a read error stop the walk
 * with the elements before delivered. */
#include "acquire/stream.h"
#include "android_fixture.h"
#include "core/error.h"
#include "modules/android/aqf_util.h"
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A stream over text giving first bytes, then k at a time; from fail_at
 * on, it fails. */
typedef struct piece_stream {
    spy_stream base;
    const char *p;
    size_t len, off, first, k, fail_at;
} piece_stream;

static int ps_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    piece_stream *c = (piece_stream *)s;
    if (c->off >= c->fail_at)
        return SPY_EIO;
    size_t n = c->len - c->off, want = c->off == 0 && c->first ? c->first : c->k;
    n = n < want ? n : want;
    n = n < cap ? n : cap;
    memcpy(buf, c->p + c->off, n);
    c->off += n;
    *got = n;
    return SPY_OK;
}

static void ps_close(spy_stream *s)
{
    (void)s;
}

typedef struct summary {
    char *text;
    size_t len, n;
} summary;

static int collect(json_t *v, void *ud)
{
    summary *s = ud;
    char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(d);
    size_t k = strlen(d);
    s->text = realloc(s->text, s->len + k + 2);
    memcpy(s->text + s->len, d, k);
    s->len += k;
    s->text[s->len++] = '\n';
    s->text[s->len] = '\0';
    s->n++;
    free(d);
    json_decref(v);
    return 0;
}

/* Every element, one a line, then "rc bad why". */
static char *finish(summary *s, int rc, const spy_aqf_json_stats *st)
{
    char tail[160];
    snprintf(tail, sizeof tail, "rc %d bad %zu why %s%s", rc, st->bad, st->why ? st->why : "-",
             st->stopped ? " (stopped)" : "");
    size_t n = s->len + strlen(tail) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%s%s", s->text ? s->text : "", tail);
    free(s->text);
    return out;
}

static char *walk_whole(const char *text, size_t len, bool lines)
{
    char *copy = malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    summary s = {0};
    spy_aqf_json_stats st;
    int rc = spy_aqf_json_foreach(&copy, &len, lines, collect, &s, &st);
    free(copy);
    return finish(&s, rc, &st);
}

static char *walk_pieces(const char *text, size_t len, bool lines, size_t first, size_t k,
                         size_t max, size_t fail_at)
{
    piece_stream ps = {.base = {.read = ps_read, .close = ps_close},
                       .p = text,
                       .len = len,
                       .first = first,
                       .k = k,
                       .fail_at = fail_at};
    summary s = {0};
    spy_aqf_json_stats st;
    int rc = spy_aqf_json_stream(&ps.base, lines, max, collect, &s, &st);
    return finish(&s, rc, &st);
}

static const size_t PIECES[] = {1, 2, 3, 7, 64, 4096};

/* The whole-text walk, checked against every piece size; returned. */
static char *same_in_pieces(const char *text, size_t len, bool lines)
{
    char *whole = walk_whole(text, len, lines);
    for (size_t i = 0; i < sizeof PIECES / sizeof PIECES[0]; i++) {
        char *got = walk_pieces(text, len, lines, 0, PIECES[i], 1u << 20, SIZE_MAX);
        assert_string_equal(got, whole);
        free(got);
    }
    return whole;
}

static void expect_n(const char *text, size_t len, bool lines, const char *want)
{
    char *got = same_in_pieces(text, len, lines);
    assert_string_equal(got, want);
    free(got);
}

static void expect(const char *text, bool lines, const char *want)
{
    expect_n(text, strlen(text), lines, want);
}

static void test_fixtures(void **state)
{
    (void)state;
    static const char *const files[][2] = {{"aqf_files", "files.json"},
                                           {"aqf_files", "files_lines.json"},
                                           {"aqf_packages", "packages.json"},
                                           {"aqf_processes", "processes.json"}};
    static const size_t n_elems[] = {7, 4, 0, 0};
    for (size_t f = 0; f < 4; f++) {
        size_t len = 0;
        char *text = af_fixture(files[f][0], files[f][1], &len);
        for (int lines = 0; lines < 2; lines++) {
            char *got = same_in_pieces(text, len, lines);
            assert_non_null(strstr(got, f == 1 && !lines ? "rc 4 bad 0 why not a JSON array"
                                                         : "rc 0 bad 0 why -"));
            if (n_elems[f]) {
                size_t nl = 0;
                for (const char *p = got; (p = strchr(p, '\n')) != NULL; p++)
                    nl++;
                /* files_lines.json is no array: nothing without line mode */
                assert_int_equal(nl, f == 1 && !lines ? 0 : n_elems[f]);
            }
            free(got);
        }
        free(text);
    }
}

static void test_crafted(void **state)
{
    (void)state;
    /* invalid bytes dropped, also a sequence cut by a quote */
    expect("[{\"p\":\"a\xc3\xa9"
           "b\xe2\x82\xac"
           "c\xf0\x9f\x98\x80"
           "d\xff\"},\"\xe2\x82\"]",
           false,
           "{\"p\":\"a\xc3\xa9"
           "b\xe2\x82\xac"
           "c\xf0\x9f\x98\x80"
           "d\"}\n\"\"\nrc 0 bad 0 why -");
    /* a BOM, NULs and blanks before the array */
    expect("\xEF\xBB\xBF\n[1]", false, "1\nrc 0 bad 0 why -");
    static const char nuls[] = " \0\n\0[2]";
    expect_n(nuls, sizeof nuls - 1, false, "2\nrc 0 bad 0 why -");
    /* brackets and escaped quotes in strings; nesting; reals */
    expect("[{\"n\":{\"m\":[1,2,{\"q\":\"]}\\\"\"}]}},\"\\\"]\",true,null,1.5e3]", false,
           "{\"n\":{\"m\":[1,2,{\"q\":\"]}\\\"\"}]}}\n\"\\\"]\"\ntrue\nnull\n1500.0\nrc 0 bad 0 "
           "why -");
    /* beyond 64 bits: quoted; INT64_MIN beside one stays a number */
    expect("[{\"s\":-9223372036854775808,\"b\":-12345678901234567890123},98765432109876543210]",
           false,
           "{\"s\":-9223372036854775808,\"b\":\"-12345678901234567890123\"}\n"
           "\"98765432109876543210\"\nrc 0 bad 0 why -");
    /* a damaged tail: the elements before it are delivered */
    expect("[{\"a\":1},{\"b\":2},{\"c\":", false,
           "{\"a\":1}\n{\"b\":2}\nrc 4 bad 1 why invalid JSON in the array");
    expect("[{\"a\":1} {\"b\":2}]", false, "{\"a\":1}\nrc 4 bad 1 why expected ',' or ']'");
    expect("[1,,2]", false, "1\nrc 4 bad 1 why invalid JSON in the array");
    expect("[truex]", false, "rc 4 bad 1 why invalid JSON in the array");
    expect("[12, 34", false, "12\n34\nrc 4 bad 1 why truncated array");
    /* line mode, CRLF, blank and bad lines, a big integer on a line */
    expect("{\"a\":1}\r\n\r\n  {\"b\":\"x\"}\r\nnot json\r\n{\"c\":12345678901234567890123}\r\n",
           true,
           "{\"a\":1}\n{\"b\":\"x\"}\n{\"c\":\"12345678901234567890123\"}\n"
           "rc 0 bad 1 why a line is not JSON");
    expect("{\"a\":1}\n{\"b\":", true, "{\"a\":1}\nrc 0 bad 1 why a line is not JSON");
    expect("nope\n\n{x}", true, "rc 4 bad 2 why a line is not JSON");
    expect("", true, "rc 0 bad 0 why -");
    expect("", false, "rc 4 bad 0 why empty file");
    expect("{\"a\":1}", false, "rc 4 bad 0 why not a JSON array");
}

/* A text of multi-byte sequences, valid and not, cut at every byte. */
static void test_utf8_cut_everywhere(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xe2\x82"
                               "x\xf0\x9f\xc3\xa9\xed\xa0\x80y\xc0\xaf\"]";
    size_t len = sizeof text - 1;
    char *whole = walk_whole(text, len, false);
    assert_string_equal(whole, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x\xc3\xa9y\"\n"
                               "rc 0 bad 0 why -");
    for (size_t cut = 1; cut < len; cut++) {
        for (size_t k = 1; k <= 2; k++) {
            char *got = walk_pieces(text, len, false, cut, k == 1 ? len : 1, 1u << 20, SIZE_MAX);
            assert_string_equal(got, whole);
            free(got);
        }
    }
    free(whole);
}

static void test_too_long_and_read_error(void **state)
{
    (void)state;
    char text[400];
    snprintf(text, sizeof text, "[{\"a\":1},{\"long\":\"%0200d\"},{\"c\":3}]", 0);
    for (size_t i = 0; i < sizeof PIECES / sizeof PIECES[0]; i++) {
        char *got = walk_pieces(text, strlen(text), false, 0, PIECES[i], 100, SIZE_MAX);
        assert_string_equal(got, "{\"a\":1}\nrc 6 bad 0 why a value or line longer than "
                                 "spyscan reads (stopped)");
        free(got);
        got = walk_pieces(text, strlen(text), false, 0, PIECES[i], 300, SIZE_MAX);
        assert_non_null(strstr(got, "{\"c\":3}\nrc 0 bad 0 why -"));
        free(got);
    }
    char lines[400];
    snprintf(lines, sizeof lines, "{\"a\":1}\n{\"long\":\"%0200d\"}\n{\"c\":3}\n", 0);
    char *got = walk_pieces(lines, strlen(lines), true, 0, 7, 100, SIZE_MAX);
    assert_string_equal(got, "{\"a\":1}\nrc 6 bad 0 why a value or line longer than spyscan reads "
                             "(stopped)");
    free(got);
    /* the stream fails in the middle of the second element */
    got = walk_pieces(text, strlen(text), false, 0, 4, 1u << 20, 20);
    assert_string_equal(got, "{\"a\":1}\nrc 2 bad 0 why the file could not be read to its end "
                             "(stopped)");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_crafted),
        cmocka_unit_test(test_utf8_cut_everywhere),
        cmocka_unit_test(test_too_long_and_read_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
