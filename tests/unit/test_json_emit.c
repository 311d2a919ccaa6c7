/* The streaming emitter: exact bytes as Python's json.dump writes them
 * (expected texts produced with CPython 3's json.dumps / repr). */
#include "testutil.h"

#include "core/error.h"
#include "core/json_emit.h"
#include "core/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Emits v with the given indent into memory and returns a copy. */
static char *emit_value(const json_t *v, int indent)
{
    spy_jw *w = spy_jw_new_mem(indent);
    assert_int_equal(spy_jw_value(w, v), SPY_OK);
    assert_int_equal(spy_jw_finish(w), SPY_OK);
    char *s = strdup(spy_jw_mem(w, NULL));
    spy_jw_free(w);
    return s;
}

static json_t *sample(void)
{
    json_t *o = json_object();
    json_object_set_new(o, "a", json_string("x"));
    json_object_set_new(o, "n", json_integer(1));
    json_t *arr = json_array();
    json_array_append_new(arr, json_integer(1));
    json_array_append_new(arr, json_string("b"));
    json_object_set_new(o, "arr", arr);
    json_object_set_new(o, "e", json_array());
    json_object_set_new(o, "o", json_object());
    json_t *nest = json_object();
    json_object_set_new(nest, "k", json_true());
    json_object_set_new(o, "nest", nest);
    json_object_set_new(o, "z", json_null());
    return o;
}

static void test_nested_indent4(void **state)
{
    (void)state;
    json_t *o = sample();
    char *s = emit_value(o, 4);
    assert_string_equal(s, "{\n"
                           "    \"a\": \"x\",\n"
                           "    \"n\": 1,\n"
                           "    \"arr\": [\n"
                           "        1,\n"
                           "        \"b\"\n"
                           "    ],\n"
                           "    \"e\": [],\n"
                           "    \"o\": {},\n"
                           "    \"nest\": {\n"
                           "        \"k\": true\n"
                           "    },\n"
                           "    \"z\": null\n"
                           "}");
    free(s);
    json_decref(o);
}

static void test_nested_compact(void **state)
{
    (void)state;
    json_t *o = sample();
    char *s = emit_value(o, 0);
    assert_string_equal(s, "{\"a\": \"x\", \"n\": 1, \"arr\": [1, \"b\"], \"e\": [], \"o\": {}, "
                           "\"nest\": {\"k\": true}, \"z\": null}");
    free(s);
    json_decref(o);
}

static void test_streaming_calls(void **state)
{
    (void)state;
    spy_jw *w = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_begin_array(w), SPY_OK);
    spy_jw_begin_array(w);
    spy_jw_end_array(w);
    spy_jw_begin_object(w);
    spy_jw_key(w, "k", 1);
    spy_jw_cstr(w, NULL);
    spy_jw_key(w, "b", 1);
    spy_jw_bool(w, false);
    spy_jw_key(w, "i", 1);
    spy_jw_int(w, -9223372036854775807LL - 1);
    spy_jw_end_object(w);
    spy_jw_end_array(w);
    assert_int_equal(spy_jw_finish(w), SPY_OK);
    assert_string_equal(spy_jw_mem(w, NULL), "[\n    [],\n    {\n        \"k\": null,\n"
                                             "        \"b\": false,\n"
                                             "        \"i\": -9223372036854775808\n    }\n]");
    spy_jw_free(w);
}

static char *emit_string(const char *s, size_t n)
{
    spy_jw *w = spy_jw_new_mem(0);
    assert_int_equal(spy_jw_string(w, s, n), SPY_OK);
    assert_int_equal(spy_jw_finish(w), SPY_OK);
    size_t len;
    const char *m = spy_jw_mem(w, &len);
    assert_int_equal(len, strlen(m));
    char *r = strdup(m);
    spy_jw_free(w);
    return r;
}

static void check_string(const char *in, size_t n, const char *want)
{
    char *s = emit_string(in, n);
    assert_string_equal(s, want);
    free(s);
}

