/* timeline.csv (spec/outputs.md §3.4, design.md §6): rows sorted by
 * (timestamp, plugin, event, description) so output is identical run to
 * run. Rows are held in memory up to a byte budget, then sorted and spilled
 * as a run file into the output folder's scratch space (never beside the
 * evidence); the final write k-way merges the runs and the in-memory rest.
 * When too many runs pile up they are merged into one, so open files stay
 * bounded too. Memory is flat in the number of rows. */
#include "core/writers.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOGGER    "spyscan.output"
#define TL_FANIN  64u           /* runs merged at once; 64 open run files at most */
#define TL_IO_BUF (64u * 1024u) /* run reader buffer and CSV flush size */

/* One row: four NUL-terminated fields packed after the header. NULL is
 * stored as "" (it sorts and prints as the empty string). */
typedef struct tl_row {
    uint32_t off[4];
    uint32_t size; /* bytes of data[], NULs included */
    char data[];
} tl_row;

#define TL_FIELD(r, i) ((r)->data + (r)->off[i])

struct spy_timeline {
    spy_outdir *d;
    bool android;
    pthread_mutex_t lock;
    tl_row **rows;
    size_t n, cap;
    size_t bytes, run_bytes;
    size_t total;   /* rows ever added */
    unsigned *runs; /* ids of the run files in scratch */
    size_t n_runs;
    unsigned id, next_run;
    bool written; /* spy_timeline_write ran: rows are gone */
    int err;      /* sticky, logged where it happened */
};

static unsigned g_timeline_ids;

static const char *errstr(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0)
        snprintf(buf, n, "error %d", e);
    return buf;
}

/* The four fields are packed NUL-terminated one after the other, and NUL
 * sorts before every other byte, so one memcmp of the packed bytes orders
 * rows exactly as comparing (timestamp, plugin, event, description) field
 * by field with strcmp would (a sort of a million rows spends its time
 * here). */
static int row_cmp(const tl_row *a, const tl_row *b)
{
    int c = memcmp(a->data, b->data, a->size < b->size ? a->size : b->size);
    return c ? c : (a->size > b->size) - (a->size < b->size);
}

/* Sorting compares a 24-byte prefix held beside each row pointer first
 * (all of "YYYY-MM-DD HH:MM:SS.ffff" of a timestamp), so most comparisons
 * never touch the rows themselves: sorting a million rows was the biggest
 * cost of large checks. Rows have exactly four NULs, so two rows whose
 * prefixes are equal and one of which ends inside it are equal rows. */
#define TL_KEY_BYTES 24
typedef struct tl_key {
    uint64_t k[TL_KEY_BYTES / 8];
    tl_row *r;
} tl_key;

static uint64_t be64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | (unsigned char)p[i];
    return v;
}

static void make_key(tl_key *k, tl_row *r)
{
    char pre[TL_KEY_BYTES] = {0};
    memcpy(pre, r->data, r->size < TL_KEY_BYTES ? r->size : TL_KEY_BYTES);
    for (int i = 0; i < TL_KEY_BYTES / 8; i++)
        k->k[i] = be64(pre + 8 * i);
    k->r = r;
}

static int key_cmp(const void *x, const void *y)
{
    const tl_key *a = x, *b = y;
    for (int i = 0; i < TL_KEY_BYTES / 8; i++)
        if (a->k[i] != b->k[i])
            return a->k[i] < b->k[i] ? -1 : 1;
    if (a->r->size <= TL_KEY_BYTES || b->r->size <= TL_KEY_BYTES)
        return (a->r->size > b->r->size) - (a->r->size < b->r->size);
    const tl_row *ra = a->r, *rb = b->r;
    uint32_t n = ra->size < rb->size ? ra->size : rb->size;
    int c = memcmp(ra->data + TL_KEY_BYTES, rb->data + TL_KEY_BYTES, n - TL_KEY_BYTES);
    return c ? c : (ra->size > rb->size) - (ra->size < rb->size);
}

