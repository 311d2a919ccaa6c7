/* The k-way merge of timeline rows (timeline_internal.h): sorted sources
 * (run files read through a large buffer and used in place, or sorted rows
 * in memory) merged through a loser tree comparing cached prefix keys into
 * a sink (a run file, or timeline.csv written straight into a large
 * buffer), each distinct row once. */
#include "core/timeline_internal.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- output sinks: run files and the CSV ------------------------------ */

void tl_sink_init(tl_sink *s, spy_timeline *t, int fd, bool csv)
{
    memset(s, 0, sizeof *s);
    s->t = t;
    s->fd = fd;
    s->csv = csv;
    s->cap = SPY_TIMELINE_IO_BYTES;
    s->buf = spy_xmalloc(s->cap);
}

void tl_sink_flush(tl_sink *s)
{
    if (s->err || s->len == 0) {
        s->len = 0;
        return;
    }
    if (s->par && !s->turn && !(s->turn = tl_par_wait_turn(s))) {
        s->err = SPY_EIO; /* another range failed, and said so */
        s->len = 0;
        return;
    }
    if (spy_write_all(s->fd, s->buf, s->len) != SPY_OK)
        s->err = tl_fail(s->t, SPY_EIO, s->csv ? "write timeline.csv" : "write a run file", errno);
    else if (s->csv) /* run files are scratch: deleted, never synced */
        spy_writeback_note(s->fd, &s->unsynced, s->len);
    s->flushed += s->len;
    s->len = 0;
}

/* Room for n more bytes in the buffer (grown for a huge row). */
static char *sink_reserve(tl_sink *s, size_t n)
{
    if (s->cap - s->len < n) {
        tl_sink_flush(s);
        if (s->cap < n) {
            s->buf = spy_xrealloc(s->buf, n);
            s->cap = n;
        }
    }
    return s->buf + s->len;
}

void tl_sink_bytes(tl_sink *s, const char *p, size_t n)
{
    memcpy(sink_reserve(s, n), p, n);
    s->len += n;
}

void tl_sink_row(tl_sink *s, const tl_row *r)
{
    if (s->csv) {
        char *o = sink_reserve(s, 2 * (size_t)r->size + 5);
        s->len += spy_csv_packed_row(o, r->data, r->size);
    } else {
        uint64_t off = s->flushed + s->len;
        if (s->run && off >= s->next_mark && r->size <= TL_MARK_ROW_MAX) {
            tl_run_mark(s->run, off, r);
            s->next_mark = off + TL_MARK_BYTES;
        }
        tl_sink_bytes(s, (const char *)r, row_span(r->size));
    }
}

/* Writes a row unless it repeats the last one (MVT de-duplicates a
 * module's rows; equal rows are adjacent in sorted order). */
static void sink_put(tl_sink *s, const tl_row *r)
{
    if (s->has_last && row_eq(s->last, r))
        return;
    size_t span = row_span(r->size);
    if (span > s->last_cap) {
        s->last_cap = span * 2;
        s->last = spy_xrealloc(s->last, s->last_cap);
    }
    memcpy(s->last, r, sizeof *r + r->size);
    s->has_last = true;
    tl_sink_row(s, r);
}

void tl_sink_free(tl_sink *s)
{
    free(s->buf);
    free(s->last);
}

/* ---- merge sources: run files or sorted rows in memory ---------------- */

static uint64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* A row's key: its first 16 bytes read as two big-endian words (twice a
 * row in the merge, so no byte loop when the row has them all). */
static void row_key(const tl_row *r, uint64_t *k0, uint64_t *k1)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (__builtin_expect(r->size >= 16, 1)) {
        uint64_t a, b;
        memcpy(&a, r->data, 8);
        memcpy(&b, r->data + 8, 8);
        *k0 = __builtin_bswap64(a);
        *k1 = __builtin_bswap64(b);
        return;
    }
#endif
    unsigned char p[16] = {0};
    memcpy(p, r->data, r->size < 16 ? r->size : 16);
    *k0 = be64(p);
    *k1 = be64(p + 8);
}

