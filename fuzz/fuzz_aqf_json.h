/* Shared by the AndroidQF JSON fuzz targets: the walk over a writable,
 * NUL-terminated copy of the input (as modules read members), and the
 * same walk over a stream giving pieces of a size set by the first byte,
 * which must deliver the same elements and statistics. */
#ifndef SPY_FUZZ_AQF_JSON_H
#define SPY_FUZZ_AQF_JSON_H

#include "acquire/stream.h"
#include "core/error.h"
#include "core/flat.h"
#include "core/json_emit.h"
#include "core/mem.h"
#include "modules/android/aqf_util.h"
#include "modules/android/flat_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Parsed again with its own keys to compare with (as the reader passes
 * the last layout's), the record is the same and its keys are found the
 * same; with one key byte changed, they are not. */
static void fz_check_keys(const spy_flat *r, const char *s, size_t len, size_t used)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->f[i].key_len + 1;
    char *ks = spy_xmalloc(n + 16);
    memset(ks + n, 'x', 16); /* readable, not NULs */
    for (size_t i = 0, o = 0; i < r->n; o += r->f[i].key_len + 1, i++)
        memcpy(ks + o, r->f[i].key, r->f[i].key_len + 1);
    spy_flat r2 = {0};
    spy_flat_keys keys = {ks, n};
    size_t used2 = 0;
    bool same = false;
    if (!spy_flat_parse_keys(&r2, s, len, &used2, &keys, &same) || !same || used2 != used ||
        r2.n != r->n || r2.len != r->len || (r->len && memcmp(r2.buf, r->buf, r->len) != 0))
        abort();
    for (size_t i = 0; i < r->n; i++)
        if (r2.f[i].kind != r->f[i].kind || r2.f[i].plain != r->f[i].plain ||
            r2.f[i].len != r->f[i].len || r2.f[i].i != r->f[i].i ||
            r2.f[i].key != r2.buf + r2.f[i].key_off)
            abort();
    if (n > 1) {
        ks[(used + n) % (n - 1)] ^= 0x20; /* a key byte (not the last NUL) */
        if (!spy_flat_parse_keys(&r2, s, len, &used2, &keys, &same) || same)
            abort();
    }
    spy_flat_free(&r2);
    free(ks);
}

/* The fast path must agree with jansson on every object it accepts: same
 * value, same key order, same extent. */
static void fz_compare(const char *s, size_t len)
{
    size_t used = 0;
    json_t *fast = spy_flat_json_object(s, len, &used);
    if (!fast)
        return;
    json_error_t e;
    json_t *ref = json_loadb(s, used, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!ref)
        abort();
    char *a = json_dumps(fast, JSON_COMPACT | JSON_ENCODE_ANY);
    char *b = json_dumps(ref, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!json_equal(fast, ref) || !a || !b || strcmp(a, b) != 0)
        abort();
    free(a);
    free(b);
    /* A flat record with unique keys is written byte for byte as jansson's
     * value is (the run loop writes it without building that value). */
    spy_flat r = {0};
    size_t used2 = 0;
    if (!spy_flat_parse(&r, s, len, &used2) || used2 != used)
        abort();
    if (spy_flat_keys_unique(&r)) {
        spy_jw *wf = spy_jw_new_mem(4), *wj = spy_jw_new_mem(4);
        if (spy_jw_flat(wf, &r) != 0 || spy_jw_value(wj, ref) != 0)
            abort();
        size_t lf, lj;
        const char *mf = spy_jw_mem(wf, &lf), *mj = spy_jw_mem(wj, &lj);
        if (lf != lj || memcmp(mf, mj, lf) != 0)
            abort();
        spy_jw_free(wf);
        spy_jw_free(wj);
    }
    fz_check_keys(&r, s, len, used);
    spy_flat_free(&r);
    json_decref(fast);
    json_decref(ref);
}

/* Each element's JSON text, appended. */
typedef struct fz_log {
    char *s;
    size_t len;
} fz_log;

static int fz_record(json_t *v, void *ud)
{
    fz_log *l = ud;
    char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t k = d ? strlen(d) : 0;
    l->s = spy_xrealloc(l->s, l->len + k + 2);
    memcpy(l->s + l->len, d ? d : "", k);
    l->len += k;
    l->s[l->len++] = '\n';
    free(d);
    json_decref(v);
    return 0;
}

/* What the reader vouches for in a flat element: unique keys under a
 * layout number, one number per key sequence (the last one is kept to
 * compare), plain flags only on text the emitter writes as is, and picks
 * through a layout cache equal to plain picks. */
/* Written twice as an array item (the cached-layout path of json_flat.c
 * reading the record's own buffer) and through its jansson form: the
 * same bytes. */
