/* Binary plist reader: every type and width, conventions, hostile inputs. */
#include "testutil.h"

#include "bplist_writer.h"
#include "core/bplist.h"
#include "core/error.h"
#include "core/limits.h"

#include <stdlib.h>
#include <string.h>

static json_t *load(const char *s)
{
    json_error_t e;
    json_t *j = json_loads(s, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!j)
        fail_msg("bad test JSON: %s", e.text);
    return j;
}

/* Writes v, parses it back, returns the parse (asserting success). */
static json_t *roundtrip(const json_t *v, const bpw_opts *o)
{
    uint8_t *b;
    size_t n;
    json_t *out = NULL;
    char *why = NULL;
    assert_int_equal(bpw_write(v, o, &b, &n), 0);
    int err = spy_bplist_parse(b, n, &out, &why);
    if (err != SPY_OK)
        fail_msg("parse failed: %s", why);
    free(b);
    return out;
}

static int parse_err(const uint8_t *b, size_t n, char **why)
{
    json_t *out = NULL;
    int err = spy_bplist_parse(b, n, &out, why);
    if (err == SPY_OK)
        json_decref(out);
    else
        assert_null(out);
    return err;
}

static void test_all_types(void **st)
{
    (void)st;
    json_t *v =
        load("{\"null\": null, \"t\": true, \"f\": false,"
             " \"ints\": [0, 1, 255, 256, 65535, 65536, 4294967295, 4294967296, -1,"
             "            -9223372036854775808, 9223372036854775807],"
             " \"real\": 1.5, \"neg\": -2.25e-10,"
             " \"date\": {\"$date\": 588611289.24041},"
             " \"data\": {\"$data\": \"AAECAwT/\"}, \"empty\": {\"$data\": \"\"},"
             " \"ascii\": \"HomeDomain\", \"long\": "
             "\"Library/Preferences/com.apple.identityservices.idstatuscache.plist\","
             " \"uni\": \"caf\\u00e9 \\u65e5\\u672c \\ud83d\\ude00\", \"nul\": \"a\\u0000b\","
             " \"uid\": {\"CF$UID\": 300}, \"arr\": [[], {}, [1, [2, [3]]]],"
             " \"\\u00e9key\": 1}");
    json_t *out = roundtrip(v, NULL);
    if (!json_equal(v, out))
        fail_msg("mismatch: %s", json_dumps(out, JSON_COMPACT));
    json_decref(out);
    /* Every ref and offset width the format allows. */
    for (unsigned rs = 1; rs <= 8; rs *= 2) {
        for (unsigned os = 1; os <= 8; os *= 2) {
            if (os == 1)
                continue; /* the fixture is longer than 255 bytes */
            bpw_opts o = {rs, os};
            out = roundtrip(v, &o);
            assert_true(json_equal(v, out));
            json_decref(out);
        }
    }
    json_decref(v);
}

static void test_set_and_long_counts(void **st)
{
    (void)st;
    json_t *arr = json_array();
    for (int i = 0; i < 300; i++)
        json_array_append_new(arr, json_integer(i));
    json_t *v = json_pack("{s:{s:O},s:O,s:s}", "set", "$set", arr, "arr", arr, "s",
                          "a string longer than fifteen characters");
    json_t *out = roundtrip(v, NULL);
    assert_true(json_equal(json_object_get(out, "set"), arr));
    assert_true(json_equal(json_object_get(out, "arr"), arr));
    json_decref(out);
    json_decref(v);
    json_decref(arr);
}

/* Builds a one-object plist from raw object bytes. */
static json_t *single(const void *obj, size_t n)
{
    bpw_raw *r = bpw_raw_new(1);
    uint8_t *b;
    size_t len;
    json_t *out = NULL;
    char *why = NULL;
    bpw_raw_add(r, obj, n);
    bpw_raw_finish(r, 0, 1, &b, &len);
    if (spy_bplist_parse(b, len, &out, &why) != SPY_OK)
        fail_msg("%s", why);
    free(b);
    return out;
}

