#include "core/arena.h"

#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>

struct spy_arena_chunk {
    spy_arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

void *spy_arena_alloc(spy_arena *a, size_t n, size_t align)
{
    size_t chunk = a->chunk_bytes ? a->chunk_bytes : (size_t)64 * 1024;
    spy_arena_chunk *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->cap || c->cap - at < n) {
        size_t cap = n > chunk / 4 ? n : chunk;
        spy_arena_chunk *nc = spy_xmalloc(sizeof *nc + cap);
        nc->used = 0;
        nc->cap = cap;
        if (c && cap == n) {
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
        at = 0;
    }
    c->used = at + n;
    return (unsigned char *)c->data + at;
}

bool spy_arena_owns(const spy_arena *a, const void *p)
{
    uintptr_t q = (uintptr_t)p; /* p may belong to no chunk: compare addresses */
    for (const spy_arena_chunk *c = a->head; c; c = c->next) {
        uintptr_t b = (uintptr_t)c->data;
        if (q >= b && q - b < c->cap)
            return true;
    }
    return false;
}

void spy_arena_clear(spy_arena *a)
{
    while (a->head) {
        spy_arena_chunk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}
