/* The emitter driven by a little program read from the fuzz input: each
 * byte picks a call, strings and numbers follow inline. Whenever the calls
 * formed a structurally valid document, jansson must parse the output
 * (reals that are not finite are left out: Python writes NaN/Infinity,
 * which is not JSON; and a key holding NUL is valid JSON that jansson
 * refuses, "NUL byte in object key not supported", so such documents are
 * not parsed). */
#include "core/error.h"
#include "core/json_emit.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct prog {
    const uint8_t *p;
    size_t n;
    bool key_nul;
} prog;

static size_t take(prog *g, void *out, size_t want)
{
    size_t k = want < g->n ? want : g->n;
    memset(out, 0, want);
    memcpy(out, g->p, k);
    g->p += k;
    g->n -= k;
    return k;
}

static const char *take_str(prog *g, size_t *len)
{
    uint8_t l = 0;
    take(g, &l, 1);
    *len = l < g->n ? l : g->n;
    const char *s = (const char *)g->p;
    g->p += *len;
    g->n -= *len;
    return s;
}

static int step(spy_jw *w, prog *g, uint8_t op)
{
    size_t len;
    const char *s;
    switch (op % 12) {
    case 0: return spy_jw_begin_object(w);
    case 1: return spy_jw_end_object(w);
    case 2: return spy_jw_begin_array(w);
    case 3: return spy_jw_end_array(w);
    case 4:
        s = take_str(g, &len);
        g->key_nul |= memchr(s, 0, len) != NULL;
        return spy_jw_key(w, s, len);
    case 5: s = take_str(g, &len); return spy_jw_string(w, s, len);
    case 6: {
        long long v;
        take(g, &v, sizeof v);
        return spy_jw_int(w, v);
    }
    case 7: {
        double v;
        take(g, &v, sizeof v);
        if (!isfinite(v))
            v = 0.5;
        return spy_jw_real(w, v);
    }
    case 8: return spy_jw_bool(w, op & 0x80);
    case 9: return spy_jw_null(w);
    case 10: return spy_jw_cstr(w, NULL);
    default: {
        /* A jansson string value made without UTF-8 checks, as modules do. */
        s = take_str(g, &len);
        json_t *v = json_stringn_nocheck(s, len);
        int rc = spy_jw_value(w, v);
        json_decref(v);
        return rc;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    prog g = {data + 1, size - 1, false};
    spy_jw *w = spy_jw_new_mem(data[0] & 1 ? 4 : 0);
    int rc = SPY_OK;
    while (g.n > 0 && rc == SPY_OK) {
        uint8_t op;
        take(&g, &op, 1);
        rc = step(w, &g, op);
    }
    if (rc == SPY_OK)
        rc = spy_jw_finish(w);
    size_t len;
    const char *out = spy_jw_mem(w, &len);
    if (rc == SPY_OK && len > 0 && !g.key_nul) {
        json_error_t err;
        json_t *v = json_loadb(out, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
        if (!v)
            abort();
        json_decref(v);
    }
    spy_jw_free(w);
    return 0;
}
