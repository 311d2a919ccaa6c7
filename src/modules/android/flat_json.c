#include "modules/android/flat_json.h"

#include "core/mem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static bool is_digit(char c)
{
    return (unsigned char)(c - '0') <= 9;
}

/* JSON whitespace, beyond the one space of the usual ": " and ", " (taken
 * before this is called). */
static const char *ws(const char *p, const char *end)
{
    while (p < end && (unsigned char)*p <= ' ' &&
           (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char h = p[i];
        int d = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* Length of the valid UTF-8 sequence at s (jansson rejects anything else). */
static size_t utf8_len(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    size_t n = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (!n || left < n)
        return 0;
    uint32_t cp = c & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    return cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : n;
}

static size_t encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The code point of a \u escape at p (after the backslash and 'u'), and
 * the text after it; NULL when jansson would refuse it (lone or reversed
 * surrogates). */
static const char *uescape(const char *p, const char *end, uint32_t *out)
{
    if (end - p < 4)
        return NULL;
    int v = hex4(p);
    if (v < 0)
        return NULL;
    p += 4;
    uint32_t cp = (uint32_t)v;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return NULL;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
            return NULL;
        int lo = hex4(p + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return NULL;
        p += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
    }
    *out = cp;
    return p;
}

/* True when none of the 8 bytes at p ends or escapes a string or needs
 * a look (a quote, a backslash, a control, DEL or non-ASCII: the bytes
 * the emitter escapes, so a run of plain words is written as is). A byte
 * below 0x20 or from 0xA0 sets its high bit in w - 0x20.., one from 0x7F
 * to 0xFE in w + 0x01..; a borrow or a carry only comes out of a byte that
 * is itself flagged, so the tests may report a byte that is not there
 * after one that is, never miss one. (The scalar scan: SSE2 does 16.) */
static bool plain8(const char *p)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
    uint64_t hit =
        ((w - ones * 0x20) | (w + ones)) | ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash);
    return (hit & high) == 0;
}

/* The bytes plain8 flags, one at a time: a quote, a backslash, a control,
 * DEL and non-ASCII. */
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
/* clang-format off */
static const bool STOP[256] = {
    R16(1), R16(1),                                  /* 0x00-0x1F */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20-0x2F: '"' */
    R16(0), R16(0),                                  /* 0x30-0x4F */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50-0x5F: '\\' */
    R16(0),                                          /* 0x60-0x6F */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* 0x70-0x7F: DEL */
    R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1)};
/* clang-format on */
#undef R16

#ifdef __SSE2__
/* The STOP bytes of 16, as a bit mask: v + 1 is (signed) below 0x21 for
 * the controls (v + 1 from 0x01 to 0x20), DEL and non-ASCII (v + 1 wraps
 * to 0x80-0xFF, or 0x00 for 0xFF); quotes and backslashes are compared. */
static unsigned stop16(__m128i v)
{
    __m128i low = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(1)), _mm_set1_epi8(0x21));
    __m128i q = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i b = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(low, _mm_or_si128(q, b)));
}
#endif

/* The record's buffer as the parser fills it: b and cap follow r->buf and
 * r->buf_cap, o is r->len (written back before a grow and at the end). */
typedef struct wr {
    spy_flat *r;
    char *b;
    size_t o, cap;
} wr;

/* Room for n more bytes at w->o. (w stays the caller's: its address
 * never leaves the inlined code, so its fields live in registers.) */
static inline void room(wr *w, size_t n)
{
    if (w->o + n > w->cap) {
        w->r->len = w->o;
        spy_flat_grow(w->r, n);
        w->b = w->r->buf;
        w->cap = w->r->buf_cap;
    }
}

/* The string whose text starts at p (after its opening quote), appended
 * decoded to the buffer with its NUL; the text after the closing quote,
 * or NULL to decline. *plain: the decoded text has no byte the emitter
 * escapes (SPY_FLAT_KEY_PLAIN), known here for free. Plain runs are
 * copied as scanned, 16 bytes at a time (a store may run past the run:
 * the buffer has room for it, and the next bytes overwrite it), so there
 * is always room for the NUL when the closing quote comes. Inlined in
 * both callers (keys and values), as most strings are a block or two. */
