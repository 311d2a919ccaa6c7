#include "modules/android/pytext.h"

#include "core/blanks.h"
#include "core/mem.h"

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Bytes of the line break at p (0 when none): the breaks of str.splitlines(). */
static size_t break_len(const unsigned char *p, const unsigned char *end)
{
    switch (p[0]) {
    case '\n':
    case '\v':
    case '\f':
    case 0x1c:
    case 0x1d:
    case 0x1e: return 1;
    case '\r': return p + 1 < end && p[1] == '\n' ? 2 : 1;
    case 0xc2: return p + 1 < end && p[1] == 0x85 ? 2 : 0;
    case 0xe2: return p + 2 < end && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9) ? 3 : 0;
    default: return 0;
    }
}

/* break_len with the call spared for bytes that cannot start a break. */
static inline size_t break_at(const unsigned char *p, const unsigned char *end)
{
    return (*p <= 0x1e || *p == 0xc2 || *p == 0xe2) ? break_len(p, end) : 0;
}

void spy_lines_init(spy_lines *it, const char *text, size_t len)
{
    it->p = text;
    it->end = text ? text + len : text;
}

/* Bytes that can start a line break (<= 0x1e, 0xc2, 0xe2) are all below
 * 0x1f or above 0x7f: a word with neither is skipped whole. Loads go
 * through memcpy, so any alignment and byte order works. */
#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static bool word_plain(const unsigned char *q)
{
    uint64_t x;
    memcpy(&x, q, sizeof x);
    /* high bit of a byte: set by x itself (>= 0x80) or by x - 0x1f
     * borrowing (< 0x1f); a borrow only follows a byte that is itself
     * flagged, so "none flagged" is exact */
    return (((x - ONES * 0x1f) | x) & HIGHS) == 0;
}

bool spy_lines_next(spy_lines *it, spy_text *line)
{
    if (!it->p || it->p >= it->end)
        return false;
    const unsigned char *s = (const unsigned char *)it->p, *end = (const unsigned char *)it->end;
    const unsigned char *q = s;
    size_t br = 0;
    for (;;) {
#ifdef __SSE2__
        /* 16 at a time: signed, the bytes >= 0x80 are below 0x1f too */
        const __m128i lim = _mm_set1_epi8(0x1f);
        while (end - q >= 32) { /* two blocks per test: lines are ~100 bytes */
            __m128i a = _mm_cmplt_epi8(_mm_loadu_si128((const __m128i *)(const void *)q), lim);
            __m128i b =
                _mm_cmplt_epi8(_mm_loadu_si128((const __m128i *)(const void *)(q + 16)), lim);
            if (_mm_movemask_epi8(_mm_or_si128(a, b)))
                break; /* the 16-byte loop finds which */
            q += 32;
        }
        while (end - q >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, lim));
            if (m) {
                q += __builtin_ctz(m);
                goto flagged; /* the bytes before it start no break */
            }
            q += 16;
        }
#endif
        while (end - q >= 8 && word_plain(q))
            q += 8;
        /* at most 8 bytes (or the tail) byte by byte, then words again */
        const unsigned char *stop = end - q > 8 ? q + 8 : end;
        for (; q < stop; q++) {
            if ((br = break_at(q, end)) != 0)
                goto found;
        }
        if (q >= end)
            break;
        continue;
#ifdef __SSE2__
    flagged: /* the same test on the one byte the blocks flagged */
        if ((br = break_at(q, end)) != 0)
            goto found;
        q++;
#endif
    }
found:
    line->p = it->p;
    line->n = (size_t)(q - s);
    it->p = (const char *)(q + br);
    return true;
}

/* Python's ASCII whitespace: \t-\r, \x1c-\x1f and ' ' (one bit each). */
static inline bool ascii_space(unsigned char c)
{
    return c <= ' ' && ((1ull << c) & 0x1f0003e00ull) != 0;
}

