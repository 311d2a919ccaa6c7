/* The sort of a buffer of timeline rows before it is spilled or merged
 * (timeline_internal.h): a radix sort on the bytes that differ. */
#include "core/timeline_internal.h"

#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

/* A radix sort on the bytes that differ. Rows sorted together agree on
 * their first `start` bytes; in the next TL_WIN bytes, positions where
 * every row has the same byte cannot decide an order, so keys are made of
 * the positions that vary (timestamps share "20", the separators, often
 * the fraction): k of the first ones, k2 of the next. An LSD radix sort
 * orders k; rows with equal k are ordered by k2 and only then by their
 * bytes, so most ties never touch the rows (a cache miss each). Large tied
 * groups are sorted again from the last position k covers. */
#define TL_KEYB    8u
#define TL_SMALL   16u
#define TL_COMPACT 1024u /* groups this large pack varying bits, not bytes */

typedef struct tl_ent {
    uint64_t k, k2;
    tl_row *r;
} tl_ent;

typedef struct tl_task {
    size_t off, n, start;
} tl_task;

/* Orders entries that agree on their rows' first `off` bytes; with_k2:
 * k2 holds the next varying bytes and rows with equal k2 agree up to off. */
static int ent_cmp(const tl_ent *x, const tl_ent *y, size_t off, bool with_k2)
{
    if (with_k2 && x->k2 != y->k2)
        return x->k2 < y->k2 ? -1 : 1;
    return row_cmp_from(x->r, y->r, off);
}

