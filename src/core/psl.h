/* The public suffix list, loaded once per process: the system's current
 * list (Debian's publicsuffix package) when present, else libpsl's built-in
 * copy. Loading reads a file, so every user shares this one handle. */
#ifndef SPY_PSL_H
#define SPY_PSL_H

#include <libpsl.h>

/* Never NULL after the first call unless libpsl has no list at all. */
const psl_ctx_t *spy_psl(void);

#endif
