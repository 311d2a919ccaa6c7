/* Helpers shared by the browser-history modules (Safari, Chrome, Firefox,
 * WebKit: spec/ios.md §5.2, 5.3, 5.5, 5.6, 5.12, 5.13, 5.17). */
#ifndef SPY_MOD_WEB_COMMON_H
#define SPY_MOD_WEB_COMMON_H

#include "modules/module_kit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A value rendered as Python's str() renders it in MVT's f-strings
 * (timeline descriptions): None, True/False, ints, floats in repr form,
 * strings as they are. free(). */
char *web_pystr(const json_t *v);

/* The database path "relative to the target folder" that MVT stores in
 * safari_*_db keys: a backup content file is "<xx>/<fileID>", a dump file
 * its path under the dump root. */
json_t *web_db_relpath(const spy_artifact *art);

/* ISO renderings of a JSON number (integer or real); "" for anything
 * else or a failed conversion (spec/ios.md §1.1). */
json_t *web_iso_mac(const json_t *v);
json_t *web_iso_unix(const json_t *v);
json_t *web_iso_webkit(const json_t *v);

/* Numeric value of an integer or real JSON value; false otherwise. */
bool web_number(const json_t *v, double *out);

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
