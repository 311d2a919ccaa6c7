/* The shared bump allocator (core/arena.h). */
#include "core/arena.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Pieces come back aligned as asked, do not overlap, and are owned. */
static void test_alignment_and_ownership(void **state)
{
    (void)state;
    spy_arena a = {.chunk_bytes = 256};
    unsigned char *prev = NULL;
    size_t prev_n = 0;
    for (size_t i = 0; i < 200; i++) {
        size_t n = 1 + i % 13, al = (size_t)1 << (i % 4);
        unsigned char *p = spy_arena_alloc(&a, n, al);
        assert_int_equal((uintptr_t)p % al, 0);
        memset(p, (int)i, n);
        assert_true(spy_arena_owns(&a, p));
        assert_true(spy_arena_owns(&a, p + n - 1));
        if (prev) /* the previous piece is intact */
            for (size_t k = 0; k < prev_n; k++)
                assert_int_equal(prev[k], (unsigned char)(i - 1));
        prev = p;
        prev_n = n;
    }
    int outside;
    assert_false(spy_arena_owns(&a, &outside));
    spy_arena_clear(&a);
    assert_null(a.head);
    assert_false(spy_arena_owns(&a, prev));
}

/* A request over a quarter of a chunk gets its own chunk behind the one
 * being filled, which keeps serving small pieces. */
static void test_large_piece(void **state)
{
    (void)state;
    spy_arena a = {.chunk_bytes = 256};
    unsigned char *s1 = spy_arena_alloc(&a, 8, 1);
    unsigned char *big = spy_arena_alloc(&a, 1000, 8);
    memset(big, 0xAB, 1000);
    unsigned char *s2 = spy_arena_alloc(&a, 8, 1);
    assert_ptr_equal(s2, s1 + 8);
    assert_true(spy_arena_owns(&a, big + 999));
    spy_arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_ownership),
        cmocka_unit_test(test_large_piece),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
