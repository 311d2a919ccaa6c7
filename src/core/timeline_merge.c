/* The k-way merge of timeline rows (timeline_internal.h): sorted sources
 * (run files read through a large buffer and used in place, or sorted rows
 * in memory) merged through a loser tree comparing 16-byte keys (taken
 * after the bytes all the merge's rows share) into a sink (a run file, or
 * timeline.csv written straight into a large buffer), each distinct row
 * once. */
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

/* tl_sink_row, inlined in the merge loop. */
static inline void sink_row(tl_sink *s, const tl_row *r)
{
    if (s->csv) {
        char *o = sink_reserve(s, TL_CSV_ROOM(r->size));
        s->len += spy_csv_packed_row_wide(o, r->data, r->size);
    } else {
        uint64_t off = s->flushed + s->len;
        if (s->run && off >= s->next_mark && r->size <= TL_MARK_ROW_MAX) {
            tl_run_mark(s->run, off, r);
            s->next_mark = off + TL_MARK_BYTES;
        }
        tl_sink_bytes(s, (const char *)r, row_span(r->size));
    }
}

void tl_sink_row(tl_sink *s, const tl_row *r)
{
    sink_row(s, r);
}

void tl_sink_free(tl_sink *s)
{
    free(s->buf);
}

/* ---- merge sources: run files or sorted rows in memory ---------------- */

static uint64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* A row's key: its bytes [off, off+16) read as two big-endian words, zeros
 * past its end (twice a row in the merge, so no byte loop when the row has
 * them all). */
static inline void row_key(const tl_row *r, size_t off, uint64_t *k0, uint64_t *k1)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (__builtin_expect(r->size >= off + 16, 1)) {
        uint64_t a, b;
        memcpy(&a, r->data + off, 8);
        memcpy(&b, r->data + off + 8, 8);
        *k0 = __builtin_bswap64(a);
        *k1 = __builtin_bswap64(b);
        return;
    }
#endif
    unsigned char p[16] = {0};
    if (r->size > off)
        memcpy(p, r->data + off, r->size - off < 16 ? r->size - off : 16);
    *k0 = be64(p);
    *k1 = be64(p + 8);
}

/* Makes at least `need` bytes available at buf+pos, keeping the `back`
 * bytes before it (the previous row, read once more for duplicates), or
 * sets *eof. */