static void sort_rows(tl_row **rows, size_t n)
{
    tl_key *keys = spy_xcalloc(n ? n : 1, sizeof *keys);
    for (size_t i = 0; i < n; i++)
        make_key(&keys[i], rows[i]);
    qsort(keys, n, sizeof *keys, key_cmp);
    for (size_t i = 0; i < n; i++)
        rows[i] = keys[i].r;
    free(keys);
}

static size_t row_bytes(const tl_row *r)
{
    return sizeof *r + r->size;
}

int spy_timeline_new(spy_timeline **out, spy_outdir *d, bool android)
{
    spy_timeline *t = spy_xcalloc(1, sizeof *t);
    t->d = d;
    t->android = android;
    t->run_bytes = SPY_TIMELINE_RUN_BYTES;
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

size_t spy_timeline_rows(const spy_timeline *t)
{
    return __atomic_load_n(&t->total, __ATOMIC_RELAXED);
}

/* The first error is kept and logged once. Spills write their run files
 * outside the lock, so the error is set atomically. */
static int tl_fail(spy_timeline *t, int rc, const char *what, int e)
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

static int tl_err(spy_timeline *t)
{
    return __atomic_load_n(&t->err, __ATOMIC_SEQ_CST);
}

/* ---- run files -------------------------------------------------------- */

static char *run_name(const spy_timeline *t, unsigned run)
{
    return spy_xasprintf("timeline-%u-%u.run", t->id, run);
}

typedef struct tl_sink {
    spy_timeline *t;
    int fd;
    bool csv;
    spy_buf buf;
    tl_row *last; /* last row written, for dropping duplicates */
    size_t last_cap;
    int err;
} tl_sink;

static void sink_flush(tl_sink *s)
{
    if (s->err || s->buf.len == 0)
        return;
    if (spy_write_all(s->fd, s->buf.p, s->buf.len) != SPY_OK)
        s->err = tl_fail(s->t, SPY_EIO, s->csv ? "write timeline.csv" : "write a run file", errno);
    s->buf.len = 0;
}

static void sink_put(tl_sink *s, const tl_row *r)
{
    if (s->last && row_cmp(s->last, r) == 0)
        return; /* an exact duplicate: MVT de-duplicates a module's rows */
    size_t rb = row_bytes(r);
    if (rb > s->last_cap) {
        s->last_cap = rb * 2;
        s->last = spy_xrealloc(s->last, s->last_cap);
    }
    memcpy(s->last, r, rb);
    if (s->csv) {
        const char *f[4] = {TL_FIELD(r, 0), TL_FIELD(r, 1), TL_FIELD(r, 2), TL_FIELD(r, 3)};
        spy_csv_row(&s->buf, f, 4);
    } else {
        for (int i = 0; i < 4; i++) {
            uint32_t len = (uint32_t)strlen(TL_FIELD(r, i));
            spy_buf_put(&s->buf, (const char *)&len, sizeof len);
        }
        for (int i = 0; i < 4; i++)
            spy_buf_put(&s->buf, TL_FIELD(r, i), strlen(TL_FIELD(r, i)));
    }
    if (s->buf.len >= TL_IO_BUF)
        sink_flush(s);
}

static void sink_free(tl_sink *s)
{
    spy_buf_free(&s->buf);
    free(s->last);
}

/* A merge input: a run file or the sorted in-memory rows. */
typedef struct tl_src {
    FILE *f;
    tl_row *const *mem;
    size_t mem_i, mem_n;
    const tl_row *cur; /* NULL when exhausted */
    tl_row *rbuf;
    size_t rbuf_cap;
} tl_src;

static int src_read(tl_src *s)
{
    uint32_t len[4];
    if (fread(len, sizeof len, 1, s->f) != 1) {
        s->cur = NULL;
        return ferror(s->f) ? SPY_EIO : SPY_OK;
    }
    size_t total = (size_t)len[0] + len[1] + len[2] + len[3] + 4;
    if (sizeof(tl_row) + total > s->rbuf_cap) {
        s->rbuf_cap = (sizeof(tl_row) + total) * 2;
        s->rbuf = spy_xrealloc(s->rbuf, s->rbuf_cap);
    }
    tl_row *r = s->rbuf;
    size_t off = 0;
    for (int i = 0; i < 4; i++) {
        r->off[i] = (uint32_t)off;
        if (len[i] && fread(r->data + off, len[i], 1, s->f) != 1)
            return SPY_ETRUNCATED;
        r->data[off + len[i]] = '\0';
        off += len[i] + 1;
    }
    r->size = (uint32_t)total;
    s->cur = r;
    return SPY_OK;
}

static int src_next(tl_src *s)
{
    if (!s->f) {
        s->cur = s->mem_i < s->mem_n ? s->mem[s->mem_i++] : NULL;
        return SPY_OK;
    }
    return src_read(s);
}

/* ---- the k-way merge -------------------------------------------------- */

static bool src_less(const tl_src *a, const tl_src *b)
{
    return row_cmp(a->cur, b->cur) < 0;
}

static void heap_down(tl_src **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && src_less(h[l], h[m]))
            m = l;
        if (l + 1 < n && src_less(h[l + 1], h[m]))
            m = l + 1;
        if (m == i)
            return;
        tl_src *x = h[i];
        h[i] = h[m];
        h[m] = x;
        i = m;
    }
}