static void fz_check_flat_emit(const spy_flat *r)
{
    spy_jw *a = spy_jw_new_mem(4), *b = spy_jw_new_mem(4);
    json_t *j = spy_flat_to_json(r);
    spy_jw_begin_array(a);
    spy_jw_begin_array(b);
    for (int k = 0; k < 2; k++) {
        if (spy_jw_flat(a, r) != SPY_OK || spy_jw_value(b, j) != SPY_OK)
            abort();
    }
    spy_jw_end_array(a);
    spy_jw_end_array(b);
    if (spy_jw_finish(a) != SPY_OK || spy_jw_finish(b) != SPY_OK)
        abort();
    size_t la, lb;
    const char *ma = spy_jw_mem(a, &la), *mb = spy_jw_mem(b, &lb);
    if (la != lb || memcmp(ma, mb, la) != 0)
        abort();
    json_decref(j);
    spy_jw_free(a);
    spy_jw_free(b);
}

static void fz_check_flat(const spy_flat *r)
{
    static uint64_t last;
    static char *keys;
    static size_t keys_len, keys_cap;
    static spy_flat_cache cache;
    static const spy_flat_key pick[6] = {SPY_FLAT_KEY("a"),    SPY_FLAT_KEY("b"),
                                         SPY_FLAT_KEY("k"),    SPY_FLAT_KEY(""),
                                         SPY_FLAT_KEY("path"), SPY_FLAT_KEY("\x01")};
    if (!r->layout || !spy_flat_keys_unique(r))
        abort();
    size_t len = 0;
    for (size_t i = 0; i < r->n; i++)
        len += r->f[i].key_len + 1;
    char *now = spy_xmalloc(len + 1);
    for (size_t i = 0, o = 0; i < r->n; o += r->f[i].key_len + 1, i++)
        memcpy(now + o, r->f[i].key, r->f[i].key_len + 1);
    if (r->layout == last && (len != keys_len || memcmp(now, keys, len) != 0))
        abort();
    if (len + 1 > keys_cap)
        keys = spy_xrealloc(keys, keys_cap = len + 1);
    memcpy(keys, now, len);
    keys_len = len;
    last = r->layout;
    free(now);
    for (size_t i = 0; i < r->n; i++) {
        const spy_flat_field *f = &r->f[i];
        if (((f->plain & SPY_FLAT_KEY_PLAIN) && !spy_flat_text_plain(f->key, f->key_len)) ||
            ((f->plain & SPY_FLAT_STR_PLAIN) &&
             (f->kind != SPY_FLAT_STR || !spy_flat_text_plain(f->s, f->len))))
            abort();
    }
    const char *a[6], *b[6];
    spy_flat_pick(r, pick, 6, a);
    spy_flat_pick_cached(r, &cache, pick, 6, b);
    if (memcmp(a, b, sizeof a) != 0)
        abort();
    fz_check_flat_emit(r);
}

/* A flat element, logged as its jansson form (the walk must deliver the
 * same elements whichever way each one took). */
static int fz_record_flat(spy_flat *r, void *ud)
{
    fz_check_flat(r);
    return fz_record(spy_flat_to_json(r), ud);
}

typedef struct fz_stream {
    spy_stream base;
    const uint8_t *p;
    size_t len, off, k;
} fz_stream;

static int fz_stream_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    fz_stream *f = (fz_stream *)s;
    size_t n = f->len - f->off;
    n = n < f->k ? n : f->k;
    n = n < cap ? n : cap;
    memcpy(buf, f->p + f->off, n);
    f->off += n;
    *got = n;
    return 0;
}

static void fz_stream_close(spy_stream *s)
{
    (void)s;
}

static void fz_walk(const uint8_t *data, size_t size, bool lines)
{
    char *text = spy_xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < size; i++)
        if (i == 0 || text[i - 1] == '\n' || text[i - 1] == '[' || text[i - 1] == ',')
            fz_compare(text + i, size - i);
    size_t len = size;
    fz_log whole = {0}, pieces = {0};
    spy_aqf_json_stats st, st2;
    int rc = spy_aqf_json_foreach(&text, &len, lines, fz_record, &whole, &st);
    free(text);
    size_t k = size ? (data[0] < 0xC0 ? 1u + data[0] % 16u : 1u + (size_t)data[0] * 64u) : 1;
    fz_stream fs = {{fz_stream_read, fz_stream_close, 0}, data, size, 0, k};
    int rc2 = spy_aqf_json_stream(&fs.base, lines, SIZE_MAX, fz_record, &pieces, &st2);
    bool why_differs = (st.why == NULL) != (st2.why == NULL) || (st.why && strcmp(st.why, st2.why));
    if (rc != rc2 || st.bad != st2.bad || why_differs || whole.len != pieces.len ||
        (whole.len && memcmp(whole.s, pieces.s, whole.len) != 0))
        abort();
    fz_log flat = {0};
    fs.off = 0;
    int rc3 =
        spy_aqf_json_stream_flat(&fs.base, lines, SIZE_MAX, fz_record_flat, fz_record, &flat, &st2);
    why_differs = (st.why == NULL) != (st2.why == NULL) || (st.why && strcmp(st.why, st2.why));
    if (rc != rc3 || st.bad != st2.bad || why_differs || whole.len != flat.len ||
        (whole.len && memcmp(whole.s, flat.s, whole.len) != 0))
        abort();
    free(whole.s);
    free(pieces.s);
    free(flat.s);
}

#endif
