/* SafariHistory (spec/ios.md §5.13): every Safari History.db (the default
 * one and one per Safari profile, iOS 17+), one record per visit, URL
 * indicators, and the network-injection heuristic: a plain-HTTP visit
 * redirected to another domain in under a second (how Pegasus was
 * delivered by network injection).
 *
 * The heuristic needs the redirect's destination visit (its URL and time),
 * which MVT's saved record does not carry, so it is computed here in run()
 * over all databases before any record is emitted (MVT computes it first in
 * its indicator pass, so its MEDIUM alerts come before the URL matches);
 * check-iocs on saved records re-runs only the URL check
 * (docs/differences-from-mvt.md). Two passes keep memory flat: the first
 * lets SQLite pair each redirect with its destination, the second emits
 * the records. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/cols.h"
#include "modules/ios/pyfmt.h"
#include "modules/ios/web_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const globs[] = {
    "private/var/mobile/Library/Safari/History.db",
    "private/var/mobile/Library/Safari/Profiles/*/History.db",
    "private/var/mobile/Containers/Data/Application/*/Library/Safari/History.db",
    "private/var/mobile/Containers/Data/Application/*/Library/Safari/Profiles/*/History.db", NULL};

static const char SQL[] =
    "SELECT history_items.id, history_items.url, history_visits.id, history_visits.visit_time, "
    "history_visits.redirect_source, history_visits.redirect_destination FROM history_items "
    "JOIN history_visits ON history_visits.history_item = history_items.id "
    "ORDER BY history_visits.visit_time";

#define DOMAIN_MAX 512

/* Plain-HTTP visits redirected elsewhere, each with its destination visit
 * (same database, as the spec pairs them): SQLite joins them through the
 * primary keys, so the heuristic streams and keeps nothing per visit. The
 * first six columns are the origin's, in make_record's order. */
static const char REDIRECT_SQL[] =
    "SELECT oi.id, oi.url, o.id, o.visit_time, o.redirect_source, o.redirect_destination, "
    "di.url, d.visit_time FROM history_visits o "
    "JOIN history_items oi ON oi.id = o.history_item "
    "JOIN history_visits d ON d.id = o.redirect_destination "
    "JOIN history_items di ON di.id = d.history_item "
    "WHERE o.redirect_destination IS NOT NULL AND o.redirect_destination != 0 "
    "AND oi.url LIKE 'http://%' ORDER BY o.visit_time";

#define DOMAIN_MAX 512

static json_t *make_record(sqlite3_stmt *st, const spy_artifact *art)
{
    json_t *ts = spy_kit_col(st, 3);
    json_t *r = json_object();
    json_object_set_new(r, "id", spy_kit_col(st, 0));
    json_object_set_new(r, "url", spy_kit_col(st, 1));
    json_object_set_new(r, "visit_id", spy_kit_col(st, 2));
    json_object_set_new(r, "timestamp", ts);
    json_object_set_new(r, "isodate", spy_iso_json(ts, SPY_EPOCH_MAC));
    json_object_set_new(r, "redirect_source", spy_kit_col(st, 4));
    json_object_set_new(r, "redirect_destination", spy_kit_col(st, 5));
    json_object_set_new(r, "safari_history_db", web_db_relpath(art));
    return r;
}

/* µs since 1970 of an ISO rendering (so the difference is computed on the
 * same rounded microseconds MVT's datetimes hold). */
static bool iso_to_us(const char *iso, sqlite3_int64 *us)
{
    int y, mo, d, h, mi, s, f;
    if (!iso || sscanf(iso, "%4d-%2d-%2d %2d:%2d:%2d.%6d", &y, &mo, &d, &h, &mi, &s, &f) != 7)
        return false;
    *us = (sqlite3_int64)spy_unix_from_utc(y, mo, d, h, mi, s) * 1000000 + f;
    return true;
}

/* Python's timedelta keeps days, seconds (0..86399), microseconds
 * (0..999999); MVT alerts when the seconds component is 0, i.e. a delta in
 * [k days, k days + 1 s) — under a second for a forward redirect. */
