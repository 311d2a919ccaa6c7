/* Helpers shared by the browser-history modules (Safari, Chrome, Firefox,
 * WebKit: spec/ios.md §5.2, 5.3, 5.5, 5.6, 5.12, 5.13, 5.17). */
#ifndef SPY_MOD_WEB_COMMON_H
#define SPY_MOD_WEB_COMMON_H

#include "modules/module_kit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The database path "relative to the target folder" that MVT stores in
 * safari_*_db keys: a backup content file is "<xx>/<fileID>", a dump file
 * its path under the dump root. */
json_t *web_db_relpath(const spy_artifact *art);

/* spy_kit_foreach_db over several queries in order (a database may live at
 * several relative paths, e.g. Safari profiles): SPY_ENOTFOUND only when
 * none of them matched anything, else the first error. */
int web_foreach_dbs(spy_mod_ctx *ctx, const spy_query *const *qs, spy_kit_db_fn fn, void *ud);

/* The "domain" MVT compares (spec/iocs.md §7.2 step 4): the netloc
 * lower-cased with leading 'w' and '.' characters removed, or "" when the
 * URL cannot be parsed (no host, or a host without a public-suffix rule:
 * IP addresses, unknown TLDs). Writes at most outsz-1 bytes. */
void web_mvt_domain(const char *url, char *out, size_t outsz);

#endif
