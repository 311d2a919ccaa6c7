/* Flat records (core/flat.h): built by hand, looked up, changed, turned
 * into their jansson form and written byte for byte as that form is. */
#include "testutil.h"

#include "core/error.h"
#include "core/flat.h"
#include "core/json_emit.h"
#include "modules/android/flat_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_str(spy_flat *r, const char *key, const char *s, size_t len)
{
    size_t k = spy_flat_put(r, key, strlen(key));
    size_t v = spy_flat_put(r, s, len);
    spy_flat_add(r, k, strlen(key), SPY_FLAT_STR, v, len, 0);
}

static void add_kind(spy_flat *r, const char *key, spy_flat_kind kind, int64_t i)
{
    size_t k = spy_flat_put(r, key, strlen(key));
    spy_flat_add(r, k, strlen(key), kind, 0, 0, i);
}

/* The emitters' texts are the same. */
static void assert_same_text(spy_jw *a, spy_jw *b)
{
    size_t la, lb;
    const char *ma = spy_jw_mem(a, &la), *mb = spy_jw_mem(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ma, mb, la);
}

/* r as items of arrays nested depth deep (compact or indented), given a
 * layout number when it has none (its keys are unique): the cached path
 * of spy_jw_flat, against spy_jw_value on the jansson form. */
static void assert_same_items(const spy_flat *r, int indent, int depth)
{
    spy_flat c = *r; /* the same fields and buffer */
    if (!c.layout)
        c.layout = spy_flat_layout_new();
    json_t *j = spy_flat_to_json(r);
    spy_jw *a = spy_jw_new_mem(indent), *b = spy_jw_new_mem(indent);
    for (int d = 0; d < depth; d++) {
        assert_int_equal(spy_jw_begin_array(a), SPY_OK);
        assert_int_equal(spy_jw_begin_array(b), SPY_OK);
    }
    for (int k = 0; k < 3; k++) {
        assert_int_equal(spy_jw_flat(a, &c), SPY_OK);
        assert_int_equal(spy_jw_value(b, j), SPY_OK);
    }
    for (int d = 0; d < depth; d++) {
        assert_int_equal(spy_jw_end_array(a), SPY_OK);
        assert_int_equal(spy_jw_end_array(b), SPY_OK);
    }
    assert_int_equal(spy_jw_finish(a), SPY_OK);
    assert_int_equal(spy_jw_finish(b), SPY_OK);
    assert_same_text(a, b);
    spy_jw_free(a);
    spy_jw_free(b);
    json_decref(j);
}

/* spy_jw_flat's bytes equal spy_jw_value's on the jansson form, alone
 * and as array items (keys unique). */
static void assert_same_bytes(const spy_flat *r)
{
    json_t *j = spy_flat_to_json(r);
    spy_jw *a = spy_jw_new_mem(4), *b = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_flat(a, r), SPY_OK);
    assert_int_equal(spy_jw_value(b, j), SPY_OK);
    assert_same_text(a, b);
    spy_jw_free(a);
    spy_jw_free(b);
    json_decref(j);
    if (spy_flat_keys_unique(r))
        for (int depth = 1; depth <= 3; depth += 2) {
            assert_same_items(r, 4, depth);
            assert_same_items(r, 0, depth);
        }
}