static void judge(spy_mod_ctx *ctx, sqlite3_stmt *st, const spy_artifact *art)
{
    char odom[DOMAIN_MAX], ddom[DOMAIN_MAX];
    web_mvt_domain((const char *)sqlite3_column_text(st, 1), odom, sizeof odom);
    web_mvt_domain((const char *)sqlite3_column_text(st, 6), ddom, sizeof ddom);
    if (strcmp(odom, ddom) == 0)
        return; /* same domain: an HTTPS upgrade */
    spy_info(spy_ctx_logger(ctx), "Found HTTP redirect to different domain: \"%s\" -> \"%s\"", odom,
             ddom);
    json_t *origin = make_record(st, art);
    json_t *dest_iso = spy_col_iso(st, 7, SPY_EPOCH_MAC);
    sqlite3_int64 ous, dus;
    if (iso_to_us(spy_kit_str(origin, "isodate"), &ous) &&
        iso_to_us(json_string_value(dest_iso), &dus)) {
        const sqlite3_int64 day = 86400LL * 1000000LL;
        sqlite3_int64 delta = dus - ous;
        sqlite3_int64 days = delta >= 0 ? delta / day : -((-delta + day - 1) / day);
        sqlite3_int64 rem = delta - days * day;
        if (rem / 1000000 == 0)
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, spy_kit_str(origin, "isodate"), origin,
                            "Redirect took less than a second! (%lld milliseconds)",
                            (long long)(rem % 1000000 / 1000));
    }
    json_decref(dest_iso);
    json_decref(origin);
}

/* First pass, silent: the second pass (spy_kit_foreach_db) logs each
 * database, and reports and counts those it cannot read. MVT raises these
 * MEDIUM alerts before the URL matches, so they come first here too. */
static int find_injections(spy_mod_ctx *ctx, const spy_query *const *qs)
{
    int err = SPY_OK;
    for (size_t q = 0; err == SPY_OK && qs[q]; q++) {
        spy_artifacts l = {0};
        err = spy_acq_find(spy_ctx_acq(ctx), qs[q], &l);
        for (size_t i = 0; err == SPY_OK && i < l.n; i++) {
            sqlite3 *db = NULL;
            if (spy_acq_open_db(spy_ctx_acq(ctx), &l.v[i], &db) == SPY_OK &&
                spy_evdb_check(db, false, NULL, NULL) == SPY_OK) {
                spy_evscan s;
                spy_evscan_prepare(&s, db, REDIRECT_SQL);
                while (spy_evscan_step(&s))
                    judge(ctx, s.stmt, &l.v[i]);
                spy_evscan_finish(&s);
            }
            spy_evdb_close(db);
        }
        spy_artifacts_free(&l);
    }
    return err;
}

static int emit_db(spy_mod_ctx *ctx, sqlite3 *db, const spy_artifact *art, void *ud)
{
    (void)ud;
    spy_evscan s;
    int err = SPY_OK;
    spy_evscan_prepare(&s, db, SQL);
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, make_record(s.stmt, art));
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, art->label);
    spy_evscan_finish(&s);
    return err;
}

/* Backup: relativePath lookups in any domain (HomeDomain on older iOS,
 * AppDomain-com.apple.mobilesafari on newer), the default database then the
 * Safari profiles (iOS 17+); dumps: the four globs. */
static const spy_query MAIN_DB = {.path = "Library/Safari/History.db", .globs = globs};
static const spy_query PROFILES = {.path = "Library/Safari/Profiles/*/History.db"};
static const spy_query *const QUERIES[] = {&MAIN_DB, &PROFILES, NULL};

static int run(spy_mod_ctx *ctx)
{
    int err = find_injections(ctx, QUERIES);
    return err == SPY_OK ? web_foreach_dbs(ctx, QUERIES, emit_db, NULL) : err;
}

static void check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "url"), NULL, NULL);
}

static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *url = spy_py_strdup(json_object_get(r, "url"));
    char *id = spy_py_strdup(json_object_get(r, "id"));
    char *vid = spy_py_strdup(json_object_get(r, "visit_id"));
    char *d = spy_xasprintf("Safari visit to %s (ID: %s, Visit ID: %s)", url, id, vid);
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "safari_history", d);
    free(d);
    free(vid);
    free(id);
    free(url);
}

const spy_module spy_mod_safari_history = {
    "SafariHistory", "safari_history", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, run,
    check,           timeline};
