/* Private to the files of the JSON emitter (the public contract is
 * core/json_emit.h):
 *   json_emit.c    the emitter: buffer, frames, containers, values
 *   json_escape.c  string escaping as Python's ensure_ascii=True writes it
 *   json_number.c  reals as Python's float repr (integers: jw_int_at here,
 *                  inline because results hold millions of them)
 *   json_flat.c    flat records of a known key layout, from cached key text */
#ifndef SPY_JSON_EMIT_INTERNAL_H
#define SPY_JSON_EMIT_INTERNAL_H

#include "core/digits.h"
#include "core/json_emit.h"
#include "core/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A string is escaped JW_CHUNK input bytes per reservation: at most 6 output
 * bytes each (\u00XX), so a chunk always fits the fd buffer and a string of
 * any length streams through it. */
#define JW_CHUNK 4096u
/* Room beyond 6 bytes per input byte: the quotes, a UTF-8 sequence that
 * starts in the chunk and ends past it (12 bytes out for 4 in), and the
 * 16-byte block copies of the indentation. */
#define JW_SLACK  48u
#define JW_FD_BUF (64u * 1024u)

typedef struct jw_frame {
    bool object; /* else array */
    bool has_items;
    bool want_value; /* a key was written, its value is due */
} jw_frame;

/* The text of flat records of one key layout written as items of an
 * array at one depth (jw_flat_cached): piece 0 opens the record (",",
 * newline, indentation, "{"), piece 1 + k comes before member k (",",
 * newline, indentation, the quoted key, ": "; no "," for the first), piece
 * n + 1 closes it. off[k] is where piece k starts (n + 3 offsets); text
 * has 32 bytes more, so that pieces are copied 16 bytes at a time. */
typedef struct jw_layout {
    uint64_t id; /* spy_flat.layout; 0: unused */
    unsigned depth;
    size_t n;
    uint32_t *off;
    char *text;
} jw_layout;

/* Layouts cached per emitter (a results file has one or a few), and the
 * most text one may take: a record whose keys need more is written by the
 * general path, so memory stays bounded whatever the records. */
#define JW_LAYOUTS    4u
#define JW_LAYOUT_MAX 16384u

struct spy_jw {
    int fd; /* -1 for memory emitters */
    int indent;
    char *buf;
    size_t len, cap; /* len < cap always: memory emitters NUL-terminate */
    int err;
    int saved_errno; /* errno of a failed write, restored by finish */
    bool top_done;   /* one top-level value per emitter */
    unsigned depth;
    size_t unsynced;                     /* bytes written since the last writeback request */
    bool bg_ok;                          /* full buffers may go to a writer thread */
    struct spy_bgw *bg;                  /* that thread, from the first full buffer */
    jw_frame st[SPY_MAX_EMIT_DEPTH + 1]; /* st[0]: the top level */
    jw_layout lay[JW_LAYOUTS];
    unsigned lay_next; /* the slot to replace next */
};

/* Slow side of jw_room: flushes (fd) or grows (memory). */
bool jw_make_room(spy_jw *w, size_t n);

/* Makes n bytes writable at w->buf + w->len (plus the NUL of memory
 * emitters): tokens are then written with plain stores, one check each. */
static inline bool jw_room(spy_jw *w, size_t n)
{
    return w->cap - w->len > n || jw_make_room(w, n);
}

/* A quoted, escaped string, streamed a chunk at a time. */
void jw_put_string(spy_jw *w, const char *str, size_t n);
/* A quoted string known to need no escaping. */
void jw_put_plain(spy_jw *w, const char *s, size_t n);

#define JW_ONES  0x0101010101010101ull
#define JW_HIGHS 0x8080808080808080ull

/* Nonzero when one of the 8 bytes needs escaping: below 0x20, '"', '\\',
 * 0x7F and above. Each test is exact about whether such a byte exists
 * (a carry only comes out of a byte that is itself flagged). */
static inline uint64_t jw_special8(uint64_t x)
{
    uint64_t q = x ^ (JW_ONES * '"'), b = x ^ (JW_ONES * '\\');
    uint64_t lt = (x - JW_ONES * 0x20) & ~x;
    uint64_t zq = (q - JW_ONES) & ~q, zb = (b - JW_ONES) & ~b;
    uint64_t hi = x | (x + JW_ONES); /* 0x7F..0xFF */
    return (lt | zq | zb | hi) & JW_HIGHS;
}

#ifdef __SSE2__
/* jw_special8 for 16 bytes, as a bit mask: a signed compare with 0x20
 * flags both the controls and the bytes from 0x80 up. */
static inline unsigned jw_special16(__m128i x)
{
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(x, _mm_set1_epi8('"'))),
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F))));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Escapes the bytes that start in s[0..n) at o, which has room for 6n +
 * JW_SLACK bytes; a UTF-8 sequence may run past n (avail bytes readable).
 * Plain runs go 16 (SSE2) or 8 bytes per load and store. Sets *used (>= n). */
char *jw_escape(char *o, const unsigned char *s, size_t n, size_t avail, size_t *used);

/* v in decimal at o (room: 20 bytes). By hand, not snprintf: results hold
 * millions of integers. The digits are counted from the highest bit set
 * (log10(2) ~ 1233 / 4096, then one compare), then written from the
 * last, two per division. */
static inline char *jw_int_at(char *o, long long v)
{
    static const unsigned long long pow10[20] = {1ull,
                                                 10ull,
                                                 100ull,
                                                 1000ull,
                                                 10000ull,
                                                 100000ull,
                                                 1000000ull,
                                                 10000000ull,
                                                 100000000ull,
                                                 1000000000ull,
                                                 10000000000ull,
                                                 100000000000ull,
                                                 1000000000000ull,
                                                 10000000000000ull,
                                                 100000000000000ull,
                                                 1000000000000000ull,
                                                 10000000000000000ull,
                                                 100000000000000000ull,
                                                 1000000000000000000ull,
                                                 10000000000000000000ull};
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    if (v < 0)
        *o++ = '-';
    if (u < 10) {
        *o = (char)('0' + u);
        return o + 1;
    }
    unsigned t = (unsigned)(64 - __builtin_clzll(u)) * 1233u >> 12; /* 10^t > u / 10 */
    size_t nd = t + (u >= pow10[t]);
    char *p = o + nd;
    while (u >= 100) {
        unsigned k = (unsigned)(u % 100) * 2;
        u /= 100;
        p -= 2;
        memcpy(p, spy_digits2 + k, 2);
    }
    if (u >= 10)
        memcpy(p - 2, spy_digits2 + u * 2, 2);
    else
        p[-1] = (char)('0' + u);
    return o + nd;
}

/* Writes the flat record r (core/flat.h) as the next item of the open
 * array, from text cached per key layout (r->layout) and depth: each
 * member's separator, indentation and quoted key as one prepared piece,
 * one reservation for the record as a rule, short strings checked and
 * copied 16 bytes at a time. False, having written nothing, when the
 * record needs the general path (layout 0, no array open, no members, keys
 * too large, too deep, or an earlier error); else *rc is the result. */
struct spy_flat;
bool jw_flat_cached(spy_jw *w, const struct spy_flat *r, int *rc);

/* Python's repr of a finite v (shortest digits that read back as v, fixed
 * notation for exponents -4..15) at out; returns its length. */
size_t jw_real_repr(double v, char *out, size_t cap);

#endif
