#include "core/flat.h"

#include "core/error.h"
#include "core/json_emit_internal.h"
#include "core/mem.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

uint64_t spy_flat_layout_new(void)
{
    static atomic_uint_least64_t last;
    return (uint64_t)atomic_fetch_add_explicit(&last, 1, memory_order_relaxed) + 1;
}

void spy_flat_reset(spy_flat *r)
{
    r->n = 0;
    r->len = 0;
    r->layout = 0;
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

const long *spy_flat_index(const spy_flat *r, spy_flat_cache *c, const spy_flat_key *keys, size_t n)
{
    if (r->layout && c->layout == r->layout && c->keys == keys && c->n == n)
        return c->idx;
    if (n > SPY_FLAT_CACHE_KEYS)
        abort(); /* a caller's bug: idx has no room */
    for (size_t k = 0; k < n; k++) {
        c->idx[k] = -1;
        for (size_t i = 0; i < r->n; i++)
            if (r->f[i].key_len == keys[k].len &&
                memcmp(r->buf + r->f[i].key_off, keys[k].s, keys[k].len) == 0) {
                c->idx[k] = (long)i;
                break;
            }
    }
    c->layout = r->layout; /* 0 for an unknown layout: never a hit */
    c->keys = keys;
    c->n = n;
    return c->idx;
}

void spy_flat_pick_cached(const spy_flat *r, spy_flat_cache *c, const spy_flat_key *keys, size_t n,
                          const char **out)
{
    if (!r->layout || n > SPY_FLAT_CACHE_KEYS) { /* keys may repeat: the first string */
        spy_flat_pick(r, keys, n, out);
        return;
    }
    const long *idx = spy_flat_index(r, c, keys, n);
    for (size_t k = 0; k < n; k++)
        out[k] = idx[k] >= 0 && r->f[idx[k]].kind == SPY_FLAT_STR ? r->f[idx[k]].s : NULL;
}

bool spy_flat_text_plain(const char *s, size_t len)
{
    uint64_t x, hit = 0;
    if (len >= 8) { /* words, the last one overlapping */
        for (size_t k = 0; k + 8 < len; k += 8) {
            memcpy(&x, s + k, 8);
            hit |= jw_special8(x);
        }
        memcpy(&x, s + len - 8, 8);
        return !(hit | jw_special8(x));
    }
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
            return false;
    }
    return true;
}

void spy_flat_set_str_plain(spy_flat *r, size_t i, const char *s, size_t len, bool plain)
{
    const char *before = r->buf;
    size_t off = spy_flat_put(r, s, len);
    r->f[i].kind = SPY_FLAT_STR;
    r->f[i].s_off = off;
    r->f[i].len = len;
    r->f[i].plain =
        (unsigned char)((r->f[i].plain & SPY_FLAT_KEY_PLAIN) | (plain ? SPY_FLAT_STR_PLAIN : 0));
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
    int rc;
    if (jw_flat_cached(w, r, &rc)) /* the usual record: an array item of a known layout */
        return rc;
    rc = spy_jw_begin_object(w);
    for (size_t k = 0; k < r->n && rc == SPY_OK; k++) {
        const spy_flat_field *f = &r->f[k];
        if (f->kind == SPY_FLAT_STR) {
            rc = spy_jw_member_string(w, f->key, f->key_len, f->s, f->len, f->plain);
            continue;
        }
        if (f->kind == SPY_FLAT_INT) {
            rc = spy_jw_member_int(w, f->key, f->key_len, (long long)f->i, f->plain);
            continue;
        }
        rc = f->plain & SPY_FLAT_KEY_PLAIN ? spy_jw_key_plain(w, f->key, f->key_len)
                                           : spy_jw_key(w, f->key, f->key_len);
        if (rc == SPY_OK)
            rc = f->kind == SPY_FLAT_NULL ? spy_jw_null(w)
                                          : spy_jw_bool(w, f->kind == SPY_FLAT_TRUE);
    }
    return rc == SPY_OK ? spy_jw_end_object(w) : rc;
}
