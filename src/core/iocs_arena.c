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

#include <pthread.h>
#include <stdlib.h>

#define ARENA_CHUNK_BYTES ((size_t)1 << 20)

static _Thread_local spy_arena *tl_arena;
static pthread_mutex_t hooks_mu = PTHREAD_MUTEX_INITIALIZER;
static size_t hooks_users;
static json_malloc_t prev_malloc;
static json_free_t prev_free;

static void *hook_malloc(size_t n)
{
    spy_arena *a = tl_arena;
    return a ? spy_arena_alloc(a, n, _Alignof(max_align_t)) : prev_malloc(n);
}

/* jansson frees what it allocated on the same thread (lexer buffers, a
 * failed parse); arena memory is reclaimed by spy_arena_clear. */
static void hook_free(void *p)
{
    spy_arena *a = tl_arena;
    if (p && !(a && spy_arena_owns(a, p)))
        prev_free(p);
}

void spy_tree_arena_enter(spy_arena *a)
{
    if (!a->chunk_bytes)
        a->chunk_bytes = ARENA_CHUNK_BYTES;
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
