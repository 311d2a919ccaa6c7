#include "core/strmap.h"

#include "core/arena.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

/* Keys live in an arena so a lookup never needs a NUL-terminated key
 * and the table holds no per-key allocation. */
typedef struct slot {
    uint64_t hash;
    const char *key; /* NULL: empty slot */
    size_t len;
    void *value;
} slot;

struct spy_strmap {
    slot *slots;
    size_t cap; /* power of two */
    size_t count;
    spy_arena arena;
};

static inline uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Eight bytes per step (the URL checker hashes several host names per
 * check), then a murmur3-style finaliser so low bits are well mixed for the
 * power-of-two mask. */
uint64_t spy_strhash(const char *key, size_t len)
{
    const unsigned char *p = (const unsigned char *)key;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)len * 0xff51afd7ed558ccdull);
    while (len >= 8) {
        h ^= rd64(p) * 0x87c37b91114253d5ull;
        h = rotl64(h, 31) * 0x4cf5ad432745937full;
        p += 8;
        len -= 8;
    }
    if (len) {
        /* Tail of 1-7 bytes read as two overlapping words (or three bytes):
         * a variable-length memcpy here compiles to byte stores that stall
         * the following 8-byte load. The length is already in h. */
        uint64_t v;
        if (len >= 4) {
            uint32_t a, b;
            memcpy(&a, p, 4);
            memcpy(&b, p + len - 4, 4);
            v = ((uint64_t)a << 32) | b;
        } else {
            v = ((uint64_t)p[0] << 16) | ((uint64_t)p[len >> 1] << 8) | p[len - 1];
        }
        h ^= v * 0x87c37b91114253d5ull;
        h = rotl64(h, 31) * 0x4cf5ad432745937full;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

spy_strmap *spy_strmap_new(size_t hint)
{
    spy_strmap *m = spy_xcalloc(1, sizeof *m);
    size_t cap = 16;
    while (cap < hint * 2 + 1)
        cap <<= 1;
    m->cap = cap;
    m->slots = spy_xcalloc(cap, sizeof(slot));
    return m;
}

void spy_strmap_free(spy_strmap *m)
{
    if (!m)
        return;
    spy_arena_clear(&m->arena);
    free(m->slots);
    free(m);
}

static const char *arena_copy(spy_strmap *m, const char *key, size_t len)
{
    char *dst = spy_arena_alloc(&m->arena, len + 1, 1);
    memcpy(dst, key, len);
    dst[len] = '\0';
    return dst;
}

static slot *probe(const spy_strmap *m, uint64_t h, const char *key, size_t len)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (!s->key)
            return s;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

static void grow(spy_strmap *m)
{
    slot *old = m->slots;
    size_t oldcap = m->cap;
    m->cap = oldcap * 2;
    m->slots = spy_xcalloc(m->cap, sizeof(slot));
    size_t mask = m->cap - 1;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].key)
            continue;
        size_t j = (size_t)old[i].hash & mask;
        while (m->slots[j].key)
            j = (j + 1) & mask;
        m->slots[j] = old[i];
    }
    free(old);
}

void **spy_strmap_put(spy_strmap *m, const char *key, size_t len, bool *inserted)
{
    /* At most half full: most lookups of the checkers are misses, and a
     * miss probes until an empty slot. */
    if ((m->count + 1) * 2 > m->cap)
        grow(m);
    uint64_t h = spy_strhash(key, len);
    slot *s = probe(m, h, key, len);
    if (s->key) {
        if (inserted)
            *inserted = false;
        return &s->value;
    }
    s->hash = h;
    s->key = arena_copy(m, key, len);
    s->len = len;
    s->value = NULL;
    m->count++;
    if (inserted)
        *inserted = true;
    return &s->value;
}

void *const *spy_strmap_find(const spy_strmap *m, const char *key, size_t len)
{
    if (!m || m->count == 0)
        return NULL;
    slot *s = probe(m, spy_strhash(key, len), key, len);
    return s->key ? &s->value : NULL;
}

void *spy_strmap_get(const spy_strmap *m, const char *key, size_t len)
{
    void *const *v = spy_strmap_find(m, key, len);
    return v ? *v : NULL;
}

bool spy_strmap_has(const spy_strmap *m, const char *key, size_t len)
{
    return spy_strmap_find(m, key, len) != NULL;
}

size_t spy_strmap_count(const spy_strmap *m)
{
    return m ? m->count : 0;
}

bool spy_strmap_next(const spy_strmap *m, size_t *iter, const char **key, size_t *len, void **value)
{
    if (!m)
        return false;
    for (size_t i = *iter; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        if (key)
            *key = m->slots[i].key;
        if (len)
            *len = m->slots[i].len;
        if (value)
            *value = m->slots[i].value;
        *iter = i + 1;
        return true;
    }
    *iter = m->cap;
    return false;
}