static void src_key(tl_src *s)
{
    row_key(s->cur, &s->k0, &s->k1);
}

/* Makes at least `need` bytes available at buf+pos, or sets *eof. */
static int src_fill(tl_src *s, size_t need, bool *eof)
{
    if (s->len - s->pos >= need)
        return SPY_OK;
    memmove(s->buf, s->buf + s->pos, s->len - s->pos);
    s->len -= s->pos;
    s->pos = 0;
    if (need > s->cap) {
        s->cap = need;
        s->buf = spy_xrealloc(s->buf, s->cap);
    }
    while (s->len < need) {
        size_t want = s->cap - s->len;
        if (s->end - s->off < want)
            want = (size_t)(s->end - s->off);
        ssize_t r = want ? pread(s->fd, s->buf + s->len, want, (off_t)s->off) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return SPY_EIO;
        if (r == 0) {
            *eof = true;
            return SPY_OK;
        }
        s->off += (uint64_t)r;
        s->len += (size_t)r;
    }
    return SPY_OK;
}

static int src_next(tl_src *s)
{
    s->k0 = s->k1 = UINT64_MAX; /* until a row is there */
    if (s->fd < 0) {
        if (s->mem_i + TL_AHEAD < s->mem_n) /* sorted order: scattered rows */
            row_prefetch(s->mem[s->mem_i + TL_AHEAD]);
        s->cur = s->mem_i < s->mem_n ? s->mem[s->mem_i++] : NULL;
    } else {
        if (s->cur) /* the previous row is consumed */
            s->pos += row_span(s->cur->size);
        s->cur = NULL;
        bool eof = false;
        int rc = src_fill(s, sizeof(tl_row), &eof);
        if (rc != SPY_OK)
            return rc;
        if (eof)
            return s->len == s->pos ? SPY_OK : SPY_ETRUNCATED;
        uint32_t size;
        memcpy(&size, s->buf + s->pos, sizeof size);
        if (size == 0 || size > UINT32_MAX / 2)
            return SPY_ETRUNCATED;
        if ((rc = src_fill(s, row_span(size), &eof)) != SPY_OK)
            return rc;
        if (eof)
            return SPY_ETRUNCATED;
        /* pos is a multiple of 4 (spans are) and buf is malloc-aligned. */
        s->cur = (const tl_row *)(const void *)(s->buf + s->pos);
    }
    if (s->cur) {
        src_key(s);
        /* A key range of the threaded merge: past its end, as exhausted.
         * Keys decide but for a tie on them. */
        if (__builtin_expect(s->hi != NULL, 0) &&
            (s->k0 > s->h0 ||
             (s->k0 == s->h0 &&
              (s->k1 > s->h1 || (s->k1 == s->h1 && row_cmp_from(s->cur, s->hi, 16) >= 0))))) {
            s->cur = NULL;
            s->k0 = s->k1 = UINT64_MAX;
        }
    }
    return SPY_OK;
}

int tl_src_seek(tl_src *s, const tl_row *key)
{
    int rc;
    while ((rc = src_next(s)) == SPY_OK && s->cur && row_cmp_from(s->cur, key, 0) < 0)
        ;
    s->cur = NULL; /* src_next reads the row at pos again */
    return rc;
}

void tl_src_set_hi(tl_src *s, const tl_row *hi)
{
    s->hi = hi;
    if (hi)
        row_key(hi, &s->h0, &s->h1);
}

/* ---- the k-way merge: a loser tree ------------------------------------ */

/* An exhausted source has the largest key, so the common case is two key
 * compares; whether it is exhausted is only asked on a tie. */
static bool src_less(const tl_src *a, const tl_src *b)
{
    /* Bitwise, not short-circuit: no branch on the outcome. */
    int lt = (a->k0 < b->k0) | ((a->k0 == b->k0) & (a->k1 < b->k1));
    int eq = (a->k0 == b->k0) & (a->k1 == b->k1);
    if (__builtin_expect(!eq, 1))
        return lt;
    if (!a->cur || !b->cur)
        return a->cur && !b->cur;
    return row_cmp_from(a->cur, b->cur, 16) < 0;
}

