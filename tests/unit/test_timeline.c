/* timeline.csv: sorted, de-duplicated, MVT's CSV dialect, and identical
 * output whether or not rows were spilled to sorted runs. */
#include "testutil.h"
#include "wr_util.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeline_internal.h" /* the threaded merge's thresholds */
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

/* A timeline in a new output folder, with run budget run_bytes (0: default),
 * merged on one thread (tests of the threaded merge ask for it). */
static spy_timeline *tl_open(size_t run_bytes, spy_outdir **d, char **tmp)
{
    *d = wr_outdir_new(tmp);
    spy_timeline *t;
    spy_timeline_new(&t, *d, false);
    spy_timeline_set_threads(t, 1);
    if (run_bytes)
        assert_int_equal(spy_timeline_set_run_bytes(t, run_bytes), SPY_OK);
    return t;
}

static char *timeline_text(size_t run_bytes, int n, size_t *len)
{
    char *tmp;
    spy_outdir *d;
    spy_timeline *t = tl_open(run_bytes, &d, &tmp);
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

/* ---- against a reference: qsort on the four fields, adjacent duplicates
 * dropped, spy_csv_row ---- */

typedef struct ref_row {
    char *f[4]; /* NULL kept: it sorts and prints as "" */
} ref_row;

static int ref_cmp(const void *x, const void *y)
{
    const ref_row *a = x, *b = y;
    for (int i = 0; i < 4; i++) {
        int c = strcmp(a->f[i] ? a->f[i] : "", b->f[i] ? b->f[i] : "");
        if (c)
            return c;
    }
    return 0;
}

static char *ref_csv(ref_row *rows, size_t n, size_t *len)
{
    ref_row *v = malloc((n ? n : 1) * sizeof *v);
    memcpy(v, rows, n * sizeof *v);
    qsort(v, n, sizeof *v, ref_cmp);
    spy_buf b = {0};
    const char *hdr[] = {"UTC Timestamp", "Plugin", "Event", "Description"};
    spy_csv_row(&b, hdr, 4);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || ref_cmp(&v[i - 1], &v[i]) != 0)
            spy_csv_row(&b, (const char *const *)v[i].f, 4);
    free(v);
    *len = b.len;
    return b.p;
}

/* Writes rows through the timeline (one by one or in a batch) with the
 * given run budget (0: default) and returns timeline.csv. */
static char *tl_csv(ref_row *rows, size_t n, size_t run_bytes, bool batch, size_t *len)
{
    char *tmp;
    spy_outdir *d;
    spy_timeline *t = tl_open(run_bytes, &d, &tmp);
    spy_timeline_batch *b = batch ? spy_timeline_batch_new(t) : NULL;
    for (size_t i = 0; i < n; i++) {
        const char *const *f = (const char *const *)rows[i].f;
        if (b)
            assert_int_equal(spy_timeline_batch_add(b, f[0], f[1], f[2], f[3]), SPY_OK);
        else
            assert_int_equal(spy_timeline_add(t, f[0], f[1], f[2], f[3]), SPY_OK);
    }
    assert_int_equal(spy_timeline_batch_free(b), SPY_OK);
    assert_int_equal(spy_timeline_rows(t), n);
    assert_int_equal(spy_timeline_write(t), SPY_OK);
    spy_timeline_free(t);
    char *s = wr_read_in(spy_outdir_path(d), "timeline.csv", len);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
    return s;
}

static void check_against_ref(ref_row *rows, size_t n, const size_t *budgets, size_t n_budgets)
{
    size_t rl;
    char *ref = ref_csv(rows, n, &rl);
    for (size_t k = 0; k < n_budgets; k++)
        for (int batch = 0; batch < 2; batch++) {
            size_t l;
            char *s = tl_csv(rows, n, budgets[k], batch, &l);
            assert_int_equal(l, rl);
            assert_memory_equal(s, ref, rl);
            free(s);
        }
    free(ref);
}

static void free_ref_rows(ref_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < 4; j++)
            free(rows[i].f[j]);
    free(rows);
}

static char *rand_str(uint32_t *seed, size_t len, const char *alphabet)
{
    size_t na = strlen(alphabet);
    char *s = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        s[i] = alphabet[(lcg(seed) >> 8) % na];
    s[len] = '\0';
    return s;
}