static void test_handmade_scalars(void **st)
{
    (void)st;
    /* 16-byte int: low 64 bits kept, as two's complement. */
    const uint8_t i128[] = {0x14, 0,    0,    0,    0,    0,    0,    0,   0,
                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
    json_t *j = single(i128, sizeof i128);
    assert_int_equal(json_integer_value(j), -2);
    json_decref(j);
    const uint8_t i128b[] = {0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00};
    j = single(i128b, sizeof i128b);
    assert_int_equal(json_integer_value(j), 256);
    json_decref(j);
    const uint8_t f32[] = {0x22, 0x3f, 0xc0, 0x00, 0x00}; /* 1.5f */
    j = single(f32, sizeof f32);
    assert_true(json_real_value(j) == 1.5);
    json_decref(j);
    const uint8_t nan[] = {0x23, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0};
    j = single(nan, sizeof nan);
    assert_string_equal(json_string_value(json_object_get(j, "$real")), "nan");
    json_decref(j);
    const uint8_t fill[] = {0x0f};
    j = single(fill, 1);
    assert_true(json_is_null(j));
    json_decref(j);
    /* Lone surrogates become U+FFFD; a good pair is kept. */
    const uint8_t u16[] = {0x65, 0xd8, 0x3d, 0x00, 0x41, 0xde, 0x00, 0xd8, 0x3d, 0xde, 0x00};
    j = single(u16, sizeof u16);
    assert_string_equal(json_string_value(j), "\xef\xbf\xbd"
                                              "A"
                                              "\xef\xbf\xbd"
                                              "\xf0\x9f\x98\x80");
    json_decref(j);
    const uint8_t latin[] = {0x53, 'c', 'a', 0xe9};
    j = single(latin, sizeof latin);
    assert_string_equal(json_string_value(j), "ca\xc3\xa9");
    json_decref(j);
    const uint8_t uid4[] = {0x83, 0x01, 0x02, 0x03, 0x04};
    j = single(uid4, sizeof uid4);
    assert_int_equal(json_integer_value(json_object_get(j, "CF$UID")), 0x01020304);
    json_decref(j);
}

static void test_bad_markers(void **st)
{
    (void)st;
    const uint8_t bad[][2] = {{0x01, 0}, {0x15, 0}, {0x21, 0}, {0x34, 0}, {0x70, 0},
                              {0x90, 0}, {0xe0, 0}, {0xf0, 0}, {0x88, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bpw_raw *r = bpw_raw_new(1);
        uint8_t *b;
        size_t n;
        char *why = NULL;
        bpw_raw_add(r, bad[i], 2);
        bpw_raw_finish(r, 0, 1, &b, &n);
        assert_int_not_equal(parse_err(b, n, &why), SPY_OK);
        assert_non_null(why);
        free(why);
        free(b);
    }
}

static uint8_t *small_plist(size_t *n)
{
    json_t *v = load("{\"a\": [1, 2.5, \"x\", {\"$data\": \"AQI=\"}], \"b\": {\"c\": true},"
                     " \"d\": {\"$date\": 1.0}, \"e\": \"\\u00e9t\\u00e9\"}");
    uint8_t *b;
    bpw_write(v, NULL, &b, n);
    json_decref(v);
    return b;
}

static void test_truncated_everywhere(void **st)
{
    (void)st;
    size_t n;
    uint8_t *b = small_plist(&n);
    for (size_t k = 0; k < n; k++) {
        uint8_t *cut = malloc(k ? k : 1);
        memcpy(cut, b, k);
        char *why = NULL;
        int err = parse_err(cut, k, &why);
        assert_int_not_equal(err, SPY_OK);
        free(why);
        free(cut);
    }
    /* Every byte flipped to a few values: errors or values, never a crash. */
    const uint8_t vals[] = {0x00, 0x0f, 0x5f, 0x7f, 0x80, 0xaf, 0xdf, 0xff};
    for (size_t k = 0; k < n; k++) {
        for (size_t v = 0; v < sizeof vals; v++) {
            uint8_t *m = malloc(n);
            memcpy(m, b, n);
            m[k] = vals[v];
            char *why = NULL;
            parse_err(m, n, &why);
            free(why);
            free(m);
        }
    }
    free(b);
}

static void test_cycles(void **st)
{
    (void)st;
    uint8_t *b;
    size_t n;
    char *why = NULL;
    /* [self] */
    bpw_raw *r = bpw_raw_new(1);
    uint64_t self = 0;
    bpw_raw_array(r, &self, 1);
    bpw_raw_finish(r, 0, 1, &b, &n);
    assert_int_equal(parse_err(b, n, &why), SPY_EFORMAT);
    assert_non_null(strstr(why, "cycle"));
    free(why);
    free(b);
    /* {k: dict1} <-> {k: dict0} */
    r = bpw_raw_new(1);
    uint64_t k = 2, v0 = 1, v1 = 0;
    bpw_raw_dict(r, &k, &v0, 1);
    bpw_raw_dict(r, &k, &v1, 1);
    bpw_raw_ascii(r, "k");
    bpw_raw_finish(r, 0, 1, &b, &n);
    assert_int_equal(parse_err(b, n, &why), SPY_EFORMAT);
    assert_non_null(strstr(why, "cycle"));
    free(why);
    free(b);
    /* A shared (not cyclic) object is fine: [x, x]. */
    r = bpw_raw_new(1);
    uint64_t refs[2] = {1, 1};
    bpw_raw_array(r, refs, 2);
    bpw_raw_ascii(r, "x");
    bpw_raw_finish(r, 0, 1, &b, &n);
    json_t *out = NULL;
    assert_int_equal(spy_bplist_parse(b, n, &out, NULL), SPY_OK);
    assert_int_equal(json_array_size(out), 2);
    json_decref(out);
    free(b);
}

static void test_depth_and_blowup(void **st)
{
    (void)st;
    uint8_t *b;
    size_t n;
    char *why = NULL;
    /* 100 nested arrays: object i = [i+1], last is []. */
    bpw_raw *r = bpw_raw_new(1);
    for (uint64_t i = 0; i < 100; i++) {
        uint64_t next = i + 1;
        bpw_raw_array(r, &next, i == 99 ? 0 : 1);
    }
    bpw_raw_finish(r, 0, 2, &b, &n);
    assert_int_equal(parse_err(b, n, &why), SPY_ELIMIT);
    assert_non_null(strstr(why, "nesting"));
    free(why);
    free(b);
    /* Exactly the limit: 64 nested arrays parse. */
    r = bpw_raw_new(1);
    for (uint64_t i = 0; i < SPY_BPLIST_MAX_DEPTH; i++) {
        uint64_t next = i + 1;
        bpw_raw_array(r, &next, i == SPY_BPLIST_MAX_DEPTH - 1 ? 0 : 1);
    }
    bpw_raw_finish(r, 0, 2, &b, &n);
    assert_int_equal(parse_err(b, n, &why), SPY_OK);
    free(b);
    /* Billion laughs: object i = [i+1, i+1] for 40 levels = 2^40 values. */
    r = bpw_raw_new(1);
    for (uint64_t i = 0; i < 40; i++) {
        uint64_t next[2] = {i + 1, i + 1};
        bpw_raw_array(r, next, 2);
    }
    bpw_raw_int(r, 7);
    bpw_raw_finish(r, 0, 1, &b, &n);
    assert_int_equal(parse_err(b, n, &why), SPY_ELIMIT);
    free(why);
    free(b);
}

/* A minimal valid plist [1] to corrupt: header, 0xa1 0x01, 0x10 0x01,
 * offsets 08 0a, trailer. */
static size_t mini(uint8_t *b)
{
    const uint8_t p[] = {'b',  'p',  'l', 'i', 's', 't', '0', '0', 0xa1, 0x01, 0x10, 0x01,
                         0x08, 0x0a, 0,   0,   0,   0,   0,   0,   1,    1,    0,    0,
                         0,    0,    0,   0,   0,   2,   0,   0,   0,    0,    0,    0,
                         0,    0,    0,   0,   0,   0,   0,   0,   0,    0x0c};
    memcpy(b, p, sizeof p);
    return sizeof p;
}

static void expect_fail(const uint8_t *b, size_t n, int want, const char *needle)
{
    char *why = NULL;
    int err = parse_err(b, n, &why);
    if (err != want || (needle && (!why || !strstr(why, needle))))
        fail_msg("want %d/%s, got %d/%s", want, needle ? needle : "", err, why ? why : "");
    free(why);
}

static void test_trailer_and_refs(void **st)
{
    (void)st;
    uint8_t b[64];
    size_t n = mini(b);
    json_t *out = NULL;
    assert_int_equal(spy_bplist_parse(b, n, &out, NULL), SPY_OK);
    assert_int_equal(json_integer_value(json_array_get(out, 0)), 1);
    json_decref(out);
    size_t t = n - 32;
    mini(b), b[t + 7] = 0, expect_fail(b, n, SPY_EFORMAT, "reference size 0");
    mini(b), b[t + 7] = 9, expect_fail(b, n, SPY_EFORMAT, "reference size 9");
    mini(b), b[t + 6] = 0, expect_fail(b, n, SPY_EFORMAT, "offset size 0");
    mini(b), b[0] = 'B', expect_fail(b, n, SPY_EFORMAT, "magic");
    mini(b), b[7] = '1', expect_fail(b, n, SPY_EFORMAT, "magic");
    mini(b), b[t + 23] = 5, expect_fail(b, n, SPY_EFORMAT, "top object 5");
    mini(b), b[t + 15] = 0, expect_fail(b, n, SPY_EFORMAT, "object count 0");
    mini(b), b[t + 8] = 0xff, expect_fail(b, n, SPY_ELIMIT, "object count");
    mini(b), b[t + 14] = 0x10, expect_fail(b, n, SPY_EFORMAT, "offset table");
    mini(b), b[t + 31] = 0x30, expect_fail(b, n, SPY_EFORMAT, "offset table");
    mini(b), b[t + 24] = 0x80, expect_fail(b, n, SPY_EFORMAT, "offset table");
    mini(b), b[9] = 40,
             expect_fail(b, n, SPY_EFORMAT, "object 0 at offset 0x8: reference 40 out of range");
    mini(b), b[12] = 0x40, expect_fail(b, n, SPY_EFORMAT, "offset 0x40 outside");
    mini(b), b[13] = 0x02, expect_fail(b, n, SPY_EFORMAT, "outside");
    mini(b), b[8] = 0xaf, expect_fail(b, n, SPY_EFORMAT, "length marker");
    /* Huge counts: array of 2^32-1 refs, data of 2^62 bytes. */
    const uint8_t huge_arr[] = {0xaf, 0x12, 0xff, 0xff, 0xff, 0xff};
    const uint8_t huge_data[] = {0x4f, 0x13, 0x40, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t neg_len[] = {0x5f, 0x13, 0x80, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t *h[] = {huge_arr, huge_data, neg_len};
    size_t hn[] = {sizeof huge_arr, sizeof huge_data, sizeof neg_len};
    for (size_t i = 0; i < 3; i++) {
        bpw_raw *r = bpw_raw_new(1);
        uint8_t *p;
        size_t len;
        bpw_raw_add(r, h[i], hn[i]);
        bpw_raw_finish(r, 0, 1, &p, &len);
        expect_fail(p, len, i == 2 ? SPY_EFORMAT : SPY_ETRUNCATED, NULL);
        free(p);
    }
    /* Non-string dict key. */
    bpw_raw *r = bpw_raw_new(1);
    uint64_t k = 1, v = 1;
    uint8_t *p;
    size_t len;
    bpw_raw_dict(r, &k, &v, 1);
    bpw_raw_int(r, 3);
    bpw_raw_finish(r, 0, 1, &p, &len);
    expect_fail(p, len, SPY_EFORMAT, "not a string");
    free(p);
}

static void test_low_level(void **st)
{
    (void)st;
    json_t *v = load("{\"Size\": 12, \"Name\": \"\\u00e9x\", \"k\": [1]}");
    uint8_t *b;
    size_t n;
    spy_bplist bp;
    spy_bpobj top, val;
    bpw_write(v, NULL, &b, &n);
    assert_true(spy_bplist_sniff(b, n));
    assert_int_equal(spy_bplist_open(&bp, b, n), SPY_OK);
    assert_int_equal(spy_bplist_object(&bp, bp.top, &top), SPY_OK);
    assert_int_equal(top.type, SPY_BP_DICT);
    assert_int_equal(spy_bplist_dict_get(&bp, &top, "Size", &val), SPY_OK);
    assert_int_equal(val.i, 12);
    assert_int_equal(spy_bplist_dict_get(&bp, &top, "Nope", &val), SPY_ENOTFOUND);
    assert_int_equal(spy_bplist_dict_get(&bp, &top, "Name", &val), SPY_OK);
    char *s = NULL;
    assert_int_equal(spy_bplist_string(&val, &s, NULL), SPY_OK);
    assert_string_equal(s, "\xc3\xa9x");
    free(s);
    free(b);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_types),
        cmocka_unit_test(test_set_and_long_counts),
        cmocka_unit_test(test_handmade_scalars),
        cmocka_unit_test(test_bad_markers),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_depth_and_blowup),
        cmocka_unit_test(test_trailer_and_refs),
        cmocka_unit_test(test_low_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
