/* ChromeHistory (spec/ios.md §5.3): Chrome for iOS's History database,
 * one record per visit, checked against URL indicators. */
#include "core/error.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/db_rows.h"
#include "modules/ios/pyfmt.h"

#include <stdlib.h>

static const char *const file_ids[] = {"faf971ce92c3ac508c018dce1bef2a8b8e9838f1", NULL};
static const char *const globs[] = {
    "private/var/mobile/Containers/Data/Application/*/Library/Application Support/Google/Chrome/"
    "Default/History",
    NULL};

static const char SQL[] =
    "SELECT urls.id, urls.url, visits.id, visits.visit_time, visits.from_visit "
    "FROM urls JOIN visits ON visits.url = urls.id ORDER BY visits.visit_time";

/* Keys and order of MVT's record: id, url, visit_id, timestamp (raw
 * Chrome µs), isodate, redirect_source (from_visit). */
static json_t *make_record(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    json_t *ts = spy_kit_col(st, 3);
    json_t *r = json_object();
    json_object_set_new(r, "id", spy_kit_col(st, 0));
    json_object_set_new(r, "url", spy_kit_col(st, 1));
    json_object_set_new(r, "visit_id", spy_kit_col(st, 2));
    json_object_set_new(r, "timestamp", ts);
    json_object_set_new(r, "isodate", spy_iso_json(ts, SPY_EPOCH_WEBKIT_US));
    json_object_set_new(r, "redirect_source", spy_kit_col(st, 4));
    return r;
}

static int run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = file_ids, .globs = globs};
    return spy_rows_emit_db(ctx, &q, SQL, NULL, make_record);
}

static void check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "url"), NULL, NULL);
}

static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *id = spy_py_strdup(json_object_get(r, "id"));
    char *url = spy_py_strdup(json_object_get(r, "url"));
    char *vid = spy_py_strdup(json_object_get(r, "visit_id"));
    char *src = spy_py_strdup(json_object_get(r, "redirect_source"));
    char *d = spy_xasprintf("%s - %s (visit ID: %s, redirect source: %s)", id, url, vid, src);
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "visit", d);
    free(d);
    free(src);
    free(vid);
    free(url);
    free(id);
}

const spy_module spy_mod_chrome_history = {
    "ChromeHistory", "chrome_history", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, run,
    check,           timeline};