/* Shapes the radix sort must get right: long shared prefixes (tied groups
 * sorted again further on, windows where nothing varies), rows that are
 * prefixes of others, empty and NULL fields, bytes from 0x80 up (ordered
 * unsigned), few distinct bits per byte, many duplicates, and the CSV's
 * special bytes at every offset of a 16-byte block. */
static void test_sort_shapes(void **state)
{
    (void)state;
    uint32_t seed = 7;
    size_t n = 6000;
    ref_row *rows = calloc(n, sizeof *rows);
    char long_prefix[300];
    memset(long_prefix, 'p', sizeof long_prefix - 1);
    long_prefix[sizeof long_prefix - 1] = '\0';
    for (size_t i = 0; i < n; i++) {
        uint32_t r = lcg(&seed) >> 8;
        char buf[512];
        switch (r % 8) {
        case 0: /* timestamps, digits varying in a few bits */
            snprintf(buf, sizeof buf, "2023-%02u-%02u %02u:%02u:%02u.%06u", r % 12 + 1,
                     (r >> 4) % 28 + 1, (r >> 9) % 24, (r >> 3) % 60, (r >> 7) % 60, (r >> 2) % 3);
            rows[i].f[0] = strdup(buf);
            break;
        case 1: /* a long shared prefix, then a short varying tail */
            snprintf(buf, sizeof buf, "%s%u", long_prefix, r % 50);
            rows[i].f[0] = strdup(buf);
            break;
        case 2: /* prefixes of one another */ rows[i].f[0] = rand_str(&seed, r % 5, "a"); break;
        case 3: rows[i].f[0] = NULL; break;
        case 4: /* high bytes and the CSV's special bytes */
            rows[i].f[0] = rand_str(&seed, r % 40, "\x80\xff\x01\"\\a,\r\n");
            break;
        default: rows[i].f[0] = strdup(r % 2 ? "" : "2023-01-01 00:00:00.000000"); break;
        }
        rows[i].f[1] = (r >> 5) % 3 ? strdup((r >> 5) % 2 ? "SMS" : "SMSX") : NULL;
        rows[i].f[2] = rand_str(&seed, (r >> 6) % 3, "ab\"");
        rows[i].f[3] = (r >> 7) % 4 ? rand_str(&seed, (r >> 8) % 70, "xy\\\"z") : strdup("");
    }
    const size_t budgets[] = {0, 2000, 64 * 1024};
    check_against_ref(rows, n, budgets, 3);
    free_ref_rows(rows, n);
}

/* Batches stage rows in arena blocks: rows around a block's size and
 * larger ones (a block of their own) keep their order and bytes, with and
 * without spills. */
static void test_block_boundaries(void **state)
{
    (void)state;
    uint32_t seed = 99;
    size_t n = 400;
    ref_row *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        uint32_t r = lcg(&seed) >> 8;
        size_t len;
        switch (r % 6) {
        case 0:
            len = 64 * 1024 - 40 + r % 80; /* about a block */
            break;
        case 1:
            len = 200 * 1024 + r % 1000; /* larger than a block */
            break;
        default: len = r % 3000; break;
        }
        char ts[32];
        snprintf(ts, sizeof ts, "2024-01-%02u", (r >> 4) % 5 + 1);
        rows[i].f[0] = strdup(ts);
        rows[i].f[1] = strdup("Plugin");
        rows[i].f[2] = strdup(r % 7 ? "e" : "e\"");
        rows[i].f[3] = rand_str(&seed, len, "abc\\\"");
    }
    const size_t budgets[] = {0, 300 * 1024, 1};
    check_against_ref(rows, n, budgets, 3);
    free_ref_rows(rows, n);
}

/* Many equal rows and rows tied on long stretches: more than the insertion
 * sort handles at once, so tied groups are sorted again from further on. */
static void test_ties_and_duplicates(void **state)
{
    (void)state;
    size_t n = 3000;
    ref_row *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        char d[200];
        /* A 100-byte stretch shared by all, then a tail of 97 values. */
        snprintf(d, sizeof d, "%0100u-%u", 7u, (unsigned)(i * 7919 % 97));
        rows[i].f[0] = strdup("2022-02-02 02:02:02.000000");
        rows[i].f[1] = strdup(i % 3 ? "A" : "B");
        rows[i].f[2] = strdup("event");
        rows[i].f[3] = strdup(i % 5 ? d : "same");
    }
    const size_t budgets[] = {0, 50 * 1000};
    check_against_ref(rows, n, budgets, 2);
    free_ref_rows(rows, n);
}