static inline __attribute__((always_inline)) const char *string(wr *w, const char *p,
                                                                const char *end, bool *plain)
{
    bool pl = true;
    for (;;) {
        bool stopped = false;
#ifdef __SSE2__
        while (end - p >= 16) {
            room(w, 17);
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            _mm_storeu_si128((__m128i *)(void *)(w->b + w->o), v);
            unsigned m = stop16(v);
            if (m) {
                unsigned k = (unsigned)__builtin_ctz(m);
                p += k;
                w->o += k;
                stopped = true;
                break;
            }
            p += 16;
            w->o += 16;
        }
#endif
        if (!stopped) {
            const char *s = p;
            while (end - p >= 8 && plain8(p))
                p += 8;
            while (p < end && !STOP[(unsigned char)*p])
                p++;
            size_t n = (size_t)(p - s);
            room(w, n + 1);
            memcpy(w->b + w->o, s, n);
            w->o += n;
            if (p >= end)
                return NULL;
        }
        unsigned char ch = (unsigned char)*p;
        if (ch == '"') {
            w->b[w->o++] = '\0';
            *plain = pl;
            return p + 1;
        }
        if (ch < 0x20)
            return NULL;
        if (ch >= 0x7F) {
            pl = false;
            size_t k = ch == 0x7F ? 1 : utf8_len((const unsigned char *)p, (size_t)(end - p));
            if (!k)
                return NULL;
            room(w, k + 1);
            memcpy(w->b + w->o, p, k);
            w->o += k;
            p += k;
            continue;
        }
        /* backslash */
        if (end - p < 2)
            return NULL;
        char e = p[1], d;
        p += 2;
        switch (e) {
        case '"': d = '"'; break;
        case '\\': d = '\\'; break;
        case '/': d = '/'; break;
        case 'b': d = '\b'; break;
        case 'f': d = '\f'; break;
        case 'n': d = '\n'; break;
        case 'r': d = '\r'; break;
        case 't': d = '\t'; break;
        case 'u': {
            uint32_t cp;
            p = uescape(p, end, &cp);
            if (!p)
                return NULL;
            if (cp < 0x20 || cp >= 0x7F || cp == '"' || cp == '\\')
                pl = false;
            room(w, 5);
            w->o += encode(cp, w->b + w->o);
            continue;
        }
        default: return NULL;
        }
        pl = pl && e == '/'; /* the rest are escaped again */
        room(w, 2);
        w->b[w->o++] = d;
    }
}

/* A field whose key and string sit at the given offsets of the buffer,
 * pointed at as it is now (spy_flat_parse seals the record again if the
 * buffer moves later). */
