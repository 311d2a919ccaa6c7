/* ChromeFavicon (spec/ios.md §5.2): Chrome for iOS's Favicons database,
 * one record per page → icon mapping, page URL then icon URL checked. */
#include "core/error.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/pyfmt.h"
#include "modules/ios/web_common.h"

#include <stdlib.h>
#include <string.h>

static const char *const file_ids[] = {"55680ab883d0fdcffd94f959b1632e5fbbb18c5b", NULL};
static const char *const globs[] = {
    "private/var/mobile/Containers/Data/Application/*/Library/Application Support/Google/Chrome/"
    "Default/Favicons",
    NULL};

static const char SQL[] =
    "SELECT icon_mapping.page_url, favicons.url, favicon_bitmaps.last_updated, "
    "favicon_bitmaps.last_requested FROM icon_mapping "
    "JOIN favicon_bitmaps ON icon_mapping.icon_id = favicon_bitmaps.icon_id "
    "JOIN favicons ON icon_mapping.icon_id = favicons.id ORDER BY icon_mapping.id";

/* timestamp = last_updated when it is set (truthy), else last_requested. */
static json_t *make_record(sqlite3_stmt *st)
{
    int tcol = 2;
    if (sqlite3_column_type(st, 2) == SQLITE_NULL || sqlite3_column_double(st, 2) == 0.0)
        tcol = 3;
    json_t *ts = spy_kit_col(st, tcol);
    json_t *r = json_object();
    json_object_set_new(r, "url", spy_kit_col(st, 0));
    json_object_set_new(r, "icon_url", spy_kit_col(st, 1));
    json_object_set_new(r, "timestamp", ts);
    json_object_set_new(r, "isodate", spy_iso_json(ts, SPY_EPOCH_WEBKIT_US));
    return r;
}

typedef struct keyed {
    json_t *rec;
    size_t seq;
} keyed;

/* MVT sorts the results by isodate (a stable sort on the string). */
static int cmp_isodate(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(spy_kit_str(x->rec, "isodate"), spy_kit_str(y->rec, "isodate"));
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int collect(spy_mod_ctx *ctx, sqlite3 *db, const char *label, json_t *all)
{
    spy_evscan s;
    spy_evscan_prepare(&s, db, SQL);
    while (spy_evscan_step(&s))
        json_array_append_new(all, make_record(s.stmt));
    int err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    return err;
}

static int emit_sorted(spy_mod_ctx *ctx, json_t *all)
{
    size_t n = json_array_size(all);
    keyed *v = spy_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (keyed){json_incref(json_array_get(all, i)), i};
    qsort(v, n, sizeof *v, cmp_isodate);
    int err = SPY_OK;
    for (size_t i = 0; i < n; i++) {
        if (err == SPY_OK)
            err = spy_emit(ctx, v[i].rec);
        else
            json_decref(v[i].rec);
    }
    free(v);
    return err;
}

static int run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = file_ids, .globs = globs};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    json_t *all = json_array();
    err = collect(ctx, db, label, all);
    /* Rows read before a damaged page are real: emit them either way. */
    int e2 = emit_sorted(ctx, all);
    if (err == SPY_OK)
        err = e2;
    json_decref(all);
    spy_evdb_close(db);
    free(label);
    return err;
}

static void check(spy_mod_ctx *ctx, const json_t *r)
{
    if (!spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "url"), NULL, NULL))
        spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "icon_url"), NULL, NULL);
}

static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *icon = spy_py_strdup(json_object_get(r, "icon_url"));
    char *url = spy_py_strdup(json_object_get(r, "url"));
    char *d = spy_xasprintf("%s from %s", icon, url);
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "new_favicon", d);
    free(d);
    free(url);
    free(icon);
}

const spy_module spy_mod_chrome_favicon = {
    "ChromeFavicon", "chrome_favicon", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, run,
    check,           timeline};
