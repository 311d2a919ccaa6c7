/* Streaming JSON emitter laid out as Python's json.dump(indent=4,
 * ensure_ascii=True) writes it, so spyscan's files diff cleanly against
 * MVT's (spec/outputs.md §3.1). Memory: one write buffer plus a frame per
 * open container (bounded by SPY_MAX_EMIT_DEPTH). */
#include "core/json_emit.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JW_FD_BUF (64u * 1024u)

typedef struct jw_frame {
    bool object; /* else array */
    bool has_items;
    bool want_value; /* a key was written, its value is due */
} jw_frame;

struct spy_jw {
    int fd; /* -1 for memory emitters */
    int indent;
    char *buf;
    size_t len, cap;
    int err;
    int saved_errno; /* errno of a failed write, restored by finish */
    bool top_done;   /* one top-level value per emitter */
    unsigned depth;
    jw_frame st[SPY_MAX_EMIT_DEPTH + 1]; /* st[0]: the top level */
};

static spy_jw *jw_new(int fd, int indent)
{
    spy_jw *w = spy_xcalloc(1, sizeof *w);
    w->fd = fd;
    w->indent = indent > 0 ? indent : 0;
    w->cap = fd >= 0 ? JW_FD_BUF : 256; /* memory emitters are often CSV cells */
    w->buf = spy_xmalloc(w->cap);
    return w;
}

spy_jw *spy_jw_new_fd(int fd, int indent)
{
    return jw_new(fd, indent);
}
spy_jw *spy_jw_new_mem(int indent)
{
    return jw_new(-1, indent);
}

/* write(2) until done: a short write or EINTR is not an error. */
static int jw_write_fd(spy_jw *w, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t r = write(w->fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            w->saved_errno = r < 0 ? errno : EIO;
            w->err = SPY_EIO;
            return w->err;
        }
        p += r;
        n -= (size_t)r;
    }
    return SPY_OK;
}

static int jw_flush(spy_jw *w)
{
    if (w->fd < 0 || w->len == 0)
        return w->err;
    int rc = jw_write_fd(w, w->buf, w->len);
    w->len = 0;
    return rc;
}

