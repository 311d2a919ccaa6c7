/* Rows of timeline.csv packed into arena blocks (timeline_internal.h):
 * batches fill a block without the lock and hand it over whole, spills
 * free blocks wholesale (not row by row) and keep some for the batches'
 * next blocks. While a row is in cache, the bytes of its start that vary
 * are noted for the sort. */
#include "core/timeline_internal.h"

#include "core/limits.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

/* Notes which bits of a row's first TL_WIN bytes vary. */
static void rows_note(tl_rows *r, const tl_row *row)
{
    unsigned char w[TL_WIN];
    row_window(row, 0, w);
    if (!r->has_ref) {
        memcpy(r->ref, w, TL_WIN);
        r->has_ref = true;
        return;
    }
    uint64_t w8[TL_WIN / 8], r8[TL_WIN / 8];
    memcpy(w8, w, TL_WIN);
    memcpy(r8, r->ref, TL_WIN);
    for (unsigned j = 0; j < TL_WIN / 8; j++)
        r->diff[j] |= w8[j] ^ r8[j];
}

/* Merges from's varying bits into to's. Against to's ref, a row of from
 * differs at most where it differs from from's ref or that ref from to's:
 * a superset, which only costs key bits. */
static void rows_note_merge(tl_rows *to, tl_rows *from)
{
    if (!from->has_ref)
        return;
    if (!to->has_ref) {
        memcpy(to->ref, from->ref, TL_WIN);
        memcpy(to->diff, from->diff, sizeof to->diff);
        to->has_ref = true;
    } else {
        uint64_t f8[TL_WIN / 8], t8[TL_WIN / 8];
        memcpy(f8, from->ref, TL_WIN);
        memcpy(t8, to->ref, TL_WIN);
        for (unsigned j = 0; j < TL_WIN / 8; j++)
            to->diff[j] |= from->diff[j] | (f8[j] ^ t8[j]);
    }
    from->has_ref = false;
    memset(from->diff, 0, sizeof from->diff);
}

void tl_rows_free(tl_rows *r)
{
    for (tl_block *b = r->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* Blocks freed by a spill are kept for the batches' next blocks (under the
 * lock): fresh memory costs a page fault per 4 KiB, and the rows of a
 * large check go through many megabytes of it. The pool keeps at most half
 * a run's worth. */
void tl_pool_put(spy_timeline *t, tl_rows *r)
{
    size_t max = t->run_bytes / 2 / SPY_TIMELINE_BLOCK_BYTES;
    for (tl_block *b = r->blocks, *next; b; b = next) {
        next = b->next;
        if (b->cap == SPY_TIMELINE_BLOCK_BYTES && t->n_pool < max) {
            b->next = t->pool;
            t->pool = b;
            t->n_pool++;
        } else {
            free(b);
        }
    }
    r->blocks = NULL;
    tl_rows_free(r);
}

/* Gives an empty batch a block from the pool, if any. */
void tl_pool_get(spy_timeline *t, tl_rows *r)
{
    tl_block *b = t->pool;
    if (!b || r->blocks)
        return;
    t->pool = b->next;
    t->n_pool--;
    b->next = NULL;
    b->used = 0;
    r->blocks = b;
    r->bytes += sizeof *b + b->cap;
}

static void rows_push(tl_rows *r, tl_row *row)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->v = spy_xreallocarray(r->v, r->cap, sizeof *r->v);
    }
    r->v[r->n++] = row;
    r->bytes += sizeof row;
}

/* Room for a row of `span` bytes. Rows larger than a block get a block of
 * their own, linked behind the one being filled so it keeps filling. */
static tl_row *rows_alloc(tl_rows *r, size_t span, size_t block_bytes)
{
    tl_block *b = r->blocks;
    if (!b || b->cap - b->used < span) {
        size_t cap = span > block_bytes ? span : block_bytes;
        tl_block *nb = spy_xmalloc(sizeof *nb + cap);
        nb->used = 0;
        nb->cap = cap;
        if (b && span > block_bytes) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            r->blocks = nb;
        }
        r->bytes += sizeof *nb + cap;
        b = nb;
    }
    tl_row *row = (tl_row *)(void *)(b->data + b->used);
    b->used += span;
    rows_push(r, row);
    return row;
}

/* Whether the next row of `span` bytes would start a new normal block. */
static bool rows_block_full(const tl_rows *r, size_t span, size_t block_bytes)
{
    return r->blocks && span <= block_bytes && r->blocks->cap - r->blocks->used < span;
}

/* Moves every row and block of `from` to the end of `to`. */
void tl_rows_move(tl_rows *to, tl_rows *from)
{
    if (from->n == 0 && !from->blocks)
        return;
    if (to->n + from->n > to->cap) {
        size_t cap = to->cap ? to->cap : 1024;
        while (cap < to->n + from->n)
            cap *= 2;
        to->v = spy_xreallocarray(to->v, cap, sizeof *to->v);
        to->cap = cap;
    }
    memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
    to->n += from->n;
    if (from->blocks) {
        tl_block *tail = from->blocks;
        while (tail->next)
            tail = tail->next;
        tail->next = to->blocks;
        to->blocks = from->blocks;
    }
    to->bytes += from->bytes;
    rows_note_merge(to, from);
    from->blocks = NULL;
    from->n = 0;
    from->bytes = 0;
}

/* Packs a row into `r`; false when a field is too large for the format. */
bool tl_row_add(tl_rows *r, const char *const f[4], const size_t len[4], size_t block_bytes,
                bool *block_full)
{
    size_t total = 0;
    for (int i = 0; i < 4; i++) {
        if (len[i] > UINT32_MAX / 8)
            return false;
        total += len[i] + 1;
    }
    size_t span = row_span((uint32_t)total);
    if (block_full && rows_block_full(r, span, block_bytes)) {
        *block_full = true; /* the caller hands the full block over first */
        return true;
    }
    tl_row *row = rows_alloc(r, span, block_bytes);
    row->size = (uint32_t)total;
    /* Zero padding (run files are written from these bytes): the last 4
     * bytes zeroed first, one store, the fields then copied over them. */
    memset(row->data + (span - sizeof(tl_row) - 4), 0, 4);
    char *p = row->data;
    for (int i = 0; i < 4; i++) {
        if (len[i])
            memcpy(p, f[i], len[i]);
        p[len[i]] = '\0';
        p += len[i] + 1;
    }
    rows_note(r, row);
    return true;
}
