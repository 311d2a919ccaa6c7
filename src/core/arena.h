/* A bump allocator: memory taken in chunks and given back all at once.
 * For many small pieces that live exactly as long as their owner (keys of
 * a string map, a parsed tree that is dropped whole). */
#ifndef SPY_ARENA_H
#define SPY_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct spy_arena_chunk spy_arena_chunk;

typedef struct spy_arena {
    spy_arena_chunk *head; /* the one being filled first */
    size_t chunk_bytes;    /* 0: 64 KiB */
} spy_arena;

/* n bytes aligned to `align` (a power of two, at most that of
 * max_align_t); aborts on out-of-memory as spy_xmalloc does. A request
 * over a quarter of a chunk gets a chunk of its own, behind the current
 * one, so the current chunk's free space is not wasted. */
void *spy_arena_alloc(spy_arena *a, size_t n, size_t align);
/* Whether p points into memory the arena gave out. */
bool spy_arena_owns(const spy_arena *a, const void *p);
/* Frees every chunk; the arena is empty and reusable. */
void spy_arena_clear(spy_arena *a);

#endif