static inline void add(wr *w, size_t key_off, size_t key_len, spy_flat_kind kind, size_t s_off,
                       size_t s_len, int64_t i, unsigned plain)
{
    spy_flat *r = w->r;
    spy_flat_add_plain(r, key_off, key_len, kind, s_off, s_len, i, plain);
    spy_flat_field *f = &r->f[r->n - 1];
    f->key = w->b + key_off;
    f->s = kind == SPY_FLAT_STR ? w->b + s_off : NULL;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The number of ASCII digits that start the 8 bytes at p, and their value
 * (the digits moved to the top of the word behind zeros, then combined
 * pairwise: 8 digits in 3 multiplications). A byte below '0' borrows only
 * from the bytes after it, past the first non-digit. */
static inline unsigned digits8(const char *p, uint64_t *val)
{
    const uint64_t ones = 0x0101010101010101u;
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t t = x - ones * '0';
    uint64_t bad = ((t + ones * 0x76) | t) & (ones * 0x80);
    unsigned n = bad ? (unsigned)__builtin_ctzll(bad) / 8 : 8;
    if (n == 0) {
        *val = 0;
        return 0;
    }
    t <<= 8 * (8 - n);
    t = (t * 2561) >> 8;
    t = ((t & 0x00FF00FF00FF00FFu) * 6553601) >> 16;
    *val = ((t & 0x0000FFFF0000FFFFu) * 42949672960001u) >> 32;
    return n;
}

static const uint64_t P10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
#endif

/* A scalar value (string, integer, true, false, null) at p, after any
 * whitespace, added to the record under the key at key_off; the text
 * after it, NULL to decline. */
static inline const char *scalar(wr *w, const char *p, const char *end, size_t key_off,
                                 size_t key_len, unsigned plain)
{
    for (;;) {
        if (p >= end)
            return NULL;
        char ch = *p;
        if (ch == '"') {
            size_t off = w->o;
            bool s_plain;
            p = string(w, p + 1, end, &s_plain);
            if (p)
                add(w, key_off, key_len, SPY_FLAT_STR, off, w->o - off - 1, 0,
                    plain | (s_plain ? SPY_FLAT_STR_PLAIN : 0));
            return p;
        }
        if (ch == 't' || ch == 'f' || ch == 'n') {
            const char *lit = ch == 't' ? "true" : ch == 'f' ? "false" : "null";
            size_t k = ch == 'f' ? 5 : 4;
            if ((size_t)(end - p) < k || memcmp(p, lit, k) != 0)
                return NULL;
            add(w, key_off, key_len,
                ch == 't'   ? SPY_FLAT_TRUE
                : ch == 'f' ? SPY_FLAT_FALSE
                            : SPY_FLAT_NULL,
                0, 0, 0, plain);
            return p + k;
        }
        const char *s = p;
        bool neg = ch == '-';
        p += neg;
        if (p >= end || !is_digit(*p) || (*p == '0' && end - p > 1 && is_digit(p[1]))) {
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
                return NULL;
            p = ws(s, end); /* rare: more than ": " before the value */
            continue;
        }
        /* at most 19 digits: more, reals, exponents and anything near the
         * int64 edge go to jansson */
        const char *lim = end - p > 19 ? p + 19 : end;
        uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        while (lim - p >= 8) { /* (digits8 reads the text's first byte as the low one) */
            uint64_t part;
            unsigned n = digits8(p, &part);
            v = v * P10[n] + part;
            p += n;
            if (n < 8)
                break;
        }
#endif
        while (p < lim && is_digit(*p))
            v = v * 10 + (uint64_t)(*p++ - '0');
        if (p < end && (is_digit(*p) || *p == '.' || *p == 'e' || *p == 'E'))
            return NULL;
        if (v > (uint64_t)INT64_MAX || (p - s) > 19)
            return NULL;
        add(w, key_off, key_len, SPY_FLAT_INT, 0, 0, neg ? -(int64_t)v : (int64_t)v, plain);
        return p;
    }
}

/* p past whitespace and the character c (the next token), or NULL when
 * something else comes. The usual layout has none before c and one space
 * after, which is taken here too. */
static inline const char *expect(const char *p, const char *end, char c)
{
    if (p >= end || *p != c) {
        p = ws(p, end);
        if (p >= end || *p != c)
            return NULL;
    }
    p++;
    if (p < end && *p == ' ')
        p++;
    return p;
}

/* The key of n bytes (with its NUL) at b, readable 16 bytes on, equals
 * the next one of keys (at *off, moved past it). */
static inline bool key_is(const spy_flat_keys *keys, size_t *off, const char *b, size_t n)
{
    size_t at = *off;
    *off += n;
    if (at + n > keys->len)
        return false;
#ifdef __SSE2__
    if (n <= 16) { /* keys->s too is readable 16 bytes past its len */
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)b);
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(keys->s + at));
        unsigned ne = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) ^ 0xFFFFu;
        return (ne & ((1u << n) - 1)) == 0;
    }
#endif
    return memcmp(b, keys->s + at, n) == 0;
}

