#include "modules/android/flat_json.h"

#include "core/mem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct scratch {
    char *buf; /* a decoded string */
    size_t cap;
} scratch;

typedef struct cur {
    const char *p, *end;
    scratch key, val;
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

static void put(scratch *b, size_t *n, const char *s, size_t k)
{
    if (k == 0)
        return;
    if (*n + k > b->cap) {
        while (*n + k > b->cap)
            b->cap = b->cap ? b->cap * 2 : 256;
        b->buf = spy_xrealloc(b->buf, b->cap);
    }
    memcpy(b->buf + *n, s, k);
    *n += k;
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
 * would refuse it (lone or reversed surrogates). */
static bool uescape(cur *c, scratch *b, size_t *n)
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
    char u[4];
    put(b, n, u, encode(cp, u));
    return true;
}

/* A string at c->p (on its opening quote) decoded into b->buf[0..*n). */
static bool string(cur *c, scratch *b, size_t *n)
{
    *n = 0;
    c->p++;
    for (;;) {
        const char *s = c->p;
        while (c->p < c->end && *c->p != '"' && *c->p != '\\' && (unsigned char)*c->p >= 0x20 &&
               (unsigned char)*c->p < 0x80)
            c->p++;
        put(b, n, s, (size_t)(c->p - s));
        if (c->p >= c->end)
            return false;
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"') {
            c->p++;
            return true;
        }
        if (ch < 0x20)
            return false;
        if (ch >= 0x80) {
            size_t k = utf8_len((const unsigned char *)c->p, (size_t)(c->end - c->p));
            if (!k)
                return false;
            put(b, n, c->p, k);
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
            put(b, n, to + (k - from), 1);
        } else if (e != 'u' || !uescape(c, b, n)) {
            return false;
        }
    }
}

/* A scalar value: string, integer, true, false, null; NULL to decline. */
static json_t *scalar(cur *c)
{
    if (c->p >= c->end)
        return NULL;
    char ch = *c->p;
    if (ch == '"') {
        size_t n;
        return string(c, &c->val, &n) ? json_stringn_nocheck(c->val.buf ? c->val.buf : "", n)
                                      : NULL;
    }
    static const char *const lit[3] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t k = strlen(lit[i]);
        if ((size_t)(c->end - c->p) >= k && memcmp(c->p, lit[i], k) == 0) {
            c->p += k;
            return i == 0 ? json_true() : i == 1 ? json_false() : json_null();
        }
    }
    const char *s = c->p;
    bool neg = ch == '-';
    if (neg)
        c->p++;
    if (c->p >= c->end || *c->p < '0' || *c->p > '9' ||
        (*c->p == '0' && c->end - c->p > 1 && c->p[1] >= '0' && c->p[1] <= '9'))
        return NULL;
    uint64_t v = 0;
    int digits = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && digits < 19) {
        v = v * 10 + (uint64_t)(*c->p++ - '0');
        digits++;
    }
    /* reals, exponents and anything near the int64 edge go to jansson */
    if (c->p < c->end &&
        ((*c->p >= '0' && *c->p <= '9') || *c->p == '.' || *c->p == 'e' || *c->p == 'E'))
        return NULL;
    if (v > (uint64_t)INT64_MAX || (c->p - s) > 19)
        return NULL;
    return json_integer(neg ? -(json_int_t)v : (json_int_t)v);
}

json_t *spy_flat_json_object(const char *s, size_t len, size_t *used)
{
    cur c = {s, s + len, {NULL, 0}, {NULL, 0}};
    if (!len || *s != '{')
        return NULL;
    c.p++;
    json_t *obj = json_object();
    ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
        goto done;
    }
    for (;;) {
        size_t n;
        /* jansson refuses NUL in keys */
        if (c.p >= c.end || *c.p != '"' || !string(&c, &c.key, &n) ||
            (n && memchr(c.key.buf, 0, n)))
            goto decline;
        put(&c.key, &n, "", 1);
        ws(&c);
        json_t *v = NULL;
        if (c.p < c.end && *c.p == ':') {
            c.p++;
            ws(&c);
            v = scalar(&c);
        }
        if (!v)
            goto decline;
        json_object_set_new_nocheck(obj, c.key.buf, v);
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
        goto decline;
    }
done:
    free(c.key.buf);
    free(c.val.buf);
    *used = (size_t)(c.p - s);
    return obj;
decline:
    free(c.key.buf);
    free(c.val.buf);
    json_decref(obj);
    return NULL;
}
