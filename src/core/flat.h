/* A flat record: an object whose values are all scalars, held as parsed
 * (keys and strings in one buffer, no jansson objects). Artifacts of
 * hundreds of thousands of such entries (AndroidQF's files.json) go
 * through the run loop as flat records: building, writing and freeing a
 * jansson object per entry was most of the cost of checking them. The
 * record converts to the jansson object it stands for when a check needs
 * one (an alert's event), and is written exactly as that object would be. */
#ifndef SPY_FLAT_H
#define SPY_FLAT_H

#include "core/json_emit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum spy_flat_kind {
    SPY_FLAT_STR,
    SPY_FLAT_INT,
    SPY_FLAT_TRUE,
    SPY_FLAT_FALSE,
    SPY_FLAT_NULL
} spy_flat_kind;

/* spy_flat_field.plain: the key's or the string's bytes are all printable
 * ASCII other than '"' and '\\' (0x20-0x7E), so the emitter writes them as
 * they are (the emitter's bits, given to it as they are). Unset means
 * "unknown": escaped as usual. */
enum { SPY_FLAT_KEY_PLAIN = SPY_JW_KEY_PLAIN, SPY_FLAT_STR_PLAIN = SPY_JW_STR_PLAIN };

typedef struct spy_flat_field {
    const char *key; /* NUL-terminated, no NUL inside */
    size_t key_len;
    spy_flat_kind kind;
    unsigned char plain; /* SPY_FLAT_*_PLAIN */
    const char *s;       /* SPY_FLAT_STR: NUL-terminated; may hold NULs (len counts them) */
    size_t len;
    int64_t i;             /* SPY_FLAT_INT */
    size_t key_off, s_off; /* where key and s sit in buf */
} spy_flat_field;

/* Keys are unique (a parser declines an object that repeats one). The
 * pointers point into buf; spy_flat_seal() sets them once buf is final. */
typedef struct spy_flat {
    spy_flat_field *f;
    size_t n, cap;
    char *buf; /* keys and string values, each NUL-terminated */
    size_t len, buf_cap;
    /* The record's key layout (keys, their order, all unique), as a number
     * given to no other layout in the process (spy_flat_layout_new), so a
     * caller may keep key indices per layout (spy_flat_cache). 0 = unknown:
     * spy_flat_reset() and spy_flat_add() clear it, and only a producer that
     * has checked the keys sets it (the AndroidQF reader). */
    uint64_t layout;
} spy_flat;

/* A fresh layout number (never 0; thread-safe). */
uint64_t spy_flat_layout_new(void);

/* Empties r, keeping its memory for the next record. */
void spy_flat_reset(spy_flat *r);
void spy_flat_free(spy_flat *r);
/* Out of line: room for more bytes in buf, or for one more field. */
void spy_flat_grow(spy_flat *r, size_t more);
void spy_flat_grow_fields(spy_flat *r);

/* Appends bytes (plus a NUL) to r->buf; returns their offset. */
size_t spy_flat_put(spy_flat *r, const char *s, size_t len);

/* The same in pieces: spy_flat_append() bytes, then spy_flat_end() adds
 * the NUL; the piece starts at the r->len seen before the first append.
 * Inline, with add: a parser calls them a few dozen times per record. */
static inline void spy_flat_append(spy_flat *r, const char *s, size_t len)
{
    if (len == 0)
        return;
    if (r->len + len + 1 > r->buf_cap)
        spy_flat_grow(r, len + 1); /* room for spy_flat_end's NUL too */
    memcpy(r->buf + r->len, s, len);
    r->len += len;
}

static inline void spy_flat_end(spy_flat *r)
{
    if (r->len + 1 > r->buf_cap)
        spy_flat_grow(r, 1);
    r->buf[r->len++] = '\0';
}

/* Appends a field whose key and string live at the given offsets of buf;
 * plain: the SPY_FLAT_*_PLAIN bits the caller knows to hold. */
