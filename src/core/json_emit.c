/* Streaming JSON emitter laid out as Python's json.dump(indent=4,
 * ensure_ascii=True) writes it, so spyscan's files diff cleanly against
 * MVT's (spec/outputs.md §3.1). Memory: one write buffer plus a frame per
 * open container (bounded by SPY_MAX_EMIT_DEPTH). Speed (results files of
 * hundreds of MB): each token checks for room once and is then written with
 * plain stores, and strings are scanned and copied 8-16 bytes at a time
 * between the bytes that need escaping (json_escape.c). Flat records of a
 * known key layout take json_flat.c's path. Reals are laid out in
 * json_number.c (json_emit_internal.h). */
#include "core/json_emit.h"
#include "core/json_emit_internal.h"

#include "core/bgwrite.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"
#include "core/outdir.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Spaces available for one line's indentation (SPY_MAX_EMIT_DEPTH levels of
 * 4); deeper or wider indentation takes the slow path. */
#define JW_SPACES 512u

#define SP16  "                "
#define SP64  SP16 SP16 SP16 SP16
#define SP512 SP64 SP64 SP64 SP64 SP64 SP64 SP64 SP64
/* "\n" and the indentation, copied 16 bytes at a time (hence the 16 more). */
static const char jw_nlsp[1 + JW_SPACES + 16 + 1] = "\n" SP512 SP16;

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

static int jw_write_fd(spy_jw *w, const char *p, size_t n)
{
    if (spy_write_all(w->fd, p, n) != SPY_OK) {
        w->saved_errno = errno;
        return w->err = SPY_EIO;
    }
    spy_writeback_note(w->fd, &w->unsynced, n);
    return SPY_OK;
}

static int jw_flush(spy_jw *w)
{
    if (w->fd < 0 || w->len == 0)
        return w->err;
    if (!w->bg && w->bg_ok && !(w->bg = spy_bgw_start(w->fd)))
        w->bg_ok = false; /* no thread: written here after all */
    int rc;
    if (w->bg) {
        if ((rc = spy_bgw_put(w->bg, &w->buf, &w->cap, w->len)) != SPY_OK)
            w->err = rc; /* its errno comes with the thread's end */
    } else {
        rc = jw_write_fd(w, w->buf, w->len);
    }
    w->len = 0;
    return rc;
}

/* Waits for the writer thread, if any: the fd is then the caller's. */
static void jw_bg_end(spy_jw *w)
{
    w->bg_ok = false;
    if (!w->bg)
        return;
    int e = 0;
    if (spy_bgw_finish(w->bg, &e) != SPY_OK && w->err != SPY_EIO) {
        w->err = SPY_EIO;
        w->saved_errno = e;
    } else if (w->err == SPY_EIO && !w->saved_errno) {
        w->saved_errno = e;
    }
    w->bg = NULL;
}

void spy_jw_background(spy_jw *w)
{
    w->bg_ok = w->fd >= 0;
}

/* Slow side of jw_room: flushes (fd) or grows (memory). Callers reserve at
 * most a chunk's worst case, below the fd buffer, but growing keeps any
 * size correct. */
bool jw_make_room(spy_jw *w, size_t n)
{
    if (w->err)
        return false;
    if (w->fd >= 0 && jw_flush(w) != SPY_OK)
        return false;
    if (w->cap - w->len > n)
        return true;
    size_t cap = w->cap;
    while (cap - w->len <= n)
        cap *= 2;
    w->buf = spy_xrealloc(w->buf, cap);
    w->cap = cap;
    return true;
}

