#include "core/psl.h"

#include "core/log.h"

#include <pthread.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const psl_ctx_t *handle;

static void load(void)
{
    /* Kept for the life of the process (still reachable, not a leak). */
    psl_ctx_t *p = psl_latest(NULL);
    if (p) {
        handle = p;
        return;
    }
    handle = psl_builtin();
    spy_debug("spyscan.psl", "Using libpsl's built-in public suffix list");
}

const psl_ctx_t *spy_psl(void)
{
    pthread_once(&once, load);
    return handle;
}
