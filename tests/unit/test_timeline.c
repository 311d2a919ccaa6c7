/* timeline.csv: sorted, de-duplicated, MVT's CSV dialect, and identical
 * output whether or not rows were spilled to sorted runs. */
#include "testutil.h"
#include "wr_util.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/writers.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    (void)state;
    spy_log_set_quiet(true);
    return 0;
}

static void test_sort_dedup_dialect(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_timeline *t;
    assert_int_equal(spy_timeline_new(&t, d, false), SPY_OK);
    spy_timeline_add(t, "2021-01-02 00:00:00.000000", "SMS", "sms_received", "hi \"there\"");
    spy_timeline_add(t, "2021-01-01 00:00:00.000000", "Calls", "call", "C:\\path\nline2");
    spy_timeline_add(t, "2021-01-02 00:00:00.000000", "SMS", "sms_received", "hi \"there\"");
    spy_timeline_add(t, NULL, "Manifest", "file", NULL);
    spy_timeline_add(t, "2021-01-02 00:00:00.000000", "Calls", "call", "b");
    spy_timeline_add(t, "2021-01-02 00:00:00.000000", "Calls", "call", "a");
    spy_timeline_add(t, "2021-01-02 00:00:00.000000", "Calls", "call", "\xc3\xa9");
    assert_int_equal(spy_timeline_rows(t), 7);
    assert_int_equal(spy_timeline_write(t), SPY_OK);
    spy_timeline_free(t);
    char *s = wr_read_in(spy_outdir_path(d), "timeline.csv", NULL);
    assert_string_equal(
        s, "\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n"
           "\"\",\"Manifest\",\"file\",\"\"\r\n"
           "\"2021-01-01 00:00:00.000000\",\"Calls\",\"call\",\"C:\\\\path\nline2\"\r\n"
           "\"2021-01-02 00:00:00.000000\",\"Calls\",\"call\",\"a\"\r\n"
           "\"2021-01-02 00:00:00.000000\",\"Calls\",\"call\",\"b\"\r\n"
           "\"2021-01-02 00:00:00.000000\",\"Calls\",\"call\",\"\xc3\xa9\"\r\n"
           "\"2021-01-02 00:00:00.000000\",\"SMS\",\"sms_received\","
           "\"hi \"\"there\"\"\"\r\n");
    free(s);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_android_header_and_empty(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_timeline *t;
    spy_timeline_new(&t, d, true);
    assert_int_equal(spy_timeline_write(t), SPY_OK); /* no rows: no file */
    spy_timeline_free(t);
    assert_int_equal(wr_count_entries(spy_outdir_path(d)), 0);
    spy_timeline_new(&t, d, true);
    spy_timeline_add(t, "2024-05-01", "DumpsysBatteryDaily", "update", "com.x");
    assert_int_equal(spy_timeline_write(t), SPY_OK);
    spy_timeline_free(t);
    char *s = wr_read_in(spy_outdir_path(d), "timeline.csv", NULL);
    assert_string_equal(s, "\"Device Local Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n"
                           "\"2024-05-01\",\"DumpsysBatteryDaily\",\"update\",\"com.x\"\r\n");
    free(s);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

/* Deterministic pseudo-random rows with many duplicates. */
static uint32_t lcg(uint32_t *s)
{
    return *s = *s * 1103515245u + 12345u;
}

static void add_rows(spy_timeline *t, uint32_t seed, int n)
{
    for (int i = 0; i < n; i++) {
        uint32_t r = lcg(&seed) >> 8;
        char ts[64], ev[32], desc[64];
        snprintf(ts, sizeof ts, "2023-%02u-%02u 10:00:%02u.000000", r % 12 + 1, (r >> 4) % 28 + 1,
                 (r >> 9) % 3);
        snprintf(ev, sizeof ev, "ev%u", (r >> 11) % 3);
        snprintf(desc, sizeof desc, "d%u", (r >> 13) % 4);
        const char *plugin = (r >> 15) % 2 ? "SafariHistory" : "SMS";
        assert_int_equal(spy_timeline_add(t, r % 17 == 0 ? NULL : ts, plugin, ev, desc), SPY_OK);
    }
}

static char *timeline_text(size_t run_bytes, int n, size_t *len)
{
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_timeline *t;
    spy_timeline_new(&t, d, false);
    if (run_bytes)
        assert_int_equal(spy_timeline_set_run_bytes(t, run_bytes), SPY_OK);
    add_rows(t, 42, n);
    char *scratch = tu_join(spy_outdir_path(d), ".spyscan-scratch");
    if (run_bytes)
        assert_true(wr_count_entries(scratch) > 0); /* runs were spilled */
    assert_int_equal(spy_timeline_write(t), SPY_OK);
    assert_int_equal(wr_count_entries(scratch), 0); /* and removed */
    spy_timeline_free(t);
    char *s = wr_read_in(spy_outdir_path(d), "timeline.csv", len);
    spy_outdir_close(d);
    assert_int_equal(wr_mode(scratch), -1);
    assert_int_equal(wr_count_entries(tmp), 1);
    tu_rmtree(tmp);
    free(scratch);
    free(tmp);
    return s;
}

static void test_spill_identical(void **state)
{
    (void)state;
    size_t la, lb, lc;
    char *a = timeline_text(0, 5000, &la);
    char *b = timeline_text(300, 5000, &lb);   /* a few rows a run: compaction too */
    char *c = timeline_text(50000, 5000, &lc); /* a handful of runs */
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_int_equal(la, lc);
    assert_memory_equal(a, c, la);
    /* Sorted and without duplicates. */
    char *prev = NULL;
    size_t rows = 0;
    for (char *line = strstr(a, "\r\n") + 2; *line; rows++) {
        char *end = strstr(line, "\r\n");
        *end = '\0';
        if (prev)
            assert_true(strcmp(prev, line) < 0);
        prev = line;
        line = end + 2;
    }
    assert_true(rows > 100 && rows < 5000);
    free(a), free(b), free(c);
}

typedef struct thr_arg {
    spy_timeline *t;
    uint32_t seed;
} thr_arg;

static void *adder(void *p)
{
    thr_arg *a = p;
    add_rows(a->t, a->seed, 2000);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    char *outs[2];
    for (int mode = 0; mode < 2; mode++) {
        char *tmp;
        spy_outdir *d = wr_outdir_new(&tmp);
        spy_timeline *t;
        spy_timeline_new(&t, d, false);
        spy_timeline_set_run_bytes(t, 20000);
        thr_arg args[4] = {{t, 1}, {t, 2}, {t, 3}, {t, 4}};
        pthread_t th[4];
        for (int i = 0; i < 4; i++) {
            if (mode)
                pthread_create(&th[i], NULL, adder, &args[i]);
            else
                adder(&args[i]);
        }
        for (int i = 0; mode && i < 4; i++)
            pthread_join(th[i], NULL);
        assert_int_equal(spy_timeline_rows(t), 8000);
        assert_int_equal(spy_timeline_write(t), SPY_OK);
        spy_timeline_free(t);
        outs[mode] = wr_read_in(spy_outdir_path(d), "timeline.csv", NULL);
        spy_outdir_close(d);
        tu_rmtree(tmp);
        free(tmp);
    }
    assert_string_equal(outs[0], outs[1]);
    free(outs[0]), free(outs[1]);
}

static void test_csv_row(void **state)
{
    (void)state;
    spy_buf b = {0};
    const char *f[] = {"a\"b", NULL, "c\\d", "e\r\nf", ""};
    spy_csv_row(&b, f, 5);
    assert_string_equal(b.p, "\"a\"\"b\",\"\",\"c\\\\d\",\"e\r\nf\",\"\"\r\n");
    spy_buf_free(&b);
    assert_null(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_dedup_dialect),
        cmocka_unit_test(test_android_header_and_empty),
        cmocka_unit_test(test_spill_identical),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_csv_row),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
