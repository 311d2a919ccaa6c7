/* The final merge of timeline.csv on several threads (timeline_internal.h).
 * The rows are cut into key ranges of about TL_PAR_CHUNK_BYTES: splitter
 * rows are picked from the runs' marks and a sample of the sorted memory
 * rows, weighted by the bytes each stands for. Threads take ranges in
 * order; one finds where its range starts in every source (from the marks,
 * reading at most TL_MARK_BYTES and a row of each run before it), merges it
 * up to the next splitter (reads stop at the first mark past it), formats
 * it into a buffer, and either writes it (when the ranges before it are in
 * the file) or parks it for the thread that writes the range before it,
 * and takes the next range with another buffer. Whoever
 * writes a range also writes the parked ones that follow. A range larger
 * than its buffer waits for its turn when the buffer is full and streams
 * into the file from then on; a thread wanting a buffer when 2 per thread
 * are out waits for one. Memory is bounded whatever the keys.
 *
 * Equal rows fall in the same range (a range is [splitter, next splitter)),
 * so dropping repeats within a range drops them all, and the ranges
 * written in order are exactly the one-thread file: same rows, same bytes.
 * Equal splitters make empty ranges, which write nothing. */
#include "core/timeline_internal.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned tl_par_threads(const spy_timeline *t)
{
    unsigned n = t->threads;
    if (n == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (unsigned)c : 1;
    }
    if (n > TL_PAR_MAX_THREADS)
        n = TL_PAR_MAX_THREADS;
    if (n < 2)
        return 1;
    uint64_t bytes = t->rows.bytes;
    for (size_t i = 0; i < t->n_runs; i++)
        bytes += t->runs[i].bytes;
    return bytes >= t->par_min_bytes ? n : 1;
}

/* A range's CSV parked until the ranges before it are written. */
typedef struct tl_parked {
    char *buf; /* NULL: nothing to write */
    size_t len, cap;
    bool ready;
} tl_parked;

/* The shared state of one threaded merge. */
typedef struct tl_par {
    spy_timeline *t;
    const tl_src *src; /* the opened sources: runs, then the memory rows */
    size_t n, n_runs;
    /* split[b], 0 < b < n_ranges: range b's first row; split[0] and
     * split[n_ranges] are NULL (no bound). */
    const tl_row **split;
    size_t n_ranges;
    pthread_mutex_t lock;
    pthread_cond_t cv;
    size_t next;     /* the next range to take */
    size_t turn;     /* ranges before it are in the file */
    bool writing;    /* a thread writes range `turn` (or parked ones) */
    tl_parked *done; /* [n_ranges] */
    char **pool;     /* free buffers, of pool_cap bytes or more */
    size_t *pool_cap, n_pool, n_bufs, max_bufs;
    int fd;
    size_t unsynced;
    int err;
} tl_par;

typedef struct tl_worker {
    tl_par *p;
    tl_src *src;
    tl_sink sink;
    pthread_t th;
    bool started;
} tl_worker;

/* ---- splitters -------------------------------------------------------- */

typedef struct tl_sample {
    const tl_row *row;
    uint64_t w; /* bytes of rows from this one to the next sample */
} tl_sample;

static int sample_cmp(const void *x, const void *y)
{
    return row_cmp_from(((const tl_sample *)x)->row, ((const tl_sample *)y)->row, 0);
}

