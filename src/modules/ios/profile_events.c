/* ProfileEvents (spec/ios.md §4.4): MCProfileEvents.plist, the log of
 * configuration-profile operations (install, remove...) with the process
 * that asked for each. Every operation is a LOW alert; process and
 * profile-id indicators raise CRITICAL ones. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"
#include "modules/ios/plist_art.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define PE_PATH "Library/ConfigurationProfiles/MCProfileEvents.plist"

/* Python's str.lower() for the ASCII keys Apple writes. free(). */
static char *lower_key(const char *k)
{
    char *s = spy_xstrdup(k);
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

/* One event: the record's four keys first, each "" until the event sets
 * it (spec §4.4), then every other inner key lower-cased; `timestamp` is
 * the plist date as ISO or "". */
static json_t *make_record(const char *profile_id, const json_t *data)
{
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "profile_id", json_string(profile_id));
    json_object_set_new_nocheck(rec, "timestamp", json_string(""));
    json_object_set_new_nocheck(rec, "operation", json_string(""));
    json_object_set_new_nocheck(rec, "process", json_string(""));
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)data, k, v)
    {
        char *lk = lower_key(k);
        if (strcmp(lk, "timestamp") == 0) {
            char iso[SPY_ISO_LEN] = "";
            double mac;
            if (spy_plist_date(v, &mac))
                spy_iso_from_mac(mac, iso);
            json_object_set_new_nocheck(rec, lk, json_string(iso));
        } else {
            json_object_set_new(rec, lk, spy_plart_value(v));
        }
        free(lk);
    }
    return rec;
}

/* ProfileEvents = [{<profile id>: {timestamp, operation, process, ...}}]. */
static int emit_events(spy_mod_ctx *ctx, const json_t *pl, const spy_artifact *art, void *ud)
{
    (void)ud;
    const json_t *events = json_object_get(pl, "ProfileEvents");
    if (!json_is_array(events)) {
        spy_error(spy_ctx_logger(ctx), "%s: no ProfileEvents array", art->label);
        return SPY_EFORMAT;
    }
    size_t i, bad = 0;
    json_t *ev;
    int err = SPY_OK;
    json_array_foreach(events, i, ev)
    {
        /* Only an event's first key names the profile; MVT reads no other. */
        void *it = json_is_object(ev) ? json_object_iter(ev) : NULL;
        const json_t *data = it ? json_object_iter_value(it) : NULL;
        if (!json_is_object(data)) {
            bad++;
            continue;
        }
        if ((err = spy_emit(ctx, make_record(json_object_iter_key(it), data))) != SPY_OK)
            break;
    }
    if (bad)
        spy_skipped(ctx, bad, "%s: %zu profile events are not dictionaries", art->label, bad);
    return err;
}

static int pe_run(spy_mod_ctx *ctx)
{
    spy_query q = {.path = PE_PATH}; /* any domain (spec §4.4) */
    return spy_plart_foreach(ctx, &q, emit_events, NULL);
}

static void pe_check(spy_mod_ctx *ctx, const json_t *r)
{
    char *ts = spy_py_strdup(json_object_get(r, "timestamp"));
    char *process = spy_py_strdup(json_object_get(r, "process"));
    char *op = spy_py_strdup(json_object_get(r, "operation"));
    char *id = spy_py_strdup(json_object_get(r, "profile_id"));
    const char *event_time = spy_kit_str(r, "timestamp");
    /* Every profile operation is worth a look, indicators or not. */
    spy_alert_raise(ctx, SPY_LEVEL_LOW, event_time ? event_time : "", NULL,
                    "On %s process \"%s\" started operation \"%s\" of profile \"%s\"", ts, process,
                    op, id);
    /* MVT raises the indicator matches with an empty event time. */
    if (!spy_check_ioc(ctx, SPY_CHECK_PROCESS, spy_kit_str(r, "process"), "", NULL))
        spy_check_ioc(ctx, SPY_CHECK_PROFILE_ID, spy_kit_str(r, "profile_id"), "", NULL);
    free(id);
    free(op);
    free(process);
    free(ts);
}

static void pe_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *process = spy_py_strdup(json_object_get(r, "process"));
    char *op = spy_py_strdup(json_object_get(r, "operation"));
    char *id = spy_py_strdup(json_object_get(r, "profile_id"));
    char *data = spy_xasprintf("Process %s started operation %s of profile %s", process, op, id);
    const char *ts = spy_kit_str(r, "timestamp");
    spy_timeline_event(ctx, ts ? ts : "", "profile_operation", data);
    free(data);
    free(id);
    free(op);
    free(process);
}

const spy_module spy_mod_profile_events = {
    .name = "ProfileEvents",
    .slug = "profile_events",
    .acquisitions = SPY_ACQ_IOS_BACKUP,
    .flags = 0,
    .run = pe_run,
    .check = pe_check,
    .timeline = pe_timeline,
};
