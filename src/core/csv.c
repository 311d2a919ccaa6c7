/* CSV in the dialect of Python's csv.writer as MVT configures it
 * (QUOTE_ALL, doublequote, escapechar '\\'; spec/outputs.md §3.4). */
#include "core/writers.h"

#include "core/mem.h"
#include "core/timeline_internal.h" /* spy_csv_packed_row_wide */

#include <stddef.h>
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

/* Writes special byte c escaped at o; returns the new end. */
static inline char *csv_special(char *o, char c)
{
    if (c == '\0') { /* a field separator */
        memcpy(o, "\",\"", 3);
        return o + 3;
    }
    o[0] = o[1] = c; /* '"' and '\\' are both escaped by doubling */
    return o + 2;
}

#ifdef __SSE2__
/* The mask of the bytes of x that need more than a copy. */
static inline unsigned special_mask(__m128i x)
{
    const __m128i dq = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_setzero_si128()),
                             _mm_or_si128(_mm_cmpeq_epi8(x, dq), _mm_cmpeq_epi8(x, bs)));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Escapes s[0..n) onto o: '"' doubled, '\\' escaped, NUL (a field
 * separator in packed rows) becomes "," between the quotes, everything else
 * copied. o needs 3 bytes per NUL and 2 per other byte; returns the new end.
 *
 * One pass of 16-byte steps over the whole text, fields and separators
 * alike: each step stores its 16 bytes whole and moves on by the bytes
 * before the first special one, which is then written escaped (a packed
 * timeline row is a few steps and its three separators, not a scan
 * restarted per field). Stores may write up to 15 bytes past the escaped
 * text, never at or past lim: near lim (or past it: lim may be less than
 * the room a text of many NULs needs) the rest is copied without them. */
static char *csv_escape(char *o, const char *s, size_t n, const char *lim)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i nul = _mm_setzero_si128();
    /* While the room left is at least the text left, clean steps (o and i
     * move together) keep it so: only a special byte, which takes more
     * room than it reads, asks again. */
    while (n - i >= 16 && lim - o >= (ptrdiff_t)(n - i)) {
        unsigned mask;
        do {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            mask = special_mask(x);
            _mm_storeu_si128((__m128i *)(void *)o, x);
            if (mask)
                break;
            o += 16;
            i += 16;
        } while (n - i >= 16);
        if (!mask)
            break;
        unsigned at = (unsigned)__builtin_ctz(mask);
        o = csv_special(o + at, s[i + at]);
        i += at + 1;
    }
    if (i < n && n - i < 16 && n >= 16) {
        /* The tail, under 16 bytes: read from a copy of the text's last 16
         * bytes followed by zeros, so no load crosses the text's end. */
        unsigned char tail[32];
        _mm_storeu_si128((__m128i *)(void *)tail,
                         _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)));
        _mm_storeu_si128((__m128i *)(void *)(tail + 16), nul);
        while (i < n && lim - o >= 16) {
            unsigned left = (unsigned)(n - i);
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(tail + 16 - left));
            unsigned mask = special_mask(x) & ((1u << left) - 1u);
            _mm_storeu_si128((__m128i *)(void *)o, x);
            if (!mask) {
                o += left;
                i = n;
                break;
            }
            unsigned at = (unsigned)__builtin_ctz(mask);
            o = csv_special(o + at, s[i + at]);
            i += at + 1;
        }
    }
#endif
    while (i < n) { /* near lim, short texts, or no SSE2: 8 clean bytes a step */
        uint64_t w;
        if (n - i >= 8) {
            memcpy(&w, s + i, 8);
            if (!has_special(w)) {
                memcpy(o, &w, 8);
                o += 8;
                i += 8;
                continue;
            }
        }
        char c = s[i++];
        if (!is_special((unsigned char)c))
            *o++ = c;
        else
            o = csv_special(o, c);
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
        o = csv_escape(o, fields[i] ? fields[i] : "", len[i], b->p + b->cap); /* no NUL inside */
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
    /* The room the contract promises whatever the fields (one at least). */
    o = csv_escape(o, packed, size - 1, out + 2 * size + 2);
    memcpy(o, "\"\r\n", 3);
    return (size_t)(o + 3 - out);
}

#ifdef __SSE2__

