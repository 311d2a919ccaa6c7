/* Flat records (core/flat.h): built by hand, looked up, changed, turned
 * into their jansson form and written byte for byte as that form is. */
#include "testutil.h"

#include "core/error.h"
#include "core/flat.h"
#include "core/json_emit.h"

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

/* spy_jw_flat's bytes equal spy_jw_value's on the jansson form. */
static void assert_same_bytes(const spy_flat *r)
{
    json_t *j = spy_flat_to_json(r);
    spy_jw *a = spy_jw_new_mem(4), *b = spy_jw_new_mem(4);
    assert_int_equal(spy_jw_flat(a, r), SPY_OK);
    assert_int_equal(spy_jw_value(b, j), SPY_OK);
    size_t la, lb;
    const char *ma = spy_jw_mem(a, &la), *mb = spy_jw_mem(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ma, mb, la);
    spy_jw_free(a);
    spy_jw_free(b);
    json_decref(j);
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
    spy_flat_set_str(&r, 5, "2024-03-01 12:00:00.000000", 26);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind),
        cmocka_unit_test(test_growth_reset_and_repeats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