static void test_escapes(void **state)
{
    (void)state;
    static const char in[] = "q\"b\\n\n r\r t\t b\b f\f \x01 \x1f \x7f / \xc3\xa9\xe2\x82\xac"
                             "\xf0\x9f\x98\x80\0";
    check_string(in, sizeof in - 1,
                 "\"q\\\"b\\\\n\\n r\\r t\\t b\\b f\\f \\u0001 \\u001f \\u007f / "
                 "\\u00e9\\u20ac\\ud83d\\ude00\\u0000\"");
    check_string("", 0, "\"\"");
    /* Highest code points of each length. */
    check_string("\x7f\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf", 10,
                 "\"\\u007f\\u07ff\\uffff\\udbff\\udfff\"");
    check_string("\xc2\x80\xe0\xa0\x80\xf0\x90\x80\x80", 9, "\"\\u0080\\u0800\\ud800\\udc00\"");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    check_string("\xff", 1, "\"\\\\xff\"");
    check_string("a\xc0\x80z", 4, "\"a\\\\xc0\\\\x80z\"");                   /* overlong */
    check_string("\xe0\x80\xaf", 3, "\"\\\\xe0\\\\x80\\\\xaf\"");            /* overlong 3 */
    check_string("\xed\xa0\x80", 3, "\"\\\\xed\\\\xa0\\\\x80\"");            /* surrogate */
    check_string("\xf4\x90\x80\x80", 4, "\"\\\\xf4\\\\x90\\\\x80\\\\x80\""); /* > U+10FFFF */
    check_string("\xf5\x80", 2, "\"\\\\xf5\\\\x80\"");
    check_string("x\xe2\x82", 3, "\"x\\\\xe2\\\\x82\""); /* truncated */
    check_string("\xe2\x82"
                 "A",
                 3, "\"\\\\xe2\\\\x82A\"");
    check_string("\x80\xc3\xa9", 3, "\"\\\\x80\\u00e9\""); /* lone continuation */
}

static void check_real(double v, const char *want)
{
    spy_jw *w = spy_jw_new_mem(0);
    assert_int_equal(spy_jw_real(w, v), SPY_OK);
    assert_int_equal(spy_jw_finish(w), SPY_OK);
    assert_string_equal(spy_jw_mem(w, NULL), want);
    spy_jw_free(w);
}

static void test_reals(void **state)
{
    (void)state;
    check_real(1.0, "1.0");
    check_real(0.1, "0.1");
    check_real(1e16, "1e+16");
    check_real(1e15, "1000000000000000.0");
    check_real(1.5e-7, "1.5e-07");
    check_real(0.0001, "0.0001");
    check_real(1e-5, "1e-05");
    check_real(-0.0, "-0.0");
    check_real(0.0, "0.0");
    check_real(5e-324, "5e-324");
    check_real(1.7976931348623157e308, "1.7976931348623157e+308");
    check_real(123.456, "123.456");
    check_real(100.0, "100.0");
    check_real(1e22, "1e+22");
    check_real(0.1 + 0.2, "0.30000000000000004");
    check_real(123456789.123, "123456789.123");
    check_real(9007199254740993.0, "9007199254740992.0");
    check_real(1e100, "1e+100");
    check_real(-2.5e-10, "-2.5e-10");
    check_real(NAN, "NaN");
    check_real(INFINITY, "Infinity");
    check_real(-INFINITY, "-Infinity");
}

static void test_value_strings_nocheck(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_object_set_new(o, "bin",
                        json_stringn_nocheck("a\0\xff"
                                             "b",
                                             4));
    json_object_set_new(o, "r", json_real(2.0));
    char *s = emit_value(o, 0);
    assert_string_equal(s, "{\"bin\": \"a\\u0000\\\\xffb\", \"r\": 2.0}");
    free(s);
    json_decref(o);
}

static void test_key_order_kept(void **state)
{
    (void)state;
    json_t *o = json_object();
    static const char *keys[] = {"zeta", "alpha", "mid", "beta", "aa"};
    for (size_t i = 0; i < 5; i++)
        json_object_set_new(o, keys[i], json_integer((json_int_t)i));
    char *s = emit_value(o, 0);
    assert_string_equal(s, "{\"zeta\": 0, \"alpha\": 1, \"mid\": 2, \"beta\": 3, \"aa\": 4}");
    free(s);
    json_decref(o);
}