static void test_every_kind(void **state)
{
    (void)state;
    spy_flat r = {0};
    add_str(&r, "path", "/data/local/tmp/x\n\"\\", 20);
    add_str(&r, "nul", "a\0b", 3);
    add_str(&r, "utf8", "caf\xc3\xa9 \xf0\x9f\x98\x80", 10);
    add_str(&r, "bad", "\xff", 1);
    add_kind(&r, "min", SPY_FLAT_INT, INT64_MIN);
    add_kind(&r, "max", SPY_FLAT_INT, INT64_MAX);
    add_kind(&r, "t", SPY_FLAT_TRUE, 0);
    add_kind(&r, "f", SPY_FLAT_FALSE, 0);
    add_kind(&r, "n", SPY_FLAT_NULL, 0);
    spy_flat_seal(&r);
    assert_true(spy_flat_keys_unique(&r));
    assert_same_bytes(&r);
    spy_jw *w = spy_jw_new_mem(0);
    assert_int_equal(spy_jw_flat(w, &r), SPY_OK);
    assert_string_equal(spy_jw_mem(w, NULL),
                        "{\"path\": \"/data/local/tmp/x\\n\\\"\\\\\", \"nul\": \"a\\u0000b\", "
                        "\"utf8\": \"caf\\u00e9 \\ud83d\\ude00\", \"bad\": \"\\\\xff\", "
                        "\"min\": -9223372036854775808, \"max\": 9223372036854775807, "
                        "\"t\": true, \"f\": false, \"n\": null}");
    spy_jw_free(w);
    /* lookups: strings only; the value keeps its NUL and its length */
    assert_int_equal(spy_flat_find(&r, "min"), 4);
    assert_int_equal(spy_flat_find(&r, "mi"), -1);
    assert_null(spy_flat_str(&r, "min"));
    assert_string_equal(spy_flat_str(&r, "path"), "/data/local/tmp/x\n\"\\");
    assert_int_equal(r.f[1].len, 3);
    const spy_flat_key keys[4] = {SPY_FLAT_KEY("utf8"), SPY_FLAT_KEY("t"), SPY_FLAT_KEY("missing"),
                                  SPY_FLAT_KEY("path")};
    const char *out[4];
    spy_flat_pick(&r, keys, 4, out);
    assert_string_equal(out[0], "caf\xc3\xa9 \xf0\x9f\x98\x80");
    assert_null(out[1]);
    assert_null(out[2]);
    assert_string_equal(out[3], "/data/local/tmp/x\n\"\\");
    /* an integer becomes a string in place, keeping its position */
    spy_flat_set_str_plain(&r, 5, "2024-03-01 12:00:00.000000", 26,
                           spy_flat_text_plain("2024-03-01 12:00:00.000000", 26));
    assert_string_equal(spy_flat_str(&r, "max"), "2024-03-01 12:00:00.000000");
    assert_int_equal(spy_flat_find(&r, "max"), 5);
    assert_same_bytes(&r);
    spy_flat_free(&r);
}

/* Past the first buffer and field array sizes, after a reset (the memory
 * is reused), and with a repeated key. */
static void test_growth_reset_and_repeats(void **state)
{
    (void)state;
    spy_flat r = {0};
    char *big = malloc(5000);
    memset(big, 'x', 5000);
    for (int round = 0; round < 2; round++) {
        spy_flat_reset(&r);
        for (int i = 0; i < 100; i++) {
            char key[16];
            snprintf(key, sizeof key, "k%d", i);
            if (i % 3)
                add_str(&r, key, big, (size_t)(i * 50));
            else
                add_kind(&r, key, SPY_FLAT_INT, i);
        }
        spy_flat_seal(&r);
        assert_int_equal(r.n, 100);
        assert_true(spy_flat_keys_unique(&r));
        assert_int_equal(strlen(spy_flat_str(&r, "k98")), 4900);
        assert_same_bytes(&r);
    }
    spy_flat_key keys[40];
    const char *out[40];
    for (int i = 0; i < 40; i++)
        keys[i] = (spy_flat_key){r.f[i].key, r.f[i].key_len};
    spy_flat_pick(&r, keys, 40, out);
    assert_null(out[0]); /* an integer */
    assert_int_equal(strlen(out[1]), 50);
    assert_int_equal(strlen(out[38]), 1900);
    add_kind(&r, "k7", SPY_FLAT_NULL, 0);
    spy_flat_seal(&r);
    assert_false(spy_flat_keys_unique(&r));
    /* jansson keeps the last value at the first key's place */
    json_t *j = spy_flat_to_json(&r);
    assert_int_equal(json_object_size(j), 100);
    assert_true(json_is_null(json_object_get(j, "k7")));
    json_decref(j);
    free(big);
    spy_flat_free(&r);
}