/* Picks the ranges and their splitters (p->split, p->n_ranges). */
static void pick_splitters(tl_par *p, unsigned threads)
{
    const spy_timeline *t = p->t;
    size_t ns = 0, cap = 0;
    for (size_t j = 0; j < p->n_runs; j++)
        cap += t->runs[j].n_marks;
    /* Memory rows: one sample per TL_MARK_BYTES, as runs have, by the
     * mean row size (reading every row's size would be a miss each). */
    size_t n_mem = t->rows.n, step = 1;
    uint64_t mean = 1;
    if (n_mem) {
        mean = t->rows.bytes / n_mem ? t->rows.bytes / n_mem : 1;
        step = TL_MARK_BYTES / mean ? TL_MARK_BYTES / mean : 1;
        cap += n_mem / step + 1;
    }
    tl_sample *s = spy_xreallocarray(NULL, cap ? cap : 1, sizeof *s);
    for (size_t j = 0; j < p->n_runs; j++) {
        const tl_run *run = &t->runs[j];
        for (size_t i = 0; i < run->n_marks; i++) {
            uint64_t next = i + 1 < run->n_marks ? run->marks[i + 1].off : run->bytes;
            s[ns++] = (tl_sample){run_mark_row(run, i), next - run->marks[i].off};
        }
    }
    for (size_t i = 0; i < n_mem; i += step)
        s[ns++] = (tl_sample){t->rows.v[i], (n_mem - i < step ? n_mem - i : step) * mean};
    qsort(s, ns, sizeof *s, sample_cmp);
    uint64_t total = 0;
    for (size_t i = 0; i < ns; i++)
        total += s[i].w;
    uint64_t chunk = t->par_chunk_bytes ? t->par_chunk_bytes : 1;
    uint64_t nr = (total + chunk - 1) / chunk;
    if (nr < threads)
        nr = threads;
    if (nr > TL_PAR_MAX_RANGES)
        nr = TL_PAR_MAX_RANGES;
    p->split = spy_xcalloc((size_t)nr + 1, sizeof *p->split);
    /* Range b starts at the first sample whose bytes' middle is past b/nr
     * of all bytes; ranges past the last sample would be empty. */
    size_t i = 0, b = 1;
    uint64_t before = 0;
    for (; b < nr; b++) {
        uint64_t target = total / nr * b + total % nr * b / nr;
        while (i < ns && before + s[i].w / 2 < target)
            before += s[i++].w;
        if (i == ns)
            break;
        p->split[b] = s[i].row;
    }
    p->n_ranges = b;
    free(s);
}

/* ---- where a range starts --------------------------------------------- */

