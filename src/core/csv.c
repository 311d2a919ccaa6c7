/* CSV in the dialect of Python's csv.writer as MVT configures it
 * (QUOTE_ALL, doublequote, escapechar '\\'; spec/outputs.md §3.4). */
#include "core/writers.h"

#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

void spy_buf_put(spy_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        b->p = spy_xrealloc(b->p, cap);
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void spy_buf_free(spy_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* Eight bytes at a time: nonzero when some byte of w is NUL, '"' or '\\'
 * (the bytes that need more than a copy). Only used as a yes/no, so the
 * classic zero-byte test's imprecise bit positions do not matter. */
#define CSV_ONES  0x0101010101010101ull
#define CSV_HIGHS 0x8080808080808080ull
static uint64_t has_zero_byte(uint64_t v)
{
    return (v - CSV_ONES) & ~v & CSV_HIGHS;
}

static uint64_t has_special(uint64_t w)
{
    return has_zero_byte(w) | has_zero_byte(w ^ (CSV_ONES * '"')) |
           has_zero_byte(w ^ (CSV_ONES * '\\'));
}

static int is_special(unsigned char c)
{
    return c == '\0' || c == '"' || c == '\\';
}

/* Escapes s[0..n) onto o: '"' doubled, '\\' escaped, NUL (a field
 * separator in packed rows) becomes "," between the quotes, everything else
 * copied a block at a time as it is scanned. o needs 3 bytes per NUL and 2
 * per other byte; returns the new end. */
static char *csv_escape(char *o, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Copy s[i..j) to o[0..j-i) until a special byte or the end. */
        size_t j = i;
#ifdef __SSE2__
        /* 16 bytes a step, stored whole: every input byte yields at least
         * one output byte, so the store stays within what the row needs. */
        const __m128i nul = _mm_setzero_si128(), dq = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
        while (j + 16 <= n) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
            __m128i m = _mm_or_si128(_mm_cmpeq_epi8(x, nul),
                                     _mm_or_si128(_mm_cmpeq_epi8(x, dq), _mm_cmpeq_epi8(x, bs)));
            unsigned mask = (unsigned)_mm_movemask_epi8(m);
            _mm_storeu_si128((__m128i *)(void *)(o + (j - i)), x);
            if (mask) {
                j += (unsigned)__builtin_ctz(mask);
                break;
            }
            j += 16;
        }
        /* The tail: reload the last 16 bytes, overlapping bytes of this
         * clean run already copied (rewritten with the same values). */
        if (j < n && n - i >= 16 && n - j < 16) {
            size_t b = n - 16;
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + b));
            __m128i m = _mm_or_si128(_mm_cmpeq_epi8(x, nul),
                                     _mm_or_si128(_mm_cmpeq_epi8(x, dq), _mm_cmpeq_epi8(x, bs)));
            unsigned mask = (unsigned)_mm_movemask_epi8(m) >> (j - b);
            _mm_storeu_si128((__m128i *)(void *)(o + (b - i)), x);
            j = mask ? j + (unsigned)__builtin_ctz(mask) : n;
        }
#endif
        uint64_t w;
        while (j + 8 <= n) {
            memcpy(&w, s + j, 8);
            if (has_special(w))
                break;
            memcpy(o + (j - i), &w, 8);
            j += 8;
        }
        /* At most 8 bytes to the special one (none after the SSE2 loop
         * found it), or the tail. */
        while (j < n && !is_special((unsigned char)s[j])) {
            o[j - i] = s[j];
            j++;
        }
        o += j - i;
        if (j == n)
            break;
        switch (s[j]) {
        case '\0':
            memcpy(o, "\",\"", 3);
            o += 3;
            break;
        case '"':
            memcpy(o, "\"\"", 2);
            o += 2;
            break;
        default:
            memcpy(o, "\\\\", 2);
            o += 2;
            break;
        }
        i = j + 1;
    }
    return o;
}

void spy_csv_row(spy_buf *b, const char *const *fields, size_t n)
{
    size_t need = 3; /* "\r\n" and the terminating NUL */
    size_t small[8];
    size_t *len = n <= 8 ? small : spy_xcalloc(n, sizeof *len);
    for (size_t i = 0; i < n; i++) {
        len[i] = fields[i] ? strlen(fields[i]) : 0;
        need += 2 * len[i] + 3; /* worst case: every byte doubled, quotes and comma */
    }
    if (b->len + need > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + need > cap)
            cap *= 2;
        b->p = spy_xrealloc(b->p, cap);
        b->cap = cap;
    }
    char *o = b->p + b->len;
    for (size_t i = 0; i < n; i++) {
        if (i)
            *o++ = ',';
        *o++ = '"';
        o = csv_escape(o, fields[i] ? fields[i] : "", len[i]); /* no NUL inside a field */
        *o++ = '"';
    }
    memcpy(o, "\r\n", 2);
    o += 2;
    *o = '\0';
    b->len = (size_t)(o - b->p);
    if (len != small)
        free(len);
}

size_t spy_csv_packed_row(char *out, const char *packed, size_t size)
{
    if (size == 0)
        return 0;
    char *o = out;
    *o++ = '"';
    o = csv_escape(o, packed, size - 1);
    memcpy(o, "\"\r\n", 3);
    return (size_t)(o + 3 - out);
}
