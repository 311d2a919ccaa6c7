/* The open-addressing string map behind the indicator indexes. */
#include "testutil.h"

#include "core/mem.h"
#include "core/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_put_get(void **state)
{
    (void)state;
    spy_strmap *m = spy_strmap_new(0);
    bool ins;
    void **v = spy_strmap_put(m, "alpha", 5, &ins);
    assert_true(ins);
    assert_null(*v);
    *v = (void *)1;
    v = spy_strmap_put(m, "alpha", 5, &ins);
    assert_false(ins);
    assert_ptr_equal(*v, (void *)1);
    assert_ptr_equal(spy_strmap_get(m, "alpha", 5), (void *)1);
    assert_null(spy_strmap_get(m, "alph", 4));
    assert_false(spy_strmap_has(m, "alphab", 6));
    assert_true(spy_strmap_has(m, "alpha", 5));
    /* keys need not be NUL-terminated: a prefix of a longer buffer */
    assert_true(spy_strmap_has(m, "alphabet", 5));
    assert_int_equal(spy_strmap_count(m), 1);
    spy_strmap_free(m);
}

static void test_empty_and_binary_keys(void **state)
{
    (void)state;
    spy_strmap *m = spy_strmap_new(4);
    assert_null(spy_strmap_find(m, "x", 1));
    spy_strmap_put(m, "", 0, NULL);
    spy_strmap_put(m, "a\0b", 3, NULL);
    assert_true(spy_strmap_has(m, "", 0));
    assert_true(spy_strmap_has(m, "a\0b", 3));
    assert_false(spy_strmap_has(m, "a", 1));
    assert_int_equal(spy_strmap_count(m), 2);
    spy_strmap_free(m);
    assert_false(spy_strmap_has(NULL, "a", 1));
    spy_strmap_free(NULL);
}

static void test_growth_and_iteration(void **state)
{
    (void)state;
    spy_strmap *m = spy_strmap_new(0);
    enum { N = 20000 };
    char key[32];
    for (uintptr_t i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "key-%lu.example", (unsigned long)i);
        void **v = spy_strmap_put(m, key, (size_t)n, NULL);
        *v = (void *)(i + 1);
    }
    assert_int_equal(spy_strmap_count(m), N);
    for (uintptr_t i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "key-%lu.example", (unsigned long)i);
        assert_ptr_equal(spy_strmap_get(m, key, (size_t)n), (void *)(i + 1));
    }
    size_t it = 0, seen = 0, len;
    const char *k;
    void *val;
    while (spy_strmap_next(m, &it, &k, &len, &val)) {
        assert_int_equal(strlen(k), len);
        seen++;
    }
    assert_int_equal(seen, N);
    spy_strmap_free(m);
}

static void test_large_keys(void **state)
{
    (void)state;
    spy_strmap *m = spy_strmap_new(0);
    size_t n = 200000; /* larger than an arena chunk */
    char *big = spy_xmalloc(n);
    memset(big, 'z', n);
    spy_strmap_put(m, "small", 5, NULL);
    spy_strmap_put(m, big, n, NULL);
    spy_strmap_put(m, "small2", 6, NULL);
    assert_true(spy_strmap_has(m, big, n));
    assert_false(spy_strmap_has(m, big, n - 1));
    assert_true(spy_strmap_has(m, "small", 5));
    assert_true(spy_strmap_has(m, "small2", 6));
    free(big);
    spy_strmap_free(m);
}

static void test_hash_spreads(void **state)
{
    (void)state;
    /* Keys differing in one byte at any position hash differently. */
    char a[40], b[40];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof a; i++) {
        memcpy(b, a, sizeof a);
        b[i] = 'b';
        assert_true(spy_strhash(a, sizeof a) != spy_strhash(b, sizeof b));
    }
    assert_true(spy_strhash("ab", 2) != spy_strhash("ab\0", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get),
        cmocka_unit_test(test_empty_and_binary_keys),
        cmocka_unit_test(test_growth_and_iteration),
        cmocka_unit_test(test_large_keys),
        cmocka_unit_test(test_hash_spreads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
