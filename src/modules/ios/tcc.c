/* TCC (spec/ios.md §5.14): the privacy-permission grants of TCC.db's
 * `access` table. The schema changed across iOS versions; the queries are
 * tried newest first (v3: auth_value/auth_reason, v2: allowed/prompt_count
 * with last_modified, v1: without last_modified). */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const TCC_IDS[] = {"64d0019cb3d46bfc8cce545a8ba54b93e7ea9347", NULL};
static const char *const TCC_GLOBS[] = {"private/var/mobile/Library/TCC/TCC.db", NULL};

static const char *const TCC_QUERIES[3] = {
    "SELECT service, client, client_type, auth_value, auth_reason, last_modified FROM access",
    "SELECT service, client, client_type, allowed, prompt_count, last_modified FROM access",
    "SELECT service, client, client_type, allowed, prompt_count FROM access"};

/* v3 auth_value: anything else renders as "" */
static const char *auth_value_desc(sqlite3_stmt *st, int col)
{
    static const char *const names[] = {"denied", "unknown", "allowed", "limited"};
    if (sqlite3_column_type(st, col) != SQLITE_INTEGER)
        return "";
    sqlite3_int64 v = sqlite3_column_int64(st, col);
    return v >= 0 && v < 4 ? names[v] : "";
}

static const char *auth_reason_desc(sqlite3_stmt *st, int col)
{
    static const char *const names[] = {NULL,
                                        "error",
                                        "user_consent",
                                        "user_set",
                                        "system_set",
                                        "service_policy",
                                        "mdm_policy",
                                        "override_policy",
                                        "missing_usage_string",
                                        "prompt_timeout",
                                        "preflight_unknown",
                                        "entitled",
                                        "app_type_policy"};
    if (sqlite3_column_type(st, col) != SQLITE_INTEGER)
        return "unknown";
    sqlite3_int64 v = sqlite3_column_int64(st, col);
    return v >= 1 && v <= 12 ? names[v] : "unknown";
}

/* v1/v2 `allowed`: 0 denied, 1 allowed, anything else "" */
static const char *allowed_desc(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) != SQLITE_INTEGER)
        return "";
    sqlite3_int64 v = sqlite3_column_int64(st, col);
    return v == 0 ? "denied" : v == 1 ? "allowed" : "";
}

static json_t *unix_iso_col(sqlite3_stmt *st, int col)
{
    char iso[SPY_ISO_LEN] = "";
    int t = sqlite3_column_type(st, col);
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
        spy_iso_from_unix(sqlite3_column_double(st, col), iso);
    return json_string(iso);
}

static json_t *client_type_desc(sqlite3_stmt *st, int col)
{
    bool bundle =
        sqlite3_column_type(st, col) == SQLITE_INTEGER && sqlite3_column_int64(st, col) == 0;
    return json_string(bundle ? "bundle_id" : "absolute_path");
}

static json_t *make_record(spy_mod_ctx *ctx, sqlite3_stmt *st, int version)
{
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "service", spy_kit_col(st, 0));
    json_object_set_new_nocheck(rec, "client", spy_kit_col(st, 1));
    json_object_set_new_nocheck(rec, "client_type", client_type_desc(st, 2));
    if (version == 3) {
        json_object_set_new_nocheck(rec, "auth_value", json_string(auth_value_desc(st, 3)));
        json_object_set_new_nocheck(rec, "auth_reason_desc", json_string(auth_reason_desc(st, 4)));
        json_object_set_new_nocheck(rec, "last_modified", unix_iso_col(st, 5));
        const char *service = spy_kit_str(rec, "service");
        if (service && (strcmp(service, "kTCCServiceMicrophone") == 0 ||
                        strcmp(service, "kTCCServiceCamera") == 0))
            spy_info(spy_ctx_logger(ctx), "Found client \"%s\" with access %s to %s on %s by %s",
                     spy_kit_str(rec, "client") ? spy_kit_str(rec, "client") : "None",
                     spy_kit_str(rec, "auth_value"),
                     strcmp(service, "kTCCServiceMicrophone") == 0 ? "microphone" : "camera",
                     spy_kit_str(rec, "last_modified"), spy_kit_str(rec, "auth_reason_desc"));
        return rec;
    }
    json_object_set_new_nocheck(rec, "allowed_value", json_string(allowed_desc(st, 3)));
    json_object_set_new_nocheck(rec, "prompt_count", spy_kit_col(st, 4));
    if (version == 2)
        json_object_set_new_nocheck(rec, "last_modified", unix_iso_col(st, 5));
    return rec;
}

static int tcc_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = TCC_IDS,
                   .domain = "HomeDomain",
                   .path = "Library/TCC/TCC.db",
                   .globs = TCC_GLOBS,
                   .first_only = true};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    spy_evscan s;
    int version = 3;
    /* The first query the schema accepts decides the version. */
    while (spy_evscan_prepare(&s, db, TCC_QUERIES[3 - version]) != SPY_OK && version > 1) {
        spy_evscan_finish(&s);
        version--;
    }
    spy_debug(spy_ctx_logger(ctx), "TCC database %s read with the v%d query", label, version);
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, make_record(ctx, s.stmt, version));
    if (err == SPY_OK || s.grade != SPY_EVSCAN_COMPLETE)
        err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    spy_evdb_close(db);
    free(label);
    return err;
}

static void tcc_check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_check_ioc(ctx, SPY_CHECK_PROCESS, spy_kit_str(r, "client"), "", NULL);
}

static void tcc_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *ts = spy_kit_str(r, "last_modified");
    if (!ts)
        return;
    const char *value = json_object_get(r, "auth_value") ? spy_kit_str(r, "auth_value")
                                                         : spy_kit_str(r, "allowed_value");
    const char *service = spy_kit_str(r, "service");
    const char *client = spy_kit_str(r, "client");
    char *data = spy_xasprintf("Access to %s by %s %s", service ? service : "None",
                               client ? client : "None", value ? value : "None");
    spy_timeline_event(ctx, ts, "AccessRequest", data);
    free(data);
}

const spy_module spy_mod_tcc = {
    "TCC", "tcc", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, tcc_run, tcc_check, tcc_timeline};
