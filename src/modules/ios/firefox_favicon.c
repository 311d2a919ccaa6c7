/* FirefoxFavicon (spec/ios.md §5.5): favicons of visited sites in Firefox
 * for iOS's browser.db; icon URL checked, then the page URL. */
#include "core/error.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/db_rows.h"
#include "modules/ios/pyfmt.h"

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
static json_t *make_record(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    json_t *date = spy_kit_col(st, 5);
    json_t *r = json_object();
    json_object_set_new(r, "id", spy_kit_col(st, 0));
    json_object_set_new(r, "url", spy_kit_col(st, 1));
    json_object_set_new(r, "width", spy_kit_col(st, 2));
    json_object_set_new(r, "height", spy_kit_col(st, 3));
    json_object_set_new(r, "type", spy_kit_col(st, 4));
    json_object_set_new(r, "isodate", spy_iso_json(date, SPY_EPOCH_UNIX));
    json_object_set_new(r, "history_id", spy_kit_col(st, 6));
    json_object_set_new(r, "history_url", spy_kit_col(st, 7));
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
    if (!spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "url"), NULL, NULL))
        spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "history_url"), NULL, NULL);
}

/* The event name "firefox_history" is MVT's (sic). */
static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *url = spy_py_strdup(json_object_get(r, "url"));
    char *hurl = spy_py_strdup(json_object_get(r, "history_url"));
    char *d = spy_xasprintf("Firefox favicon %s when visiting %s", url, hurl);
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "firefox_history", d);
    free(d);
    free(hurl);
    free(url);
}

const spy_module spy_mod_firefox_favicon = {
    "FirefoxFavicon", "firefox_favicon", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, run, check,
    timeline};