static void jw_put(spy_jw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    if (w->len + n + 1 > w->cap) {
        if (w->fd >= 0) {
            if (jw_flush(w) != SPY_OK)
                return;
            if (n + 1 > w->cap) {
                jw_write_fd(w, s, n);
                return;
            }
        } else {
            while (w->len + n + 1 > w->cap)
                w->cap *= 2;
            w->buf = spy_xrealloc(w->buf, w->cap);
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void jw_putc(spy_jw *w, char c)
{
    jw_put(w, &c, 1);
}

static void jw_newline(spy_jw *w, unsigned level)
{
    static const char spaces[] = "                                ";
    jw_putc(w, '\n');
    size_t n = (size_t)level * (size_t)w->indent;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        jw_put(w, spaces, k);
        n -= k;
    }
}

/* Separator and indentation before an array item or an object key. */
static void jw_item_sep(spy_jw *w, jw_frame *f)
{
    if (f->has_items)
        jw_putc(w, ',');
    if (w->indent > 0)
        jw_newline(w, w->depth);
    else if (f->has_items)
        jw_putc(w, ' ');
    f->has_items = true;
}

/* Checks that a value may come here and writes what precedes it. */
static int jw_before_value(spy_jw *w)
{
    if (w->err)
        return w->err;
    jw_frame *f = &w->st[w->depth];
    if (w->depth == 0) {
        if (w->top_done)
            return w->err = SPY_EINTERNAL;
        w->top_done = true;
    } else if (f->object) {
        if (!f->want_value)
            return w->err = SPY_EINTERNAL;
        f->want_value = false;
    } else {
        jw_item_sep(w, f);
    }
    return w->err;
}

static int jw_begin(spy_jw *w, bool object)
{
    if (jw_before_value(w) != SPY_OK)
        return w->err;
    if (w->depth >= SPY_MAX_EMIT_DEPTH)
        return w->err = SPY_ELIMIT;
    jw_putc(w, object ? '{' : '[');
    w->depth++;
    w->st[w->depth] = (jw_frame){.object = object};
    return w->err;
}

static int jw_end(spy_jw *w, bool object)
{
    if (w->err)
        return w->err;
    jw_frame *f = &w->st[w->depth];
    if (w->depth == 0 || f->object != object || f->want_value)
        return w->err = SPY_EINTERNAL;
    w->depth--;
    if (f->has_items && w->indent > 0)
        jw_newline(w, w->depth);
    jw_putc(w, object ? '}' : ']');
    return w->err;
}

int spy_jw_begin_object(spy_jw *w)
{
    return jw_begin(w, true);
}
int spy_jw_end_object(spy_jw *w)
{
    return jw_end(w, true);
}
int spy_jw_begin_array(spy_jw *w)
{
    return jw_begin(w, false);
}
int spy_jw_end_array(spy_jw *w)
{
    return jw_end(w, false);
}

static const char hexdig[] = "0123456789abcdef";

static void jw_put_u16(spy_jw *w, unsigned cp)
{
    char e[6] = {'\\',
                 'u',
                 hexdig[(cp >> 12) & 15],
                 hexdig[(cp >> 8) & 15],
                 hexdig[(cp >> 4) & 15],
                 hexdig[cp & 15]};
    jw_put(w, e, sizeof e);
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), 0 when invalid; *cp gets the code point. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
        c &= 0x07;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (i > 1 && (s[i] < 0x80 || s[i] > 0xBF))
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    *cp = c;
    return len;
}

static void jw_put_escape(spy_jw *w, unsigned char c)
{
    switch (c) {
    case '"': jw_put(w, "\\\"", 2); return;
    case '\\': jw_put(w, "\\\\", 2); return;
    case '\n': jw_put(w, "\\n", 2); return;
    case '\r': jw_put(w, "\\r", 2); return;
    case '\t': jw_put(w, "\\t", 2); return;
    case '\b': jw_put(w, "\\b", 2); return;
    case '\f': jw_put(w, "\\f", 2); return;
    default: jw_put_u16(w, c); return; /* other controls and DEL */
    }
}

/* Non-ASCII at s: a code point as \uXXXX (pair above U+FFFF), or one
 * invalid byte as the text \xNN (Python's backslashreplace). */
static size_t jw_put_nonascii(spy_jw *w, const unsigned char *s, size_t n)
{
    unsigned cp;
    size_t k = utf8_decode(s, n, &cp);
    if (k == 0) {
        char e[5] = {'\\', '\\', 'x', hexdig[s[0] >> 4], hexdig[s[0] & 15]};
        jw_put(w, e, sizeof e);
        return 1;
    }
    if (cp >= 0x10000) {
        cp -= 0x10000;
        jw_put_u16(w, 0xD800 | (cp >> 10));
        jw_put_u16(w, 0xDC00 | (cp & 0x3FF));
    } else {
        jw_put_u16(w, cp);
    }
    return k;
}

static void jw_put_string(spy_jw *w, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    jw_putc(w, '"');
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && s[run] >= 0x20 && s[run] < 0x7F && s[run] != '"' && s[run] != '\\')
            run++;
        jw_put(w, str + i, run - i);
        i = run;
        if (i >= n)
            break;
        if (s[i] < 0x80) {
            jw_put_escape(w, s[i]);
            i++;
        } else {
            i += jw_put_nonascii(w, s + i, n - i);
        }
    }
    jw_putc(w, '"');
}

int spy_jw_key(spy_jw *w, const char *key, size_t len)
{
    if (w->err)
        return w->err;
    jw_frame *f = &w->st[w->depth];
    if (w->depth == 0 || !f->object || f->want_value || (!key && len))
        return w->err = SPY_EINTERNAL;
    jw_item_sep(w, f);
    jw_put_string(w, key ? key : "", len);
    jw_put(w, ": ", 2);
    f->want_value = true;
    return w->err;
}

int spy_jw_string(spy_jw *w, const char *s, size_t len)
{
    if (!s && len)
        return w->err ? w->err : (w->err = SPY_EINTERNAL);
    if (jw_before_value(w) == SPY_OK)
        jw_put_string(w, s ? s : "", len);
    return w->err;
}

int spy_jw_cstr(spy_jw *w, const char *s)
{
    return s ? spy_jw_string(w, s, strlen(s)) : spy_jw_null(w);
}

static int jw_raw_value(spy_jw *w, const char *text, size_t n)
{
    if (jw_before_value(w) == SPY_OK)
        jw_put(w, text, n);
    return w->err;
}

int spy_jw_int(spy_jw *w, long long v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%lld", v);
    return jw_raw_value(w, b, (size_t)n);
}

/* Shortest digits that read back as v: "d.ddde±XX" from %.*e, p = 1..17. */
static void real_shortest(double v, char *b, size_t cap)
{
    /* Reading back is monotonic in the digit count (17 always works), so a
     * binary search finds the shortest in ~5 tries instead of up to 17:
     * record times are reals, and a results file holds millions. */
    int lo = 1, hi = 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        snprintf(b, cap, "%.*e", mid - 1, v);
        if (strtod(b, NULL) == v)
            hi = mid;
        else
            lo = mid + 1;
    }
    snprintf(b, cap, "%.*e", hi - 1, v);
}

