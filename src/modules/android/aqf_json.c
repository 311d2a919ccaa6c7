/* The JSON files AndroidQF writes (aqf_util.h): an array, or one value per
 * line, walked one element at a time through a window over the text. The
 * window is the whole text for spy_aqf_json_foreach, and a bounded buffer
 * refilled from a stream for spy_aqf_json_stream: one walk, so both give
 * the same elements whatever the size of the pieces read. */
#include "modules/android/aqf_util.h"

#include "core/error.h"
#include "core/mem.h"
#include "modules/android/aqf_bigint.h"
#include "modules/android/flat_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes asked of the stream at a time (at least). */
#define CHUNK (256u * 1024u)

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

/* ---- the window ----------------------------------------------------------- */

typedef struct jwin {
    char *buf;
    size_t start, end, cap; /* clean text not yet walked: buf[start, end) */
    size_t held;            /* a UTF-8 sequence cut by a read, raw at buf[end] */
    spy_stream *src;        /* NULL: buf holds the whole text */
    size_t max;             /* the longest value or line the window may need */
    bool eof, too_long, read_failed;
    spy_aqf_flat_cb flat_cb; /* when set, flat elements go to it as parsed */
    spy_flat flat;
    /* The keys of the last flat element found unique, each with its NUL
     * (and 16 bytes of room after them: the parser compares a key as a
     * block): files.json repeats one layout, and comparing with it as the
     * keys are parsed is cheaper than checking every pair of keys again. */
    char *layout;
    size_t layout_len, layout_cap;
    uint64_t layout_id; /* its spy_flat layout number, given to each element of it */
} jwin;

static void win_reserve(jwin *w, size_t need)
{
    if (need <= w->cap)
        return;
    size_t cap = w->cap ? w->cap : CHUNK;
    while (cap < need)
        cap *= 2;
    w->buf = spy_xrealloc(w->buf, cap);
    w->cap = cap;
}

static int fail_too_long(jwin *w)
{
    w->too_long = true;
    return SPY_ELIMIT;
}

/* More text after the window, or eof set. The walked text is dropped
 * first, so the window holds one value or line and a read's worth. */
static int win_more(jwin *w)
{
    if (w->eof)
        return SPY_OK;
    /* One byte beyond max: a bare token of max bytes needs the next. */
    if (w->end - w->start > w->max)
        return fail_too_long(w);
    if (w->start > 0) {
        memmove(w->buf, w->buf + w->start, w->end - w->start + w->held);
        w->end -= w->start;
        w->start = 0;
    }
    win_reserve(w, w->end + w->held + CHUNK + 1);
    size_t got = 0, at = w->end + w->held;
    int err = spy_stream_read(w->src, w->buf + at, w->cap - at - 1, &got);
    if (err != SPY_OK) {
        w->read_failed = true;
        return err;
    }
    w->eof = got == 0;
    w->end += spy_utf8_clean(w->buf + w->end, w->held + got, w->eof, &w->held);
    return SPY_OK;
}

/* The first character at the window's start that is not whitespace (nor
 * NUL, with nul), or -1 at the end of the text. */
static int win_peek(jwin *w, bool nul, int *c)
{
    for (;;) {
        for (; w->start < w->end; w->start++) {
            char ch = w->buf[w->start];
            if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n' && (ch || !nul)) {
                *c = (unsigned char)ch;
                return SPY_OK;
            }
        }
        if (w->eof) {
            *c = -1;
            return SPY_OK;
        }
        int err = win_more(w);
        if (err != SPY_OK)
            return err;
    }
}

/* Quotes the oversized integers of the n bytes at the window's start + at,
 * in place; n becomes their new length. Done element by element (or line
 * by line), since an element's text decides it alone. */
static void win_quote(jwin *w, size_t at, size_t *n)
{
    char *s = w->buf + w->start + at;
    if (!spy_aqf_has_bigint(s, *n))
        return;
    size_t qn;
    char *q = spy_aqf_quote_bigints(s, *n, &qn);
    size_t from = w->start + at + *n, grow = qn - *n;
    win_reserve(w, w->end + w->held + grow + 1);
    memmove(w->buf + from + grow, w->buf + from, w->end + w->held - from);
    memcpy(w->buf + w->start + at, q, qn);
    w->end += grow;
    *n = qn;
    free(q);
}

/* ---- the walks ------------------------------------------------------------- */

/* The extent of the value starting at s[0], resumable as the window grows. */
typedef struct jscan {
    size_t pos, depth;
    bool in_str, esc;
} jscan;

static bool scalar_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '+' || c == '-';
}

/* True with *end once the value is complete: a string, object or array at
 * its closing character (jansson stops there), a bare token once the
 * character after it is there (jansson looks at it). */