/* Bytes of the non-ASCII whitespace character starting at p (0 when none). */
static size_t space_multi(const unsigned char *p, const unsigned char *end)
{
    size_t n = (size_t)(end - p);
    if (n >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
        return 2;
    if (n < 3)
        return 0;
    if ((p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80) ||
        (p[0] == 0xe2 && p[1] == 0x80 &&
         (p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf)) ||
        (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) ||
        (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80))
        return 3;
    return 0;
}

/* Bytes of the Python whitespace character starting at p (0 when none). */
static inline size_t space_fwd(const unsigned char *p, const unsigned char *end)
{
    return *p < 0x80 ? ascii_space(*p) : space_multi(p, end);
}

/* The same for the character ending at end (start bounds the look-back). */
static size_t space_back(const unsigned char *start, const unsigned char *end)
{
    for (size_t k = 1; k <= 3 && (size_t)(end - start) >= k; k++)
        if ((k == 1 || end[-(long)k] >= 0xc0) && space_fwd(end - k, end) == k)
            return k;
    return 0;
}

spy_text spy_text_lstrip(spy_text t)
{
    const unsigned char *end = (const unsigned char *)t.p + t.n;
    const unsigned char *p =
        (const unsigned char *)spy_skip_blanks(t.p, t.p + t.n); /* the usual indentation */
    size_t k;
    while (p < end && (k = space_fwd(p, end)) != 0)
        p += k;
    return spy_text_of((const char *)p, (size_t)(end - p));
}

spy_text spy_text_rstrip(spy_text t)
{
    const unsigned char *p = (const unsigned char *)t.p, *end = p + t.n;
    size_t k;
    while (end > p) {
        /* An ASCII last byte needs no look-back, unless it follows
         * e2 80: space_fwd() takes e2 80 <byte <= 0x8a> for a space. */
        if (end[-1] < 0x80 && !(end - p >= 3 && end[-3] == 0xe2 && end[-2] == 0x80))
            k = ascii_space(end[-1]);
        else
            k = space_back(p, end);
        if (k == 0)
            break;
        end -= k;
    }
    return spy_text_of(t.p, (size_t)(end - p));
}

spy_text spy_text_strip(spy_text t)
{
    /* Printable ASCII at both ends (the usual field) keeps all of t: no
     * byte there starts or ends whitespace, unless the last one closes a
     * three-byte sequence rstrip() looks back for. */
    const unsigned char *u = (const unsigned char *)t.p;
    if (t.n >= 3 && u[0] > ' ' && u[0] < 0x80 && u[t.n - 1] > ' ' && u[t.n - 1] < 0x80 &&
        !(u[t.n - 3] == 0xe2 && u[t.n - 2] == 0x80))
        return t;
    return spy_text_rstrip(spy_text_lstrip(t));
}

/* chars[0] alone (the common "\"") is compared without strchr(). */
static inline bool in_chars(char c, const char *chars)
{
    return c && (chars[0] && !chars[1] ? c == chars[0] : strchr(chars, c) != NULL);
}

spy_text spy_text_rstrip_chars(spy_text t, const char *chars)
{
    while (t.n && in_chars(t.p[t.n - 1], chars))
        t.n--;
    return t;
}

spy_text spy_text_strip_chars(spy_text t, const char *chars)
{
    while (t.n && in_chars(t.p[0], chars))
        t.p++, t.n--;
    return spy_text_rstrip_chars(t, chars);
}

long spy_text_findn(spy_text t, const char *needle, size_t n, size_t from)
{
    if (from > t.n)
        return -1;
    if (n == 0)
        return (long)from;
    /* memmem() is a GNU extension; needles here are a few bytes, compared
     * in line rather than by a memcmp() call per candidate */
    const char *p = t.p + from, *end = t.p + t.n;
    while ((size_t)(end - p) >= n && (p = memchr(p, needle[0], (size_t)(end - p) - n + 1))) {
        size_t i = 1;
        while (i < n && p[i] == needle[i])
            i++;
        if (i == n)
            return (long)(p - t.p);
        p++;
    }
    return -1;
}

size_t spy_text_indent(spy_text t)
{
    size_t i = 0;
    while (i < t.n && t.p[i] == ' ')
        i++;
    return i;
}

spy_text spy_text_sub(spy_text t, size_t from, size_t to)
{
    if (to > t.n)
        to = t.n;
    if (from > to)
        from = to;
    return spy_text_of(t.p + from, to - from);
}

spy_text spy_text_pyslice(spy_text t, long start, long stop)
{
    long n = (long)t.n;
    if (start < 0)
        start = start + n < 0 ? 0 : start + n;
    if (stop < 0)
        stop = stop + n < 0 ? 0 : stop + n;
    if (start > n)
        start = n;
    if (stop > n)
        stop = n;
    return stop > start ? spy_text_of(t.p + start, (size_t)(stop - start))
                        : spy_text_of(t.p + start, 0);
}

spy_text spy_text_head(spy_text t, size_t n)
{
    size_t i = 0, cps = 0;
    while (i < t.n) {
        if (((unsigned char)t.p[i] & 0xc0) != 0x80) {
            if (cps == n)
                break;
            cps++;
        }
        i++;
    }
    return spy_text_of(t.p, i);
}

bool spy_text_word(spy_text *rest, spy_text *word)
{
    /* a printable ASCII first byte: lstrip() would keep it all */
    if (!(rest->n && (unsigned char)rest->p[0] > ' ' && (unsigned char)rest->p[0] < 0x80))
        *rest = spy_text_lstrip(*rest);
    if (rest->n == 0)
        return false;
    const unsigned char *p = (const unsigned char *)rest->p, *end = p + rest->n, *q = p;
    /* Printable ASCII never starts whitespace: eight bytes at a time while
     * none is <= ' ' (x - 0x21 borrows) or >= 0x80 (a borrow only follows a
     * flagged byte, so "none" is exact), then no call for such bytes. */
    uint64_t x;
    while (end - q >= 8 &&
           (memcpy(&x, q, 8), (((x - 0x2121212121212121ull) | x) & 0x8080808080808080ull) == 0))
        q += 8;
    for (; q < end; q++)
        if ((*q <= ' ' || *q >= 0x80) && space_fwd(q, end) != 0)
            break;
    *word = spy_text_of(rest->p, (size_t)(q - p));
    *rest = spy_text_of((const char *)q, (size_t)(end - q));
    return true;
}

bool spy_text_field(spy_text *rest, const char *sep, spy_text *field)
{
    if (!rest->p)
        return false;
    size_t k = strlen(sep);
    long at = spy_text_findn(*rest, sep, k, 0);
    if (at < 0) {
        *field = *rest;
        rest->p = NULL;
        rest->n = 0;
        return true;
    }
    *field = spy_text_of(rest->p, (size_t)at);
    *rest = spy_text_of(rest->p + at + k, rest->n - (size_t)at - k);
    return true;
}

size_t spy_text_count_fields(spy_text t, const char *sep)
{
    size_t n = 0;
    spy_text f;
    while (spy_text_field(&t, sep, &f))
        n++;
    return n;
}

bool spy_text_partitionn(spy_text t, const char *sep, size_t k, spy_text *before, spy_text *after)
{
    long at = spy_text_findn(t, sep, k, 0);
    if (at < 0) {
        *before = t;
        *after = spy_text_of(t.p + t.n, 0);
        return false;
    }
    *before = spy_text_of(t.p, (size_t)at);
    *after = spy_text_of(t.p + at + k, t.n - (size_t)at - k);
    return true;
}

json_t *spy_text_json(spy_text t)
{
    return json_stringn_nocheck(t.n ? t.p : "", t.n);
}

char *spy_text_dup(spy_text t)
{
    return spy_xstrndup(t.n ? t.p : "", t.n);
}

char *spy_text_dup_without(spy_text t, char ch)
{
    char *out = spy_xmalloc(t.n + 1);
    size_t o = 0;
    for (size_t i = 0; i < t.n; i++)
        if (t.p[i] != ch)
            out[o++] = t.p[i];
    out[o] = '\0';
    return out;
}