/* ---- the threaded merge: the same bytes as one thread ---- */

/* How the threaded merge is asked to cut: threads, bytes of rows a key
 * range, bytes of a range's buffer (small ones make ranges stream). */
typedef struct par_cfg {
    unsigned threads;
    size_t chunk, buf;
} par_cfg;

/* timeline.csv of rows written through a batch with run budget run_bytes
 * (0: default) and merged as cfg says, even when tiny. */
static char *tl_csv_par(ref_row *rows, size_t n, size_t run_bytes, par_cfg cfg, size_t *len)
{
    char *tmp;
    spy_outdir *d;
    spy_timeline *t = tl_open(run_bytes, &d, &tmp);
    spy_timeline_set_threads(t, cfg.threads);
    t->par_min_bytes = 0;
    t->par_chunk_bytes = cfg.chunk;
    t->par_buf_bytes = cfg.buf;
    spy_timeline_batch *b = spy_timeline_batch_new(t);
    for (size_t i = 0; i < n; i++) {
        const char *const *f = (const char *const *)rows[i].f;
        assert_int_equal(spy_timeline_batch_add(b, f[0], f[1], f[2], f[3]), SPY_OK);
    }
    assert_int_equal(spy_timeline_batch_free(b), SPY_OK);
    assert_int_equal(spy_timeline_write(t), SPY_OK);
    spy_timeline_free(t);
    char *s = wr_read_in(spy_outdir_path(d), "timeline.csv", len);
    char *path = tu_join(spy_outdir_path(d), "timeline.csv");
    if (n) /* written privately, as with one thread */
        assert_int_equal(wr_mode(path), 0600);
    else /* no rows: no file */
        assert_int_equal(wr_count_entries(spy_outdir_path(d)), 0);
    free(path);
    char *scratch = tu_join(spy_outdir_path(d), ".spyscan-scratch");
    assert_int_equal(wr_count_entries(scratch), 0); /* runs removed */
    free(scratch);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
    return s;
}

/* Every way of cutting gives the one-thread file, with and without runs. */
static void check_par(ref_row *rows, size_t n)
{
    static const par_cfg cfgs[] = {
        {2, 1, 1},                                 /* as many ranges as allowed, all streaming */
        {2, 3000, 256},                            /* small ranges, small buffers */
        {3, 20000, 4096},                          /* a few ranges per thread */
        {8, TL_PAR_CHUNK_BYTES, TL_PAR_BUF_BYTES}, /* more threads than ranges */
        {4, 700, 1 << 20},                         /* buffers hold whole ranges: parked */
    };
    static const size_t budgets[] = {0, 2000, 64 * 1024};
    for (size_t k = 0; k < 3; k++) {
        size_t l1 = 0;
        char *one = n ? tl_csv(rows, n, budgets[k], true, &l1) : NULL;
        for (size_t c = 0; c < sizeof cfgs / sizeof *cfgs; c++) {
            size_t l = 0;
            char *s = tl_csv_par(rows, n, budgets[k], cfgs[c], &l);
            if (n == 0) {
                assert_null(s);
                continue;
            }
            assert_int_equal(l, l1);
            assert_memory_equal(s, one, l1);
            free(s);
        }
        free(one);
    }
}

/* Keys from few values: long runs of equal rows and of rows tied on
 * their first fields, across every splitter; NULL fields; rows too large
 * for a run's marks. */
static void test_par_random_ties(void **state)
{
    (void)state;
    uint32_t seed = 11;
    size_t n = 4000;
    ref_row *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        uint32_t r = lcg(&seed) >> 8;
        char ts[40];
        snprintf(ts, sizeof ts, "2024-0%u-01 00:00:0%u.000000", r % 3 + 1, (r >> 2) % 2);
        rows[i].f[0] = r % 11 == 0 ? NULL : strdup(ts);
        rows[i].f[1] = strdup((r >> 4) % 2 ? "AQFFiles" : "SMS");
        rows[i].f[2] = (r >> 5) % 5 == 0 ? NULL : strdup((r >> 6) % 2 ? "ev" : "ev\"");
        if ((r >> 7) % 40 == 0) /* larger than a mark copies */
            rows[i].f[3] = rand_str(&seed, TL_MARK_ROW_MAX + (r >> 9) % 3000, "ab");
        else
            rows[i].f[3] = rand_str(&seed, (r >> 9) % 3, "xy,\"");
    }
    check_par(rows, n);
    free_ref_rows(rows, n);
}

