/* The writer thread of core/bgwrite.h: used directly, buffers of every
 * size reach the file in order; and an emitter freed without finish joins
 * it. (Its bytes against an emitter writing in place, and a failed write,
 * are in test_json_emit.) */
#include "testutil.h"

#include "core/bgwrite.h"
#include "core/error.h"
#include "core/json_emit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Freed mid-document without finish (an aborted results file): the thread
 * is joined, nothing leaks (ASan), and what was handed over is written. */
static void test_free_without_finish(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "part.json");
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    spy_jw *w = spy_jw_new_fd(fd, 0);
    spy_jw_background(w);
    spy_jw_begin_array(w);
    for (int i = 0; i < 400000; i++)
        spy_jw_int(w, 1234567);
    spy_jw_free(w);
    assert_int_equal(close(fd), 0);
    size_t len;
    char *got = tu_read(path, &len);
    assert_true(len > 1024u * 1024u); /* full buffers reached the file */
    assert_int_equal(got[0], '[');
    free(got);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

/* The writer alone: buffers of every size, written in the order given,
 * each buffer handed back being one of the writer's to fill next. */
static void test_writer_order(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "raw");
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    spy_bgw *b = spy_bgw_start(fd);
    assert_non_null(b);
    size_t cap = 64, total = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (unsigned i = 0; i < 300; i++) {
        size_t n = (i * 7919u) % 5000u + 1u;
        n = n < cap ? n : cap;
        for (size_t k = 0; k < n; k++)
            buf[k] = (char)((total + k) % 251);
        total += n;
        assert_int_equal(spy_bgw_put(b, &buf, &cap, n), SPY_OK);
        assert_non_null(buf);
        assert_true(cap >= 64);
    }
    assert_int_equal(spy_bgw_finish(b, NULL), SPY_OK);
    free(buf);
    assert_int_equal(close(fd), 0);
    size_t len;
    unsigned char *got = (unsigned char *)tu_read(path, &len);
    assert_int_equal(len, total);
    for (size_t k = 0; k < len; k++)
        if (got[k] != k % 251)
            fail_msg("byte %zu is %u, not %zu", k, got[k], k % 251);
    free(got);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_without_finish),
        cmocka_unit_test(test_writer_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