static void test_round_trip(void **state)
{
    (void)state;
    json_t *o = sample();
    json_object_set_new(o, "u", json_string("caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" \\ \n\t\x01"));
    json_object_set_new(o, "r", json_real(0.1));
    json_object_set_new(o, "big", json_real(1.5e300));
    json_t *deep = json_array();
    json_t *cur = deep;
    for (int i = 0; i < 20; i++) {
        json_t *n = json_array();
        json_array_append_new(cur, json_integer(i));
        json_array_append_new(cur, n);
        cur = n;
    }
    json_object_set_new(o, "deep", deep);
    for (int indent = 0; indent <= 4; indent += 4) {
        char *s = emit_value(o, indent);
        json_error_t err;
        json_t *back = json_loadb(s, strlen(s), JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
        assert_non_null(back);
        assert_true(json_equal(o, back));
        json_decref(back);
        free(s);
    }
    json_decref(o);
}

static void test_errors(void **state)
{
    (void)state;
    spy_jw *w = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_key(w, "k", 1), SPY_EINTERNAL); /* key outside object */
    assert_int_equal(spy_jw_int(w, 1), SPY_EINTERNAL);      /* sticky */
    assert_int_equal(spy_jw_finish(w), SPY_EINTERNAL);
    spy_jw_free(w);

    w = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_end_array(w), SPY_EINTERNAL); /* end without begin */
    spy_jw_free(w);

    w = spy_jw_new_mem(4);
    spy_jw_begin_object(w);
    assert_int_equal(spy_jw_int(w, 1), SPY_EINTERNAL); /* value without key */
    spy_jw_free(w);

    w = spy_jw_new_mem(4);
    spy_jw_begin_object(w);
    spy_jw_key(w, "k", 1);
    assert_int_equal(spy_jw_end_object(w), SPY_EINTERNAL); /* key without value */
    spy_jw_free(w);

    w = spy_jw_new_mem(4);
    spy_jw_begin_object(w);
    assert_int_equal(spy_jw_end_array(w), SPY_EINTERNAL); /* mismatched end */
    spy_jw_free(w);

    w = spy_jw_new_mem(4);
    spy_jw_int(w, 1);
    assert_int_equal(spy_jw_int(w, 2), SPY_EINTERNAL); /* two top-level values */
    spy_jw_free(w);

    w = spy_jw_new_mem(4);
    spy_jw_begin_array(w);
    assert_int_equal(spy_jw_finish(w), SPY_EINTERNAL); /* left open */
    spy_jw_free(w);

    w = spy_jw_new_mem(0);
    for (unsigned i = 0; i < SPY_MAX_EMIT_DEPTH; i++)
        assert_int_equal(spy_jw_begin_array(w), SPY_OK);
    assert_int_equal(spy_jw_begin_array(w), SPY_ELIMIT);
    assert_int_equal(spy_jw_finish(w), SPY_ELIMIT);
    spy_jw_free(w);
}

static void test_value_depth_limit(void **state)
{
    (void)state;
    json_t *root = json_array(), *cur = root;
    for (unsigned i = 0; i < SPY_MAX_EMIT_DEPTH + 5; i++) {
        json_t *n = json_array();
        json_array_append_new(cur, n);
        cur = n;
    }
    spy_jw *w = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_value(w, root), SPY_ELIMIT);
    spy_jw_free(w);
    json_decref(root);
}

/* A document of several MB: records with escapes, and plain and escaped
 * strings longer than the background writer's 1 MB buffers. */
static void emit_large(spy_jw *w)
{
    size_t big = 3u * 1024u * 1024u + 17u;
    char *s = malloc(big);
    assert_non_null(s);
    for (size_t i = 0; i < big; i++)
        s[i] = (char)('a' + i % 26);
    spy_jw_begin_array(w);
    for (int i = 0; i < 60000; i++) {
        spy_jw_cstr(w, i % 7 ? "record \xc3\xa9 \"quoted\"" : "plain");
        spy_jw_int(w, i);
        if (i == 20000)
            spy_jw_string_plain(w, s, big);
        if (i == 40000) {
            s[5] = '"'; /* escaped: the chunked path */
            spy_jw_string(w, s, big);
        }
    }
    spy_jw_end_array(w);
    free(s);
}

/* A document larger than the write buffer reaches the fd byte-exact,
 * written in place or by the writer thread (bgwrite.c, in order across
 * many buffers). */
static void fd_large(bool background)
{
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "f.json");
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    spy_jw *fw = spy_jw_new_fd(fd, 4), *mw = spy_jw_new_mem(4);
    if (background)
        spy_jw_background(fw);
    for (spy_jw *w = fw; w; w = w == fw ? mw : NULL) {
        emit_large(w);
        assert_int_equal(spy_jw_finish(w), SPY_OK);
    }
    close(fd);
    size_t len, mlen;
    char *got = tu_read(path, &len);
    const char *want = spy_jw_mem(mw, &mlen);
    assert_true(mlen > 6u * 1024u * 1024u);
    assert_int_equal(len, mlen);
    assert_memory_equal(got, want, len);
    assert_int_equal(spy_jw_mem(fw, &len)[0], '\0');
    free(got);
    spy_jw_free(fw);
    spy_jw_free(mw);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

static void test_fd_large(void **state)
{
    (void)state;
    fd_large(false);
}