/* Escapes c[0..len) (len <= 16; m: its special bytes) onto o, room to
 * spare. c[0..32) must be readable. The step's specials are walked from
 * their mask without leaving it: after each one, the 16 bytes following it
 * are stored whole just after its escape (they are re-read, not shifted:
 * SSE2 has no variable byte shift). Returns the new end. */
static inline char *escape16(char *o, const char *c, unsigned len, unsigned m)
{
    _mm_storeu_si128((__m128i *)(void *)o, _mm_loadu_si128((const __m128i *)(const void *)c));
    unsigned done = 0;
    while (m) {
        unsigned at = (unsigned)__builtin_ctz(m);
        unsigned char ch = (unsigned char)c[at];
        o += at - done;
        /* NUL (a field separator) becomes "," and '"' or '\\' doubles:
         * four bytes stored, the fourth overwritten just below. */
        uint32_t w = ch ? ch * 0x0101u : 0x222C22u;
        memcpy(o, &w, 4);
        o += 2 + (ch == 0);
        done = at + 1;
        m &= m - 1;
        _mm_storeu_si128((__m128i *)(void *)o,
                         _mm_loadu_si128((const __m128i *)(const void *)(c + done)));
    }
    return o + (len - done);
}

/* The last left bytes (under 32) of the text s[0..n) escaped onto o, from
 * a copy followed by zeros so that no read passes the text's end. Out of
 * line: short texts and specials in a row's last bytes are rare in a
 * timeline. Returns the new end. */
static __attribute__((noinline)) char *escape_tail(char *o, const char *s, size_t n, size_t left)
{
    unsigned char tail[64];
    const __m128i z = _mm_setzero_si128();
    _mm_storeu_si128((__m128i *)(void *)(tail + 32), z);
    _mm_storeu_si128((__m128i *)(void *)(tail + 48), z);
    if (n >= 32) {
        _mm_storeu_si128((__m128i *)(void *)tail,
                         _mm_loadu_si128((const __m128i *)(const void *)(s + n - 32)));
        _mm_storeu_si128((__m128i *)(void *)(tail + 16),
                         _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)));
    } else if (n >= 16) { /* two overlapping copies cover it */
        _mm_storeu_si128((__m128i *)(void *)(tail + 32 - n),
                         _mm_loadu_si128((const __m128i *)(const void *)s));
        _mm_storeu_si128((__m128i *)(void *)(tail + 16),
                         _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)));
    } else {
        memcpy(tail + 32 - n, s, n);
    }
    const char *c = (const char *)tail + 32 - left;
    if (left > 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)c);
        o = escape16(o, c, 16, special_mask(x));
        c += 16;
        left -= 16;
    }
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)c);
    return escape16(o, c, (unsigned)left, special_mask(x) & ((1u << left) - 1u));
}
#endif

/* spy_csv_packed_row when out has TL_CSV_ROOM(size) bytes (the
 * timeline's output buffer; the text escapes to 3 * size + 1 at most):
 * no room is counted, stores run up to 16 bytes past the text. */
size_t spy_csv_packed_row_wide(char *out, const char *packed, size_t size)
{
#ifdef __SSE2__
    if (size == 0)
        return 0;
    const char *s = packed;
    size_t n = size - 1, i = 0;
    char *o = out;
    *o++ = '"';
    /* 16-byte steps while the 32 bytes a step may read are in the text. */
    while (n - i >= 32) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned m = special_mask(x);
        if (__builtin_expect(m == 0, 1)) {
            _mm_storeu_si128((__m128i *)(void *)o, x);
            o += 16;
        } else {
            o = escape16(o, s + i, 16, m);
        }
        i += 16;
    }
    /* The last bytes: from 16 to 31 of them when the text had 32 (the loop
     * above stops there). Without specials (the usual end of a row: a
     * description), two overlapping steps: the one at i and the text's
     * last 16 bytes, stored where they go. */
    size_t left = n - i;
    if (left >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
        if ((special_mask(x) | (special_mask(y) >> (32 - left) << 16)) == 0) {
            _mm_storeu_si128((__m128i *)(void *)o, x);
            _mm_storeu_si128((__m128i *)(void *)(o + left - 16), y);
            memcpy(o + left, "\"\r\n", 3);
            return (size_t)(o + left + 3 - out);
        }
    }
    /* Else the rest from a copy. */
    if (left)
        o = escape_tail(o, s, n, left);
    memcpy(o, "\"\r\n", 3);
    return (size_t)(o + 3 - out);
#else
    return spy_csv_packed_row(out, packed, size);
#endif
}
