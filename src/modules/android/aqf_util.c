#include "modules/android/aqf_util.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/flat_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int spy_aqf_read(spy_mod_ctx *ctx, const spy_artifact *art, size_t max, char **buf, size_t *len)
{
    void *data = NULL;
    size_t n = 0;
    *buf = NULL;
    *len = 0;
    int err = spy_acq_read(spy_ctx_acq(ctx), art, max, &data, &n);
    if (err != SPY_OK) {
        spy_error(spy_ctx_logger(ctx), "Unable to read %s: %s", art->label ? art->label : art->path,
                  err == SPY_ELIMIT ? "larger than spyscan accepts" : spy_err_str(err));
        free(data);
        return err;
    }
    *buf = spy_xrealloc(data, n + 1);
    (*buf)[n] = '\0';
    *len = n;
    return SPY_OK;
}

int spy_aqf_read_first(spy_mod_ctx *ctx, const char *glob, size_t max, char **buf, size_t *len,
                       char **label)
{
    const char *globs[] = {glob, NULL};
    spy_query q = {.globs = globs, .first_only = true};
    spy_artifacts l = {0};
    *buf = NULL;
    *len = 0;
    if (label)
        *label = NULL;
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, &l);
    if (err == SPY_OK && l.n == 0)
        err = SPY_ENOTFOUND;
    if (err == SPY_OK) {
        err = spy_aqf_read(ctx, &l.v[0], max, buf, len);
        if (err == SPY_OK && label)
            *label = spy_xstrdup(l.v[0].label ? l.v[0].label : l.v[0].path);
    }
    spy_artifacts_free(&l);
    return err;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (left < n)
        return 0;
    uint32_t cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t spy_utf8_drop_invalid(char *s, size_t len)
{
    unsigned char *u = (unsigned char *)s;
    size_t r = 0;
    /* fast path, 8 bytes at a time: nothing to move until the first
     * non-ASCII byte (files.json is hundreds of MB of ASCII) */
    for (uint64_t w; r + 8 <= len; r += 8) {
        memcpy(&w, u + r, 8);
        if (w & 0x8080808080808080ull)
            break;
    }
    while (r < len && u[r] < 0x80)
        r++;
    size_t w = r;
    while (r < len) {
        if (u[r] < 0x80) {
            u[w++] = u[r++];
            continue;
        }
        size_t n = utf8_seq(u + r, len - r);
        if (n == 0) {
            r++; /* one invalid byte dropped */
            continue;
        }
        memmove(u + w, u + r, n);
        w += n;
        r += n;
    }
    return w;
}

const char *spy_aqf_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- JSON ----------------------------------------------------------------- */

/* Does the digit run [p, p+n) (after an optional '-') fit in an int64? */
static bool fits_int64(const char *p, size_t n, bool neg)
{
    static const char max[] = "9223372036854775807";
    if (n < 19)
        return true;
    if (n > 19)
        return false;
    int c = memcmp(p, max, 19);
    return c < 0 || c == 0 || (neg && memcmp(p, "9223372036854775808", 19) == 0);
}

/* Is s[i] the first digit of a number (not of a fraction or exponent)? */
static bool int_start(const char *s, size_t i)
{
    size_t k = i > 0 && s[i - 1] == '-' ? i - 1 : i;
    if (k == 0)
        return true;
    char p = s[k - 1];
    return !((p >= '0' && p <= '9') || p == '.' || p == 'e' || p == 'E' || p == '+' || p == '-');
}

/* The index just past the string whose opening quote is at s[i] (len
 * when it is not closed); memchr finds each candidate quote. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    for (;;) {
        const char *q = j < len ? memchr(s + j, '"', len - j) : NULL;
        if (!q)
            return len;
        size_t k = (size_t)(q - s), b = 0;
        while (k - b > i + 1 && s[k - b - 1] == '\\')
            b++;
        if (b % 2 == 0)
            return k + 1;
        j = k + 1;
    }
}

/* One scan: are there integers too large for jansson outside strings? */
static bool has_bigint(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, len, i);
            continue;
        }
        if (c >= '0' && c <= '9') {
            size_t j = i;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
            bool is_int =
                int_start(s, i) && (j >= len || (s[j] != '.' && s[j] != 'e' && s[j] != 'E'));
            if (is_int && !fits_int64(s + i, j - i, i > 0 && s[i - 1] == '-'))
                return true;
            i = j;
            continue;
        }
        i++;
    }
    return false;
}

