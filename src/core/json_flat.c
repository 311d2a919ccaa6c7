/* Flat records of a known key layout (spy_flat.layout) written as items
 * of an array: the text before each member (separator, indentation, the
 * quoted key) is prepared once per layout and depth, room is checked once
 * per record, and values are copied 16 bytes at a time. At most
 * JW_LAYOUTS layouts of JW_LAYOUT_MAX bytes are kept per emitter. */
#include "core/json_emit_internal.h"

#include "core/error.h"
#include "core/flat.h"
#include "core/mem.h"

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* "," (", " when compact), then a newline and ind spaces when indenting. */
static char *jw_piece_sep(const spy_jw *w, char *o, bool comma, size_t ind)
{
    if (comma)
        *o++ = ',';
    if (w->indent == 0) {
        if (comma)
            *o++ = ' ';
        return o;
    }
    *o++ = '\n';
    memset(o, ' ', ind);
    return o + ind;
}

/* The cached text for r's layout at the current depth, made on a miss;
 * NULL when it would be larger than JW_LAYOUT_MAX. */
static jw_layout *jw_layout_for(spy_jw *w, const spy_flat *r)
{
    for (unsigned k = 0; k < JW_LAYOUTS; k++)
        if (w->lay[k].id == r->layout && w->lay[k].depth == w->depth && w->lay[k].n == r->n)
            return &w->lay[k];
    size_t ind0 = (size_t)w->depth * (size_t)w->indent, ind1 = ind0 + (size_t)w->indent;
    size_t need = 2 * (ind0 + 4) + 32;
    for (size_t k = 0; k < r->n && need <= JW_LAYOUT_MAX; k++)
        need += ind1 + 6 * r->f[k].key_len + 8;
    if (need > JW_LAYOUT_MAX)
        return NULL;
    jw_layout *l = &w->lay[w->lay_next];
    w->lay_next = (w->lay_next + 1) % JW_LAYOUTS;
    l->text = spy_xrealloc(l->text, need);
    l->off = spy_xreallocarray(l->off, r->n + 3, sizeof *l->off);
    char *o = l->text;
    l->off[0] = 0;
    o = jw_piece_sep(w, o, true, ind0);
    *o++ = '{';
    for (size_t k = 0; k < r->n; k++) {
        size_t used;
        l->off[k + 1] = (uint32_t)(o - l->text);
        o = jw_piece_sep(w, o, k > 0, ind1);
        *o++ = '"';
        o = jw_escape(o, (const unsigned char *)r->f[k].key, r->f[k].key_len, r->f[k].key_len,
                      &used);
        memcpy(o, "\": ", 3);
        o += 3;
    }
    l->off[r->n + 1] = (uint32_t)(o - l->text);
    if (w->indent > 0)
        o = jw_piece_sep(w, o, false, ind0);
    *o++ = '}';
    l->off[r->n + 2] = (uint32_t)(o - l->text);
    memset(o, ' ', 32); /* read by jw_copy32, never written out */
    l->id = r->layout;
    l->depth = w->depth;
    l->n = r->n;
    return l;
}

/* n bytes of p at o, 32 then 16 at a time: p has 32 readable bytes, and
 * 16 past n - 1 rounded up; o has room for as many (the extra bytes
 * written are overwritten by what follows). Most pieces and strings are
 * under 32 bytes: two stores, no loop, no call. */
static inline char *jw_copy32(char *o, const char *p, size_t n)
{
    memcpy(o, p, 16);
    memcpy(o + 16, p + 16, 16);
    for (size_t k = 32; k < n; k += 16)
        memcpy(o + k, p + k, 16);
    return o + n;
}

/* n bytes of s at o without reading past them (libc's memcpy costs a call
 * and its own dispatch on n for what are mostly a few dozen bytes). */
