/* Arenas for the indicator loader's parsed trees (iocs_internal.h). The
 * trees are only read by the loader and dropped all at once, so the parse
 * units allocate them from per-thread arenas through jansson's allocation
 * hooks: about a quarter of jansson's time went to malloc/free, and freeing
 * the trees one node at a time cost as much as a tenth of the load. A
 * thread has an arena only between spy_tree_arena_enter() and _leave();
 * every other jansson allocation in the process goes to the previous
 * functions. The hooks are process-wide: they are installed only while a
 * folder loads, before any module thread runs. */
#include "core/iocs_internal.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct spy_tree_chunk {
    struct spy_tree_chunk *next;
    size_t used, cap;
    max_align_t data[];
} spy_tree_chunk;

#define ARENA_CHUNK_BYTES ((size_t)1 << 20)

static _Thread_local spy_tree_arena *tl_arena;
static pthread_mutex_t hooks_mu = PTHREAD_MUTEX_INITIALIZER;
static size_t hooks_users;
static json_malloc_t prev_malloc;
static json_free_t prev_free;

static void *arena_alloc(spy_tree_arena *a, size_t n)
{
    const size_t al = _Alignof(max_align_t);
    n = (n + al - 1) / al * al;
    spy_tree_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > ARENA_CHUNK_BYTES / 4 ? n : ARENA_CHUNK_BYTES;
        spy_tree_chunk *nc = spy_xmalloc(sizeof *nc + cap);
        nc->used = 0;
        nc->cap = cap;
        if (c && cap == n) { /* a big block goes behind the current chunk */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    void *p = (unsigned char *)c->data + c->used;
    c->used += n;
    return p;
}

static bool arena_owns(const spy_tree_arena *a, const void *p)
{
    uintptr_t q = (uintptr_t)p; /* p may belong to no chunk: compare addresses */
    for (const spy_tree_chunk *c = a->head; c; c = c->next) {
        uintptr_t b = (uintptr_t)c->data;
        if (q >= b && q - b < c->cap)
            return true;
    }
    return false;
}

void spy_tree_arena_drop(spy_tree_arena *a)
{
    while (a->head) {
        spy_tree_chunk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

static void *hook_malloc(size_t n)
{
    spy_tree_arena *a = tl_arena;
    return a ? arena_alloc(a, n) : prev_malloc(n);
}

/* jansson frees what it allocated on the same thread (lexer buffers, a
 * failed parse); arena memory is reclaimed by spy_tree_arena_drop. */
static void hook_free(void *p)
{
    spy_tree_arena *a = tl_arena;
    if (p && !(a && arena_owns(a, p)))
        prev_free(p);
}

void spy_tree_arena_enter(spy_tree_arena *a)
{
    tl_arena = a;
}

void spy_tree_arena_leave(void)
{
    tl_arena = NULL;
}

void spy_tree_hooks_install(void)
{
    pthread_mutex_lock(&hooks_mu);
    if (hooks_users++ == 0) {
        json_get_alloc_funcs(&prev_malloc, &prev_free);
        json_set_alloc_funcs(hook_malloc, hook_free);
    }
    pthread_mutex_unlock(&hooks_mu);
}

void spy_tree_hooks_remove(void)
{
    pthread_mutex_lock(&hooks_mu);
    if (--hooks_users == 0)
        json_set_alloc_funcs(prev_malloc, prev_free);
    pthread_mutex_unlock(&hooks_mu);
}
