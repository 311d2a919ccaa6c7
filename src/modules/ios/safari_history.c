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
 * keeps a few fields per visit, the second emits the records. */
#include "modules/ios/web_common.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"

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

/* What the heuristic needs of one visit. */
typedef struct visit {
    size_t db;          /* which database (same-database rule) */
    sqlite3_int64 id;   /* history_visits.id */
    sqlite3_int64 dest; /* redirect_destination */
    bool has_dest, is_http, has_time;
    sqlite3_int64 us; /* visit time, µs since 1970, as MVT's datetime holds it */
    char *domain;     /* MVT's domain of the URL, "" when unparseable */
    json_t *rec;      /* the record, kept for candidate origins only */
} visit;

typedef struct pass {
    visit *v;
    size_t n, cap;
    size_t db; /* index of the database being read */
} pass;

static json_t *make_record(sqlite3_stmt *st, const spy_artifact *art)
{
    json_t *ts = spy_kit_col(st, 3);
    json_t *r = json_object();
    json_object_set_new(r, "id", spy_kit_col(st, 0));
    json_object_set_new(r, "url", spy_kit_col(st, 1));
    json_object_set_new(r, "visit_id", spy_kit_col(st, 2));
    json_object_set_new(r, "timestamp", ts);
    json_object_set_new(r, "isodate", web_iso_mac(ts));
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

static void add_visit(pass *p, sqlite3_stmt *st, const spy_artifact *art)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->v = spy_xreallocarray(p->v, p->cap, sizeof *p->v);
    }
    visit *v = &p->v[p->n++];
    memset(v, 0, sizeof *v);
    const char *url = (const char *)sqlite3_column_text(st, 1);
    char dom[DOMAIN_MAX];
    web_mvt_domain(url, dom, sizeof dom);
    v->db = p->db;
    v->id = sqlite3_column_int64(st, 2);
    v->has_dest = sqlite3_column_type(st, 5) != SQLITE_NULL && sqlite3_column_int64(st, 5) != 0;
    v->dest = sqlite3_column_int64(st, 5);
    v->is_http = url && strncasecmp(url, "http://", 7) == 0;
    v->domain = spy_xstrdup(dom);
    json_t *rec = make_record(st, art);
    v->has_time = iso_to_us(spy_kit_str(rec, "isodate"), &v->us);
    if (v->is_http && v->has_dest)
        v->rec = rec;
    else
        json_decref(rec);
}

static void collect_db(sqlite3 *db, const spy_artifact *art, pass *p)
{
    spy_evscan s;
    spy_evscan_prepare(&s, db, SQL);
    while (spy_evscan_step(&s))
        add_visit(p, s.stmt, art);
    spy_evscan_finish(&s);
}

/* First pass, silent: the second pass (spy_kit_foreach_db) logs each
 * database, and reports and counts those it cannot read. */
static int collect_all(spy_mod_ctx *ctx, const spy_query *const *qs, pass *p)
{
    int err = SPY_OK;
    for (size_t q = 0; err == SPY_OK && qs[q]; q++) {
        spy_artifacts l = {0};
        err = spy_acq_find(spy_ctx_acq(ctx), qs[q], &l);
        for (size_t i = 0; err == SPY_OK && i < l.n; i++, p->db++) {
            sqlite3 *db = NULL;
            if (spy_acq_open_db(spy_ctx_acq(ctx), &l.v[i], &db) == SPY_OK &&
                spy_evdb_check(db, false, NULL, NULL) == SPY_OK)
                collect_db(db, &l.v[i], p);
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

static int cmp_db_id(const void *a, const void *b)
{
    const visit *x = *(const visit *const *)a, *y = *(const visit *const *)b;
    if (x->db != y->db)
        return x->db < y->db ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Python's timedelta keeps days, seconds (0..86399), microseconds
 * (0..999999); MVT alerts when the seconds component is 0, i.e. a delta in
 * [k days, k days + 1 s) — under a second for a forward redirect. */
static void judge(spy_mod_ctx *ctx, const visit *o, const visit *d)
{
    if (strcmp(o->domain, d->domain) == 0)
        return; /* same domain: an HTTPS upgrade */
    spy_info(spy_ctx_logger(ctx), "Found HTTP redirect to different domain: \"%s\" -> \"%s\"",
             o->domain, d->domain);
    if (!o->has_time || !d->has_time)
        return;
    const sqlite3_int64 day = 86400LL * 1000000LL;
    sqlite3_int64 delta = d->us - o->us;
    sqlite3_int64 days = delta >= 0 ? delta / day : -((-delta + day - 1) / day);
    sqlite3_int64 rem = delta - days * day;
    if (rem / 1000000 != 0)
        return;
    spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, spy_kit_str(o->rec, "isodate"), o->rec,
                    "Redirect took less than a second! (%lld milliseconds)",
                    (long long)(rem % 1000000 / 1000));
}

static void find_injections(spy_mod_ctx *ctx, pass *p)
{
    visit **idx = spy_xcalloc(p->n ? p->n : 1, sizeof *idx);
    for (size_t i = 0; i < p->n; i++)
        idx[i] = &p->v[i];
    qsort(idx, p->n, sizeof *idx, cmp_db_id);
    for (size_t i = 0; i < p->n; i++) {
        const visit *o = &p->v[i];
        if (!o->rec)
            continue;
        visit key = {.db = o->db, .id = o->dest};
        const visit *kp = &key;
        visit **hit = bsearch(&kp, idx, p->n, sizeof *idx, cmp_db_id);
        if (!hit)
            continue;
        /* visit ids are unique per database, but walk any duplicates */
        while (hit > idx && cmp_db_id(hit - 1, &kp) == 0)
            hit--;
        for (; hit < idx + p->n && cmp_db_id(hit, &kp) == 0; hit++)
            judge(ctx, o, *hit);
    }
    free(idx);
}

static void pass_free(pass *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].domain);
        json_decref(p->v[i].rec);
    }
    free(p->v);
}

/* Backup: relativePath lookups in any domain (HomeDomain on older iOS,
 * AppDomain-com.apple.mobilesafari on newer), the default database then the
 * Safari profiles (iOS 17+); dumps: the four globs. */
static const spy_query MAIN_DB = {.path = "Library/Safari/History.db", .globs = globs};
static const spy_query PROFILES = {.path = "Library/Safari/Profiles/*/History.db"};
static const spy_query *const QUERIES[] = {&MAIN_DB, &PROFILES, NULL};

static int run(spy_mod_ctx *ctx)
{
    pass p = {0};
    int err = collect_all(ctx, QUERIES, &p);
    if (err == SPY_OK) {
        find_injections(ctx, &p);
        err = web_foreach_dbs(ctx, QUERIES, emit_db, NULL);
    }
    pass_free(&p);
    return err;
}

static void check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "url"), NULL, NULL);
}

static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *url = web_pystr(json_object_get(r, "url"));
    char *id = web_pystr(json_object_get(r, "id"));
    char *vid = web_pystr(json_object_get(r, "visit_id"));
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