static void test_fd_large_background(void **state)
{
    (void)state;
    fd_large(true);
}

/* ENOSPC, in place or from the writer thread: reported by the end, with
 * its errno, and sticky. */
static void write_error(bool background)
{
    int fd = open("/dev/full", O_WRONLY);
    if (fd < 0)
        skip();
    spy_jw *w = spy_jw_new_fd(fd, 4);
    if (background)
        spy_jw_background(w);
    emit_large(w);
    errno = 0;
    assert_int_equal(spy_jw_finish(w), SPY_EIO);
    assert_int_equal(errno, ENOSPC);
    assert_int_equal(spy_jw_int(w, 1), SPY_EIO);
    spy_jw_free(w);
    close(fd);
}

static void test_write_error(void **state)
{
    (void)state;
    write_error(false);
}

static void test_write_error_background(void **state)
{
    (void)state;
    write_error(true);
}

/* ---- byte-for-byte checks against a naive escaper ------------------------
 * The emitter escapes whole runs at once and reserves room per token or per
 * chunk of a long string; ref_escape is the rule byte by byte (Python's
 * ensure_ascii output, \xNN for bytes that are not UTF-8), so every escape
 * class can be put at every offset, around the SIMD steps, the chunk edge
 * and the fd buffer's end. */

static size_t ref_utf8(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF, c &= 0x07;
    else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    *cp = c;
    return len;
}

/* Appends the quoted escape of s[0..n) at out (room: 6n + 3); returns the end. */
static char *ref_escape(char *out, const unsigned char *s, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    char *o = out;
    *o++ = '"';
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], cp;
        size_t k;
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
            i++;
        } else if (c >= 0x20 && c < 0x7F) {
            *o++ = (char)c;
            i++;
        } else if (c < 0x80) {
            const char *e = c == '\n'   ? "\\n"
                            : c == '\r' ? "\\r"
                            : c == '\t' ? "\\t"
                            : c == '\b' ? "\\b"
                            : c == '\f' ? "\\f"
                                        : NULL;
            if (e) {
                memcpy(o, e, 2);
                o += 2;
            } else {
                o += snprintf(o, 7, "\\u%04x", c);
            }
            i++;
        } else if ((k = ref_utf8(s + i, n - i, &cp)) == 0) {
            o += snprintf(o, 6, "\\\\x%c%c", hx[c >> 4], hx[c & 15]);
            i++;
        } else {
            if (cp >= 0x10000)
                o += snprintf(o, 13, "\\u%04x\\u%04x", 0xD800 | ((cp - 0x10000) >> 10),
                              0xDC00 | ((cp - 0x10000) & 0x3FF));
            else
                o += snprintf(o, 7, "\\u%04x", cp);
            i += k;
        }
    }
    *o++ = '"';
    return o;
}

/* One of each escape class (and plain), as bytes. */
static const struct {
    const char *b;
    size_t n;
} classes[] = {
    {"a", 1},
    {"\"", 1},
    {"\\", 1},
    {"\n", 1},
    {"\x01", 1},
    {"\x1f", 1},
    {"\x7f", 1},
    {"\0", 1},
    {"\xc3\xa9", 2},
    {"\xe2\x82\xac", 3},
    {"\xf0\x9f\x98\x80", 4},
    {"\xff", 1},
    {"\xe2\x82", 2},
    {"\xed\xa0\x80", 3},
    {"~", 1},
    {" ", 1},
};
#define N_CLASSES (sizeof classes / sizeof classes[0])

/* Emits s as a string value and as a key (compact, in memory) and compares
 * with the reference. */
static void check_both(const unsigned char *s, size_t n, char *want)
{
    char *we = ref_escape(want, s, n);
    size_t wl = (size_t)(we - want);
    spy_jw *w = spy_jw_new_mem(0);
    assert_int_equal(spy_jw_string(w, (const char *)s, n), SPY_OK);
    assert_int_equal(spy_jw_finish(w), SPY_OK);
    size_t len;
    const char *m = spy_jw_mem(w, &len);
    assert_int_equal(len, wl);
    assert_memory_equal(m, want, wl);
    spy_jw_free(w);

    w = spy_jw_new_mem(4);
    spy_jw_begin_object(w);
    spy_jw_key(w, (const char *)s, n);
    spy_jw_int(w, -7);
    assert_int_equal(spy_jw_end_object(w), SPY_OK);
    assert_int_equal(spy_jw_finish(w), SPY_OK);
    m = spy_jw_mem(w, &len);
    assert_int_equal(len, wl + 12);
    assert_memory_equal(m, "{\n    ", 6);
    assert_memory_equal(m + 6, want, wl);
    assert_memory_equal(m + 6 + wl, ": -7\n}", 7);
    spy_jw_free(w);
}