static int merge_sources(tl_src *src, size_t n, tl_sink *sink)
{
    tl_src **h = spy_xcalloc(n ? n : 1, sizeof *h);
    size_t hn = 0;
    int rc = SPY_OK;
    for (size_t i = 0; i < n && rc == SPY_OK; i++)
        if ((rc = src_next(&src[i])) == SPY_OK && src[i].cur)
            h[hn++] = &src[i];
    for (size_t i = hn / 2; i-- > 0;)
        heap_down(h, hn, i);
    while (hn > 0 && rc == SPY_OK && !sink->err) {
        sink_put(sink, h[0]->cur);
        if ((rc = src_next(h[0])) != SPY_OK)
            break;
        if (!h[0]->cur)
            h[0] = h[--hn];
        heap_down(h, hn, 0);
    }
    free(h);
    if (rc != SPY_OK)
        return tl_fail(sink->t, rc, "read back a run file", rc == SPY_EIO ? errno : 0);
    sink_flush(sink);
    return sink->err;
}

/* Opens runs [first, first+n) plus, when mem is given, the sorted rows. */
static int open_sources(spy_timeline *t, size_t first, size_t n, tl_src *src)
{
    int sfd = spy_outdir_scratch_fd(t->d);
    if (sfd < 0)
        return tl_fail(t, SPY_EIO, "use the scratch folder", 0);
    for (size_t i = 0; i < n; i++) {
        char *name = run_name(t, t->runs[first + i]);
        int fd = openat(sfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        src[i].f = fd >= 0 ? fdopen(fd, "rb") : NULL;
        free(name);
        if (!src[i].f) {
            if (fd >= 0)
                close(fd);
            return tl_fail(t, SPY_EIO, "open a run file", errno);
        }
        setvbuf(src[i].f, NULL, _IOFBF, TL_IO_BUF);
    }
    return SPY_OK;
}

static void close_sources(tl_src *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (src[i].f)
            fclose(src[i].f);
        free(src[i].rbuf);
    }
    free(src);
}

static void remove_runs(spy_timeline *t, size_t first, size_t n)
{
    if (n == 0)
        return;
    int sfd = spy_outdir_scratch_fd(t->d);
    for (size_t i = 0; i < n && sfd >= 0; i++) {
        char *name = run_name(t, t->runs[first + i]);
        unlinkat(sfd, name, 0);
        free(name);
    }
    memmove(t->runs + first, t->runs + first + n, (t->n_runs - first - n) * sizeof *t->runs);
    t->n_runs -= n;
}