/* All rows equal (every splitter is that row: all ranges but the last are
 * empty); then one row; then none. */
static void test_par_equal_one_none(void **state)
{
    (void)state;
    size_t n = 3000;
    ref_row *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        rows[i].f[0] = strdup("2022-02-02 02:02:02.000000");
        rows[i].f[1] = strdup("Plugin");
        rows[i].f[2] = strdup("event");
        rows[i].f[3] = strdup("the same description");
    }
    check_par(rows, n);
    check_par(rows, 1);
    check_par(rows, 0);
    free_ref_rows(rows, n);
}

/* Distinct, varied rows (the shapes the sort is tested on), and the
 * result checked against the reference too. */
static void test_par_distinct(void **state)
{
    (void)state;
    uint32_t seed = 3;
    size_t n = 5000;
    ref_row *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        uint32_t r = lcg(&seed) >> 8;
        char ts[40], desc[80];
        snprintf(ts, sizeof ts, "2023-%02u-%02u %02u:%02u:%02u.%06u", r % 12 + 1, (r >> 4) % 28 + 1,
                 (r >> 9) % 24, (r >> 3) % 60, (r >> 7) % 60, (unsigned)i);
        snprintf(desc, sizeof desc, "/data/app/com.example.%u/base.apk", r % 977);
        rows[i].f[0] = strdup(ts);
        rows[i].f[1] = strdup("AQFFiles");
        rows[i].f[2] = strdup(r % 2 ? "access" : "modification");
        rows[i].f[3] = strdup(desc);
    }
    check_par(rows, n);
    size_t rl, l;
    char *ref = ref_csv(rows, n, &rl);
    char *s = tl_csv_par(rows, n, 4096, (par_cfg){2, 5000, 1000}, &l);
    assert_int_equal(l, rl);
    assert_memory_equal(s, ref, rl);
    free(s);
    free(ref);
    free_ref_rows(rows, n);
}

/* The nf fields packed NUL-terminated (size bytes) give through
 * spy_csv_packed_row what spy_csv_row gives, in a buffer of exactly the
 * contract's size (twice the text, plus a quote pair per field). */
static void check_packed(char **f, size_t nf, size_t size)
{
    char *packed = malloc(size), *p = packed;
    for (size_t i = 0; i < nf; i++) {
        memcpy(p, f[i], strlen(f[i]) + 1);
        p += strlen(f[i]) + 1;
    }
    spy_buf b = {0};
    spy_csv_row(&b, (const char *const *)f, nf);
    char *out = malloc(2 * size + nf + 1);
    size_t n = spy_csv_packed_row(out, packed, size);
    assert_int_equal(n, b.len);
    assert_memory_equal(out, b.p, n);
    free(out);
    /* The merge's variant, in exactly the room it asks. */
    out = malloc(TL_CSV_ROOM(size));
    n = spy_csv_packed_row_wide(out, packed, size);
    assert_int_equal(n, b.len);
    assert_memory_equal(out, b.p, n);
    free(out);
    free(packed);
    spy_buf_free(&b);
}

/* spy_csv_packed_row writes what spy_csv_row writes for the same fields,
 * whatever the lengths and where the special bytes fall. */