static inline void spy_flat_add_plain(spy_flat *r, size_t key_off, size_t key_len,
                                      spy_flat_kind kind, size_t s_off, size_t s_len, int64_t i,
                                      unsigned plain)
{
    if (r->n == r->cap)
        spy_flat_grow_fields(r);
    spy_flat_field *f = &r->f[r->n++];
    f->key = f->s = NULL; /* set by spy_flat_seal() */
    f->key_len = key_len;
    f->kind = kind;
    f->plain = (unsigned char)plain;
    f->len = s_len;
    f->i = i;
    f->key_off = key_off;
    f->s_off = s_off;
    r->layout = 0; /* the keys changed */
}

/* The same with the plain bits unknown (the text is escaped). */
static inline void spy_flat_add(spy_flat *r, size_t key_off, size_t key_len, spy_flat_kind kind,
                                size_t s_off, size_t s_len, int64_t i)
{
    spy_flat_add_plain(r, key_off, key_len, kind, s_off, s_len, i, 0);
}

/* True when the emitter writes s as it is (see SPY_FLAT_KEY_PLAIN). */
bool spy_flat_text_plain(const char *s, size_t len);
/* Points the fields at buf (after the last spy_flat_put). */
void spy_flat_seal(spy_flat *r);
/* True when no key repeats. */
bool spy_flat_keys_unique(const spy_flat *r);

/* Index of key, or -1. */
long spy_flat_find(const spy_flat *r, const char *key);
/* The string value of key, NULL when absent or not a string. */
const char *spy_flat_str(const spy_flat *r, const char *key);
/* A key and its length, e.g. SPY_FLAT_KEY("path"). */
typedef struct spy_flat_key {
    const char *s;
    size_t len;
} spy_flat_key;
#define SPY_FLAT_KEY(lit)                                                                          \
    {                                                                                              \
        lit, sizeof lit - 1                                                                        \
    }

/* The string values of n keys in one pass over the record: out[k] is the
 * value of keys[k], NULL when absent or not a string. */
void spy_flat_pick(const spy_flat *r, const spy_flat_key *keys, size_t n, const char **out);
/* Field indices of one key list in records of one layout: the first
 * record of a layout finds them, the next ones of that layout only load
 * them. Zero-initialize; one cache per key list (a different list is a
 * miss, not an error). */
#define SPY_FLAT_CACHE_KEYS 16
typedef struct spy_flat_cache {
    uint64_t layout; /* what idx is for; 0: nothing yet */
    const spy_flat_key *keys;
    size_t n;
    long idx[SPY_FLAT_CACHE_KEYS]; /* index of keys[k] in the record, -1 when absent */
} spy_flat_cache;

/* The field index of each of keys[0..n) in r (n <= SPY_FLAT_CACHE_KEYS):
 * [k] is -1 when absent, whatever the kind otherwise. Valid until r or c
 * changes. For a record of unknown layout (0) the keys are looked up and
 * nothing is cached; a repeated key gives its first field. */
const long *spy_flat_index(const spy_flat *r, spy_flat_cache *c, const spy_flat_key *keys,
                           size_t n);
/* spy_flat_pick() through c (n <= SPY_FLAT_CACHE_KEYS). */
void spy_flat_pick_cached(const spy_flat *r, spy_flat_cache *c, const spy_flat_key *keys, size_t n,
                          const char **out);
/* Replaces field i's value by a string (the record is sealed again);
 * plain: whether s needs no escaping (SPY_FLAT_STR_PLAIN), as the caller
 * knows it (times it formatted) or spy_flat_text_plain() tells. */
void spy_flat_set_str_plain(spy_flat *r, size_t i, const char *s, size_t len, bool plain);

/* The jansson object the record stands for (a new reference). */
json_t *spy_flat_to_json(const spy_flat *r);
/* Writes the record as spy_jw_value() writes spy_flat_to_json(r). */
int spy_jw_flat(spy_jw *w, const spy_flat *r);

#endif