static void insertion_sort(tl_ent *a, size_t n, size_t off, bool with_k2)
{
    for (size_t i = 1; i < n; i++) {
        tl_ent x = a[i];
        size_t j = i;
        for (; j > 0 && ent_cmp(&a[j - 1], &x, off, with_k2) > 0; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* LSD radix sort of a[0..n) on k, 8 bits a pass; passes whose byte is
 * the same in every key are skipped. */
static void radix_keys(tl_ent *a, tl_ent *tmp, size_t n, size_t (*cnt)[256])
{
    memset(cnt, 0, TL_KEYB * sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        for (unsigned d = 0; d < TL_KEYB; d++)
            cnt[d][(a[i].k >> (8 * d)) & 0xff]++;
    tl_ent *src = a, *dst = tmp;
    for (unsigned d = 0; d < TL_KEYB; d++) {
        unsigned sh = 8 * d;
        if (cnt[d][(src[0].k >> sh) & 0xff] == n)
            continue;
        size_t sum = 0;
        for (unsigned b = 0; b < 256; b++) {
            size_t c = cnt[d][b];
            cnt[d][b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[d][(src[i].k >> sh) & 0xff]++] = src[i];
        tl_ent *x = src;
        src = dst;
        dst = x;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

static void push_task(tl_task **st, size_t *sn, size_t *scap, tl_task t)
{
    if (*sn == *scap) {
        *scap = *scap ? *scap * 2 : 64;
        *st = spy_xreallocarray(*st, *scap, sizeof **st);
    }
    (*st)[(*sn)++] = t;
}

/* Sorts the group a[0..n) whose rows agree on [0, start) and are longer
 * than start; pushes groups still tied onto the task stack. */
static void sort_group(tl_ent *a, tl_ent *tmp, size_t n, size_t start, size_t off, tl_task **st,
                       size_t *sn, size_t *scap, size_t (*cnt)[256], const uint64_t *known)
{
    unsigned char w[TL_WIN], diff[TL_WIN];
    for (;;) {
        if (n <= TL_SMALL) {
            insertion_sort(a, n, start, false);
            return;
        }
        /* Which positions of the window vary (known for the first window
         * of a whole buffer). */
        uint64_t acc[TL_WIN / 8] = {0}, r8[TL_WIN / 8], w8[TL_WIN / 8];
        if (known && start == 0) {
            memcpy(acc, known, TL_WIN);
        } else {
            row_window(a[0].r, start, w);
            memcpy(r8, w, TL_WIN);
            for (size_t i = 1; i < n; i++) {
                row_window(a[i].r, start, w);
                memcpy(w8, w, TL_WIN);
                for (unsigned j = 0; j < TL_WIN / 8; j++)
                    acc[j] |= w8[j] ^ r8[j];
            }
        }
        memcpy(diff, acc, TL_WIN);
        /* Keys are made of the varying positions, and in large groups of
         * only the bits that vary there (digits vary in 4 of 8): order is
         * kept, and fewer radix passes cover more of the row. k holds
         * enough bits to split the group finely (a pass per 8), k2 up to
         * 64 more. A position is never split between keys. */
        bool compact = n >= TL_COMPACT;
        unsigned kbits = 64;
        if (compact)
            for (kbits = 24; kbits < 64 && ((size_t)1 << (kbits - 16)) < n; kbits += 8)
                ;
        unsigned pos[TL_WIN], bits[TL_WIN], nk = 0, nk2 = 0, used = 0;
        unsigned char mask[TL_WIN];
        for (unsigned j = 0, np = 0; j < TL_WIN; j++) {
            if (!diff[j])
                continue;
            mask[np] = compact ? diff[j] : 0xff;
            bits[np] = (unsigned)__builtin_popcount(mask[np]);
            pos[np] = j;
            if (nk == np && used + bits[np] <= kbits) {
                used += bits[np];
                nk++;
            }
            np++;
            nk2 = np;
        }
        if (nk2 == 0) { /* all agree on the window too */
            start += TL_WIN;
            if (a[0].r->size <= start)
                return; /* all equal */
            continue;
        }
        /* k2: the positions after k's, up to 64 bits. */
        unsigned np_all = nk2, used2 = 0;
        nk2 = nk;
        while (nk2 < np_all && used2 + bits[nk2] <= 64)
            used2 += bits[nk2++];
        /* Per position, its byte's varying bits packed (a software PEXT). */
        unsigned char(*pext)[256] = NULL;
        if (compact) {
            pext = spy_xreallocarray(NULL, nk2, sizeof *pext);
            for (unsigned q = 0; q < nk2; q++)
                for (unsigned v = 0; v < 256; v++) {
                    unsigned o = 0;
                    for (int bit = 7; bit >= 0; bit--)
                        if (mask[q] >> bit & 1)
                            o = o << 1 | (v >> bit & 1);
                    pext[q][v] = (unsigned char)o;
                }
        }
        for (size_t i = 0; i < n; i++) {
            if (i + TL_AHEAD < n)
                row_prefetch(a[i + TL_AHEAD].r);
            row_window(a[i].r, start, w);
            uint64_t k = 0, k2 = 0;
            for (unsigned q = 0; q < nk; q++)
                k = k << bits[q] | (pext ? pext[q][w[pos[q]]] : w[pos[q]]);
            for (unsigned q = nk; q < nk2; q++)
                k2 = k2 << bits[q] | (pext ? pext[q][w[pos[q]]] : w[pos[q]]);
            a[i].k = k;
            a[i].k2 = k2;
        }
        free(pext);
        radix_keys(a, tmp, n, cnt);
        /* Equal k: the rows agree up to k's last position (the whole
         * window when no other varies); equal k2 too: up to k2's last. */
        size_t sub = nk == np_all ? start + TL_WIN : start + pos[nk - 1] + 1;
        size_t sub2 = nk2 == np_all ? start + TL_WIN : start + pos[nk2 - 1] + 1;
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && a[j].k == a[i].k)
                j++;
            if (j - i > TL_SMALL)
                push_task(st, sn, scap, (tl_task){off + i, j - i, sub});
            else if (j - i > 1)
                insertion_sort(a + i, j - i, sub2, true);
            i = j;
        }
        return;
    }
}

/* known: the varying bits of the rows' first TL_WIN bytes (or NULL). */
void tl_sort_rows(tl_row **rows, size_t n, const uint64_t *known)
{
    if (n < 2)
        return;
    tl_ent *a = spy_xreallocarray(NULL, n, sizeof *a);
    tl_ent *tmp = spy_xreallocarray(NULL, n, sizeof *tmp);
    size_t(*cnt)[256] = spy_xcalloc(TL_KEYB, sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        a[i].r = rows[i];
    /* Tied groups go on a stack, not recursion: rows agreeing on long
     * prefixes would otherwise nest deeply. */
    tl_task *st = NULL;
    size_t sn = 0, scap = 0;
    push_task(&st, &sn, &scap, (tl_task){0, n, 0});
    while (sn > 0) {
        tl_task t = st[--sn];
        if (a[t.off].r->size <= t.start)
            continue; /* rows that agree past the end of one are all equal */
        sort_group(a + t.off, tmp + t.off, t.n, t.start, t.off, &st, &sn, &scap, cnt,
                   t.n == n ? known : NULL);
    }
    for (size_t i = 0; i < n; i++)
        rows[i] = a[i].r;
    free(st);
    free(cnt);
    free(tmp);
    free(a);
}