static void test_escape_classes_every_offset(void **state)
{
    (void)state;
    unsigned char s[80];
    char *want = malloc(6 * sizeof s + 64);
    /* Every class at every offset of strings of 0..40 plain bytes, and a
     * second class right after it. */
    for (size_t len = 0; len <= 40; len++)
        for (size_t at = 0; at <= len; at++)
            for (size_t c = 0; c < N_CLASSES; c++) {
                size_t c2 = (c * 7 + len) % N_CLASSES;
                memset(s, 'p', sizeof s);
                size_t n = at;
                memcpy(s + n, classes[c].b, classes[c].n);
                n += classes[c].n;
                memcpy(s + n, classes[c2].b, classes[c2].n);
                n += classes[c2].n;
                n += len - at; /* plain tail */
                check_both(s, n, want);
            }
    free(want);
}

/* Long strings: escape classes around the 4096-byte chunk edge (multi-byte
 * sequences straddling it) and values longer than the 64 KiB fd buffer,
 * through memory and fd emitters. */
static void test_long_strings_chunks(void **state)
{
    (void)state;
    size_t big = 300000;
    unsigned char *s = malloc(big + 16);
    char *want = malloc(6 * (big + 16) + 64);
    for (size_t edge = 4096 - 5; edge <= 4096 + 1; edge++)
        for (size_t c = 0; c < N_CLASSES; c++) {
            memset(s, 'q', 8200);
            memcpy(s + edge, classes[c].b, classes[c].n);
            check_both(s, 8200, want);
        }
    /* Mostly plain, an escape of each class every 997 bytes. */
    for (size_t i = 0; i < big; i++)
        s[i] = (unsigned char)('a' + i % 26);
    for (size_t i = 0, c = 0; i + 4 < big; i += 997, c = (c + 1) % N_CLASSES)
        memcpy(s + i, classes[c].b, classes[c].n);
    check_both(s, big, want);

    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "long.json");
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    spy_jw *fw = spy_jw_new_fd(fd, 0);
    spy_jw_begin_array(fw);
    for (int i = 0; i < 3; i++)
        spy_jw_string(fw, (const char *)s, big - (size_t)i * 1001);
    spy_jw_end_array(fw);
    assert_int_equal(spy_jw_finish(fw), SPY_OK);
    spy_jw_free(fw);
    close(fd);
    size_t len;
    char *got = tu_read(path, &len);
    size_t off = 1;
    assert_int_equal(got[0], '[');
    for (int i = 0; i < 3; i++) {
        char *we = ref_escape(want, s, big - (size_t)i * 1001);
        size_t wl = (size_t)(we - want);
        assert_true(off + wl <= len);
        assert_memory_equal(got + off, want, wl);
        off += wl;
        assert_memory_equal(got + off, i < 2 ? ", " : "]", i < 2 ? 2 : 1);
        off += i < 2 ? 2 : 1;
    }
    assert_int_equal(off, len);
    free(got);
    tu_rmtree(dir);
    free(path);
    free(dir);
    free(s);
    free(want);
}

/* Records through spy_jw_value (the fused key + string / integer members)
 * against the same records written call by call, and their exact text. */
