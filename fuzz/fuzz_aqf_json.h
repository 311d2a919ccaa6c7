/* Shared by the AndroidQF JSON fuzz targets: the walk over a writable,
 * NUL-terminated copy of the input (as modules read members), and the
 * same walk over a stream giving pieces of a size set by the first byte,
 * which must deliver the same elements and statistics. */
#ifndef SPY_FUZZ_AQF_JSON_H
#define SPY_FUZZ_AQF_JSON_H

#include "acquire/stream.h"
#include "core/mem.h"
#include "modules/android/aqf_util.h"
#include "modules/android/flat_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    free(whole.s);
    free(pieces.s);
}

#endif
