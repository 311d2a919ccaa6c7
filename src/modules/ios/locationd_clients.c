/* LocationdClients (spec/ios.md §5.9): locationd's clients.plist, one
 * record per client (app bundle or system location bundle) with the times
 * it last used location services. Process indicators on the client name
 * and BundleId, file-path/name indicators on BundlePath, Executable and
 * Registered; every match is HIGH. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/ios/plist_art.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const LC_IDS[] = {"a690d7769cce8904ca2b67320b107c8fe5f79412", NULL};
static const char *const LC_GLOBS[] = {"private/var/mobile/Library/Caches/locationd/clients.plist",
                                       "private/var/root/Library/Caches/locationd/clients.plist",
                                       NULL};

/* The keys holding Mac absolute times, in the order spec §5.9 lists them
 * (also the order of the timeline rows of one client). */
static const char *const LC_TIMES[] = {"ConsumptionPeriodBegin",
                                       "ReceivingLocationInformationTimeStopped",
                                       "VisitTimeStopped",
                                       "LocationTimeStopped",
                                       "BackgroundLocationTimeStopped",
                                       "SignificantTimeStopped",
                                       "NonPersistentSignificantTimeStopped",
                                       "FenceTimeStopped",
                                       "BeaconRegionTimeStopped",
                                       NULL};

static bool is_time_key(const char *k)
{
    for (size_t i = 0; LC_TIMES[i]; i++)
        if (strcmp(k, LC_TIMES[i]) == 0)
            return true;
    return false;
}

/* The client's value: time keys → ISO (MVT's Mac-time conversion, 18-digit
 * rule included), ClientStorageToken → base64 text, the rest as MVT's JSON
 * encoder writes plist values; then `package` = key without trailing ':'. */
static json_t *make_record(const char *key, const json_t *entry)
{
    json_t *rec = json_object();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)entry, k, v)
    {
        const json_t *b64 = json_object_size(v) == 1 ? json_object_get(v, "$data") : NULL;
        if (is_time_key(k))
            json_object_set_new(rec, k, spy_iso_json(v, SPY_EPOCH_MAC_NS18));
        else if (strcmp(k, "ClientStorageToken") == 0 && json_is_string(b64))
            json_object_set_new(rec, k, json_string(json_string_value(b64)));
        else
            json_object_set_new(rec, k, spy_plart_value(v));
    }
    size_t n = strlen(key);
    while (n > 0 && key[n - 1] == ':')
        n--;
    json_object_set_new(rec, "package", json_stringn(key, n));
    return rec;
}

static int emit_clients(spy_mod_ctx *ctx, const json_t *pl, const spy_artifact *art, void *ud)
{
    (void)ud;
    if (!spy_plart_expect_dict(ctx, pl, art->label))
        return SPY_EFORMAT;
    const char *key;
    json_t *entry;
    int err = SPY_OK;
    json_object_foreach((json_t *)pl, key, entry)
    {
        /* MVT skips non-dict values silently (e.g. a top-level version). */
        if (json_is_object(entry) && (err = spy_emit(ctx, make_record(key, entry))) != SPY_OK)
            break;
    }
    return err;
}

static int lc_run(spy_mod_ctx *ctx)
{
    /* Backups: the fixed fileID only; dumps: every glob match (spec §5.9). */
    spy_query q = {.file_ids = LC_IDS, .globs = LC_GLOBS};
    return spy_plart_foreach(ctx, &q, emit_clients, NULL);
}

/* A match raised HIGH with the module's own message (spec §5.9): the
 * entry's package for process matches, the checked path for path ones. */
static bool check_high(spy_mod_ctx *ctx, spy_check_kind kind, const char *value, const char *what,
                       const char *subject)
{
    spy_ioc_match m = {0};
    if (!spy_iocs_check(spy_ctx_iocs(ctx), NULL, kind, value, &m))
        return false;
    free(m.message);
    m.message = spy_xasprintf("Found a suspicious %s in LocationD entry %s", what, subject);
    spy_alert_match(ctx, SPY_LEVEL_HIGH, "", NULL, &m);
    spy_ioc_match_clear(&m);
    return true;
}

static bool check_path(spy_mod_ctx *ctx, const json_t *r, const char *key)
{
    const char *path = spy_kit_str(r, key);
    return check_high(ctx, SPY_CHECK_FILE_PATH, path, "file path", path);
}

static void lc_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *package = spy_kit_str(r, "package");
    if (!package)
        return;
    const char *slash = strrchr(package, '/');
    if (check_high(ctx, SPY_CHECK_PROCESS, slash ? slash + 1 : package, "process name", package))
        return;
    /* MVT goes on after a BundleId match (spec §5.9). */
    check_high(ctx, SPY_CHECK_PROCESS, spy_kit_str(r, "BundleId"), "process name", package);
    if (check_path(ctx, r, "BundlePath") || check_path(ctx, r, "Executable"))
        return;
    /* Registered is sometimes a boolean: only paths are checked. */
    check_path(ctx, r, "Registered");
}

static void lc_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *package = spy_kit_str(r, "package");
    for (size_t i = 0; LC_TIMES[i]; i++) {
        const json_t *v = json_object_get(r, LC_TIMES[i]);
        if (!v)
            continue;
        char *data = spy_xasprintf("%s from %s", LC_TIMES[i], package ? package : "None");
        const char *ts = json_string_value(v);
        spy_timeline_event(ctx, ts ? ts : "", LC_TIMES[i], data);
        free(data);
    }
}

const spy_module spy_mod_locationd_clients = {
    .name = "LocationdClients",
    .slug = "locationd_clients",
    .acquisitions = SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS,
    .flags = 0,
    .run = lc_run,
    .check = lc_check,
    .timeline = lc_timeline,
};