/* Parses text (one flat object) into r; fails the test when declined. */
static void parse(spy_flat *r, const char *text, size_t len)
{
    size_t used = 0;
    assert_true(spy_flat_parse(r, text, len, &used));
    assert_int_equal(used, len);
}

/* The parser marks a key or a string plain exactly when its decoded text
 * has no byte the emitter escapes; the record is written byte for byte as
 * its jansson form either way. */
static void test_plain_from_parser(void **state)
{
    (void)state;
    static const struct {
        const char *json; /* the value of "k" (or, with a key, a whole member) */
        bool plain;
    } cases[] = {
        {"\"abc /~{}[]:,'`\"", true},
        {"\"\"", true},
        {"\"a\\\"b\"", false},
        {"\"a\\\\b\"", false},
        {"\"a\\/b\"", true}, /* decoded '/', written as is */
        {"\"a\\nb\"", false},
        {"\"a\\tb\"", false},
        {"\"\\u0041\\u007e\"", true},
        {"\"\\u0000\"", false}, /* NUL */
        {"\"\\u001f\"", false},
        {"\"\\u0022\"", false},
        {"\"\\u005c\"", false},
        {"\"\\u007f\"", false},
        {"\"\\u00e9\"", false},
        {"\"\\ud83d\\ude00\"", false},
        {"\"caf\xc3\xa9\"", false},
        {"\"\xf0\x9f\x98\x80\"", false},
        {"\"a\x7f\"", false}, /* DEL is valid JSON, escaped on output */
        {"\"0123456789abcdef\x7f\"", false},
        {"\"0123456789abcdef0123456789\"", true},
    };
    spy_flat r = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        int n = snprintf(text, sizeof text, "{\"k\": %s, \"n\": 1, \"t\": true}", cases[i].json);
        parse(&r, text, (size_t)n);
        assert_int_equal(r.n, 3);
        assert_int_equal(r.f[0].plain,
                         SPY_FLAT_KEY_PLAIN | (cases[i].plain ? SPY_FLAT_STR_PLAIN : 0));
        assert_int_equal(r.f[1].plain, SPY_FLAT_KEY_PLAIN);
        assert_int_equal(r.f[2].plain, SPY_FLAT_KEY_PLAIN);
        assert_int_equal(spy_flat_text_plain(r.f[0].s, r.f[0].len), cases[i].plain);
        assert_same_bytes(&r);
        /* the same text as a key */
        n = snprintf(text, sizeof text, "{%s: \"v\", \"x\": null}", cases[i].json);
        if (strstr(cases[i].json, "u0000"))
            continue; /* jansson refuses NUL in a key, and so does the parser */
        parse(&r, text, (size_t)n);
        assert_int_equal(r.f[0].plain,
                         SPY_FLAT_STR_PLAIN | (cases[i].plain ? SPY_FLAT_KEY_PLAIN : 0));
        assert_int_equal(r.f[1].plain, SPY_FLAT_KEY_PLAIN);
        assert_same_bytes(&r);
    }
    /* a byte to escape at every offset of a string scanned a word at a time */
    static const char special[] = {'\x7f', '"', '\\', '\x01', '\xc3'};
    for (size_t s = 0; s < sizeof special; s++)
        for (size_t at = 0; at < 40; at++) {
            char text[128], body[48];
            memset(body, 'a', sizeof body);
            size_t bl = 40;
            if (special[s] == '"' || special[s] == '\\') {
                body[at] = '\\';
                body[at + 1] = special[s];
            } else if (special[s] == '\x01') {
                memcpy(body + at, "\\u0001", 6);
                bl = 45;
            } else if (special[s] == '\xc3') {
                body[at] = '\xc3';
                body[at + 1] = '\xa9';
            } else {
                body[at] = special[s];
            }
            if (at >= 39 && special[s] != '\x7f')
                continue; /* a two-byte form would not fit */
            int n = snprintf(text, sizeof text, "{\"k\": \"%.*s\"}", (int)bl, body);
            parse(&r, text, (size_t)n);
            assert_int_equal(r.f[0].plain, SPY_FLAT_KEY_PLAIN);
            assert_same_bytes(&r);
        }
    /* hand-built fields are unknown (escaped), and still written right */
    spy_flat_reset(&r);
    add_str(&r, "plain", "abc", 3);
    spy_flat_seal(&r);
    assert_int_equal(r.f[0].plain, 0);
    assert_same_bytes(&r);
    spy_flat_free(&r);
}

