/* Shared values for the kept events: the same package name, address, uid or
 * port appears in thousands of events, and each copy jansson keeps costs an
 * object and its text (about 80 bytes for a short string). A kept event's
 * strings and small integers are replaced by the first equal value seen;
 * the events read the same, and their values are never changed afterwards
 * (modules copy an event's top level before adding to it; jansson counts
 * references atomically, so the threads may share them). */
#include "acquire/intrusion_logs_internal.h"

#include "core/mem.h"
#include "core/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Event times are all different: only numbers this small (uids, pids,
 * ports, counts) are worth sharing. */
#define IL_SHARED_INT_MAX 0x7FFFFFFF

static uint64_t value_hash(const json_t *v)
{
    if (json_is_string(v))
        return spy_strhash(json_string_value(v), json_string_length(v));
    json_int_t x = json_integer_value(v);
    return spy_strhash((const char *)&x, sizeof x) ^ 0x5bd1e9955bd1e995ull;
}

static bool same_value(const json_t *a, const json_t *b)
{
    if (json_typeof(a) != json_typeof(b))
        return false;
    if (json_is_integer(a))
        return json_integer_value(a) == json_integer_value(b);
    return json_string_length(a) == json_string_length(b) &&
           memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
}

static void grow(il_parse *p)
{
    size_t cap = p->shared_cap ? p->shared_cap * 2 : 1024;
    il_seen_slot *t = spy_xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < p->shared_cap; i++) {
        if (!p->shared[i].event)
            continue;
        size_t j = (size_t)p->shared[i].hash & (cap - 1);
        while (t[j].event)
            j = (j + 1) & (cap - 1);
        t[j] = p->shared[i];
    }
    free(p->shared);
    p->shared = t;
    p->shared_cap = cap;
}

/* The shared value equal to v (v itself when it is the first). */
static json_t *shared(il_parse *p, json_t *v)
{
    if (!json_is_string(v) && !(json_is_integer(v) && json_integer_value(v) >= -IL_SHARED_INT_MAX &&
                                json_integer_value(v) <= IL_SHARED_INT_MAX))
        return v;
    if ((p->shared_n + 1) * 4 > p->shared_cap * 3)
        grow(p);
    uint64_t h = value_hash(v);
    size_t mask = p->shared_cap - 1, i = (size_t)h & mask;
    for (; p->shared[i].event; i = (i + 1) & mask)
        if (p->shared[i].hash == h && same_value(p->shared[i].event, v))
            return (json_t *)p->shared[i].event;
    /* Borrowed: the kept event holding it lives as long as the set. */
    p->shared[i] = (il_seen_slot){h, v};
    p->shared_n++;
    return v;
}

void il_share_values(il_parse *p, json_t *v)
{
    if (json_is_object(v)) {
        for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
            json_t *m = json_object_iter_value(it), *s = shared(p, m);
            if (s != m)
                json_object_iter_set(v, it, s);
            else
                il_share_values(p, m);
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *m = json_array_get(v, i), *s = shared(p, m);
            if (s != m)
                json_array_set(v, i, s);
            else
                il_share_values(p, m);
        }
    }
}
