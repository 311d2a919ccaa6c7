/* SafariBrowserState (spec/ios.md §5.12): Safari's open tabs in every
 * BrowserState.db (default and per-profile), each with the back/forward
 * history decoded from its session-data plist; the tab URL, else every
 * session-history URL, checked against indicators. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"
#include "core/timeconv.h"
#include "modules/ios/pyfmt.h"
#include "modules/ios/web_common.h"

#include <stdlib.h>
#include <string.h>

static const char *const globs[] = {
    "private/var/mobile/Library/Safari/BrowserState.db",
    "private/var/mobile/Library/Safari/Profiles/*/BrowserState.db",
    "private/var/mobile/Containers/Data/Application/*/Library/Safari/BrowserState.db",
    "private/var/mobile/Containers/Data/Application/*/Library/Safari/Profiles/*/BrowserState.db",
    NULL};

/* iOS 12+: session data in tab_sessions; before: in tabs itself. */
static const char SQL_SESSIONS[] =
    "SELECT tabs.title, tabs.url, tabs.user_visible_url, tabs.last_viewed_time, "
    "tab_sessions.session_data FROM tabs JOIN tab_sessions ON tabs.uuid = tab_sessions.tab_uuid "
    "ORDER BY tabs.last_viewed_time";
static const char SQL_TABS[] =
    "SELECT title, url, user_visible_url, last_viewed_time, session_data "
    "FROM tabs ORDER BY last_viewed_time";

/* Bytes of a {"$data": base64} value (core/bplist.h convention). */
static json_int_t data_length(const json_t *v)
{
    const char *b64 = json_string_value(json_object_get(v, "$data"));
    if (!b64)
        return 0;
    size_t n = strlen(b64);
    while (n > 0 && b64[n - 1] == '=')
        n--;
    return (json_int_t)(n * 3 / 4);
}

static json_t *value_or_null(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return v ? json_incref(v) : json_null();
}

/* session_data: a 4-byte header, then a plist; entries of
 * SessionHistory.SessionHistoryEntries become {entry_title (sic: MVT takes
 * SessionHistoryEntryOriginalURL), entry_url, data_length}. A blob that
 * does not parse gives an empty list, as in MVT. */
static json_t *session_entries(sqlite3_stmt *st, int col)
{
    json_t *out = json_array();
    const void *blob = sqlite3_column_blob(st, col);
    int n = sqlite3_column_bytes(st, col);
    if (!blob || n <= 4)
        return out;
    json_t *pl = NULL;
    if (spy_plist_parse((const char *)blob + 4, (size_t)n - 4, &pl, NULL) != SPY_OK)
        return out;
    const json_t *entries =
        json_object_get(json_object_get(pl, "SessionHistory"), "SessionHistoryEntries");
    size_t i;
    const json_t *e;
    json_array_foreach(entries, i, e)
    {
        if (!json_is_object(e))
            continue;
        const json_t *data = json_object_get(e, "SessionHistoryEntryData");
        json_t *o = json_object();
        json_object_set_new(o, "entry_title", value_or_null(e, "SessionHistoryEntryOriginalURL"));
        json_object_set_new(o, "entry_url", value_or_null(e, "SessionHistoryEntryURL"));
        json_object_set_new(o, "data_length", json_integer(data ? data_length(data) : 0));
        json_array_append_new(out, o);
    }
    json_decref(pl);
    return out;
}

static json_t *make_record(sqlite3_stmt *st, const spy_artifact *art)
{
    json_t *ts = spy_kit_col(st, 3);
    json_t *r = json_object();
    json_object_set_new(r, "tab_title", spy_kit_col(st, 0));
    json_object_set_new(r, "tab_url", spy_kit_col(st, 1));
    json_object_set_new(r, "tab_visible_url", spy_kit_col(st, 2));
    json_object_set_new(r, "last_viewed_timestamp", spy_iso_json(ts, SPY_EPOCH_MAC));
    json_object_set_new(r, "session_data", session_entries(st, 4));
    json_object_set_new(r, "safari_browser_state_db", web_db_relpath(art));
    json_decref(ts);
    return r;
}

static int one_db(spy_mod_ctx *ctx, sqlite3 *db, const spy_artifact *art, void *ud)
{
    (void)ud;
    const char *sql = spy_kit_has_table(db, "tab_sessions") ? SQL_SESSIONS : SQL_TABS;
    spy_evscan s;
    int err = SPY_OK;
    spy_evscan_prepare(&s, db, sql);
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, make_record(s.stmt, art));
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, art->label);
    spy_evscan_finish(&s);
    return err;
}

static int run(spy_mod_ctx *ctx)
{
    /* Backup: relativePath in any domain (HomeDomain on older iOS,
     * AppDomain-com.apple.mobilesafari on newer), then Safari profiles. */
    const spy_query main_db = {.path = "Library/Safari/BrowserState.db", .globs = globs};
    const spy_query profiles = {.path = "Library/Safari/Profiles/*/BrowserState.db"};
    const spy_query *const qs[] = {&main_db, &profiles, NULL};
    return web_foreach_dbs(ctx, qs, one_db, NULL);
}

static void check(spy_mod_ctx *ctx, const json_t *r)
{
    if (spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "tab_url"), NULL, NULL))
        return;
    size_t i;
    const json_t *e;
    json_array_foreach(json_object_get(r, "session_data"), i, e)
        spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(e, "entry_url"), NULL, NULL);
}

static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *title = spy_py_strdup(json_object_get(r, "tab_title"));
    char *url = spy_py_strdup(json_object_get(r, "tab_url"));
    char *d = spy_xasprintf("%s - %s", title, url);
    spy_timeline_event(ctx, spy_kit_str(r, "last_viewed_timestamp"), "tab", d);
    free(d);
    free(url);
    free(title);
}

const spy_module spy_mod_safari_browser_state = {"SafariBrowserState",
                                                 "safari_browser_state",
                                                 SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS,
                                                 0,
                                                 run,
                                                 check,
                                                 timeline};
