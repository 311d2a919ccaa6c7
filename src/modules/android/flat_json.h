/* A fast path for the flat JSON objects AndroidQF writes by the hundred
 * thousand (files.json entries): an object whose values are strings,
 * integers, true, false or null. Anything else (nesting, reals, odd
 * escapes, any syntax error) is declined, and the caller parses that value
 * with jansson, so what this returns always equals jansson's result (the
 * fuzz target fuzz_aqf_files compares both). jansson's lexer and its
 * per-call set-up were most of the time of a 400k-entry files.json. */
#ifndef SPY_FLAT_JSON_H
#define SPY_FLAT_JSON_H

#include "core/flat.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The object starting at s[0] (after no whitespace) into r (emptied
 * first), sealed; false when declined. *used gets the bytes it spans. Keys
 * may repeat (jansson keeps the last value at the first key's place). */
bool spy_flat_parse(spy_flat *r, const char *s, size_t len, size_t *used);
/* A key sequence to compare records with: each key with its NUL, len
 * bytes in all, in a buffer readable 16 bytes past them (a short key is
 * compared as a block). */
typedef struct spy_flat_keys {
    const char *s;
    size_t len;
} spy_flat_keys;
/* spy_flat_parse, and *same: the record's keys are, in order, exactly
 * those of keys (checked as each key is parsed: cheaper than after).
 * *same is only set when the object is accepted. */
bool spy_flat_parse_keys(spy_flat *r, const char *s, size_t len, size_t *used,
                         const spy_flat_keys *keys, bool *same);
/* The same as a jansson object, or NULL when declined. */
json_t *spy_flat_json_object(const char *s, size_t len, size_t *used);

#endif
