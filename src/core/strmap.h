/* A small open-addressing hash map from byte-string keys to pointer values.
 *
 * Keys are copied into the map (an arena owned by it), so callers may look
 * up with any (pointer, length) pair, NUL-terminated or not. Capacity is a
 * power of two with linear probing; the table grows at 50 % load. There is
 * no deletion: the indicator indexes are built once and then only read.
 *
 * Thread safety: after the last insertion, lookups and iteration are
 * read-only and may run concurrently. */
#ifndef SPY_STRMAP_H
#define SPY_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct spy_strmap spy_strmap;

/* hint: expected number of keys (0 is fine). Never fails (aborts on OOM). */
spy_strmap *spy_strmap_new(size_t hint);
void spy_strmap_free(spy_strmap *m);

/* Inserts key if absent. Returns the value slot of the key (NULL for a new
 * key) so the caller can read or replace the value; *inserted tells which. */
void **spy_strmap_put(spy_strmap *m, const char *key, size_t len, bool *inserted);
/* The value slot of key, or NULL when absent. */
void *const *spy_strmap_find(const spy_strmap *m, const char *key, size_t len);
/* The value of key, or NULL when absent (or when the stored value is NULL). */
void *spy_strmap_get(const spy_strmap *m, const char *key, size_t len);
bool spy_strmap_has(const spy_strmap *m, const char *key, size_t len);
size_t spy_strmap_count(const spy_strmap *m);

/* Iteration in table order: start with *iter = 0; returns false at the end.
 * key points into the map (NUL-terminated). */
bool spy_strmap_next(const spy_strmap *m, size_t *iter, const char **key, size_t *len,
                     void **value);

/* The hash used by the map (exposed for tests and for callers that want to
 * shard by it). */
uint64_t spy_strhash(const char *key, size_t len);

#endif
