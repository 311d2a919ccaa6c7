#include "core/flat.h"

#include "core/error.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

void spy_flat_reset(spy_flat *r)
{
    r->n = 0;
    r->len = 0;
}

void spy_flat_free(spy_flat *r)
{
    free(r->f);
    free(r->buf);
    memset(r, 0, sizeof *r);
}

void spy_flat_grow(spy_flat *r, size_t more)
{
    if (r->len + more <= r->buf_cap)
        return;
    size_t cap = r->buf_cap ? r->buf_cap : 1024;
    while (r->len + more > cap)
        cap *= 2;
    r->buf = spy_xrealloc(r->buf, cap);
    r->buf_cap = cap;
}

void spy_flat_grow_fields(spy_flat *r)
{
    r->cap = r->cap ? r->cap * 2 : 32;
    r->f = spy_xreallocarray(r->f, r->cap, sizeof *r->f);
}

size_t spy_flat_put(spy_flat *r, const char *s, size_t len)
{
    size_t off = r->len;
    spy_flat_append(r, s, len);
    spy_flat_end(r);
    return off;
}

void spy_flat_seal(spy_flat *r)
{
    for (size_t k = 0; k < r->n; k++) {
        r->f[k].key = r->buf + r->f[k].key_off;
        r->f[k].s = r->f[k].kind == SPY_FLAT_STR ? r->buf + r->f[k].s_off : NULL;
    }
}

/* Quadratic, but records are a few dozen keys and keys of different
 * lengths never reach memcmp. */
bool spy_flat_keys_unique(const spy_flat *r)
{
    for (size_t a = 1; a < r->n; a++)
        for (size_t b = 0; b < a; b++)
            if (r->f[a].key_len == r->f[b].key_len &&
                memcmp(r->buf + r->f[a].key_off, r->buf + r->f[b].key_off, r->f[a].key_len) == 0)
                return false;
    return true;
}

long spy_flat_find(const spy_flat *r, const char *key)
{
    size_t n = strlen(key);
    for (size_t k = 0; k < r->n; k++)
        if (r->f[k].key_len == n && memcmp(r->f[k].key, key, n) == 0)
            return (long)k;
    return -1;
}

const char *spy_flat_str(const spy_flat *r, const char *key)
{
    long k = spy_flat_find(r, key);
    return k >= 0 && r->f[k].kind == SPY_FLAT_STR ? r->f[k].s : NULL;
}

void spy_flat_pick(const spy_flat *r, const spy_flat_key *keys, size_t n, const char **out)
{
    for (size_t k = 0; k < n; k++)
        out[k] = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const spy_flat_field *f = &r->f[i];
        if (f->kind != SPY_FLAT_STR)
            continue;
        for (size_t k = 0; k < n; k++)
            if (!out[k] && f->key_len == keys[k].len &&
                memcmp(f->key, keys[k].s, f->key_len) == 0) {
                out[k] = f->s;
                break;
            }
    }
}

void spy_flat_set_str(spy_flat *r, size_t i, const char *s, size_t len)
{
    const char *before = r->buf;
    size_t off = spy_flat_put(r, s, len);
    r->f[i].kind = SPY_FLAT_STR;
    r->f[i].s_off = off;
    r->f[i].len = len;
    if (r->buf != before)
        spy_flat_seal(r); /* the buffer moved: every pointer */
    else
        r->f[i].s = r->buf + off;
}

static json_t *field_json(const spy_flat_field *f)
{
    switch (f->kind) {
    case SPY_FLAT_STR: return json_stringn_nocheck(f->s, f->len);
    case SPY_FLAT_INT: return json_integer((json_int_t)f->i);
    case SPY_FLAT_TRUE: return json_true();
    case SPY_FLAT_FALSE: return json_false();
    case SPY_FLAT_NULL: break;
    }
    return json_null();
}

json_t *spy_flat_to_json(const spy_flat *r)
{
    json_t *o = json_object();
    for (size_t k = 0; k < r->n; k++)
        json_object_set_new_nocheck(o, r->f[k].key, field_json(&r->f[k]));
    return o;
}

int spy_jw_flat(spy_jw *w, const spy_flat *r)
{
    int rc = spy_jw_begin_object(w);
    for (size_t k = 0; k < r->n && rc == SPY_OK; k++) {
        const spy_flat_field *f = &r->f[k];
        if ((rc = spy_jw_key(w, f->key, f->key_len)) != SPY_OK)
            break;
        switch (f->kind) {
        case SPY_FLAT_STR: rc = spy_jw_string(w, f->s, f->len); break;
        case SPY_FLAT_INT: rc = spy_jw_int(w, (long long)f->i); break;
        case SPY_FLAT_TRUE: rc = spy_jw_bool(w, true); break;
        case SPY_FLAT_FALSE: rc = spy_jw_bool(w, false); break;
        case SPY_FLAT_NULL: rc = spy_jw_null(w); break;
        }
    }
    return rc == SPY_OK ? spy_jw_end_object(w) : rc;
}
