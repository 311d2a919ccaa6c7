/* The streaming emitter: exact bytes as Python's json.dump writes them
 * (expected texts produced with CPython 3's json.dumps / repr). */
#include "testutil.h"

#include "core/error.h"
#include "core/json_emit.h"
#include "core/limits.h"

#include <fcntl.h>
#include <math.h>
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

/* A document larger than the write buffer reaches the fd byte-exact. */
static void test_fd_large(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "f.json");
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    spy_jw *fw = spy_jw_new_fd(fd, 4), *mw = spy_jw_new_mem(4);
    char big[100000];
    memset(big, 'x', sizeof big);
    for (spy_jw *w = fw; w; w = w == fw ? mw : NULL) {
        spy_jw_begin_array(w);
        for (int i = 0; i < 20000; i++)
            spy_jw_cstr(w, "record \xc3\xa9");
        spy_jw_string(w, big, sizeof big);
        spy_jw_end_array(w);
        assert_int_equal(spy_jw_finish(w), SPY_OK);
    }
    close(fd);
    size_t len, mlen;
    char *got = tu_read(path, &len);
    const char *want = spy_jw_mem(mw, &mlen);
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

static void test_write_error(void **state)
{
    (void)state;
    int fd = open("/dev/full", O_WRONLY);
    if (fd < 0)
        skip();
    spy_jw *w = spy_jw_new_fd(fd, 4);
    spy_jw_begin_array(w);
    for (int i = 0; i < 100000; i++)
        spy_jw_int(w, i);
    spy_jw_end_array(w);
    assert_int_equal(spy_jw_finish(w), SPY_EIO);
    assert_int_equal(spy_jw_int(w, 1), SPY_EIO);
    spy_jw_free(w);
    close(fd);
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
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
