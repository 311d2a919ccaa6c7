/* spy_kit_join: the parts one after the other, on the caller's buffer
 * while text and NUL fit, on the heap from the first byte that does not,
 * NULL parts as "". */
#include "testutil.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static void test_join_buffer_and_heap(void **state)
{
    (void)state;
    char buf[8], *heap = NULL;
    size_t len = 99;
    const char *p1[] = {"ab", NULL, "cd", "efg"}; /* 7 bytes and the NUL: fits */
    const char *s = spy_kit_join(buf, sizeof buf, &heap, &len, p1, 4);
    assert_ptr_equal(s, buf);
    assert_null(heap);
    assert_int_equal(len, 7);
    assert_string_equal(s, "abcdefg");
    const char *p2[] = {"ab", "cd", "efgh"}; /* 8 bytes: the NUL does not fit */
    s = spy_kit_join(buf, sizeof buf, &heap, &len, p2, 3);
    assert_non_null(heap);
    assert_ptr_equal(s, heap);
    assert_int_equal(len, 8);
    assert_string_equal(s, "abcdefgh");
    free(heap);
    heap = NULL;
    s = spy_kit_join(buf, sizeof buf, &heap, &len, p1, 0);
    assert_ptr_equal(s, buf);
    assert_int_equal(len, 0);
    assert_string_equal(s, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_join_buffer_and_heap)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