static void test_value_members_fast_path(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string("/sdcard/a \"b\"\\c\xc3\xa9.txt"));
    json_object_set_new(o, "size", json_integer(988568));
    json_object_set_new(o, "neg", json_integer(-9223372036854775807LL - 1));
    json_object_set_new(o, "max", json_integer(9223372036854775807LL));
    json_object_set_new(o, "zero", json_integer(0));
    json_object_set_new(o, "ten", json_integer(10));
    json_object_set_new(o, "", json_string(""));
    json_object_set_new(o, "k\x01\"", json_stringn_nocheck("\xff", 1));
    char *longs = malloc(5001);
    memset(longs, 'L', 5000);
    longs[5000] = '\0';
    longs[4095] = '"';
    json_object_set_new(o, longs, json_string(longs)); /* past a chunk: general path */
    json_object_set_new(o, "r", json_real(0.5));
    json_t *arr = json_array();
    json_array_append_new(arr, json_integer(-1));
    json_array_append_new(arr, json_string("x"));
    json_object_set_new(o, "arr", arr);
    char *s = emit_value(o, 4);
    char *lq = malloc(6 * 5000 + 8);
    *ref_escape(lq, (const unsigned char *)longs, 5000) = '\0';
    size_t cap = strlen(lq) * 2 + 512;
    char *want = malloc(cap);
    snprintf(want, cap,
             "{\n    \"path\": \"/sdcard/a \\\"b\\\"\\\\c\\u00e9.txt\",\n    \"size\": 988568,\n"
             "    \"neg\": -9223372036854775808,\n    \"max\": 9223372036854775807,\n"
             "    \"zero\": 0,\n    \"ten\": 10,\n    \"\": \"\",\n    \"k\\u0001\\\"\": "
             "\"\\\\xff\",\n    %s: %s,\n    \"r\": 0.5,\n    \"arr\": [\n        -1,\n"
             "        \"x\"\n    ]\n}",
             lq, lq);
    assert_string_equal(s, want);
    free(s);
    s = emit_value(o, 0);
    snprintf(want, cap,
             "{\"path\": \"/sdcard/a \\\"b\\\"\\\\c\\u00e9.txt\", \"size\": 988568, "
             "\"neg\": -9223372036854775808, \"max\": 9223372036854775807, \"zero\": 0, "
             "\"ten\": 10, \"\": \"\", \"k\\u0001\\\"\": \"\\\\xff\", %s: %s, \"r\": 0.5, "
             "\"arr\": [-1, \"x\"]}",
             lq, lq);
    assert_string_equal(s, want);
    free(s);
    free(want);
    free(lq);
    free(longs);
    json_decref(o);
}

static void test_integers(void **state)
{
    (void)state;
    static const long long v[] = {0,
                                  1,
                                  -1,
                                  9,
                                  10,
                                  -10,
                                  99,
                                  100,
                                  999999999,
                                  1000000000,
                                  -1000000000,
                                  4294967296LL,
                                  999999999999999999LL,
                                  1000000000000000000LL,
                                  9223372036854775807LL,
                                  -9223372036854775807LL - 1,
                                  -9223372036854775807LL};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        spy_jw *w = spy_jw_new_mem(0);
        assert_int_equal(spy_jw_int(w, v[i]), SPY_OK);
        assert_int_equal(spy_jw_finish(w), SPY_OK);
        char b[32];
        snprintf(b, sizeof b, "%lld", v[i]);
        assert_string_equal(spy_jw_mem(w, NULL), b);
        spy_jw_free(w);
    }
    /* every digit count at its edges (the count comes from the highest
     * bit set, then one compare), both signs, in one array */
    spy_jw *w = spy_jw_new_mem(0);
    char want[4096] = "[";
    size_t at = 1;
    spy_jw_begin_array(w);
    unsigned long long p = 1;
    for (int d = 0; d < 20; d++, p *= 10)
        for (long long k = -2; k <= 2; k++)
            for (int sign = 0; sign < 2; sign++) {
                unsigned long long u = p + (unsigned long long)k;
                if (u > 9223372036854775807ULL)
                    continue;
                long long x = sign ? -(long long)u : (long long)u;
                assert_int_equal(spy_jw_int(w, x), SPY_OK);
                at +=
                    (size_t)snprintf(want + at, sizeof want - at, "%s%lld", at > 1 ? ", " : "", x);
            }
    spy_jw_end_array(w);
    snprintf(want + at, sizeof want - at, "]");
    assert_string_equal(spy_jw_mem(w, NULL), want);
    spy_jw_free(w);
}

/* Indentation wider than the emitter's precomputed spaces (8 per level,
 * 128 levels: objects, then an array of two items) goes the slow way with
 * the same bytes. */
static void test_deep_wide_indent(void **state)
{
    (void)state;
    spy_jw *w = spy_jw_new_mem(8);
    unsigned depth = SPY_MAX_EMIT_DEPTH;
    for (unsigned i = 1; i < depth; i++) {
        assert_int_equal(spy_jw_begin_object(w), SPY_OK);
        spy_jw_key(w, "k", 1);
    }
    spy_jw_begin_array(w);
    spy_jw_int(w, 1);
    spy_jw_int(w, 2);
    spy_jw_end_array(w);
    for (unsigned i = 1; i < depth; i++)
        assert_int_equal(spy_jw_end_object(w), SPY_OK);
    assert_int_equal(spy_jw_finish(w), SPY_OK);
    size_t len;
    const char *m = spy_jw_mem(w, &len);
    size_t cap = 2 * depth * (8 * depth + 16) + 64, o = 0;
    char *want = malloc(cap);
    for (unsigned i = 1; i < depth; i++) {
        want[o++] = '{';
        want[o++] = '\n';
        memset(want + o, ' ', 8 * i);
        o += 8 * i;
        memcpy(want + o, "\"k\": ", 5);
        o += 5;
    }
    want[o++] = '[';
    for (int item = 1; item <= 2; item++) {
        want[o++] = '\n';
        memset(want + o, ' ', 8 * depth);
        o += 8 * depth;
        want[o++] = (char)('0' + item);
        if (item == 1)
            want[o++] = ',';
    }
    for (unsigned i = depth; i >= 1; i--) {
        want[o++] = '\n';
        memset(want + o, ' ', 8 * (i - 1));
        o += 8 * (i - 1);
        want[o++] = i == depth ? ']' : '}';
    }
    assert_int_equal(len, o);
    assert_memory_equal(m, want, o);
    free(want);
    spy_jw_free(w);
}