/* Lays out the digits of real_shortest as Python's float repr: fixed
 * notation for exponents -4..15 (with ".0" when integral), else d.ddde±XX. */
static size_t real_python(double v, char *out, size_t cap)
{
    char e[40], digits[24];
    real_shortest(v, e, sizeof e);
    const char *p = e;
    size_t nd = 0, o = 0;
    bool neg = *p == '-';
    if (neg)
        p++;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    long ex = strtol(p + 1, NULL, 10);
    if (neg)
        out[o++] = '-';
    if (ex < -4 || ex >= 16) {
        out[o++] = digits[0];
        if (nd > 1) {
            out[o++] = '.';
            memcpy(out + o, digits + 1, nd - 1);
            o += nd - 1;
        }
        int k = snprintf(out + o, cap - o, "e%c%02ld", ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
        return o + (size_t)k;
    }
    if (ex < 0) {
        out[o++] = '0';
        out[o++] = '.';
        for (long i = -1; i > ex; i--)
            out[o++] = '0';
        memcpy(out + o, digits, nd);
        return o + nd;
    }
    for (long i = 0; i <= ex; i++)
        out[o++] = (size_t)i < nd ? digits[i] : '0';
    out[o++] = '.';
    if ((size_t)ex + 1 < nd) {
        memcpy(out + o, digits + ex + 1, nd - (size_t)ex - 1);
        return o + nd - (size_t)ex - 1;
    }
    out[o++] = '0';
    return o;
}

int spy_jw_real(spy_jw *w, double v)
{
    if (isnan(v))
        return jw_raw_value(w, "NaN", 3);
    if (isinf(v))
        return v < 0 ? jw_raw_value(w, "-Infinity", 9) : jw_raw_value(w, "Infinity", 8);
    char b[64];
    size_t n = real_python(v, b, sizeof b);
    return jw_raw_value(w, b, n);
}

int spy_jw_bool(spy_jw *w, bool v)
{
    return v ? jw_raw_value(w, "true", 4) : jw_raw_value(w, "false", 5);
}

int spy_jw_null(spy_jw *w)
{
    return jw_raw_value(w, "null", 4);
}

static int jw_object_value(spy_jw *w, const json_t *v)
{
    if (spy_jw_begin_object(w) != SPY_OK)
        return w->err;
    for (void *it = json_object_iter((json_t *)v); it && !w->err;
         it = json_object_iter_next((json_t *)v, it)) {
        const char *k = json_object_iter_key(it);
#if JANSSON_VERSION_HEX >= 0x020e00
        size_t klen = json_object_iter_key_len(it);
#else
        size_t klen = strlen(k);
#endif
        if (spy_jw_key(w, k, klen) == SPY_OK)
            spy_jw_value(w, json_object_iter_value(it));
    }
    return spy_jw_end_object(w);
}

static int jw_array_value(spy_jw *w, const json_t *v)
{
    if (spy_jw_begin_array(w) != SPY_OK)
        return w->err;
    size_t n = json_array_size(v);
    for (size_t i = 0; i < n && !w->err; i++)
        spy_jw_value(w, json_array_get(v, i));
    return spy_jw_end_array(w);
}

int spy_jw_value(spy_jw *w, const json_t *v)
{
    if (w->err)
        return w->err;
    if (!v)
        return spy_jw_null(w);
    switch (json_typeof(v)) {
    case JSON_OBJECT: return jw_object_value(w, v);
    case JSON_ARRAY: return jw_array_value(w, v);
    case JSON_STRING: return spy_jw_string(w, json_string_value(v), json_string_length(v));
    case JSON_INTEGER: return spy_jw_int(w, (long long)json_integer_value(v));
    case JSON_REAL: return spy_jw_real(w, json_real_value(v));
    case JSON_TRUE: return spy_jw_bool(w, true);
    case JSON_FALSE: return spy_jw_bool(w, false);
    case JSON_NULL: return spy_jw_null(w);
    }
    return w->err = SPY_EINTERNAL;
}

int spy_jw_finish(spy_jw *w)
{
    if (!w->err && (w->depth != 0))
        w->err = SPY_EINTERNAL; /* containers left open */
    if (!w->err)
        jw_flush(w);
    if (w->err == SPY_EIO && w->saved_errno)
        errno = w->saved_errno; /* so the caller's message can name the cause */
    return w->err;
}

const char *spy_jw_mem(const spy_jw *w, size_t *len)
{
    if (len)
        *len = w->fd < 0 ? w->len : 0;
    if (w->fd >= 0)
        return "";
    w->buf[w->len] = '\0'; /* jw_put always leaves room for it */
    return w->buf;
}

void spy_jw_free(spy_jw *w)
{
    if (!w)
        return;
    free(w->buf);
    free(w);
}