/* spy_flat_text_plain tells which strings are plain, and setting a
 * string sets its flag and keeps the key's. */
static void test_plain_set_str(void **state)
{
    (void)state;
    spy_flat r = {0};
    static const char text[] = "{\"t\": 1, \"\\u00e9\": 2, \"s\": \"x\\ny\"}";
    parse(&r, text, sizeof text - 1);
    assert_int_equal(r.f[0].plain, SPY_FLAT_KEY_PLAIN);
    assert_int_equal(r.f[1].plain, 0);
    spy_flat_set_str_plain(&r, 0, "2024-03-01 12:00:00.000000", 26,
                           spy_flat_text_plain("2024-03-01 12:00:00.000000", 26));
    assert_int_equal(r.f[0].plain, SPY_FLAT_KEY_PLAIN | SPY_FLAT_STR_PLAIN);
    spy_flat_set_str_plain(&r, 1, "plain", 5, spy_flat_text_plain("plain", 5));
    assert_int_equal(r.f[1].plain, SPY_FLAT_STR_PLAIN);
    assert_same_bytes(&r);
    static const struct {
        const char *s;
        size_t len;
    } not_plain[] = {{"a\0b", 3}, {"a\"b", 3},     {"a\\b", 3}, {"\x1f", 1},
                     {"\x7f", 1}, {"\xc3\xa9", 2}, {"\xff", 1}, {"tab\t", 4}};
    for (size_t i = 0; i < sizeof not_plain / sizeof not_plain[0]; i++) {
        spy_flat_set_str_plain(&r, 2, not_plain[i].s, not_plain[i].len,
                               spy_flat_text_plain(not_plain[i].s, not_plain[i].len));
        assert_int_equal(r.f[2].plain, SPY_FLAT_KEY_PLAIN);
        assert_false(spy_flat_text_plain(not_plain[i].s, not_plain[i].len));
        assert_same_bytes(&r);
        spy_flat_set_str_plain(&r, 2, "ok ~", 4, spy_flat_text_plain("ok ~", 4)); /* and back */
        assert_int_equal(r.f[2].plain, SPY_FLAT_KEY_PLAIN | SPY_FLAT_STR_PLAIN);
        assert_same_bytes(&r);
    }
    assert_true(spy_flat_text_plain("", 0));
    /* every length, a byte to escape at every offset (words and tails) */
    static const char special[] = {'"', '\\', '\0', '\x1f', '\x7f', '\x80', '\xff'};
    char buf[48];
    for (size_t len = 1; len <= 40; len++) {
        memset(buf, '~', sizeof buf);
        buf[0] = ' ';
        assert_true(spy_flat_text_plain(buf, len));
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof special; k++) {
                buf[at] = special[k];
                assert_false(spy_flat_text_plain(buf, len));
                assert_true(spy_flat_text_plain(buf + at + 1, len - at - 1)); /* after it */
                buf[at] = '!';
            }
    }
    spy_flat_free(&r);
}

static const spy_flat_key CKEYS[3] = {SPY_FLAT_KEY("path"), SPY_FLAT_KEY("mode"),
                                      SPY_FLAT_KEY("size")};