static bool scan_value(jscan *c, const char *s, size_t len, size_t *end)
{
    size_t i = c->pos;
    if (len == 0)
        return false;
    if (s[0] != '{' && s[0] != '[' && s[0] != '"') {
        while (i < len && scalar_char(s[i]))
            i++;
        c->pos = i;
        *end = i;
        return i < len;
    }
    if (i == 0) {
        c->in_str = s[0] == '"';
        c->depth = s[0] != '"';
        i = 1;
    }
    for (; i < len; i++) {
        char ch = s[i];
        if (c->in_str) {
            if (c->esc)
                c->esc = false;
            else if (ch == '\\')
                c->esc = true;
            else if (ch == '"')
                c->in_str = false;
            if (c->in_str || c->depth)
                continue;
        } else if (ch == '"') {
            c->in_str = true;
            continue;
        } else if (ch == '{' || ch == '[') {
            c->depth++;
            continue;
        } else if ((ch != '}' && ch != ']') || --c->depth) {
            continue;
        }
        c->pos = *end = i + 1;
        return true;
    }
    c->pos = i;
    return false;
}

/* An element parsed by the flat path, its keys compared with the last
 * unique element's as they are parsed (the parser has them at hand). */
static bool flat_parse(jwin *w, const char *s, size_t len, size_t *used, bool *same)
{
    spy_flat_keys keys = {w->layout, w->layout_len};
    return spy_flat_parse_keys(&w->flat, s, len, used, w->layout_id ? &keys : NULL, same);
}

/* The parsed flat element has no repeated key. It then gets the number of
 * its layout (spy_flat.layout), a new one when its keys differ from the
 * last unique element's (same: they do not), so callers may look its keys
 * up by index. */
static bool flat_unique(jwin *w, bool same)
{
    spy_flat *r = &w->flat;
    if (same) {
        r->layout = w->layout_id;
        return true;
    }
    if (!spy_flat_keys_unique(r))
        return false;
    w->layout_len = 0;
    for (size_t k = 0; k < r->n; k++) {
        size_t n = r->f[k].key_len + 1;
        if (w->layout_len + n + 16 > w->layout_cap) { /* 16: a key is compared as a block */
            w->layout_cap = (w->layout_len + n) * 2 + 16;
            w->layout = spy_xrealloc(w->layout, w->layout_cap);
        }
        memcpy(w->layout + w->layout_len, r->f[k].key, n);
        w->layout_len += n;
    }
    w->layout_id = r->layout = spy_flat_layout_new();
    return true;
}

/* The array element at the window's start (not whitespace): *v NULL when
 * it does not parse, else *used its length. The flat fast path needs no
 * look ahead; otherwise the window first grows to the whole element. */
static int array_value(jwin *w, json_t **v, size_t *used, bool *flat)
{
    *flat = false;
    if (w->flat_cb) {
        bool same = false;
        if (flat_parse(w, w->buf + w->start, w->end - w->start, used, &same) &&
            flat_unique(w, same)) {
            if (*used > w->max)
                return fail_too_long(w);
            *flat = true;
            return SPY_OK;
        }
        *v = NULL; /* jansson's turn: the scan below finds the whole element */
    } else {
        *v = spy_flat_json_object(w->buf + w->start, w->end - w->start, used);
    }
    if (*v && *used > w->max) {
        json_decref(*v);
        *v = NULL;
        return fail_too_long(w);
    }
    if (*v)
        return SPY_OK;
    jscan sc = {0};
    size_t n = 0;
    while (!scan_value(&sc, w->buf + w->start, w->end - w->start, &n)) {
        if (w->eof) {
            n = w->end - w->start;
            break;
        }
        int err = win_more(w);
        if (err != SPY_OK)
            return err;
    }
    /* The same verdict whatever the window held when it was judged. */
    if (n > w->max)
        return fail_too_long(w);
    win_quote(w, 0, &n);
    *v = parse_value(w->buf + w->start, w->end - w->start, false, used);
    return SPY_OK;
}

static int walk_array(jwin *w, spy_aqf_json_cb cb, void *ud, spy_aqf_json_stats *st)
{
    int c, err = win_peek(w, false, &c);
    if (err != SPY_OK || c == ']')
        return err;
    for (;;) {
        json_t *v = NULL;
        size_t used = 0;
        bool flat = false;
        if (c >= 0 && (err = array_value(w, &v, &used, &flat)) != SPY_OK)
            return err;
        if (!v && !flat) {
            st->why = c >= 0 ? "invalid JSON in the array" : "truncated array";
            return SPY_EFORMAT;
        }
        int rc = flat ? w->flat_cb(&w->flat, ud) : cb(v, ud);
        if (rc)
            return rc;
        w->start += used;
        if ((err = win_peek(w, false, &c)) != SPY_OK || c == ']')
            return err;
        if (c != ',') {
            st->why = c < 0 ? "truncated array" : "expected ',' or ']'";
            return SPY_EFORMAT;
        }
        w->start++;
        if ((err = win_peek(w, false, &c)) != SPY_OK)
            return err;
    }
}

