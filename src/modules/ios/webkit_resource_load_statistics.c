/* WebkitResourceLoadStatistics (spec/ios.md §5.17): WebKit's
 * ObservedDomains table in every app's observations.db, registrable
 * domains checked against indicators. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/pyfmt.h"
#include "modules/ios/web_common.h"

#include <stdlib.h>
#include <string.h>

static const char *const globs[] = {
    "private/var/mobile/Containers/Data/Application/*/Library/WebKit/WebsiteData/"
    "ResourceLoadStatistics/observations.db",
    "private/var/mobile/Containers/Data/Application/*/SystemData/com.apple.SafariViewService/"
    "Library/WebKit/WebsiteData/observations.db",
    NULL};

static const char *const REQUIRED[] = {"domainID", "registrableDomain", "lastSeen",
                                       "hadUserInteraction", NULL};

/* Optional columns (newer WebKit) and the record keys MVT gives them. */
static const struct {
    const char *column, *key, *iso_key;
} OPTIONAL[] = {
    {"mostRecentUserInteractionTime", "most_recent_user_interaction_time",
     "most_recent_user_interaction_time_isodate"},
    {"mostRecentWebPushInteractionTime", "most_recent_web_push_interaction_time",
     "most_recent_web_push_interaction_time_isodate"},
};
#define N_OPTIONAL (sizeof OPTIONAL / sizeof OPTIONAL[0])

static json_t *make_record(sqlite3_stmt *st, const spy_artifact *art, const bool *has_opt)
{
    json_t *last_seen = spy_kit_col(st, 2);
    json_t *r = json_object();
    json_object_set_new(r, "domain_id", spy_kit_col(st, 0));
    json_object_set_new(r, "registrable_domain", spy_kit_col(st, 1));
    json_object_set_new(r, "last_seen", last_seen);
    /* Python bool() of the column: non-zero (and non-empty) is true. */
    int t = sqlite3_column_type(st, 3);
    bool interacted = t != SQLITE_NULL &&
                      (t == SQLITE_TEXT || t == SQLITE_BLOB ? sqlite3_column_bytes(st, 3) > 0
                                                            : sqlite3_column_double(st, 3) != 0.0);
    json_object_set_new(r, "had_user_interaction", json_boolean(interacted));
    json_object_set_new(r, "last_seen_isodate", spy_iso_json(last_seen, SPY_EPOCH_UNIX));
    json_object_set_new(r, "domain", json_string(art->domain ? art->domain : ""));
    json_object_set_new(r, "path", json_string(art->path ? art->path : ""));
    int col = 4;
    for (size_t i = 0; i < N_OPTIONAL; i++) {
        if (!has_opt[i])
            continue;
        json_t *v = spy_kit_col(st, col++);
        json_object_set_new(r, OPTIONAL[i].key, v);
        /* -1 means "never": no isodate key then (spec §5.17). */
        if (json_is_number(v) && json_number_value(v) >= 0)
            json_object_set_new(r, OPTIONAL[i].iso_key, spy_iso_json(v, SPY_EPOCH_UNIX));
    }
    return r;
}

static int one_db(spy_mod_ctx *ctx, sqlite3 *db, const spy_artifact *art, void *ud)
{
    (void)ud;
    for (size_t i = 0; REQUIRED[i]; i++) {
        if (!spy_kit_has_column(db, "ObservedDomains", REQUIRED[i])) {
            spy_info(spy_ctx_logger(ctx), "%s: ObservedDomains has no column %s, skipped",
                     art->label, REQUIRED[i]);
            return SPY_OK;
        }
    }
    bool has_opt[N_OPTIONAL];
    char *sql = spy_xstrdup("SELECT domainID, registrableDomain, lastSeen, hadUserInteraction");
    for (size_t i = 0; i < N_OPTIONAL; i++) {
        has_opt[i] = spy_kit_has_column(db, "ObservedDomains", OPTIONAL[i].column);
        if (has_opt[i]) {
            char *n = spy_xasprintf("%s, %s", sql, OPTIONAL[i].column);
            free(sql);
            sql = n;
        }
    }
    char *full = spy_xasprintf("%s FROM ObservedDomains", sql);
    free(sql);
    spy_evscan s;
    spy_evscan_prepare(&s, db, full);
    int err = SPY_OK;
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, make_record(s.stmt, art, has_opt));
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, art->label);
    spy_evscan_finish(&s);
    free(full);
    return err;
}

static int run(spy_mod_ctx *ctx)
{
    spy_query q = {.path = "Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db",
                   .globs = globs};
    return spy_kit_foreach_db(ctx, &q, one_db, NULL);
}

static void check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "registrable_domain"), NULL, NULL);
}

static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *rd = spy_py_strdup(json_object_get(r, "registrable_domain"));
    const char *domain = spy_kit_str(r, "domain");
    char *d = domain && *domain
                  ? spy_xasprintf("Webkit resource loaded from %s by app in domain %s", rd, domain)
                  : spy_xasprintf("Webkit resource loaded from %s", rd);
    spy_timeline_event(ctx, spy_kit_str(r, "last_seen_isodate"), "visit", d);
    free(d);
    free(rd);
}

const spy_module spy_mod_webkit_resource_load_statistics = {"WebkitResourceLoadStatistics",
                                                            "webkit_resource_load_statistics",
                                                            SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS,
                                                            0,
                                                            run,
                                                            check,
                                                            timeline};