/* pick_cached gives what spy_flat_pick gives. */
static void assert_pick_same(const spy_flat *r, spy_flat_cache *c)
{
    const char *a[3], *b[3];
    spy_flat_pick(r, CKEYS, 3, a);
    spy_flat_pick_cached(r, c, CKEYS, 3, b);
    for (size_t k = 0; k < 3; k++)
        assert_ptr_equal(a[k], b[k]);
}

/* Key indices cached per layout number: loaded while the number stays,
 * found again when it changes (other keys, the same keys in another
 * order), never cached for a record of unknown layout (0), whose keys
 * may repeat; another key list on the same cache is a miss. */
static void test_layout_cache(void **state)
{
    (void)state;
    spy_flat r = {0};
    spy_flat_cache c = {0};
    static const char a1[] = "{\"path\": \"/a\", \"size\": 1, \"mode\": \"rw\"}";
    static const char a2[] = "{\"path\": \"/b\", \"size\": \"big\", \"mode\": null}";
    static const char b[] = "{\"mode\": \"x\", \"path\": \"/c\", \"size\": 3}"; /* reordered */
    uint64_t la = spy_flat_layout_new(), lb = spy_flat_layout_new();
    assert_true(la != 0 && lb > la);

    parse(&r, a1, sizeof a1 - 1);
    assert_int_equal(r.layout, 0); /* the parser alone vouches for nothing */
    r.layout = la;
    const long *idx = spy_flat_index(&r, &c, CKEYS, 3);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 2);
    assert_int_equal(idx[2], 1);
    assert_int_equal(c.layout, la);
    assert_pick_same(&r, &c);

    /* same layout: indices loaded, kinds still checked per record */
    parse(&r, a2, sizeof a2 - 1);
    r.layout = la;
    assert_pick_same(&r, &c);
    const char *out[3];
    spy_flat_pick_cached(&r, &c, CKEYS, 3, out);
    assert_string_equal(out[0], "/b");
    assert_null(out[1]);
    assert_string_equal(out[2], "big");
    /* proof the hit loads: a stale cache entry is what comes back */
    c.idx[0] = 1;
    spy_flat_pick_cached(&r, &c, CKEYS, 3, out);
    assert_string_equal(out[0], "big");
    c.idx[0] = 0;

    /* the same keys in another order: a new number, indices found again */
    parse(&r, b, sizeof b - 1);
    r.layout = lb;
    spy_flat_pick_cached(&r, &c, CKEYS, 3, out);
    assert_string_equal(out[0], "/c");
    assert_string_equal(out[1], "x");
    assert_null(out[2]);
    assert_int_equal(c.layout, lb);
    assert_int_equal(c.idx[0], 1);

    /* another key list on the same cache */
    static const spy_flat_key other[1] = {SPY_FLAT_KEY("mode")};
    idx = spy_flat_index(&r, &c, other, 1);
    assert_int_equal(idx[0], 0);
    assert_ptr_equal(c.keys, other);
    spy_flat_pick_cached(&r, &c, CKEYS, 3, out);
    assert_string_equal(out[1], "x");

    /* unknown layout (a hand-built record, keys repeated): looked up each
     * time, the first string of a key as spy_flat_pick gives it */
    spy_flat_reset(&r);
    assert_int_equal(r.layout, 0);
    add_kind(&r, "path", SPY_FLAT_NULL, 0);
    add_str(&r, "path", "/second", 7);
    add_str(&r, "mode", "m", 1);
    spy_flat_seal(&r);
    assert_pick_same(&r, &c);
    spy_flat_pick_cached(&r, &c, CKEYS, 3, out);
    assert_string_equal(out[0], "/second");
    assert_int_equal(c.layout, lb); /* not replaced: nothing cached */
    idx = spy_flat_index(&r, &c, CKEYS, 3);
    assert_int_equal(idx[0], 0); /* the first field of the key */
    assert_int_equal(c.layout, 0);
    /* a record given a number, then changed, is unknown again */
    r.layout = la;
    add_str(&r, "size", "s", 1);
    assert_int_equal(r.layout, 0);
    spy_flat_free(&r);
}