static int src_fill(tl_src *s, size_t back, size_t need, bool *eof)
{
    if (s->len - s->pos >= need)
        return SPY_OK;
    size_t keep = s->pos - back;
    memmove(s->buf, s->buf + keep, s->len - keep);
    s->len -= keep;
    s->pos = back;
    if (back + need > s->cap) {
        s->cap = back + need;
        s->buf = spy_xrealloc(s->buf, s->cap);
    }
    while (s->len - s->pos < need) {
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

/* The next row of a file source when the buffer may not hold it whole:
 * reads more (*row NULL at the end). */
static int src_read(tl_src *s, size_t back, const tl_row **row)
{
    bool eof = false;
    int rc = src_fill(s, back, sizeof(tl_row), &eof);
    if (rc != SPY_OK)
        return rc;
    if (eof)
        return s->len == s->pos ? SPY_OK : SPY_ETRUNCATED;
    uint32_t size;
    memcpy(&size, s->buf + s->pos, sizeof size);
    if (size == 0 || size > UINT32_MAX / 2)
        return SPY_ETRUNCATED;
    if ((rc = src_fill(s, back, row_span(size), &eof)) != SPY_OK)
        return rc;
    if (eof)
        return SPY_ETRUNCATED;
    /* pos is a multiple of 4 (spans are) and buf is malloc-aligned. */
    *row = (const tl_row *)(const void *)(s->buf + s->pos);
    return SPY_OK;
}

/* Makes r the source's row (NULL: exhausted) with its key. */
static inline void src_set_row(tl_src *s, const tl_row *r)
{
    s->cur = r;
    if (!r) {
        s->k0 = s->k1 = UINT64_MAX;
        return;
    }
    row_key(r, s->koff, &s->k0, &s->k1);
    /* A key range of the threaded merge: past its end, as exhausted. Keys
     * decide but for a tie on them. */
    if (__builtin_expect(s->hi != NULL, 0) &&
        (s->k0 > s->h0 ||
         (s->k0 == s->h0 &&
          (s->k1 > s->h1 || (s->k1 == s->h1 && row_cmp_from(r, s->hi, s->koff + 16) >= 0))))) {
        s->cur = NULL;
        s->k0 = s->k1 = UINT64_MAX;
    }
}

/* The next row of a file source that reads more first (out of line: once
 * per buffer). */
static int src_next_read(tl_src *s, size_t back)
{
    const tl_row *r = NULL;
    int rc = src_read(s, back, &r);
    if (rc != SPY_OK) {
        s->cur = NULL;
        s->k0 = s->k1 = UINT64_MAX;
        return rc;
    }
    s->prev = back ? (const tl_row *)(const void *)(s->buf + s->pos - back) : NULL;
    src_set_row(s, r);
    return SPY_OK;
}

/* Moves a source on to its next row (inlined in the merge loop). */
static inline int src_next(tl_src *s)
{
    const tl_row *r = NULL;
    if (s->fd < 0) {
        s->prev = s->cur;
        if (s->mem_i + TL_AHEAD < s->mem_n) /* sorted order: scattered rows */
            row_prefetch(s->mem[s->mem_i + TL_AHEAD]);
        if (s->mem_i < s->mem_n)
            r = s->mem[s->mem_i++];
    } else {
        size_t back = 0;
        if (s->cur) { /* consumed: kept behind pos as the previous row */
            back = row_span(s->cur->size);
            s->pos += back;
        }
        /* Most rows are whole in the buffer. */
        uint32_t size;
        size_t avail = s->len - s->pos;
        if (__builtin_expect(avail < sizeof(tl_row), 0))
            return src_next_read(s, back);
        memcpy(&size, s->buf + s->pos, sizeof size);
        if (__builtin_expect(size - 1u >= UINT32_MAX / 2 || row_span(size) > avail, 0))
            return src_next_read(s, back);
        r = (const tl_row *)(const void *)(s->buf + s->pos);
        s->prev = back ? (const tl_row *)(const void *)(s->buf + s->pos - back) : NULL;
    }
    src_set_row(s, r);
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
    s->koff = 0; /* the merge sets it again */
    s->hi = hi;
    if (hi)
        row_key(hi, 0, &s->h0, &s->h1);
}

/* Keys of a merge from byte koff on (the sources' rows and bounds all
 * start with the same koff bytes). */
static void src_set_koff(tl_src *s, size_t koff)
{
    s->koff = koff;
    if (s->cur)
        row_key(s->cur, koff, &s->k0, &s->k1);
    if (s->hi)
        row_key(s->hi, koff, &s->h0, &s->h1);
}

/* Lowers *p to the length of the prefix w shares with ref (*has: ref is
 * set; else w becomes it). */
static void prefix_note(unsigned char ref[TL_WIN], bool *has, const unsigned char w[TL_WIN],
                        size_t *p)
{
    if (!*has) {
        memcpy(ref, w, TL_WIN);
        *has = true;
        return;
    }
    size_t i = 0;
    while (i < *p && ref[i] == w[i])
        i++;
    *p = i;
}

static void prefix_note_row(unsigned char ref[TL_WIN], bool *has, const tl_row *r, size_t *p)
{
    unsigned char w[TL_WIN];
    row_window(r, 0, w);
    prefix_note(ref, has, w, p);
}

/* The bytes every row of a merge starts with (TL_WIN at most; zeros past a
 * row's end), so keys can start after them. Rows are ordered as their
 * bytes zero-padded (four NULs a row: no row is another's prefix), and the
 * rows of a sorted source lie between its first and its last: every row
 * shares the prefix common to all sources' first and last rows, and the
 * bound a range's rows are tested against is counted too. */
static size_t merge_prefix(const tl_src *src, size_t n)
{
    unsigned char ref[TL_WIN];
    bool has = false;
    size_t p = TL_WIN;
    for (size_t i = 0; i < n && p > 0; i++) {
        const tl_src *s = &src[i];
        if (!s->cur)
            continue;
        prefix_note_row(ref, &has, s->cur, &p);
        if (s->fd < 0)
            prefix_note_row(ref, &has, s->mem[s->mem_n - 1], &p);
        else if (s->has_last)
            prefix_note(ref, &has, s->last, &p);
        else
            p = 0;
        if (s->hi)
            prefix_note_row(ref, &has, s->hi, &p);
    }
    return p;
}

/* ---- the k-way merge: a loser tree ------------------------------------ */

/* A key as two words, compared as one 128-bit number where the compiler
 * has them (a compare and a borrow, no branch). */
typedef struct tl_key {
    uint64_t k0, k1;
} tl_key;

static inline tl_key key_of(const tl_src *s)
{
    return (tl_key){s->k0, s->k1};
}

static inline bool key_lt(tl_key a, tl_key b)
{
#ifdef __SIZEOF_INT128__
    return ((unsigned __int128)a.k0 << 64 | a.k1) < ((unsigned __int128)b.k0 << 64 | b.k1);
#else
    return (a.k0 < b.k0) | ((a.k0 == b.k0) & (a.k1 < b.k1));
#endif
}

static inline bool key_eq(tl_key a, tl_key b)
{
    return ((a.k0 ^ b.k0) | (a.k1 ^ b.k1)) == 0;
}

/* b when m is all ones, a when it is zero. */
static inline tl_key key_pick(tl_key a, tl_key b, uint64_t m)
{
    return (tl_key){a.k0 ^ ((a.k0 ^ b.k0) & m), a.k1 ^ ((a.k1 ^ b.k1) & m)};
}

/* a before b when their keys are equal: an exhausted source has the
 * largest key, so it is only asked here. */
static bool src_tie_less(const tl_src *a, const tl_src *b)
{
    if (!a->cur || !b->cur)
        return a->cur && !b->cur;
    return row_cmp_from(a->cur, b->cur, a->koff + 16) < 0;
}

static bool src_less(const tl_src *a, const tl_src *b)
{
    tl_key ka = key_of(a), kb = key_of(b);
    if (__builtin_expect(!key_eq(ka, kb), 1))
        return key_lt(ka, kb);
    return src_tie_less(a, b);
}

/* The loser tree holds source numbers: node p the source that lost there,
 * node 0 the winner. Keys are read from a dense array (in L1 whatever the
 * sources). Builds it: a node still empty (UINT32_MAX) parks the first
 * arrival, which then plays its sibling subtree's winner. */
static void lt_build(uint32_t *tree, const tl_src *src, size_t k, size_t s)
{
    for (size_t p = (s + k) / 2; p > 0; p /= 2) {
        uint32_t o = tree[p];
        if (o == UINT32_MAX) {
            tree[p] = (uint32_t)s;
            return;
        }
        if (src_less(&src[o], &src[s])) {
            tree[p] = (uint32_t)s;
            s = o;
        }
    }
    tree[0] = (uint32_t)s;
}

/* Replays source s's path to the root after its row changed: each node
 * keeps the loser, the winner goes up. The outcome is a coin toss when
 * runs interleave, so it swaps with masks, not a branch (the compiler
 * makes a branch of a ?: here). */
static inline void lt_replay(uint32_t *tree, const tl_key *key, const tl_src *src, size_t k,
                             uint32_t s)
{
    uint32_t cs = s;
    tl_key c = key[s];
    for (size_t p = (s + k) / 2; p > 0; p /= 2) {
        uint32_t o = tree[p];
        tl_key ok = key[o];
        bool lt = key_lt(ok, c);
        if (__builtin_expect(key_eq(ok, c), 0))
            lt = src_tie_less(&src[o], &src[cs]);
        uint64_t m = 0 - (uint64_t)lt; /* all ones when the node's source wins */
        uint32_t d = (cs ^ o) & (uint32_t)m;
        tree[p] = o ^ d;
        cs ^= d;
        c = key_pick(c, ok, m);
    }
    tree[0] = cs;
}

int tl_merge_sources(tl_src *src, size_t n, tl_sink *sink)
{
    int rc = SPY_OK;
    if (n == 0)
        return SPY_OK;
    uint32_t *tree = spy_xreallocarray(NULL, n, sizeof *tree);
    tl_key *key = spy_xreallocarray(NULL, n, sizeof *key);
    for (size_t i = 0; i < n && rc == SPY_OK; i++)
        rc = src_next(&src[i]);
    size_t koff = rc == SPY_OK ? merge_prefix(src, n) : 0;
    for (size_t i = 0; i < n; i++) {
        src_set_koff(&src[i], koff);
        key[i] = key_of(&src[i]);
        tree[i] = UINT32_MAX;
    }
    for (size_t i = 0; i < n && rc == SPY_OK; i++)
        lt_build(tree, src, n, i);
    /* MVT de-duplicates a module's rows: equal rows are adjacent in sorted
     * order, so a row is dropped when it repeats the one before (which its
     * source keeps readable; equal keys first). */
    const tl_row *last = NULL;
    tl_key last_key = key[0];
    while (rc == SPY_OK && !sink->err) {
        uint32_t w = tree[0];
        tl_src *s = &src[w];
        const tl_row *r = s->cur;
        if (!r)
            break;
        tl_key rk = key[w];
        if (!last || !key_eq(rk, last_key) || !row_eq(last, r))
            sink_row(sink, r);
        last_key = rk;
        if ((rc = src_next(s)) != SPY_OK)
            break;
        last = s->prev;
        key[w] = key_of(s);
        lt_replay(tree, key, src, n, w);
    }
    if (rc == SPY_OK && sink->run && last) /* a compacted run: its last row */
        row_window(last, 0, sink->run->last);
    for (size_t i = 0; i < n; i++)
        src[i].koff = 0; /* a source of the threaded merge takes another range */
    free(key);
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
