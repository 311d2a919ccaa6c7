/* FirefoxHistory (spec/ios.md §5.6): visits in Firefox for iOS's
 * browser.db, checked against URL indicators. */
#include "core/error.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/db_rows.h"
#include "modules/ios/pyfmt.h"

#include <stdlib.h>

/* AppDomainGroup-group.org.mozilla.ios.Firefox profile.profile/browser.db.
 * MVT's only dump path (private/var/mobile/profile.profile/browser.db) does
 * not exist on devices; the app-group container glob is added (spec/ios.md
 * §5.5 MVT quirk; docs/differences-from-mvt.md). */
static const char *const file_ids[] = {"2e57c396a35b0d1bcbc624725002d98bd61d142b", NULL};
static const char *const globs[] = {
    "private/var/mobile/profile.profile/browser.db",
    "private/var/mobile/Containers/Shared/AppGroup/*/profile.profile/browser.db", NULL};

static const char SQL[] = "SELECT visits.id, visits.date/1000000, history.url, history.title, "
                          "visits.is_local, visits.type FROM visits, history "
                          "WHERE visits.siteID = history.id";

/* MVT's keys: id, isodate, url, title, i1000000s_local (sic: the is_local
 * column under a garbled key, kept for parity), type; spyscan adds
 * is_local with the same value (spec §5.6 "add is_local too"). */
static json_t *make_record(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    json_t *date = spy_kit_col(st, 1);
    json_t *r = json_object();
    json_object_set_new(r, "id", spy_kit_col(st, 0));
    json_object_set_new(r, "isodate", spy_iso_json(date, SPY_EPOCH_UNIX));
    json_object_set_new(r, "url", spy_kit_col(st, 2));
    json_object_set_new(r, "title", spy_kit_col(st, 3));
    json_object_set_new(r, "i1000000s_local", spy_kit_col(st, 4));
    json_object_set_new(r, "type", spy_kit_col(st, 5));
    json_object_set_new(r, "is_local", spy_kit_col(st, 4));
    json_decref(date);
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
    char *d = spy_xasprintf("Firefox visit with ID %s to URL: %s", id, url);
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "firefox_history", d);
    free(d);
    free(url);
    free(id);
}

const spy_module spy_mod_firefox_history = {
    "FirefoxHistory", "firefox_history", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, run, check,
    timeline};