static void test_csv_packed_row(void **state)
{
    (void)state;
    uint32_t seed = 5;
    for (int iter = 0; iter < 3000; iter++) {
        char *f[4];
        size_t size = 0;
        for (int i = 0; i < 4; i++) {
            f[i] = rand_str(&seed, (lcg(&seed) >> 8) % 50, iter % 2 ? "ab\"\\" : "abcdefgh\"");
            size += strlen(f[i]) + 1;
        }
        check_packed(f, 4, size);
        for (int i = 0; i < 4; i++)
            free(f[i]);
    }
    /* Any number of fields, many of them empty (a text mostly of NULs
     * needs more room than twice its size), each length around the 16-byte
     * steps: the output buffer is exactly what the contract asks. */
    for (int iter = 0; iter < 3000; iter++) {
        size_t nf = 1 + (lcg(&seed) >> 8) % 40, size = 0;
        char **f = calloc(nf, sizeof *f);
        for (size_t i = 0; i < nf; i++) {
            uint32_t r = lcg(&seed) >> 8;
            size_t len = r % 3 == 0 ? 0 : r % 3 == 1 ? (r >> 2) % 40 : 14 + (r >> 2) % 5;
            f[i] = rand_str(&seed, len, iter % 3 ? "abcdefghijklmnop" : "a\"\\b");
            size += len + 1;
        }
        check_packed(f, nf, size);
        for (size_t i = 0; i < nf; i++)
            free(f[i]);
        free(f);
    }
    char one[1] = {'\0'}, out[8];
    assert_int_equal(spy_csv_packed_row(out, one, 1), 4); /* one empty field */
    assert_memory_equal(out, "\"\"\r\n", 4);
    assert_int_equal(spy_csv_packed_row(out, one, 0), 0);
    char wide[TL_CSV_ROOM(1)];
    assert_int_equal(spy_csv_packed_row_wide(wide, one, 1), 4);
    assert_memory_equal(wide, "\"\"\r\n", 4);
    assert_int_equal(spy_csv_packed_row_wide(wide, one, 0), 0);
    /* Every text length up to 100 (the wide variant's steps: 16-byte ones
     * while 32 bytes are left, then the last 16 to 31 bytes or a short
     * text), one special byte at every offset, and the four fields of a
     * timeline row with the others around it. */
    const char specials[] = {'"', '\\', ','};
    for (size_t len = 0; len <= 100; len++)
        for (size_t at = 0; at <= len; at++)
            for (size_t k = 0; k < sizeof specials; k++) {
                char *f[4];
                f[0] = malloc(len + 1);
                memset(f[0], 'x', len);
                f[0][len] = '\0';
                if (at < len)
                    f[0][at] = specials[k];
                f[1] = strdup(len % 3 ? "AQFFiles" : "");
                f[2] = strdup(at % 2 ? "M---" : "\"");
                f[3] = strdup(len % 5 ? "/data/app/a (u:object_r:x:s0)" : "");
                size_t size = 0;
                for (int i = 0; i < 4; i++)
                    size += strlen(f[i]) + 1;
                check_packed(f, 1, strlen(f[0]) + 1);
                check_packed(f, 4, size);
                /* the same fields the other way round: the long one last */
                char *g[4] = {f[3], f[2], f[1], f[0]};
                check_packed(g, 4, size);
                for (int i = 0; i < 4; i++)
                    free(f[i]);
            }
}

/* The merge keys rows from the bytes after those all its rows share: rows
 * sharing more than a key window, runs whose rows share more than the
 * bound of the key range they are in (runs of "A..." rows, and a range
 * ending at the first "B..." row, in memory), rows tied far on, against
 * the reference and one thread. */
static void test_merge_prefix(void **state)
{
    (void)state;
    size_t n = 3000;
    for (int shape = 0; shape < 3; shape++) {
        ref_row *rows = calloc(n, sizeof *rows);
        for (size_t i = 0; i < n; i++) {
            char ts[120], d[80];
            if (shape == 0) /* 40 shared bytes, then a few values */
                snprintf(ts, sizeof ts, "%040u-%u", 5u, (unsigned)(i * 31 % 7));
            else if (shape == 1) /* runs of "A..." rows, then "B..." ones left in memory */
                snprintf(ts, sizeof ts, "%c%030u %u", i < n - 200 ? 'A' : 'B', 9u,
                         (unsigned)(i % 5));
            else /* one shared timestamp, ties far into the description */
                snprintf(ts, sizeof ts, "2021-07-07 07:07:07.000000");
            snprintf(d, sizeof d, "%060u%u", 1u, (unsigned)(i * 7 % 13));
            rows[i].f[0] = strdup(ts);
            rows[i].f[1] = strdup(i % 4 ? "P" : "Q");
            rows[i].f[2] = strdup("e");
            rows[i].f[3] = strdup(d);
        }
        const size_t budgets[] = {0, 3000, 40000};
        check_against_ref(rows, n, budgets, 3);
        check_par(rows, n);
        free_ref_rows(rows, n);
    }
}

