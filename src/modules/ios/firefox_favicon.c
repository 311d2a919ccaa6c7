/* FirefoxFavicon (spec/ios.md §5.5): favicons of visited sites in Firefox
 * for iOS's browser.db; icon URL checked, then the page URL. */
#include "modules/ios/web_common.h"

#include "core/error.h"
#include "core/mem.h"

#include <stdlib.h>

/* Same database as FirefoxHistory (see there for the added dump glob). */
static const char *const file_ids[] = {"2e57c396a35b0d1bcbc624725002d98bd61d142b", NULL};
static const char *const globs[] = {
    "private/var/mobile/profile.profile/browser.db",
    "private/var/mobile/Containers/Shared/AppGroup/*/profile.profile/browser.db", NULL};

static const char SQL[] =
    "SELECT favicons.id, favicons.url, favicons.width, favicons.height, favicons.type, "
    "favicons.date, history.id, history.url FROM favicons "
    "INNER JOIN favicon_sites ON favicon_sites.faviconID = favicons.id "
    "INNER JOIN history ON favicon_sites.siteID = history.id";

/* MVT's keys: id, url (icon), width, height, type, isodate (favicons.date,
 * Unix seconds), history_id, history_url. */
static json_t *make_record(sqlite3_stmt *st)
{
    json_t *date = spy_kit_col(st, 5);
    json_t *r = json_object();
    json_object_set_new(r, "id", spy_kit_col(st, 0));
    json_object_set_new(r, "url", spy_kit_col(st, 1));
    json_object_set_new(r, "width", spy_kit_col(st, 2));
    json_object_set_new(r, "height", spy_kit_col(st, 3));
    json_object_set_new(r, "type", spy_kit_col(st, 4));
    json_object_set_new(r, "isodate", web_iso_unix(date));
    json_object_set_new(r, "history_id", spy_kit_col(st, 6));
    json_object_set_new(r, "history_url", spy_kit_col(st, 7));
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
    if (!spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "url"), NULL, NULL))
        spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "history_url"), NULL, NULL);
}

/* The event name "firefox_history" is MVT's (sic). */
static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *url = web_pystr(json_object_get(r, "url"));
    char *hurl = web_pystr(json_object_get(r, "history_url"));
    char *d = spy_xasprintf("Firefox favicon %s when visiting %s", url, hurl);
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "firefox_history", d);
    free(d);
    free(hurl);
    free(url);
}

const spy_module spy_mod_firefox_favicon = {
    "FirefoxFavicon", "firefox_favicon", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, run, check,
    timeline};