/* The first memory row >= key (n when key is NULL: no bound). */
static size_t mem_lower_bound(tl_row *const *v, size_t n, const tl_row *key)
{
    if (!key)
        return n;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (row_cmp_from(v[mid], key, 0) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first mark of the run >= key (n_marks when none). */
static size_t mark_lower_bound(const tl_run *run, const tl_row *key)
{
    size_t lo = 0, hi = run->n_marks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (row_cmp_from(run_mark_row(run, mid), key, 0) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Sets source s of a run up for the rows in [lo, hi) (NULL: no bound).
 * Rows before the last mark below lo are below lo; rows from the first
 * mark at or above hi are not below hi. */
static int run_range(spy_timeline *t, const tl_run *run, tl_src *s, const tl_row *lo,
                     const tl_row *hi)
{
    size_t m;
    s->off = 0;
    if (lo && (m = mark_lower_bound(run, lo)) > 0)
        s->off = run->marks[m - 1].off;
    s->end = run->bytes;
    if (hi && (m = mark_lower_bound(run, hi)) < run->n_marks)
        s->end = run->marks[m].off;
    s->pos = s->len = 0;
    s->cur = NULL;
    tl_src_set_hi(s, hi);
    int rc = lo ? tl_src_seek(s, lo) : SPY_OK;
    if (rc != SPY_OK)
        return tl_fail(t, rc, "read back a run file", rc == SPY_EIO ? errno : 0);
    return SPY_OK;
}

/* ---- the threads ------------------------------------------------------ */

/* Keeps the first error and wakes everyone up (lock held). */
static void par_fail(tl_par *p, int rc)
{
    if (!p->err)
        p->err = rc;
    pthread_cond_broadcast(&p->cv);
}

bool tl_par_wait_turn(tl_sink *s)
{
    tl_par *p = s->par;
    pthread_mutex_lock(&p->lock);
    while (!p->err && (p->turn != s->range || p->writing))
        pthread_cond_wait(&p->cv, &p->lock);
    bool ok = !p->err;
    if (ok)
        p->writing = true;
    pthread_mutex_unlock(&p->lock);
    return ok;
}

static int par_write(tl_par *p, const char *buf, size_t len)
{
    if (len == 0)
        return SPY_OK;
    if (spy_write_all(p->fd, buf, len) != SPY_OK)
        return tl_fail(p->t, SPY_EIO, "write timeline.csv", errno);
    spy_writeback_note(p->fd, &p->unsynced, len);
    return SPY_OK;
}

/* Ranges before `next` are written and this thread is the writer (lock
 * held): writes the parked ranges that follow, then lets go. */
static void drain(tl_par *p, size_t next)
{
    p->turn = next;
    while (!p->err && p->turn < p->n_ranges && p->done[p->turn].ready) {
        tl_parked d = p->done[p->turn];
        pthread_mutex_unlock(&p->lock);
        int rc = par_write(p, d.buf, d.len);
        pthread_mutex_lock(&p->lock);
        if (d.buf) { /* back to the pool */
            p->pool[p->n_pool] = d.buf;
            p->pool_cap[p->n_pool++] = d.cap;
            p->done[p->turn].buf = NULL;
        }
        if (rc != SPY_OK) {
            par_fail(p, rc);
            break;
        }
        p->turn++;
    }
    p->writing = false;
    pthread_cond_broadcast(&p->cv);
}

/* Range b is merged into the sink: writes it in its turn, or parks it and
 * gives the sink another buffer. */
static int finish_range(tl_par *p, tl_sink *k, size_t b)
{
    pthread_mutex_lock(&p->lock);
    if (!k->turn && !p->err && p->turn == b && !p->writing)
        k->turn = p->writing = true;
    if (k->turn) {
        pthread_mutex_unlock(&p->lock);
        int rc = k->err ? k->err : par_write(p, k->buf, k->len);
        k->len = 0;
        pthread_mutex_lock(&p->lock);
        if (rc != SPY_OK) {
            p->writing = false;
            par_fail(p, rc);
        } else {
            drain(p, b + 1);
        }
        pthread_mutex_unlock(&p->lock);
        return rc;
    }
    int rc = p->err;
    if (rc == SPY_OK && k->len) {
        p->done[b] = (tl_parked){k->buf, k->len, k->cap, true};
        k->buf = NULL;
        k->len = k->cap = 0;
        while (!p->err && p->n_pool == 0 && p->n_bufs >= p->max_bufs)
            pthread_cond_wait(&p->cv, &p->lock);
        if ((rc = p->err) == SPY_OK && p->n_pool) {
            k->buf = p->pool[--p->n_pool];
            k->cap = p->pool_cap[p->n_pool];
        } else if (rc == SPY_OK) {
            p->n_bufs++;
            k->cap = p->t->par_buf_bytes ? p->t->par_buf_bytes : 1;
            k->buf = spy_xmalloc(k->cap);
        }
    } else if (rc == SPY_OK) {
        p->done[b].ready = true; /* empty: nothing to write */
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* Merges range b and writes or parks it. */
static int merge_range(tl_worker *w, size_t b)
{
    tl_par *p = w->p;
    const tl_row *lo = p->split[b], *hi = p->split[b + 1];
    int rc = SPY_OK;
    for (size_t j = 0; j < p->n_runs && rc == SPY_OK; j++)
        rc = run_range(p->t, &p->t->runs[j], &w->src[j], lo, hi);
    if (rc != SPY_OK)
        return rc;
    /* Memory rows are in an array: both ends by bisection. */
    const tl_src *m = &p->src[p->n_runs];
    size_t from = lo ? mem_lower_bound(m->mem, m->mem_n, lo) : 0;
    size_t to = mem_lower_bound(m->mem, m->mem_n, hi);
    tl_src *s = &w->src[p->n_runs];
    s->cur = NULL;
    s->mem = m->mem + from;
    s->mem_n = to > from ? to - from : 0;
    s->mem_i = 0;
    tl_sink *k = &w->sink;
    k->range = b;
    k->turn = false; /* equal rows never span two ranges: each merge drops its own */
    rc = tl_merge_sources(w->src, p->n, k);
    if (rc != SPY_OK && k->turn) { /* let the others see the error */
        pthread_mutex_lock(&p->lock);
        p->writing = false;
        par_fail(p, rc);
        pthread_mutex_unlock(&p->lock);
        return rc;
    }
    return rc == SPY_OK ? finish_range(p, k, b) : rc;
}

static void *worker_main(void *arg)
{
    tl_worker *w = arg;
    tl_par *p = w->p;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        bool done = p->err || p->next >= p->n_ranges;
        size_t b = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (done)
            break;
        int rc = merge_range(w, b);
        if (rc != SPY_OK) {
            pthread_mutex_lock(&p->lock);
            par_fail(p, rc);
            pthread_mutex_unlock(&p->lock);
            break;
        }
    }
    return NULL;
}

int tl_par_merge(spy_timeline *t, tl_src *src, size_t n, tl_sink *sink, unsigned threads)
{
    tl_sink_flush(sink); /* the header, before range 0 */
    if (sink->err)
        return sink->err;
    tl_par p = {.t = t, .src = src, .n = n, .n_runs = n - 1, .fd = sink->fd};
    pick_splitters(&p, threads);
    p.done = spy_xcalloc(p.n_ranges, sizeof *p.done);
    p.max_bufs = 2 * (size_t)threads;
    p.n_bufs = threads;
    p.pool = spy_xcalloc(p.max_bufs, sizeof *p.pool);
    p.pool_cap = spy_xcalloc(p.max_bufs, sizeof *p.pool_cap);
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.cv, NULL);

    tl_worker *w = spy_xcalloc(threads, sizeof *w);
    for (unsigned i = 0; i < threads; i++) {
        w[i].p = &p;
        /* The runs' descriptors are shared (pread); buffers are not. */
        w[i].src = tl_new_sources(n);
        for (size_t j = 0; j < p.n_runs; j++) {
            w[i].src[j].fd = src[j].fd;
            w[i].src[j].has_last = src[j].has_last;
            memcpy(w[i].src[j].last, src[j].last, TL_WIN);
            w[i].src[j].cap = SPY_TIMELINE_READ_BYTES;
            w[i].src[j].buf = spy_xmalloc(SPY_TIMELINE_READ_BYTES);
        }
        tl_sink_init(&w[i].sink, t, sink->fd, true);
        w[i].sink.cap = t->par_buf_bytes ? t->par_buf_bytes : 1;
        w[i].sink.buf = spy_xrealloc(w[i].sink.buf, w[i].sink.cap);
        w[i].sink.par = &p;
    }
    for (unsigned i = 1; i < threads; i++)
        w[i].started = pthread_create(&w[i].th, NULL, worker_main, &w[i]) == 0;
    worker_main(&w[0]); /* this thread takes ranges too (all, if none started) */
    for (unsigned i = 1; i < threads; i++)
        if (w[i].started)
            pthread_join(w[i].th, NULL);
    int rc = p.err;
    if (rc == SPY_OK && p.turn != p.n_ranges) /* cannot happen: every range was written */
        rc = tl_fail(t, SPY_EIO, "write timeline.csv", 0);

    for (unsigned i = 0; i < threads; i++) {
        for (size_t j = 0; j < p.n_runs; j++)
            w[i].src[j].fd = -1; /* the caller's */
        tl_close_sources(w[i].src, n);
        tl_sink_free(&w[i].sink);
    }
    free(w);
    for (size_t b = 0; b < p.n_ranges; b++)
        free(p.done[b].buf); /* parked when an error stopped the merge */
    for (size_t i = 0; i < p.n_pool; i++)
        free(p.pool[i]);
    free(p.pool);
    free(p.pool_cap);
    free(p.done);
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.lock);
    free(p.split);
    return rc;
}
