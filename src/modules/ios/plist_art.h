/* What the plist-reading iOS modules share (BackupInfo, GlobalPreferences,
 * OSAnalyticsADDaily, IDStatusCache): find the plist through the
 * acquisition, read it bounded, parse it (binary or XML, core/plist.h),
 * and turn plist values into the JSON MVT writes for them. */
#ifndef SPY_MOD_PLIST_ART_H
#define SPY_MOD_PLIST_ART_H

#include "core/module.h"
#include "core/timeconv.h"

#include <jansson.h>

/* Preference plists are small; a hostile one hits this, not the allocator. */
#define SPY_PLART_MAX_BYTES (64u * 1024u * 1024u)

/* One artifact read and parsed. SPY_EFORMAT (logged as an error naming the
 * file and why) when it cannot be read or is not a plist. */
int spy_plart_load(spy_mod_ctx *ctx, const spy_artifact *art, json_t **out);

/* The first artifact matching q, parsed. SPY_ENOTFOUND (logged at info)
 * when there is none. *label (optional, free()) names it. */
int spy_plart_first(spy_mod_ctx *ctx, const spy_query *q, json_t **out, char **label);

/* Every artifact matching q, parsed and handed to fn; fn returns
 * SPY_EFORMAT (after reporting it) for a file not shaped as the module
 * reads it, any other error to stop. A file that cannot be parsed or used
 * is skipped (graded) while others could be read; SPY_EFORMAT when none
 * could, SPY_ENOTFOUND when there is none. */
typedef int (*spy_plart_fn)(spy_mod_ctx *ctx, const json_t *plist, const spy_artifact *art,
                            void *ud);
int spy_plart_foreach(spy_mod_ctx *ctx, const spy_query *q, spy_plart_fn fn, void *ud);

/* The top-level value must be a dict (all four modules read key → value);
 * otherwise logs "<label>: ... not a dictionary" and returns false. */
bool spy_plart_expect_dict(spy_mod_ctx *ctx, const json_t *plist, const char *label);

/* Python's str() of a plistlib datetime built from Mac seconds: the
 * fraction is left out when it is zero ("2021-07-18 10:20:30"). */
bool spy_plart_pydate(double mac, char out[SPY_ISO_LEN]);

/* A plist value as MVT's JSON encoder writes it (spec/outputs.md §3.1):
 * dates → str(datetime), data → its bytes (the emitter writes invalid
 * UTF-8 as \xNN), UIDs → "UID(n)", containers converted recursively;
 * everything else as it is. New reference. */
json_t *spy_plart_value(const json_t *v);

#endif