/* Writes a document with keys and strings through the escaping calls
 * (mode 0), the plain ones (1), or members in one call (2: plain bits
 * set, 3: unset): object members, array items, a key and a string past
 * JW_CHUNK, and (indent 200) indentation too wide for the precomputed
 * spaces. */
static char *emit_plain_doc(int fd, int indent, int mode, const char *big, size_t big_len)
{
    int (*key)(spy_jw *, const char *, size_t) = mode == 1 ? spy_jw_key_plain : spy_jw_key;
    int (*str)(spy_jw *, const char *, size_t) = mode == 1 ? spy_jw_string_plain : spy_jw_string;
    unsigned bits = mode == 2 ? SPY_JW_KEY_PLAIN | SPY_JW_STR_PLAIN : 0;
    spy_jw *w = fd >= 0 ? spy_jw_new_fd(fd, indent) : spy_jw_new_mem(indent);
    assert_int_equal(spy_jw_begin_array(w), SPY_OK);
    assert_int_equal(str(w, "", 0), SPY_OK);
    assert_int_equal(str(w, "a /~ plain {x}: 'y' `z`", 23), SPY_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(spy_jw_begin_object(w), SPY_OK);
        if (mode >= 2) {
            assert_int_equal(spy_jw_member_string(w, "path", 4, "/sdcard/DCIM/a b.jpg", 20, bits),
                             SPY_OK);
            assert_int_equal(spy_jw_member_int(w, "", 0, i - 1, bits), SPY_OK);
            assert_int_equal(spy_jw_member_string(w, big, big_len, big, big_len, bits), SPY_OK);
            assert_int_equal(spy_jw_member_int(w, big, big_len, -9223372036854775807LL - 1, bits),
                             SPY_OK);
            assert_int_equal(spy_jw_member_string(w, "e", 1, NULL, 0, bits), SPY_OK);
        } else {
            assert_int_equal(key(w, "path", 4), SPY_OK);
            assert_int_equal(str(w, "/sdcard/DCIM/a b.jpg", 20), SPY_OK);
            assert_int_equal(key(w, "", 0), SPY_OK);
            assert_int_equal(spy_jw_int(w, i - 1), SPY_OK);
            assert_int_equal(key(w, big, big_len), SPY_OK);
            assert_int_equal(str(w, big, big_len), SPY_OK);
            assert_int_equal(key(w, big, big_len), SPY_OK);
            assert_int_equal(spy_jw_int(w, -9223372036854775807LL - 1), SPY_OK);
            assert_int_equal(key(w, "e", 1), SPY_OK);
            assert_int_equal(str(w, NULL, 0), SPY_OK);
        }
        assert_int_equal(key(w, "nested", 6), SPY_OK);
        assert_int_equal(spy_jw_begin_object(w), SPY_OK);
        if (mode >= 2)
            assert_int_equal(spy_jw_member_string(w, "k", 1, big, 100, bits), SPY_OK);
        else if (key(w, "k", 1) == SPY_OK)
            assert_int_equal(str(w, big, 100), SPY_OK);
        assert_int_equal(spy_jw_end_object(w), SPY_OK);
        assert_int_equal(spy_jw_end_object(w), SPY_OK);
    }
    assert_int_equal(spy_jw_end_array(w), SPY_OK);
    assert_int_equal(spy_jw_finish(w), SPY_OK);
    char *s = fd >= 0 ? NULL : strdup(spy_jw_mem(w, NULL));
    spy_jw_free(w);
    return s;
}

/* spy_jw_key_plain / spy_jw_string_plain, and members written in one call,
 * give what the escaping calls write for text that needs no escape, in
 * every layout, to memory and to a file; their contract errors are the
 * same. */