static inline char *jw_copy(char *o, const char *s, size_t n)
{
    if (n >= 16) {
        for (size_t k = 0; k + 16 < n; k += 16)
            memcpy(o + k, s + k, 16);
        memcpy(o + n - 16, s + n - 16, 16);
    } else if (n >= 8) {
        memcpy(o, s, 8);
        memcpy(o + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(o, s, 4);
        memcpy(o + n - 4, s + n - 4, 4);
    } else if (n > 0) {
        o[0] = s[0];
        o[n / 2] = s[n / 2];
        o[n - 1] = s[n - 1];
    }
    return o + n;
}

/* A string value of a flat record, quoted; rd: 32 bytes past its end may
 * be read from s (it sits in the record's buffer, which has room after its
 * last byte). */
static inline char *jw_flat_str(char *o, const char *s, size_t n, bool plain, bool rd)
{
    *o++ = '"';
#ifdef __SSE2__
    if (rd) {
        /* 16 bytes per load and store, checked with jw_escape's test
         * unless plain (the bytes past n are not; what follows overwrites
         * them). Those that need escaping go to jw_escape from the start. */
        unsigned m = 0;
        for (size_t i = 0; i < n; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            if (!plain) {
                m = jw_special16(x);
                if (n - i < 16)
                    m &= (1u << (n - i)) - 1u;
                if (m)
                    break;
            }
            _mm_storeu_si128((__m128i *)(void *)(o + i), x);
        }
        if (!m) {
            o[n] = '"';
            return o + n + 1;
        }
    }
#endif
    if (plain) {
        o = rd ? jw_copy32(o, s, n) : jw_copy(o, s, n);
    } else {
        size_t used;
        o = jw_escape(o, (const unsigned char *)s, n, n, &used);
    }
    *o++ = '"';
    return o;
}

/* The literals, 32 bytes each for jw_copy32. */
static const char jw_lit[3][32] = {"true", "false", "null"};

/* Bytes reserved for a record's strings at first (plain ones count their
 * length, others 6 bytes per byte); a record that needs more reserves
 * again as it goes. Strings longer than JW_CHUNK stream through
 * jw_put_plain / jw_put_string, so the buffer never grows for them. */
#define JW_FLAT_BUDGET 2048u

bool jw_flat_cached(spy_jw *w, const spy_flat *r, int *rc)
{
    jw_frame *pf = &w->st[w->depth];
    if (!r->layout || r->n == 0 || w->err || w->depth == 0 || pf->object ||
        w->depth >= SPY_MAX_EMIT_DEPTH)
        return false;
    jw_layout *l = jw_layout_for(w, r);
    if (!l)
        return false;
    const uint32_t *off = l->off;
    const char *t = l->text;
    /* The pieces, the other values (24 bytes each, quotes included) and
     * the last copy's extra bytes; then the strings' budget. */
    size_t fixed = off[r->n + 2] + 24 * r->n + 64, budget = JW_FLAT_BUDGET;
    if (fixed > JW_FD_BUF / 2 || !jw_room(w, fixed + budget))
        return false;
    /* Strings of the record's buffer may be read 32 bytes at a time when
     * it has 32 bytes after its last one (not those pointed elsewhere). */
    bool rd = r->buf_cap - r->len >= 32;
    char *o = w->buf + w->len;
    size_t skip = pf->has_items ? 0 : w->indent > 0 ? 1 : 2; /* the first item: no "," */
    o = jw_copy32(o, t + skip, off[1] - skip);
    for (size_t k = 0; k < r->n; k++) {
        const spy_flat_field *f = &r->f[k];
        o = jw_copy32(o, t + off[k + 1], off[k + 2] - off[k + 1]);
        switch (f->kind) {
        case SPY_FLAT_STR: {
            bool plain = f->plain & SPY_FLAT_STR_PLAIN;
            size_t need = plain ? f->len : 6 * f->len;
            if (need > budget) {
                w->len = (size_t)(o - w->buf);
                if (f->len > JW_CHUNK) { /* streamed, as the general path does */
                    if (plain)
                        jw_put_plain(w, f->s, f->len);
                    else
                        jw_put_string(w, f->s, f->len);
                    need = 0;
                }
                if (w->err || !jw_room(w, fixed + need)) {
                    *rc = w->err;
                    return true;
                }
                o = w->buf + w->len;
                budget = need;
                if (!need)
                    break;
            }
            budget -= need;
            o = jw_flat_str(o, f->s, f->len, plain, rd && f->s == r->buf + f->s_off);
            break;
        }
        case SPY_FLAT_INT: o = jw_int_at(o, (long long)f->i); break;
        case SPY_FLAT_TRUE: o = jw_copy32(o, jw_lit[0], 4); break;
        case SPY_FLAT_FALSE: o = jw_copy32(o, jw_lit[1], 5); break;
        case SPY_FLAT_NULL: o = jw_copy32(o, jw_lit[2], 4); break;
        }
    }
    o = jw_copy32(o, t + off[r->n + 1], off[r->n + 2] - off[r->n + 1]);
    w->len = (size_t)(o - w->buf);
    pf->has_items = true;
    *rc = SPY_OK;
    return true;
}