/* A new run file for a sink; its id is appended to t->runs on success. */
static int open_run(spy_timeline *t, tl_sink *sink, unsigned *id)
{
    int sfd = spy_outdir_scratch_fd(t->d);
    if (sfd < 0)
        return tl_fail(t, SPY_EIO, "use the scratch folder", 0);
    *id = t->next_run++;
    char *name = run_name(t, *id);
    sink->fd = openat(sfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
    free(name);
    if (sink->fd < 0)
        return tl_fail(t, SPY_EIO, "create a run file", errno);
    return SPY_OK;
}

static int close_run(spy_timeline *t, tl_sink *sink, unsigned id)
{
    sink_flush(sink);
    if (close(sink->fd) != 0 && !sink->err)
        sink->err = tl_fail(t, SPY_EIO, "close a run file", errno);
    if (!sink->err) {
        t->runs = spy_xreallocarray(t->runs, t->n_runs + 1, sizeof *t->runs);
        t->runs[t->n_runs++] = id;
    }
    return sink->err;
}

/* Merges every run so far into one, keeping open files under TL_FANIN. */
static int compact_runs(spy_timeline *t)
{
    size_t n = t->n_runs;
    tl_src *src = spy_xcalloc(n, sizeof *src);
    tl_sink sink = {.t = t, .fd = -1};
    unsigned id;
    int rc = open_sources(t, 0, n, src);
    if (rc == SPY_OK && (rc = open_run(t, &sink, &id)) == SPY_OK) {
        merge_sources(src, n, &sink);
        rc = close_run(t, &sink, id);
    }
    close_sources(src, n);
    sink_free(&sink);
    if (rc == SPY_OK)
        remove_runs(t, 0, n);
    return rc;
}

static void free_rows(spy_timeline *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i]);
    t->n = 0;
    t->bytes = 0;
}

/* Sorts a full buffer of rows and writes it as one run. Called without the
 * lock, so other modules keep adding rows while it sorts and writes; only
 * naming the run and listing it take the lock. Frees the rows. */
static int spill_detached(spy_timeline *t, tl_row **rows, size_t n)
{
    sort_rows(rows, n);
    tl_sink sink = {.t = t, .fd = -1};
    unsigned id = 0;
    pthread_mutex_lock(&t->lock);
    int rc = tl_err(t);
    if (rc == SPY_OK)
        rc = open_run(t, &sink, &id);
    pthread_mutex_unlock(&t->lock);
    for (size_t i = 0; rc == SPY_OK && i < n && !sink.err; i++)
        sink_put(&sink, rows[i]);
    if (rc == SPY_OK) {
        sink_flush(&sink);
        if (close(sink.fd) != 0 && !sink.err)
            sink.err = tl_fail(t, SPY_EIO, "close a run file", errno);
        rc = sink.err;
    }
    pthread_mutex_lock(&t->lock);
    if (rc == SPY_OK) {
        t->runs = spy_xreallocarray(t->runs, t->n_runs + 1, sizeof *t->runs);
        t->runs[t->n_runs++] = id;
        if (t->n_runs >= TL_FANIN)
            rc = compact_runs(t);
    }
    pthread_mutex_unlock(&t->lock);
    sink_free(&sink);
    for (size_t i = 0; i < n; i++)
        free(rows[i]);
    return rc;
}

static tl_row *row_new(const char *const f[4])
{
    size_t len[4], total = 0;
    for (int i = 0; i < 4; i++) {
        len[i] = f[i] ? strlen(f[i]) : 0;
        if (len[i] > UINT32_MAX / 8)
            return NULL;
        total += len[i] + 1;
    }
    tl_row *r = spy_xmalloc(sizeof *r + total);
    size_t off = 0;
    for (int i = 0; i < 4; i++) {
        r->off[i] = (uint32_t)off;
        if (len[i])
            memcpy(r->data + off, f[i], len[i]);
        r->data[off + len[i]] = '\0';
        off += len[i] + 1;
    }
    r->size = (uint32_t)total;
    return r;
}

/* Moves rows into the shared buffer under one lock; spills (unlocked) when
 * the buffer is full. Takes ownership of the rows (freed on error). */
