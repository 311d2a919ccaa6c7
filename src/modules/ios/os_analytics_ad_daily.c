/* OSAnalyticsADDaily (spec/ios.md §5.10): the per-process network usage
 * baseline of com.apple.osanalytics.addaily.plist (`netUsageBaseline`:
 * process name → [date, wifi_in, wifi_out, wwan_in, wwan_out]); process
 * indicators on the name. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"
#include "modules/ios/plist_art.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>

static const char *const ADD_IDS[] = {"f65b5fafc69bbd3c60be019c6e938e146825fa83", NULL};
static const char *const ADD_GLOBS[] = {
    "private/var/mobile/Library/Preferences/com.apple.osanalytics.addaily.plist", NULL};

/* The four counters in the order the array stores them after the date. */
static const char *const COUNTERS[4] = {"wifi_in", "wifi_out", "wwan_in", "wwan_out"};

#define TIMELINE_MAX 65536u /* bounded rendering of untrusted names */

/* One baseline entry, or NULL (counted as skipped) when it is not the
 * documented array of a date and four counters. */
static json_t *make_record(const char *package, const json_t *values)
{
    double mac = 0;
    if (!json_is_array(values) || json_array_size(values) < 5 ||
        !spy_plist_date(json_array_get(values, 0), &mac))
        return NULL;
    char iso[SPY_ISO_LEN];
    spy_iso_from_mac(mac, iso); /* MVT's ISO rendering: always six fraction digits */
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "package", json_string_nocheck(package));
    json_object_set_new_nocheck(rec, "ts", json_string(iso));
    for (size_t i = 0; i < 4; i++)
        json_object_set_new_nocheck(rec, COUNTERS[i],
                                    spy_plart_value(json_array_get(values, i + 1)));
    return rec;
}

static int emit_baseline(spy_mod_ctx *ctx, const json_t *baseline, const char *label)
{
    const char *package;
    json_t *values;
    size_t bad = 0;
    int err = SPY_OK;
    json_object_foreach((json_t *)baseline, package, values)
    {
        json_t *rec = make_record(package, values);
        if (!rec) {
            bad++;
            continue;
        }
        if ((err = spy_emit(ctx, rec)) != SPY_OK)
            break;
    }
    if (bad)
        spy_skipped(ctx, bad, "%s: %zu netUsageBaseline entries are not [date, 4 counters]", label,
                    bad);
    return err;
}

static int add_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = ADD_IDS,
                   .domain = "HomeDomain",
                   .path = "Library/Preferences/com.apple.osanalytics.addaily.plist",
                   .globs = ADD_GLOBS,
                   .first_only = true};
    json_t *pl = NULL;
    char *label = NULL;
    int err = spy_plart_first(ctx, &q, &pl, &label);
    if (err == SPY_OK && !spy_plart_expect_dict(ctx, pl, label))
        err = SPY_EFORMAT;
    const json_t *baseline = err == SPY_OK ? json_object_get(pl, "netUsageBaseline") : NULL;
    if (err == SPY_OK && !json_is_object(baseline))
        spy_info(spy_ctx_logger(ctx), "%s: no netUsageBaseline dictionary", label);
    else if (err == SPY_OK)
        err = emit_baseline(ctx, baseline, label);
    json_decref(pl);
    free(label);
    return err;
}

static void add_check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_check_ioc(ctx, SPY_CHECK_PROCESS, spy_kit_str(r, "package"), "", NULL);
}

static void add_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    static const char *const LABELS[4] = {
        " WIFI IN: ", ", WIFI OUT: ", " - WWAN IN: ", ", WWAN OUT: "};
    spy_pybuf b;
    spy_pybuf_init(&b, TIMELINE_MAX);
    spy_py_str(&b, json_object_get(r, "package"));
    for (size_t i = 0; i < 4; i++) {
        spy_pybuf_adds(&b, LABELS[i]);
        spy_py_str(&b, json_object_get(r, COUNTERS[i]));
    }
    spy_timeline_event(ctx, spy_kit_str(r, "ts"), "osanalytics_addaily", b.s);
    spy_pybuf_free(&b);
}

const spy_module spy_mod_os_analytics_ad_daily = {
    .name = "OSAnalyticsADDaily",
    .slug = "os_analytics_ad_daily",
    .acquisitions = SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS,
    .flags = 0,
    .run = add_run,
    .check = add_check,
    .timeline = add_timeline,
};
