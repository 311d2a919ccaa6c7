/* Calls (spec/ios.md §5.1): CallHistory.storedata's ZCALLRECORD, one record
 * per call. No indicator check (MVT has none). */
#include "core/error.h"
#include "core/mem.h"
#include "modules/ios/cols.h"
#include "modules/ios/db_rows.h"
#include "modules/ios/pyfmt.h"

#include <stdlib.h>

static const char *const CALLS_IDS[] = {"5a4935c78a5255723f707230a451d79c540d2741", NULL};
static const char *const CALLS_GLOBS[] = {
    "private/var/mobile/Library/CallHistoryDB/CallHistory.storedata", NULL};

static json_t *calls_record(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "isodate", spy_col_iso(st, 0, SPY_EPOCH_MAC_NS18));
    json_object_set_new_nocheck(rec, "duration", spy_kit_col(st, 1));
    json_object_set_new_nocheck(rec, "location", spy_kit_col(st, 2));
    /* ZADDRESS is a BLOB holding UTF-8 text */
    json_object_set_new_nocheck(rec, "number", spy_kit_col(st, 3));
    json_object_set_new_nocheck(rec, "provider", spy_kit_col(st, 4));
    return rec;
}

static int calls_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = CALLS_IDS,
                   .domain = "HomeDomain",
                   .path = "Library/CallHistoryDB/CallHistory.storedata",
                   .globs = CALLS_GLOBS,
                   .first_only = true};
    return spy_rows_emit_db(ctx, &q,
                            "SELECT ZDATE, ZDURATION, ZLOCATION, ZADDRESS, ZSERVICE_PROVIDER "
                            "FROM ZCALLRECORD",
                            NULL, calls_record);
}

static void calls_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *number = spy_py_strdup(json_object_get(r, "number"));
    char *provider = spy_py_strdup(json_object_get(r, "provider"));
    char *duration = spy_py_strdup(json_object_get(r, "duration"));
    char *data = spy_xasprintf("From %s using %s during %s seconds", number, provider, duration);
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "call", data);
    free(data);
    free(duration);
    free(provider);
    free(number);
}

const spy_module spy_mod_calls = {
    "Calls", "calls", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, calls_run, NULL, calls_timeline};
