/* The events already kept (spec/android.md §1.6): MVT drops an event whose
 * json.dumps(value, sort_keys=True) it has seen before, in any file and
 * under any type. spyscan keeps 16 bytes per event for this (a hash and
 * the kept event itself), not the fingerprint text: the fingerprint of a
 * kept event is made again only when a new one hashes the same, so the
 * answer stays exact whatever the hash does. */
#include "acquire/intrusion_logs_internal.h"

#include "core/mem.h"
#include "core/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void il_buf_put(il_buf *b, const void *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = spy_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, data, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* ---- fingerprints ---------------------------------------------------------
 * Any encoding that is equal exactly when MVT's texts are equal will do:
 * here a tagged binary one (types, lengths and bytes, object members in key
 * order), several times cheaper than printing JSON. Integers and reals stay
 * apart, as 1 and 1.0 print differently in Python. */

typedef struct fp_member {
    const char *key;
    size_t len;
    json_t *value;
} fp_member;

static int fp_cmp(const void *a, const void *b)
{
    const fp_member *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* A tag and a length (LEB128). */
static void fp_len(il_buf *b, char tag, size_t n)
{
    unsigned char out[11];
    size_t k = 0;
    out[k++] = (unsigned char)tag;
    do {
        out[k++] = (unsigned char)((n & 0x7Fu) | (n > 0x7Fu ? 0x80u : 0u));
        n >>= 7;
    } while (n);
    il_buf_put(b, out, k);
}

static void fp_encode(il_buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        fp_member *m = spy_xcalloc(n ? n : 1, sizeof *m);
        for (void *it = json_object_iter((json_t *)v); it && i < n;
             it = json_object_iter_next((json_t *)v, it), i++)
            m[i] = (fp_member){json_object_iter_key(it), json_object_iter_key_len(it),
                               json_object_iter_value(it)};
        qsort(m, i, sizeof *m, fp_cmp);
        fp_len(b, '{', i);
        for (size_t k = 0; k < i; k++) {
            fp_len(b, 'k', m[k].len);
            il_buf_put(b, m[k].key, m[k].len);
            fp_encode(b, m[k].value);
        }
        free(m);
        break;
    }
    case JSON_ARRAY:
        fp_len(b, '[', json_array_size(v));
        for (size_t i = 0; i < json_array_size(v); i++)
            fp_encode(b, json_array_get(v, i));
        break;
    case JSON_STRING:
        fp_len(b, 's', json_string_length(v));
        il_buf_put(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: {
        json_int_t x = json_integer_value(v);
        il_buf_put(b, "i", 1);
        il_buf_put(b, &x, sizeof x);
        break;
    }
    case JSON_REAL: {
        double x = json_real_value(v);
        il_buf_put(b, "r", 1);
        il_buf_put(b, &x, sizeof x);
        break;
    }
    case JSON_TRUE: il_buf_put(b, "t", 1); break;
    case JSON_FALSE: il_buf_put(b, "f", 1); break;
    case JSON_NULL: il_buf_put(b, "n", 1); break;
    }
}

/* ---- the set: open addressing, linear probing, at most 3/4 full ---------- */

static void grow(il_parse *p)
{
    size_t cap = p->seen_cap ? p->seen_cap * 2 : 1024;
    il_seen_slot *t = spy_xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < p->seen_cap; i++) {
        if (!p->seen[i].event)
            continue;
        size_t j = (size_t)p->seen[i].hash & (cap - 1);
        while (t[j].event)
            j = (j + 1) & (cap - 1);
        t[j] = p->seen[i];
    }
    free(p->seen);
    p->seen = t;
    p->seen_cap = cap;
}

bool il_seen_add(il_parse *p, const json_t *value)
{
    p->fp.len = 0;
    fp_encode(&p->fp, value);
    uint64_t h = spy_strhash(p->fp.s, p->fp.len);
    if ((p->seen_n + 1) * 4 > p->seen_cap * 3)
        grow(p);
    size_t mask = p->seen_cap - 1, i = (size_t)h & mask;
    for (; p->seen[i].event; i = (i + 1) & mask) {
        if (p->seen[i].hash != h)
            continue;
        p->fp2.len = 0;
        fp_encode(&p->fp2, p->seen[i].event);
        if (p->fp2.len == p->fp.len && memcmp(p->fp2.s, p->fp.s, p->fp.len) == 0)
            return false;
    }
    /* Borrowed: the bucket the caller appends it to keeps it alive. */
    p->seen[i] = (il_seen_slot){h, value};
    p->seen_n++;
    return true;
}
