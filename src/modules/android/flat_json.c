#include "modules/android/flat_json.h"

#include "core/mem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct cur {
    const char *p, *end;
    spy_flat *r; /* decoded keys and strings go to its buffer */
} cur;

static void ws(cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
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

static void put(cur *c, const char *s, size_t k)
{
    spy_flat_append(c->r, s, k);
}

static size_t encode(uint32_t cp, char out[4])
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

/* A \u escape at c->p (after the backslash and 'u'); false when jansson
 * would refuse it (lone or reversed surrogates). *plain is cleared unless
 * the character is one the emitter writes as is. */
static bool uescape(cur *c, bool *plain)
{
    if (c->end - c->p < 4)
        return false;
    int v = hex4(c->p);
    if (v < 0)
        return false;
    c->p += 4;
    uint32_t cp = (uint32_t)v;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u')
            return false;
        int lo = hex4(c->p + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return false;
        c->p += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
    }
    if (cp < 0x20 || cp >= 0x7F || cp == '"' || cp == '\\')
        *plain = false;
    char u[4];
    put(c, u, encode(cp, u));
    return true;
}

/* True when none of the 8 bytes at p ends or escapes a string or needs
 * a look (a quote, a backslash, a control, DEL or non-ASCII: the bytes
 * the emitter escapes, so a run of plain words is written as is). Strings
 * are most of files.json, and are scanned a word at a time. A byte below
 * 0x20 or from 0xA0 sets its high bit in w - 0x20.., one from 0x7F to 0xFE
 * in w + 0x01..; a borrow or a carry only comes out of a byte that is
 * itself flagged, so the tests may report a byte that is not there after
 * one that is, never miss one. */
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

/* A string at c->p (on its opening quote) appended, decoded, to the
 * record's buffer (without its NUL). *plain: the decoded text has no byte
 * the emitter escapes (SPY_FLAT_KEY_PLAIN), known here for free. */
static bool string(cur *c, bool *plain)
{
    c->p++;
    *plain = true;
    for (;;) {
        const char *s = c->p;
        while (c->end - c->p >= 8 && plain8(c->p))
            c->p += 8;
        while (c->p < c->end && !STOP[(unsigned char)*c->p])
            c->p++;
        put(c, s, (size_t)(c->p - s));
        if (c->p >= c->end)
            return false;
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"') {
            c->p++;
            return true;
        }
        if (ch < 0x20)
            return false;
        if (ch >= 0x7F) {
            *plain = false;
            size_t k =
                ch == 0x7F ? 1 : utf8_len((const unsigned char *)c->p, (size_t)(c->end - c->p));
            if (!k)
                return false;
            put(c, c->p, k);
            c->p += k;
            continue;
        }
        /* backslash */
        if (c->end - c->p < 2)
            return false;
        char e = c->p[1];
        c->p += 2;
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(from, e) : NULL;
        if (k) {
            put(c, to + (k - from), 1);
            *plain = *plain && e == '/'; /* the rest are escaped again */
        } else if (e != 'u' || !uescape(c, plain)) {
            return false;
        }
    }
}

/* A scalar value (string, integer, true, false, null) added to the record
 * under the key at key_off; false to decline. */
static bool scalar(cur *c, size_t key_off, size_t key_len, unsigned plain)
{
    if (c->p >= c->end)
        return false;
    char ch = *c->p;
    if (ch == '"') {
        size_t off = c->r->len;
        bool s_plain;
        if (!string(c, &s_plain))
            return false;
        size_t n = c->r->len - off;
        spy_flat_end(c->r);
        spy_flat_add_plain(c->r, key_off, key_len, SPY_FLAT_STR, off, n, 0,
                           plain | (s_plain ? SPY_FLAT_STR_PLAIN : 0));
        return true;
    }
    static const char *const lit[3] = {"true", "false", "null"};
    static const size_t lit_len[3] = {4, 5, 4};
    static const spy_flat_kind lit_kind[3] = {SPY_FLAT_TRUE, SPY_FLAT_FALSE, SPY_FLAT_NULL};
    for (int i = 0; i < 3; i++) {
        size_t k = lit_len[i];
        if ((size_t)(c->end - c->p) >= k && memcmp(c->p, lit[i], k) == 0) {
            c->p += k;
            spy_flat_add_plain(c->r, key_off, key_len, lit_kind[i], 0, 0, 0, plain);
            return true;
        }
    }
    const char *s = c->p;
    bool neg = ch == '-';
    if (neg)
        c->p++;
    if (c->p >= c->end || *c->p < '0' || *c->p > '9' ||
        (*c->p == '0' && c->end - c->p > 1 && c->p[1] >= '0' && c->p[1] <= '9'))
        return false;
    uint64_t v = 0;
    int digits = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && digits < 19) {
        v = v * 10 + (uint64_t)(*c->p++ - '0');
        digits++;
    }
    /* reals, exponents and anything near the int64 edge go to jansson */
    if (c->p < c->end &&
        ((*c->p >= '0' && *c->p <= '9') || *c->p == '.' || *c->p == 'e' || *c->p == 'E'))
        return false;
    if (v > (uint64_t)INT64_MAX || (c->p - s) > 19)
        return false;
    spy_flat_add_plain(c->r, key_off, key_len, SPY_FLAT_INT, 0, 0, neg ? -(int64_t)v : (int64_t)v,
                       plain);
    return true;
}

bool spy_flat_parse(spy_flat *r, const char *s, size_t len, size_t *used)
{
    cur c = {s, s + len, r};
    spy_flat_reset(r);
    if (!len || *s != '{')
        return false;
    c.p++;
    ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
        goto done;
    }
    for (;;) {
        size_t key_off = r->len;
        bool key_plain;
        /* jansson refuses NUL in keys */
        if (c.p >= c.end || *c.p != '"' || !string(&c, &key_plain))
            return false;
        size_t key_len = r->len - key_off;
        if (!key_plain && key_len && memchr(r->buf + key_off, 0, key_len))
            return false; /* (a plain key has no NUL) */
        spy_flat_end(r);
        ws(&c);
        if (c.p >= c.end || *c.p != ':')
            return false;
        c.p++;
        ws(&c);
        if (!scalar(&c, key_off, key_len, key_plain ? SPY_FLAT_KEY_PLAIN : 0u))
            return false;
        ws(&c);
        if (c.p < c.end && *c.p == ',') {
            c.p++;
            ws(&c);
            continue;
        }
        if (c.p < c.end && *c.p == '}') {
            c.p++;
            break;
        }
        return false;
    }
done:
    spy_flat_seal(r);
    *used = (size_t)(c.p - s);
    return true;
}

json_t *spy_flat_json_object(const char *s, size_t len, size_t *used)
{
    spy_flat r = {0};
    json_t *o = spy_flat_parse(&r, s, len, used) ? spy_flat_to_json(&r) : NULL;
    spy_flat_free(&r);
    return o;
}