/* Copy of s with every oversized integer literal quoted. */
static char *quote_bigints(const char *s, size_t len, size_t *out_len)
{
    size_t cap = len + 64, n = 0;
    char *o = spy_xmalloc(cap);
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        if (n + 48 >= cap)
            o = spy_xrealloc(o, cap *= 2);
        char c = s[i];
        if (in_str) {
            o[n++] = c;
            if (c == '\\' && i + 1 < len)
                o[n++] = s[++i];
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"')
            in_str = true;
        bool neg = c == '-' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9';
        if (neg || (c >= '0' && c <= '9')) {
            size_t d = i + neg, j = d;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
            bool is_int =
                int_start(s, d) && (j >= len || (s[j] != '.' && s[j] != 'e' && s[j] != 'E'));
            if (is_int && !fits_int64(s + d, j - d, neg)) {
                size_t k = j - i;
                while (n + k + 3 >= cap)
                    o = spy_xrealloc(o, cap *= 2);
                o[n++] = '"';
                memcpy(o + n, s + i, k);
                n += k;
                o[n++] = '"';
                i = j - 1;
                continue;
            }
        }
        o[n++] = c;
    }
    o = spy_xrealloc(o, n + 1);
    o[n] = '\0';
    *out_len = n;
    return o;
}

/* One value at s: the flat fast path, else jansson (which also reports
 * what is wrong). With whole, nothing but whitespace may follow it. */
static json_t *parse_value(const char *s, size_t len, bool whole, size_t *used)
{
    json_t *v = spy_flat_json_object(s, len, used);
    if (v && whole) {
        size_t k = *used;
        while (k < len && strchr(" \t\r\n", s[k]) && s[k])
            k++;
        if (k < len) {
            json_decref(v);
            v = NULL; /* jansson gives the verdict */
        }
    }
    if (v)
        return v;
    json_error_t e;
    size_t flags = JSON_DECODE_ANY | JSON_ALLOW_NUL | (whole ? 0 : JSON_DISABLE_EOF_CHECK);
    v = json_loadb(s, len, flags, &e);
    *used = v ? (whole ? len : (size_t)e.position) : 0;
    return v;
}

static int walk_lines(const char *s, size_t len, spy_aqf_json_cb cb, void *ud,
                      spy_aqf_json_stats *st, size_t *good)
{
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        const char *q = p;
        while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < e) {
            size_t used;
            json_t *v = parse_value(q, (size_t)(e - q), true, &used);
            if (!v) {
                st->bad++;
                if (!st->why)
                    st->why = "a line is not JSON";
            } else {
                (*good)++;
                int rc = cb(v, ud);
                if (rc)
                    return rc;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return SPY_OK;
}

static size_t skip_ws(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* The elements of the array starting at s[i] == '[', one at a time. */
static int walk_array(const char *s, size_t len, size_t i, spy_aqf_json_cb cb, void *ud,
                      spy_aqf_json_stats *st)
{
    i = skip_ws(s, i + 1, len);
    if (i < len && s[i] == ']')
        return SPY_OK;
    for (;;) {
        size_t used;
        json_t *v = i < len ? parse_value(s + i, len - i, false, &used) : NULL;
        if (!v) {
            st->why = i < len ? "invalid JSON in the array" : "truncated array";
            return SPY_EFORMAT;
        }
        int rc = cb(v, ud);
        if (rc)
            return rc;
        i = skip_ws(s, i + used, len);
        if (i < len && s[i] == ']')
            return SPY_OK;
        if (i >= len || s[i] != ',') {
            st->why = i >= len ? "truncated array" : "expected ',' or ']'";
            return SPY_EFORMAT;
        }
        i = skip_ws(s, i + 1, len);
    }
}

int spy_aqf_json_foreach(char **text, size_t *len, bool lines, spy_aqf_json_cb cb, void *ud,
                         spy_aqf_json_stats *st)
{
    memset(st, 0, sizeof *st);
    *len = spy_utf8_drop_invalid(*text, *len);
    (*text)[*len] = '\0';
    if (has_bigint(*text, *len)) {
        size_t n;
        char *q = quote_bigints(*text, *len, &n);
        free(*text);
        *text = q;
        *len = n;
    }
    const char *s = *text;
    size_t i = *len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* a BOM */
    while (i < *len && strchr(" \t\r\n", s[i]))
        i++;
    if (i < *len && s[i] == '[') {
        int rc = walk_array(s, *len, i, cb, ud, st);
        if (rc == SPY_EFORMAT)
            st->bad++;
        return rc;
    }
    if (!lines) {
        st->why = i < *len ? "not a JSON array" : "empty file";
        return SPY_EFORMAT;
    }
    size_t good = 0;
    int rc = walk_lines(s + i, *len - i, cb, ud, st, &good);
    if (rc == SPY_OK && good == 0 && st->bad)
        rc = SPY_EFORMAT;
    return rc;
}