/* A row in the timeline's layout. */
static tl_row *mk_row(const char *const f[4])
{
    size_t size = 0;
    for (int i = 0; i < 4; i++)
        size += strlen(f[i]) + 1;
    tl_row *r = calloc(1, row_span((uint32_t)size));
    r->size = (uint32_t)size;
    char *p = r->data;
    for (int i = 0; i < 4; i++) {
        memcpy(p, f[i], strlen(f[i]) + 1);
        p += strlen(f[i]) + 1;
    }
    return r;
}

/* A key range's bound counts in the prefix its merge keys skip: rows
 * sharing 20 bytes, below a bound that shares none of them (and would be
 * below them all from byte 20 on), are all written. */
static void test_merge_bound_prefix(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_timeline *t;
    spy_timeline_new(&t, d, false);
    const char *fa[3][4] = {{"PPPPPPPPPPPPPPPPPPPPm", "x", "e", "1"},
                            {"PPPPPPPPPPPPPPPPPPPPn", "x", "e", "2"},
                            {"PPPPPPPPPPPPPPPPPPPPo", "x", "e", "3"}};
    const char *fh[4] = {"Qaaaaaaaaaaaaaaaaaaaaaaaa", "a", "a", "a"};
    tl_row *rows[3], *hi = mk_row(fh);
    for (int i = 0; i < 3; i++)
        rows[i] = mk_row(fa[i]);
    tl_src *src = tl_new_sources(1);
    src[0].mem = rows;
    src[0].mem_n = 3;
    tl_src_set_hi(&src[0], hi);
    FILE *f = tmpfile();
    tl_sink sink;
    tl_sink_init(&sink, t, fileno(f), true);
    assert_int_equal(tl_merge_sources(src, 1, &sink), SPY_OK);
    tl_sink_free(&sink);
    tl_close_sources(src, 1);
    char out[512] = {0};
    rewind(f);
    size_t n = fread(out, 1, sizeof out - 1, f);
    fclose(f);
    const char *want = "\"PPPPPPPPPPPPPPPPPPPPm\",\"x\",\"e\",\"1\"\r\n"
                       "\"PPPPPPPPPPPPPPPPPPPPn\",\"x\",\"e\",\"2\"\r\n"
                       "\"PPPPPPPPPPPPPPPPPPPPo\",\"x\",\"e\",\"3\"\r\n";
    assert_int_equal(n, strlen(want));
    assert_string_equal(out, want);
    for (int i = 0; i < 3; i++)
        free(rows[i]);
    free(hi);
    spy_timeline_free(t);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

/* Rows of a few KiB, each added three times far apart (so in different
 * runs): the read buffers of the runs refill in the middle of rows and
 * between a row and its repeat, which is dropped all the same. */
static void test_run_buffer_repeats(void **state)
{
    (void)state;
    uint32_t seed = 17;
    size_t m = 300, n = 3 * m;
    ref_row *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < m; i++) {
        uint32_t r = lcg(&seed) >> 8;
        char ts[40];
        snprintf(ts, sizeof ts, "2024-02-%02u 00:00:00.000000", r % 9 + 1);
        char *desc = rand_str(&seed, 1000 + r % 6000, "ab\"\\");
        for (size_t k = 0; k < 3; k++) {
            ref_row *row = &rows[k * m + (i * 7 + k) % m];
            row->f[0] = strdup(ts);
            row->f[1] = strdup("Plugin");
            row->f[2] = strdup(r % 3 ? "e" : "");
            row->f[3] = strdup(desc);
        }
        free(desc);
    }
    const size_t budgets[] = {0, 20000, 150000};
    check_against_ref(rows, n, budgets, 3);
    check_par(rows, n);
    free_ref_rows(rows, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_dedup_dialect),
        cmocka_unit_test(test_android_header_and_empty),
        cmocka_unit_test(test_spill_identical),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_csv_row),
        cmocka_unit_test(test_sort_shapes),
        cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_ties_and_duplicates),
        cmocka_unit_test(test_csv_packed_row),
        cmocka_unit_test(test_par_random_ties),
        cmocka_unit_test(test_par_equal_one_none),
        cmocka_unit_test(test_par_distinct),
        cmocka_unit_test(test_merge_prefix),
        cmocka_unit_test(test_merge_bound_prefix),
        cmocka_unit_test(test_run_buffer_repeats),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
