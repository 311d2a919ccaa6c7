/* FirefoxHistory (spec/ios.md §5.6): visits in Firefox for iOS's
 * browser.db, checked against URL indicators. */
#include "modules/ios/web_common.h"

#include "core/error.h"
#include "core/mem.h"

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
static json_t *make_record(sqlite3_stmt *st)
{
    json_t *date = spy_kit_col(st, 1);
    json_t *r = json_object();
    json_object_set_new(r, "id", spy_kit_col(st, 0));
    json_object_set_new(r, "isodate", web_iso_unix(date));
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
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    spy_evscan s;
    spy_evscan_prepare(&s, db, SQL);
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, make_record(s.stmt));
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    spy_evdb_close(db);
    free(label);
    return err;
}

static void check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "url"), NULL, NULL);
}

static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *id = web_pystr(json_object_get(r, "id"));
    char *url = web_pystr(json_object_get(r, "url"));
    char *d = spy_xasprintf("Firefox visit with ID %s to URL: %s", id, url);
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "firefox_history", d);
    free(d);
    free(url);
    free(id);
}

const spy_module spy_mod_firefox_history = {
    "FirefoxHistory", "firefox_history", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, run, check,
    timeline};