static void jw_put(spy_jw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    if (w->fd >= 0 && n >= w->cap && !w->bg_ok) {
        if (jw_flush(w) == SPY_OK)
            jw_write_fd(w, s, n); /* larger than the buffer: no copy */
        return;
    }
    while (w->fd >= 0 && n >= w->cap - w->len) { /* through the writer's buffers, in order */
        size_t k = w->cap - w->len;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        if (jw_flush(w) != SPY_OK)
            return;
        s += k;
        n -= k;
    }
    if (!jw_room(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

/* '\n' and ind spaces at o, in 16-byte blocks (room: ind + 1 + 16). */
static inline char *jw_nl(char *o, size_t ind)
{
    for (size_t k = 0; k <= ind; k += 16)
        memcpy(o + k, jw_nlsp + k, 16);
    return o + ind + 1;
}

/* Indentation of the current level, or SIZE_MAX when it is too wide for
 * jw_nl (then the slow path writes it). */
static inline size_t jw_ind(const spy_jw *w, unsigned level)
{
    size_t ind = (size_t)level * (size_t)w->indent;
    return ind <= JW_SPACES ? ind : SIZE_MAX;
}

static void jw_newline_slow(spy_jw *w, unsigned level)
{
    jw_put(w, "\n", 1);
    size_t n = (size_t)level * (size_t)w->indent;
    while (n > 0) {
        size_t k = n < JW_SPACES ? n : JW_SPACES;
        jw_put(w, jw_nlsp + 1, k);
        n -= k;
    }
}

/* Separator and indentation before an array item or an object key: ","
 * unless first, then a newline and indentation, or " " when compact. */
static inline char *jw_sep(const spy_jw *w, const jw_frame *f, char *o, size_t ind)
{
    if (f->has_items)
        *o++ = ',';
    if (w->indent > 0)
        return jw_nl(o, ind);
    if (f->has_items)
        *o++ = ' ';
    return o;
}

static void jw_item_sep(spy_jw *w, jw_frame *f)
{
    size_t ind = jw_ind(w, w->depth);
    if (ind != SIZE_MAX) {
        if (jw_room(w, ind + 2 + 16)) {
            char *o = jw_sep(w, f, w->buf + w->len, ind);
            w->len = (size_t)(o - w->buf);
        }
    } else {
        if (f->has_items)
            jw_put(w, ",", 1);
        jw_newline_slow(w, w->depth);
    }
    f->has_items = true;
}

/* Checks that a value may come here and writes what precedes it. */
static inline int jw_before_value(spy_jw *w)
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
    jw_put(w, object ? "{" : "[", 1);
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
    char close = object ? '}' : ']';
    if (!f->has_items || w->indent == 0) {
        jw_put(w, &close, 1);
        return w->err;
    }
    size_t ind = jw_ind(w, w->depth);
    if (ind == SIZE_MAX) {
        jw_newline_slow(w, w->depth);
        jw_put(w, &close, 1);
    } else if (jw_room(w, ind + 2 + 16)) {
        char *o = jw_nl(w->buf + w->len, ind);
        *o++ = close;
        w->len = (size_t)(o - w->buf);
    }
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

/* A quoted, escaped string, one reservation per JW_CHUNK input bytes. */
void jw_put_string(spy_jw *w, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    do {
        size_t k = n - i < JW_CHUNK ? n - i : JW_CHUNK, used;
        if (!jw_room(w, 6 * k + JW_SLACK))
            return;
        char *o = w->buf + w->len;
        if (i == 0)
            *o++ = '"';
        o = jw_escape(o, s + i, k, n - i, &used);
        i += used;
        if (i >= n)
            *o++ = '"';
        w->len = (size_t)(o - w->buf);
    } while (i < n);
}

/* A quoted string the caller knows needs no escaping (bytes 0x20-0x7E
 * but '"' and '\\'): copied as is, through jw_put when it is long. */
void jw_put_plain(spy_jw *w, const char *s, size_t n)
{
    if (n > JW_CHUNK) {
        jw_put(w, "\"", 1);
        jw_put(w, s, n);
        jw_put(w, "\"", 1);
    } else if (jw_room(w, n + 2)) {
        char *o = w->buf + w->len;
        *o++ = '"';
        memcpy(o, s, n);
        o[n] = '"';
        w->len += n + 2;
    }
}

/* Separator, indentation and "key": at o, which has room for ind +
 * 6 * len + JW_SLACK bytes (keys of at most JW_CHUNK bytes); a plain key
 * is copied without the escape scan (ind + len + JW_SLACK is enough). */
static inline char *jw_key_at(const spy_jw *w, const jw_frame *f, char *o, size_t ind,
                              const char *key, size_t len, bool plain)
{
    size_t used;
    o = jw_sep(w, f, o, ind);
    *o++ = '"';
    if (plain) {
        memcpy(o, key, len);
        o += len;
    } else {
        o = jw_escape(o, (const unsigned char *)key, len, len, &used);
    }
    o[0] = '"';
    o[1] = ':';
    o[2] = ' ';
    return o + 3;
}

static inline int jw_key(spy_jw *w, const char *key, size_t len, bool plain)
{
    if (w->err)
        return w->err;
    jw_frame *f = &w->st[w->depth];
    if (w->depth == 0 || !f->object || f->want_value || (!key && len))
        return w->err = SPY_EINTERNAL;
    size_t ind = jw_ind(w, w->depth);
    if (ind != SIZE_MAX && len <= JW_CHUNK) {
        /* The usual key: one reservation for all of it. */
        if (jw_room(w, ind + (plain ? 1 : 6) * len + JW_SLACK)) {
            char *o = jw_key_at(w, f, w->buf + w->len, ind, key ? key : "", len, plain);
            w->len = (size_t)(o - w->buf);
        }
        f->has_items = true;
    } else {
        jw_item_sep(w, f);
        if (plain)
            jw_put_plain(w, key ? key : "", len);
        else
            jw_put_string(w, key ? key : "", len);
        jw_put(w, ": ", 2);
    }
    f->want_value = true;
    return w->err;
}

int spy_jw_key(spy_jw *w, const char *key, size_t len)
{
    return jw_key(w, key, len, false);
}

int spy_jw_key_plain(spy_jw *w, const char *key, size_t len)
{
    return jw_key(w, key, len, true);
}

int spy_jw_string(spy_jw *w, const char *s, size_t len)
{
    if (!s && len)
        return w->err ? w->err : (w->err = SPY_EINTERNAL);
    if (jw_before_value(w) == SPY_OK)
        jw_put_string(w, s ? s : "", len);
    return w->err;
}

int spy_jw_string_plain(spy_jw *w, const char *s, size_t len)
{
    if (!s && len)
        return w->err ? w->err : (w->err = SPY_EINTERNAL);
    if (jw_before_value(w) == SPY_OK)
        jw_put_plain(w, s ? s : "", len);
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
    if (jw_before_value(w) == SPY_OK && jw_room(w, 24))
        w->len = (size_t)(jw_int_at(w->buf + w->len, v) - w->buf);
    return w->err;
}

int spy_jw_real(spy_jw *w, double v)
{
    if (isnan(v))
        return jw_raw_value(w, "NaN", 3);
    if (isinf(v))
        return v < 0 ? jw_raw_value(w, "-Infinity", 9) : jw_raw_value(w, "Infinity", 8);
    char b[64];
    size_t n = jw_real_repr(v, b, sizeof b);
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

/* A member whose value is a string (str) or the integer v, written with
 * its key in one reservation (most record members); plain holds the
 * SPY_JW_*_PLAIN bits. False when it needs the general path (long, too
 * deep) or the emitter failed. */
static inline bool jw_member_at(spy_jw *w, jw_frame *f, size_t ind, const char *k, size_t klen,
                                bool str, const char *s, size_t sl, long long v, unsigned plain)
{
    if (ind == SIZE_MAX || klen > JW_CHUNK || sl > JW_CHUNK)
        return false;
    size_t room = ind + (plain & SPY_JW_KEY_PLAIN ? 1 : 6) * klen + 2 * JW_SLACK +
                  (str ? (plain & SPY_JW_STR_PLAIN ? 1 : 6) * sl : 24);
    if (!jw_room(w, room))
        return false;
    char *o = jw_key_at(w, f, w->buf + w->len, ind, k, klen, plain & SPY_JW_KEY_PLAIN);
    if (!str) {
        o = jw_int_at(o, v);
    } else if (plain & SPY_JW_STR_PLAIN) {
        *o++ = '"';
        memcpy(o, s, sl);
        o[sl] = '"';
        o += sl + 1;
    } else {
        size_t used;
        *o++ = '"';
        o = jw_escape(o, (const unsigned char *)s, sl, sl, &used);
        *o++ = '"';
    }
    w->len = (size_t)(o - w->buf);
    f->has_items = true;
    return true;
}

/* The same for a jansson value: strings and integers only. */
static bool jw_member_fast(spy_jw *w, jw_frame *f, size_t ind, const char *k, size_t klen,
                           const json_t *val)
{
    if (json_is_string(val))
        return jw_member_at(w, f, ind, k, klen, true, json_string_value(val),
                            json_string_length(val), 0, 0);
    if (json_is_integer(val))
        return jw_member_at(w, f, ind, k, klen, false, NULL, 0, (long long)json_integer_value(val),
                            0);
    return false;
}

/* True when an object member may be written here at once (else the
 * general path reports what is wrong). */
static inline bool jw_member_ok(const spy_jw *w, const char *key)
{
    const jw_frame *f = &w->st[w->depth];
    return !w->err && w->depth > 0 && f->object && !f->want_value && key;
}

int spy_jw_member_string(spy_jw *w, const char *key, size_t klen, const char *s, size_t len,
                         unsigned plain)
{
    if (s && jw_member_ok(w, key) &&
        jw_member_at(w, &w->st[w->depth], jw_ind(w, w->depth), key, klen, true, s, len, 0, plain))
        return SPY_OK;
    if (w->err)
        return w->err;
    int rc = plain & SPY_JW_KEY_PLAIN ? spy_jw_key_plain(w, key, klen) : spy_jw_key(w, key, klen);
    if (rc != SPY_OK)
        return rc;
    return plain & SPY_JW_STR_PLAIN ? spy_jw_string_plain(w, s, len) : spy_jw_string(w, s, len);
}

int spy_jw_member_int(spy_jw *w, const char *key, size_t klen, long long v, unsigned plain)
{
    if (jw_member_ok(w, key) &&
        jw_member_at(w, &w->st[w->depth], jw_ind(w, w->depth), key, klen, false, NULL, 0, v, plain))
        return SPY_OK;
    if (w->err)
        return w->err;
    int rc = plain & SPY_JW_KEY_PLAIN ? spy_jw_key_plain(w, key, klen) : spy_jw_key(w, key, klen);
    return rc != SPY_OK ? rc : spy_jw_int(w, v);
}

static int jw_object_value(spy_jw *w, const json_t *v)
{
    if (spy_jw_begin_object(w) != SPY_OK)
        return w->err;
    jw_frame *f = &w->st[w->depth];
    size_t ind = jw_ind(w, w->depth);
    for (void *it = json_object_iter((json_t *)v); it && !w->err;
         it = json_object_iter_next((json_t *)v, it)) {
        const char *k = json_object_iter_key(it);
#if JANSSON_VERSION_HEX >= 0x020e00
        size_t klen = json_object_iter_key_len(it);
#else
        size_t klen = strlen(k);
#endif
        const json_t *val = json_object_iter_value(it);
        if (!jw_member_fast(w, f, ind, k, klen, val) && !w->err && spy_jw_key(w, k, klen) == SPY_OK)
            spy_jw_value(w, val);
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
    jw_bg_end(w);
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
    jw_bg_end(w);
    for (unsigned k = 0; k < JW_LAYOUTS; k++) {
        free(w->lay[k].off);
        free(w->lay[k].text);
    }
    free(w->buf);
    free(w);
}
