/* timeline.csv (spec/outputs.md §3.4, design.md §6): rows sorted by
 * (timestamp, plugin, event, description) so output is identical run to
 * run. Rows are held in memory up to a byte budget, then sorted and spilled
 * as a run file into the output folder's scratch space (never beside the
 * evidence); the final write k-way merges the runs and the in-memory rest.
 * When too many runs pile up they are merged into one, so open files stay
 * bounded too. Memory is flat in the number of rows.
 *
 * Large checks add over a million rows, so each step avoids per-row work
 * that does not scale: rows live in arena blocks (freed per spill, not per
 * row), batches hand whole blocks over, the sort is a radix sort on the
 * bytes that differ, run files hold rows in their in-memory layout (read
 * through a large buffer and used in place), the merge is a loser tree
 * comparing cached prefix keys, and the CSV is written straight into a
 * large buffer. A large final merge is cut into key ranges merged on the
 * run's threads and written in order (the same bytes as one thread).
 *
 * This file is the public API: the shared buffer, batches and the final
 * write. The steps live in timeline_rows.c, timeline_sort.c,
 * timeline_merge.c, timeline_runs.c and timeline_par.c
 * (timeline_internal.h). */
#include "core/timeline_internal.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGGER "spyscan.output"

static unsigned g_timeline_ids;

static const char *errstr(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0)
        snprintf(buf, n, "error %d", e);
    return buf;
}

/* ---- the timeline ----------------------------------------------------- */

int spy_timeline_new(spy_timeline **out, spy_outdir *d, bool android)
{
    spy_timeline *t = spy_xcalloc(1, sizeof *t);
    t->d = d;
    t->android = android;
    t->run_bytes = SPY_TIMELINE_RUN_BYTES;
    t->par_min_bytes = TL_PAR_MIN_BYTES;
    t->par_chunk_bytes = TL_PAR_CHUNK_BYTES;
    t->par_buf_bytes = TL_PAR_BUF_BYTES;
    t->id = __atomic_add_fetch(&g_timeline_ids, 1, __ATOMIC_RELAXED);
    pthread_mutex_init(&t->lock, NULL);
    *out = t;
    return SPY_OK;
}

int spy_timeline_set_run_bytes(spy_timeline *t, size_t bytes)
{
    if (bytes == 0)
        return SPY_EUSAGE;
    t->run_bytes = bytes;
    return SPY_OK;
}

void spy_timeline_set_threads(spy_timeline *t, unsigned threads)
{
    t->threads = threads;
}

size_t spy_timeline_rows(const spy_timeline *t)
{
    return __atomic_load_n(&t->total, __ATOMIC_RELAXED);
}

/* The first error is kept and logged once. Spills write their run files
 * outside the lock, so the error is set atomically. */
int tl_fail(spy_timeline *t, int rc, const char *what, int e)
{
    int expected = SPY_OK;
    if (!__atomic_compare_exchange_n(&t->err, &expected, rc, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST))
        return expected;
    char eb[128];
    spy_error(LOGGER, "Timeline: cannot %s in %s: %s", what, spy_outdir_path(t->d),
              e ? errstr(e, eb, sizeof eb) : spy_err_str(rc));
    return rc;
}

/* Moves rows into the shared buffer under one lock; spills (unlocked) when
 * the buffer is full. Takes the rows and their blocks (freed on error). */
static int add_rows(spy_timeline *t, tl_rows *rows, bool refill)
{
    tl_rows full = {0};
    bool spill = false;
    pthread_mutex_lock(&t->lock);
    int rc = tl_err(t);
    if (rc == SPY_OK) {
        __atomic_add_fetch(&t->total, rows->n, __ATOMIC_RELAXED);
        tl_rows_move(&t->rows, rows);
        if (refill)
            tl_pool_get(t, rows);
        if (t->rows.bytes >= t->run_bytes) { /* take the full buffer; spill it unlocked */
            full = t->rows;
            memset(&t->rows, 0, sizeof t->rows);
            spill = true;
        }
    }
    pthread_mutex_unlock(&t->lock);
    if (rc != SPY_OK) { /* drop the rows but keep the caller's pointer array */
        for (tl_block *b = rows->blocks, *next; b; b = next) {
            next = b->next;
            free(b);
        }
        rows->blocks = NULL;
        rows->n = rows->bytes = 0;
    }
    if (spill)
        rc = tl_spill(t, &full);
    return rc;
}

int spy_timeline_add(spy_timeline *t, const char *timestamp, const char *plugin, const char *event,
                     const char *description)
{
    /* One row at a time (modules stage theirs in batches instead). */
    const char *f[4] = {timestamp, plugin, event, description};
    size_t len[4];
    tl_field_lens(f, len);
    tl_rows one = {0};
    if (!tl_row_add(&one, f, len, 0, NULL))
        return tl_fail(t, SPY_ELIMIT, "add a row", 0);
    int rc = add_rows(t, &one, false);
    tl_rows_free(&one);
    return rc;
}