/* Records written from cached layouts (records of a known layout as
 * array items): strings of every length around the 16- and 32-byte copies
 * with and without bytes to escape, plain or not, long ones (streamed, or
 * past the first reservation), escaped keys, more layouts than the cache
 * holds, a buffer with no room after its last string, a string pointed
 * outside the buffer, and an fd emitter flushing mid-array. */
static void test_cached_layouts(void **state)
{
    (void)state;
    spy_flat r = {0};
    char s[80];
    static const char special[] = {'a', '"', '\\', '\n', '\x01', '\x7f', '\xc3', '\xff'};
    for (size_t len = 0; len <= 70; len++)
        for (size_t k = 0; k < sizeof special; k++) {
            memset(s, 'x', sizeof s);
            if (len)
                s[len / 2] = special[k];
            spy_flat_reset(&r);
            add_str(&r, "s", s, len);
            add_kind(&r, "i", SPY_FLAT_INT, (int64_t)len * 12345 - 99999);
            add_str(&r, "t", s + len / 3, len - len / 3);
            spy_flat_seal(&r);
            if (spy_flat_text_plain(r.f[0].s, r.f[0].len))
                r.f[0].plain |= SPY_FLAT_STR_PLAIN;
            assert_same_items(&r, 4, 1);
            assert_same_items(&r, 0, 2);
        }
    /* long strings: streamed past JW_CHUNK, or reserved again */
    char *big = malloc(70000);
    for (size_t i = 0; i < 70000; i++)
        big[i] = (char)('a' + i % 26);
    static const size_t lens[] = {1000, 4096, 4097, 20000, 70000};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        for (int plain = 0; plain < 2; plain++) {
            spy_flat_reset(&r);
            for (int k = 0; k < 12; k++) {
                char key[8];
                snprintf(key, sizeof key, "k%d", k);
                add_str(&r, key, big + k, lens[i] - (size_t)k);
            }
            add_str(&r, "end", "\"e\"", 3);
            spy_flat_seal(&r);
            for (int k = 0; plain && k < 12; k++)
                r.f[k].plain |= SPY_FLAT_STR_PLAIN;
            assert_same_items(&r, 4, 1);
            assert_same_items(&r, 0, 1);
        }
    /* keys to escape, every kind */
    spy_flat_reset(&r);
    add_str(&r, "caf\xc3\xa9 \"k\"", "v", 1);
    add_kind(&r, "\x01", SPY_FLAT_TRUE, 0);
    add_kind(&r, "\xff", SPY_FLAT_FALSE, 0);
    add_kind(&r, "", SPY_FLAT_NULL, 0);
    add_kind(&r, "min", SPY_FLAT_INT, INT64_MIN);
    spy_flat_seal(&r);
    assert_same_items(&r, 4, 1);
    assert_same_items(&r, 0, 1);

    /* more layouts than the cache holds, taking turns in one emitter */
    spy_flat recs[6] = {{0}};
    json_t *arr = json_array();
    for (int k = 0; k < 6; k++) {
        for (int m = 0; m <= k; m++) {
            char key[8];
            snprintf(key, sizeof key, "m%d", m);
            add_str(&recs[k], key, "value", 5);
        }
        spy_flat_seal(&recs[k]);
        recs[k].layout = spy_flat_layout_new();
    }
    spy_jw *a = spy_jw_new_mem(4), *b = spy_jw_new_mem(4);
    spy_jw_begin_array(a);
    for (int i = 0; i < 40; i++) {
        const spy_flat *x = &recs[(i * 5) % 6];
        assert_int_equal(spy_jw_flat(a, x), SPY_OK);
        json_array_append_new(arr, spy_flat_to_json(x));
    }
    spy_jw_end_array(a);
    spy_jw_value(b, arr);
    assert_same_text(a, b);
    spy_jw_free(a);
    spy_jw_free(b);
    json_decref(arr);
    for (int k = 0; k < 6; k++)
        spy_flat_free(&recs[k]);

    /* no room after the last string, and a string held elsewhere */
    spy_flat_reset(&r);
    add_str(&r, "a", "0123456789", 10);
    add_str(&r, "b", "abc\"", 4);
    spy_flat_seal(&r);
    spy_flat tight = r;
    tight.buf = malloc(r.len);
    memcpy(tight.buf, r.buf, r.len);
    tight.buf_cap = r.len;
    spy_flat_field tf[2] = {r.f[0], r.f[1]};
    tight.f = tf;
    spy_flat_seal(&tight);
    tf[0].plain |= SPY_FLAT_STR_PLAIN;
    assert_same_items(&tight, 4, 1);
    tf[1].s = "elsewhere, longer than thirty-two bytes \\ \"";
    tf[1].len = strlen(tf[1].s);
    assert_same_items(&tight, 4, 1);
    free(tight.buf);

    /* an fd emitter: flushes between and inside records */
    FILE *f = tmpfile();
    assert_non_null(f);
    spy_flat_reset(&r);
    add_str(&r, "path", "/sdcard/file.txt", 16);
    add_kind(&r, "size", SPY_FLAT_INT, 988568);
    add_str(&r, "long", big, 5000);
    add_str(&r, "note", "caf\xc3\xa9", 5);
    spy_flat_seal(&r);
    r.f[0].plain |= SPY_FLAT_STR_PLAIN;
    r.layout = spy_flat_layout_new();
    spy_jw *wf = spy_jw_new_fd(fileno(f), 4);
    b = spy_jw_new_mem(4);
    json_t *j = spy_flat_to_json(&r);
    spy_jw_begin_array(wf);
    spy_jw_begin_array(b);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(spy_jw_flat(wf, &r), SPY_OK);
        spy_jw_value(b, j);
    }
    spy_jw_end_array(wf);
    spy_jw_end_array(b);
    assert_int_equal(spy_jw_finish(wf), SPY_OK);
    size_t lb;
    const char *mb = spy_jw_mem(b, &lb);
    char *got = malloc(lb + 1);
    rewind(f);
    assert_int_equal(fread(got, 1, lb + 1, f), lb);
    assert_memory_equal(got, mb, lb);
    free(got);
    fclose(f);
    spy_jw_free(wf);
    spy_jw_free(b);
    json_decref(j);

    /* too deep: the same error as the general path */
    a = spy_jw_new_mem(4);
    for (int d = 0; d < 128; d++)
        assert_int_equal(spy_jw_begin_array(a), SPY_OK);
    assert_int_equal(spy_jw_flat(a, &r), SPY_ELIMIT);
    spy_jw_free(a);
    free(big);
    spy_flat_free(&r);
}

/* The setter with the flag given: the caller's word, not a scan. */
static void test_set_str_plain(void **state)
{
    (void)state;
    spy_flat r = {0};
    static const char text[] = "{\"t\": 1, \"u\": 2}";
    parse(&r, text, sizeof text - 1);
    spy_flat_set_str_plain(&r, 0, "2024-03-01 12:00:00.000000", 26, true);
    assert_int_equal(r.f[0].plain, SPY_FLAT_KEY_PLAIN | SPY_FLAT_STR_PLAIN);
    spy_flat_set_str_plain(&r, 1, "x\ny", 3, false);
    assert_int_equal(r.f[1].plain, SPY_FLAT_KEY_PLAIN);
    assert_string_equal(spy_flat_str(&r, "t"), "2024-03-01 12:00:00.000000");
    assert_same_bytes(&r);
    spy_flat_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind),        cmocka_unit_test(test_growth_reset_and_repeats),
        cmocka_unit_test(test_plain_from_parser), cmocka_unit_test(test_plain_set_str),
        cmocka_unit_test(test_layout_cache),      cmocka_unit_test(test_cached_layouts),
        cmocka_unit_test(test_set_str_plain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