static int add_rows(spy_timeline *t, tl_row **rows, size_t n)
{
    tl_row **full = NULL;
    size_t nfull = 0, i = 0;
    pthread_mutex_lock(&t->lock);
    int rc = tl_err(t);
    for (; rc == SPY_OK && i < n; i++) {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 1024;
            t->rows = spy_xreallocarray(t->rows, t->cap, sizeof *t->rows);
        }
        t->rows[t->n++] = rows[i];
        t->bytes += row_bytes(rows[i]) + sizeof(tl_row *);
        __atomic_add_fetch(&t->total, 1, __ATOMIC_RELAXED);
    }
    if (rc == SPY_OK && t->bytes >= t->run_bytes) { /* take the full buffer; spill it unlocked */
        full = t->rows;
        nfull = t->n;
        t->rows = NULL;
        t->n = t->cap = 0;
        t->bytes = 0;
    }
    pthread_mutex_unlock(&t->lock);
    for (; i < n; i++)
        free(rows[i]);
    if (full) {
        rc = spill_detached(t, full, nfull);
        free(full);
    }
    return rc;
}

int spy_timeline_add(spy_timeline *t, const char *timestamp, const char *plugin, const char *event,
                     const char *description)
{
    const char *f[4] = {timestamp, plugin, event, description};
    tl_row *r = row_new(f);
    if (!r)
        return tl_fail(t, SPY_ELIMIT, "add a row", 0);
    return add_rows(t, &r, 1);
}

/* A module's rows are staged without the lock and handed over in batches:
 * one lock per batch instead of one per row (Manifest alone adds 1.2M rows
 * for 400k files). */
#define TL_BATCH_ROWS 512u

struct spy_timeline_batch {
    spy_timeline *t;
    tl_row *rows[TL_BATCH_ROWS];
    size_t n;
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
    tl_row *r = row_new(f);
    if (!r)
        return b->err = tl_fail(b->t, SPY_ELIMIT, "add a row", 0);
    b->rows[b->n++] = r;
    return b->n == TL_BATCH_ROWS ? spy_timeline_batch_flush(b) : b->err;
}

int spy_timeline_batch_flush(spy_timeline_batch *b)
{
    if (b->n) {
        int rc = add_rows(b->t, b->rows, b->n);
        b->n = 0;
        if (rc != SPY_OK && b->err == SPY_OK)
            b->err = rc;
    }
    return b->err;
}

int spy_timeline_batch_free(spy_timeline_batch *b)
{
    if (!b)
        return SPY_OK;
    int rc = spy_timeline_batch_flush(b);
    free(b);
    return rc;
}

/* ---- the final file --------------------------------------------------- */

static int write_csv(spy_timeline *t, spy_afile *f)
{
    static const char *const hdr_ios[] = {"UTC Timestamp", "Plugin", "Event", "Description"};
    static const char *const hdr_android[] = {"Device Local Timestamp", "Plugin", "Event",
                                              "Description"};
    sort_rows(t->rows, t->n);
    size_t n = t->n_runs;
    tl_src *src = spy_xcalloc(n + 1, sizeof *src);
    tl_sink sink = {.t = t, .fd = spy_afile_fd(f), .csv = true};
    spy_csv_row(&sink.buf, t->android ? hdr_android : hdr_ios, 4);
    int rc = open_sources(t, 0, n, src);
    if (rc == SPY_OK) {
        src[n].mem = t->rows;
        src[n].mem_n = t->n;
        rc = merge_sources(src, n + 1, &sink);
    }
    close_sources(src, n + 1);
    sink_free(&sink);
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
    remove_runs(t, 0, t->n_runs);
    free_rows(t);
    pthread_mutex_unlock(&t->lock);
    return rc;
}

void spy_timeline_free(spy_timeline *t)
{
    if (!t)
        return;
    if (t->n_runs)
        remove_runs(t, 0, t->n_runs);
    free_rows(t);
    free(t->rows);
    free(t->runs);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