/* A line that is one flat object with unique keys (then whitespace). */
static bool line_flat(jwin *w, const char *s, size_t n)
{
    size_t used;
    bool same = false;
    if (!flat_parse(w, s, n, &used, &same) || !flat_unique(w, same))
        return false;
    while (used < n && (s[used] == ' ' || s[used] == '\t' || s[used] == '\r' || s[used] == '\n'))
        used++;
    return used == n;
}

static int walk_lines(jwin *w, spy_aqf_json_cb cb, void *ud, spy_aqf_json_stats *st, size_t *good)
{
    size_t seen = 0; /* bytes of the window known to hold no newline */
    for (;;) {
        const char *s = w->buf + w->start;
        size_t avail = w->end - w->start;
        const char *nl = memchr(s + seen, '\n', avail - seen);
        if (!nl && !w->eof) {
            seen = avail;
            int err = win_more(w);
            if (err != SPY_OK)
                return err;
            continue;
        }
        if (avail == 0)
            return SPY_OK;
        size_t e = nl ? (size_t)(nl - s) : avail, q = 0;
        if (e > w->max)
            return fail_too_long(w);
        while (q < e && (s[q] == ' ' || s[q] == '\t' || s[q] == '\r'))
            q++;
        if (q < e) {
            size_t n = e - q, used;
            win_quote(w, q, &n);
            e = q + n;
            if (w->flat_cb && line_flat(w, w->buf + w->start + q, n)) {
                (*good)++;
                int rc = w->flat_cb(&w->flat, ud);
                if (rc)
                    return rc;
                w->start += nl ? e + 1 : e;
                seen = 0;
                continue;
            }
            json_t *v = parse_value(w->buf + w->start + q, n, true, &used);
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
        w->start += nl ? e + 1 : e;
        seen = 0;
    }
}

static int walk(jwin *w, bool lines, spy_aqf_json_cb cb, void *ud, spy_aqf_json_stats *st)
{
    int err = SPY_OK, c;
    while (err == SPY_OK && w->end - w->start < 3 && !w->eof)
        err = win_more(w);
    if (err == SPY_OK && w->end - w->start >= 3 &&
        memcmp(w->buf + w->start, "\xEF\xBB\xBF", 3) == 0)
        w->start += 3; /* a BOM */
    if (err == SPY_OK)
        err = win_peek(w, true, &c);
    if (err != SPY_OK)
        return err;
    if (c == '[') {
        w->start++;
        err = walk_array(w, cb, ud, st);
        if (err == SPY_EFORMAT)
            st->bad++;
        return err;
    }
    if (!lines) {
        st->why = c >= 0 ? "not a JSON array" : "empty file";
        return SPY_EFORMAT;
    }
    size_t good = 0;
    err = walk_lines(w, cb, ud, st, &good);
    if (err == SPY_OK && good == 0 && st->bad)
        err = SPY_EFORMAT;
    return err;
}

int spy_aqf_json_foreach(char **text, size_t *len, bool lines, spy_aqf_json_cb cb, void *ud,
                         spy_aqf_json_stats *st)
{
    memset(st, 0, sizeof *st);
    size_t held;
    jwin w = {.buf = *text, .cap = *len + 1, .max = SIZE_MAX, .eof = true};
    w.end = spy_utf8_clean(*text, *len, true, &held);
    int rc = walk(&w, lines, cb, ud, st);
    w.buf[w.end] = '\0';
    *text = w.buf;
    *len = w.end;
    return rc;
}

int spy_aqf_json_stream(spy_stream *s, bool lines, size_t max_value, spy_aqf_json_cb cb, void *ud,
                        spy_aqf_json_stats *st)
{
    return spy_aqf_json_stream_flat(s, lines, max_value, NULL, cb, ud, st);
}

int spy_aqf_json_stream_flat(spy_stream *s, bool lines, size_t max_value, spy_aqf_flat_cb flat_cb,
                             spy_aqf_json_cb cb, void *ud, spy_aqf_json_stats *st)
{
    memset(st, 0, sizeof *st);
    jwin w = {.src = s, .max = max_value, .flat_cb = flat_cb};
    int rc = walk(&w, lines, cb, ud, st);
    spy_flat_free(&w.flat);
    free(w.layout);
    if (w.too_long || w.read_failed) {
        st->stopped = true;
        st->why = w.too_long ? "a value or line longer than spyscan reads"
                             : "the file could not be read to its end";
    }
    free(w.buf);
    return rc;
}