/* The key at s (on its opening quote, 17 bytes readable) when it is
 * written as the key t (NUL-terminated, 16 bytes readable): the same
 * plain bytes, then the closing quote. Returns its length with the NUL,
 * the key copied to out (17 bytes of room), or 0 when it is not. Taking
 * the length from t rather than from the text spares the scan, and the
 * wait for it: most records repeat the last one's keys. */
static inline size_t same_key(const char *t, const char *s, char *out)
{
#ifdef __SSE2__
    __m128i k = _mm_loadu_si128((const __m128i *)(const void *)t);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 1));
    unsigned z = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(k, _mm_setzero_si128()));
    if (*s != '"' || !z)
        return 0;
    unsigned n = (unsigned)__builtin_ctz(z), below = (1u << n) - 1;
    unsigned ne = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k)) ^ 0xFFFFu;
    if (((ne | stop16(v)) & below) || s[1 + n] != '"')
        return 0;
    _mm_storeu_si128((__m128i *)(void *)out, v);
    out[n] = '\0';
    return n + 1;
#else
    (void)t;
    (void)s;
    (void)out;
    return 0;
#endif
}

bool spy_flat_parse_keys(spy_flat *r, const char *s, size_t len, size_t *used,
                         const spy_flat_keys *keys, bool *same)
{
    const char *p = s, *end = s + len;
    spy_flat_reset(r);
    if (!len || *p != '{')
        return false;
    wr w = {r, r->buf, 0, r->buf_cap};
    const char *buf = r->buf; /* where add() points the fields */
    bool eq = keys != NULL;
    size_t koff = 0;
    p = ws(p + 1, end);
    if (p < end && *p == '}') {
        p++;
        goto done;
    }
    for (;;) {
        if (p < end && *p != '"')
            p = ws(p, end);
        room(&w, 17); /* same_key writes, and key_is reads, the key as a block */
        size_t key_off = w.o, key_len;
        bool key_plain;
        size_t n;
        if (eq && end - p >= 17 && koff < keys->len &&
            (n = same_key(keys->s + koff, p, w.b + w.o)) != 0) {
            /* the usual key: the last record's at this place, copied */
            key_len = n - 1;
            w.o += n;
            koff += n;
            p += n + 1;
            key_plain = true;
        } else {
            if (p >= end || *p != '"' || !(p = string(&w, p + 1, end, &key_plain)))
                return false;
            key_len = w.o - key_off - 1;
            /* jansson refuses NUL in keys (a plain key has none) */
            if (!key_plain && key_len && memchr(w.b + key_off, 0, key_len))
                return false;
            if (eq)
                eq = key_is(keys, &koff, w.b + key_off, key_len + 1);
        }
        if (!(p = expect(p, end, ':')) ||
            !(p = scalar(&w, p, end, key_off, key_len, key_plain ? SPY_FLAT_KEY_PLAIN : 0u)))
            return false;
        if (p < end && *p == ',') {
            p++;
            if (p < end && *p == ' ')
                p++;
            continue;
        }
        if (p < end && *p == '}') {
            p++;
            break;
        }
        p = ws(p, end);
        if (p < end && *p == '}') {
            p++;
            break;
        }
        if (!(p = expect(p, end, ',')))
            return false;
    }
done:
    r->len = w.o;
    if (w.b != buf)
        spy_flat_seal(r); /* the buffer moved under the first fields */
    *used = (size_t)(p - s);
    if (same)
        *same = eq && koff == keys->len;
    return true;
}

bool spy_flat_parse(spy_flat *r, const char *s, size_t len, size_t *used)
{
    return spy_flat_parse_keys(r, s, len, used, NULL, NULL);
}

json_t *spy_flat_json_object(const char *s, size_t len, size_t *used)
{
    spy_flat r = {0};
    json_t *o = spy_flat_parse(&r, s, len, used) ? spy_flat_to_json(&r) : NULL;
    spy_flat_free(&r);
    return o;
}