/* A module's rows are staged without the lock in an arena block and handed
 * over a block at a time: one lock per block instead of one per row
 * (AQFFiles alone adds 1.2M rows for 400k files). */
struct spy_timeline_batch {
    spy_timeline *t;
    tl_rows rows;
    int err;
};

spy_timeline_batch *spy_timeline_batch_new(spy_timeline *t)
{
    spy_timeline_batch *b = spy_xcalloc(1, sizeof *b);
    b->t = t;
    return b;
}

int spy_timeline_batch_add(spy_timeline_batch *b, const char *timestamp, const char *plugin,
                           const char *event, const char *description)
{
    const char *f[4] = {timestamp, plugin, event, description};
    size_t len[4];
    tl_field_lens(f, len);
    return spy_timeline_batch_add_n(b, f, len);
}

int spy_timeline_batch_add_n(spy_timeline_batch *b, const char *const f[4], const size_t len[4])
{
    bool full = false;
    if (!tl_row_add(&b->rows, f, len, SPY_TIMELINE_BLOCK_BYTES, &full))
        return b->err = tl_fail(b->t, SPY_ELIMIT, "add a row", 0);
    if (full) {
        spy_timeline_batch_flush(b);
        tl_row_add(&b->rows, f, len, SPY_TIMELINE_BLOCK_BYTES, NULL);
    }
    /* Rows larger than a block get blocks of their own: hand them over
     * before they pile up. */
    if (b->rows.bytes > 2 * SPY_TIMELINE_BLOCK_BYTES)
        spy_timeline_batch_flush(b);
    return b->err;
}

int spy_timeline_batch_flush(spy_timeline_batch *b)
{
    if (b->rows.n) {
        int rc = add_rows(b->t, &b->rows, true);
        if (rc != SPY_OK && b->err == SPY_OK)
            b->err = rc;
    }
    return b->err;
}

int spy_timeline_batch_free(spy_timeline_batch *b)
{
    if (!b)
        return SPY_OK;
    int rc = b->err;
    if (b->rows.n) { /* the last rows: no new block needed */
        int rc2 = add_rows(b->t, &b->rows, false);
        if (rc == SPY_OK)
            rc = rc2;
    }
    tl_rows_free(&b->rows);
    free(b);
    return rc;
}

/* ---- the final file --------------------------------------------------- */

static int write_csv(spy_timeline *t, spy_afile *f)
{
    static const char *const hdr_ios[] = {"UTC Timestamp", "Plugin", "Event", "Description"};
    static const char *const hdr_android[] = {"Device Local Timestamp", "Plugin", "Event",
                                              "Description"};
    tl_sort_rows(t->rows.v, t->rows.n, t->rows.has_ref ? t->rows.diff : NULL);
    size_t n = t->n_runs;
    tl_src *src = tl_new_sources(n + 1);
    tl_sink sink;
    tl_sink_init(&sink, t, spy_afile_fd(f), true);
    spy_buf hdr = {0};
    spy_csv_row(&hdr, t->android ? hdr_android : hdr_ios, 4);
    tl_sink_bytes(&sink, hdr.p, hdr.len);
    spy_buf_free(&hdr);
    int rc = tl_open_sources(t, 0, n, src);
    if (rc == SPY_OK) {
        src[n].mem = t->rows.v;
        src[n].mem_n = t->rows.n;
        unsigned threads = tl_par_threads(t);
        if (threads > 1)
            rc = tl_par_merge(t, src, n + 1, &sink, threads);
        else
            rc = tl_merge_sources(src, n + 1, &sink);
    }
    tl_close_sources(src, n + 1);
    tl_sink_free(&sink);
    return rc;
}

int spy_timeline_write(spy_timeline *t)
{
    pthread_mutex_lock(&t->lock);
    int rc = tl_err(t);
    if (rc == SPY_OK && t->total > 0 && !t->written) {
        t->written = true;
        spy_afile *f;
        rc = spy_afile_open(&f, t->d, "timeline.csv");
        if (rc == SPY_OK) {
            rc = write_csv(t, f);
            if (rc == SPY_OK)
                rc = spy_afile_commit(f);
            else
                spy_afile_abort(f);
        }
        if (rc != SPY_OK)
            tl_fail(t, rc, "write timeline.csv", 0);
    }
    tl_remove_runs(t, 0, t->n_runs);
    tl_rows_free(&t->rows);
    pthread_mutex_unlock(&t->lock);
    return rc;
}

void spy_timeline_free(spy_timeline *t)
{
    if (!t)
        return;
    if (t->n_runs)
        tl_remove_runs(t, 0, t->n_runs);
    tl_rows_free(&t->rows);
    for (tl_block *b = t->pool, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(t->runs);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