static void test_plain_entry_points(void **state)
{
    (void)state;
    size_t big_len = 3 * 4096 + 17;
    char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (char)(0x20 + i % 95 == '"' || 0x20 + i % 95 == '\\' ? 'q' : 0x20 + i % 95);
    static const int indents[] = {0, 4, 200};
    for (size_t k = 0; k < 3; k++) {
        char *want = emit_plain_doc(-1, indents[k], 0, big, big_len);
        for (int mode = 1; mode <= 3; mode++) {
            char *got = emit_plain_doc(-1, indents[k], mode, big, big_len);
            assert_string_equal(got, want);
            free(got);
            char *dir = tu_mkdtemp();
            char *path = tu_join(dir, "p.json");
            int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
            assert_true(fd >= 0);
            emit_plain_doc(fd, indents[k], mode, big, big_len);
            close(fd);
            size_t len;
            char *file = tu_read(path, &len);
            assert_int_equal(len, strlen(want));
            assert_memory_equal(file, want, len);
            free(file);
            tu_rmtree(dir);
            free(path);
            free(dir);
        }
        free(want);
    }
    free(big);
    /* misuse is refused as by the escaping calls */
    spy_jw *w = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_key_plain(w, "k", 1), SPY_EINTERNAL);
    spy_jw_free(w);
    w = spy_jw_new_mem(4);
    spy_jw_begin_object(w);
    assert_int_equal(spy_jw_string_plain(w, "v", 1), SPY_EINTERNAL);
    spy_jw_free(w);
    w = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_string_plain(w, NULL, 1), SPY_EINTERNAL);
    spy_jw_free(w);
    w = spy_jw_new_mem(0);
    spy_jw_begin_object(w);
    assert_int_equal(spy_jw_key_plain(w, NULL, 0), SPY_OK);
    assert_int_equal(spy_jw_string_plain(w, NULL, 0), SPY_OK);
    spy_jw_end_object(w);
    assert_string_equal(spy_jw_mem(w, NULL), "{\"\": \"\"}");
    spy_jw_free(w);
    /* members: escaped unless marked plain; misuse refused */
    w = spy_jw_new_mem(0);
    spy_jw_begin_object(w);
    assert_int_equal(spy_jw_member_string(w, "\xc3\xa9", 2, "a\"\n", 3, 0), SPY_OK);
    assert_int_equal(spy_jw_member_int(w, "\t", 1, 7, 0), SPY_OK);
    assert_int_equal(spy_jw_member_string(w, "k", 1, "v", 1, SPY_JW_KEY_PLAIN), SPY_OK);
    spy_jw_end_object(w);
    assert_string_equal(spy_jw_mem(w, NULL),
                        "{\"\\u00e9\": \"a\\\"\\n\", \"\\t\": 7, \"k\": \"v\"}");
    spy_jw_free(w);
    w = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_member_int(w, "k", 1, 1, 0), SPY_EINTERNAL);
    spy_jw_free(w);
    w = spy_jw_new_mem(4);
    spy_jw_begin_array(w);
    assert_int_equal(spy_jw_member_string(w, "k", 1, "v", 1, 3), SPY_EINTERNAL);
    spy_jw_free(w);
    w = spy_jw_new_mem(4);
    spy_jw_begin_object(w);
    spy_jw_key(w, "k", 1);
    assert_int_equal(spy_jw_member_string(w, "k", 1, "v", 1, 3), SPY_EINTERNAL);
    spy_jw_free(w);
    w = spy_jw_new_mem(4);
    spy_jw_begin_object(w);
    assert_int_equal(spy_jw_member_string(w, "k", 1, NULL, 1, 3), SPY_EINTERNAL);
    spy_jw_free(w);
    w = spy_jw_new_mem(4);
    spy_jw_begin_object(w);
    assert_int_equal(spy_jw_member_int(w, NULL, 1, 1, 0), SPY_EINTERNAL);
    spy_jw_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_indent4),
        cmocka_unit_test(test_nested_compact),
        cmocka_unit_test(test_streaming_calls),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_reals),
        cmocka_unit_test(test_value_strings_nocheck),
        cmocka_unit_test(test_key_order_kept),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_value_depth_limit),
        cmocka_unit_test(test_fd_large),
        cmocka_unit_test(test_fd_large_background),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_write_error_background),
        cmocka_unit_test(test_escape_classes_every_offset),
        cmocka_unit_test(test_long_strings_chunks),
        cmocka_unit_test(test_value_members_fast_path),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_deep_wide_indent),
        cmocka_unit_test(test_plain_entry_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