/* A loser-tree node: the source that lost there, with its key, so a replay
 * compares keys held in the tree instead of loading each source. */
typedef struct tl_node {
    uint64_t k0, k1;
    uint64_t s;
} tl_node;

/* Builds the tree: a node still empty (s == UINT64_MAX) parks the first
 * arrival, which then plays its sibling subtree's winner. */
static void lt_build(tl_node *tree, const tl_src *src, size_t k, size_t s)
{
    for (size_t p = (s + k) / 2; p > 0; p /= 2) {
        size_t o = (size_t)tree[p].s;
        if (tree[p].s == UINT64_MAX) {
            tree[p] = (tl_node){src[s].k0, src[s].k1, s};
            return;
        }
        if (src_less(&src[o], &src[s])) {
            tree[p] = (tl_node){src[s].k0, src[s].k1, s};
            s = o;
        }
    }
    tree[0] = (tl_node){src[s].k0, src[s].k1, s};
}

/* Replays source s's path to the root after its row changed: each node
 * keeps the loser, the winner goes up. The outcome is a coin toss when
 * runs interleave, so the swap is done with masks, not a branch. */
static void lt_replay(tl_node *tree, const tl_src *src, size_t k, size_t s, uint64_t c0,
                      uint64_t c1)
{
    uint64_t cs = s;
    for (size_t p = (s + k) / 2; p > 0; p /= 2) {
        tl_node o = tree[p];
        uint64_t lt = (o.k0 < c0) | ((o.k0 == c0) & (o.k1 < c1));
        if (__builtin_expect((o.k0 == c0) & (o.k1 == c1), 0))
            lt = src_less(&src[o.s], &src[cs]);
        uint64_t m = 0 - lt; /* all ones when the node's source wins */
        tree[p].k0 = (c0 & m) | (o.k0 & ~m);
        tree[p].k1 = (c1 & m) | (o.k1 & ~m);
        tree[p].s = (cs & m) | (o.s & ~m);
        c0 = (o.k0 & m) | (c0 & ~m);
        c1 = (o.k1 & m) | (c1 & ~m);
        cs = (o.s & m) | (cs & ~m);
    }
    tree[0] = (tl_node){c0, c1, cs};
}

int tl_merge_sources(tl_src *src, size_t n, tl_sink *sink)
{
    int rc = SPY_OK;
    if (n == 0)
        return SPY_OK;
    tl_node *tree = spy_xreallocarray(NULL, n, sizeof *tree);
    for (size_t i = 0; i < n; i++)
        tree[i].s = UINT64_MAX;
    for (size_t i = 0; i < n && rc == SPY_OK; i++)
        rc = src_next(&src[i]);
    for (size_t i = 0; i < n && rc == SPY_OK; i++)
        lt_build(tree, src, n, i);
    while (rc == SPY_OK && !sink->err) {
        size_t w = (size_t)tree[0].s;
        if (!src[w].cur)
            break;
        sink_put(sink, src[w].cur);
        if ((rc = src_next(&src[w])) != SPY_OK)
            break;
        /* The key again from the row, not from src[w] just written: a
         * wide load of two fresh narrow stores stalls. */
        uint64_t c0 = UINT64_MAX, c1 = UINT64_MAX;
        if (src[w].cur)
            row_key(src[w].cur, &c0, &c1);
        lt_replay(tree, src, n, w, c0, c1);
    }
    free(tree);
    if (rc != SPY_OK)
        return tl_fail(sink->t, rc, "read back a run file", rc == SPY_EIO ? errno : 0);
    if (!sink->par) /* a key range's last bytes are written in its turn */
        tl_sink_flush(sink);
    return sink->err;
}

tl_src *tl_new_sources(size_t n)
{
    tl_src *src = spy_xcalloc(n ? n : 1, sizeof *src);
    for (size_t i = 0; i < n; i++) {
        src[i].fd = -1;
        src[i].end = UINT64_MAX;
    }
    return src;
}

void tl_close_sources(tl_src *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (src[i].fd >= 0)
            close(src[i].fd);
        free(src[i].buf);
    }
    free(src);
}
