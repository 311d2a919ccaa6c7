/* The flat JSON parser (modules/android/flat_json.h) at the edges of its
 * fast paths: numbers around the 8-digit blocks, strings around the
 * 16-byte blocks and at the end of the text, a buffer that moves under a
 * record, and keys compared with the last record's as they are parsed. */
#include "testutil.h"

#include "core/flat.h"
#include "modules/android/flat_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What jansson makes of the object the parser accepted (or declined):
 * the same value, key order and extent. */
static void assert_like_jansson(const char *s, size_t len)
{
    size_t used = 0;
    json_t *fast = spy_flat_json_object(s, len, &used);
    if (!fast)
        return;
    assert_true(used <= len);
    json_error_t e;
    json_t *ref = json_loadb(s, used, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    assert_non_null(ref);
    char *a = json_dumps(fast, JSON_COMPACT | JSON_ENCODE_ANY);
    char *b = json_dumps(ref, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(fast);
    json_decref(ref);
}

/* Integers of every length up to the 19 digits the parser takes (and the
 * 20 it leaves to jansson), signed or not, followed by each kind of
 * character, each cut at every length. */
static void test_numbers(void **state)
{
    (void)state;
    static const char digits[] = "12345678901234567890";
    static const char *const after[] = {"}", ",\"b\":1}", " }", ".5}", "e3}", "0}", "x}"};
    char text[64];
    for (size_t n = 1; n <= 20; n++)
        for (int neg = 0; neg < 2; neg++)
            for (size_t a = 0; a < sizeof after / sizeof after[0]; a++) {
                int len = snprintf(text, sizeof text, "{\"a\":%s%.*s%s", neg ? "-" : "", (int)n,
                                   digits, after[a]);
                for (int cut = 0; cut <= len; cut++)
                    assert_like_jansson(text, (size_t)cut);
                size_t used;
                spy_flat r = {0};
                bool ok = spy_flat_parse(&r, text, (size_t)len, &used);
                /* 19 characters at most, sign included ("0}" adds a digit);
                 * 1234567890123456789 fits an int64 */
                size_t nd = n + (a == 5);
                bool want = nd + (size_t)neg <= 19 && (a < 3 || a == 5);
                assert_int_equal(ok, want);
                if (ok) {
                    char expect[32];
                    snprintf(expect, sizeof expect, "%s%.*s%s", neg ? "-" : "", (int)n, digits,
                             a == 5 ? "0" : "");
                    assert_int_equal(r.f[0].kind, SPY_FLAT_INT);
                    assert_int_equal(r.f[0].i, strtoll(expect, NULL, 10));
                }
                spy_flat_free(&r);
            }
    /* the int64 edge, and leading zeros */
    static const char *const edge[] = {
        "{\"a\":9223372036854775807}",
        "{\"a\":9223372036854775808}",
        "{\"a\":-9223372036854775807}",
        "{\"a\":0}",
        "{\"a\":-0}",
        "{\"a\":00}",
        "{\"a\":0123}",
        "{\"a\":-}",
        "{\"a\":12345678,\"b\":0}",
    };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (size_t cut = 0; cut <= strlen(edge[i]); cut++)
            assert_like_jansson(edge[i], cut);
}

/* Strings of every length around the blocks, with a byte that stops the
 * scan (an escape, non-ASCII, a control, DEL) at every place, each cut at
 * every length: the parser declines or agrees with jansson. */
static void test_strings(void **state)
{
    (void)state;
    static const char *const odd[] = {"\\n",  "\\u00e9", "\xc3\xa9",       "\x01", "\x7f",
                                      "\\\"", "\\/",     "\\ud83d\\ude00", "\xff", "\\x"};
    char text[128];
    for (size_t n = 0; n <= 40; n++)
        for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++)
            for (size_t at = 0; at <= n; at += n / 4 + 1) {
                int len = snprintf(text, sizeof text, "{\"k\":\"%.*s%s%.*s\"}", (int)at,
                                   "abcdefghijklmnopqrstuvwxyz0123456789ABCD", odd[k],
                                   (int)(n - at), "abcdefghijklmnopqrstuvwxyz0123456789ABCD");
                for (int cut = 0; cut <= len; cut++)
                    assert_like_jansson(text, (size_t)cut);
            }
}

/* A record longer than the buffer's first size, in a fresh record: the
 * buffer moves while the record is parsed, and every field still points
 * at its text. */
static void test_buffer_moves(void **state)
{
    (void)state;
    char *text = malloc(8192);
    size_t len = 0;
    len += (size_t)snprintf(text + len, 8192 - len, "{");
    for (int k = 0; k < 40; k++)
        len += (size_t)snprintf(text + len, 8192 - len, "%s\"key%d\": \"%0*d\"", k ? ", " : "", k,
                                20 + k * 3, k);
    len += (size_t)snprintf(text + len, 8192 - len, "}");
    spy_flat r = {0};
    size_t used;
    assert_true(spy_flat_parse(&r, text, len, &used));
    assert_int_equal(used, len);
    assert_int_equal(r.n, 40);
    for (size_t k = 0; k < r.n; k++) {
        char key[32], val[160];
        snprintf(key, sizeof key, "key%zu", k);
        snprintf(val, sizeof val, "%0*zu", (int)(20 + k * 3), k);
        assert_ptr_equal(r.f[k].key, r.buf + r.f[k].key_off);
        assert_ptr_equal(r.f[k].s, r.buf + r.f[k].s_off);
        assert_string_equal(r.f[k].key, key);
        assert_string_equal(r.f[k].s, val);
        assert_int_equal(r.f[k].len, strlen(val));
    }
    spy_flat_free(&r);
    free(text);
}

/* The keys of r as a spy_flat_keys sequence (each with its NUL), padded
 * with 16 bytes that are not NULs. */
static char *keys_of(const spy_flat *r, size_t *len)
{
    size_t n = 0;
    for (size_t k = 0; k < r->n; k++)
        n += r->f[k].key_len + 1;
    char *s = malloc(n + 16);
    memset(s + n, 'x', 16);
    n = 0;
    for (size_t k = 0; k < r->n; k++) {
        memcpy(s + n, r->f[k].key, r->f[k].key_len + 1);
        n += r->f[k].key_len + 1;
    }
    *len = n;
    return s;
}

/* *same is set exactly when the keys are those given, in order, however
 * they are written; the record is the one spy_flat_parse gives. */
static void test_keys_compared(void **state)
{
    (void)state;
    static const char base[] = "{\"path\": \"/a\", \"size\": 1, \"a_rather_long_key_name\": true, "
                               "\"\": null, \"sha256\": \"00ff\"}";
    spy_flat r = {0}, plain = {0};
    size_t used, klen;
    assert_true(spy_flat_parse(&r, base, sizeof base - 1, &used));
    char *ks = keys_of(&r, &klen);
    spy_flat_keys keys = {ks, klen};
    static const struct {
        const char *json;
        bool same;
    } cases[] = {
        {"{\"path\": \"/b/c\", \"size\": 22, \"a_rather_long_key_name\": false, \"\": 1, "
         "\"sha256\": \"\"}",
         true},
        /* the same keys, escaped */
        {"{\"p\\u0061th\":1,\"size\":1,\"a_rather_long_key_name\":1,\"\":1,\"sha256\":\"x\"}",
         true},
        /* another order, one key fewer, one more, one longer or shorter */
        {"{\"size\": 1, \"path\": \"/a\", \"a_rather_long_key_name\": true, \"\": null, "
         "\"sha256\": \"\"}",
         false},
        {"{\"path\": \"/a\", \"size\": 1, \"a_rather_long_key_name\": true, \"\": null}", false},
        {"{\"path\": \"/a\", \"size\": 1, \"a_rather_long_key_name\": true, \"\": null, "
         "\"sha256\": \"\", \"x\": 1}",
         false},
        {"{\"paths\": \"/a\", \"size\": 1, \"a_rather_long_key_name\": true, \"\": null, "
         "\"sha256\": \"\"}",
         false},
        {"{\"pat\": \"/a\", \"size\": 1, \"a_rather_long_key_name\": true, \"\": null, "
         "\"sha256\": \"\"}",
         false},
        {"{\"path\": \"/a\", \"size\": 1, \"a_rather_long_key_namE\": true, \"\": null, "
         "\"sha256\": \"\"}",
         false},
        {"{}", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i].json;
        size_t n = strlen(s), u1 = 0, u2 = 0;
        bool same = !cases[i].same;
        assert_true(spy_flat_parse_keys(&r, s, n, &u1, &keys, &same));
        assert_int_equal(same, cases[i].same);
        assert_true(spy_flat_parse(&plain, s, n, &u2));
        assert_int_equal(u1, u2);
        assert_int_equal(r.n, plain.n);
        assert_int_equal(r.len, plain.len);
        assert_memory_equal(r.buf, plain.buf, r.len);
        for (size_t k = 0; k < r.n; k++) {
            assert_ptr_equal(r.f[k].key, r.buf + r.f[k].key_off);
            assert_int_equal(r.f[k].plain, plain.f[k].plain);
        }
    }
    free(ks);

    /* a key the template holds decoded, with a byte the text must escape:
     * the raw byte in the text is still refused */
    static const char esc[] = "{\"a\\nb\": 1, \"c\": 2}";
    assert_true(spy_flat_parse(&r, esc, sizeof esc - 1, &used));
    assert_int_equal(r.f[0].plain, 0);
    ks = keys_of(&r, &klen);
    keys = (spy_flat_keys){ks, klen};
    static const char raw[] = "{\"a\nb\": 1, \"c\": 2}                   ";
    bool same = true;
    assert_false(spy_flat_parse_keys(&r, raw, sizeof raw - 1, &used, &keys, &same));
    assert_true(spy_flat_parse_keys(&r, esc, sizeof esc - 1, &used, &keys, &same));
    assert_true(same);
    assert_int_equal(r.f[0].plain, 0);
    free(ks);
    spy_flat_free(&r);
    spy_flat_free(&plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_buffer_moves),
        cmocka_unit_test(test_keys_compared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
