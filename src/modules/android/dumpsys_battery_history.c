/* DumpsysBatteryHistory (spec/android.md §4.5): jobs, alarms and foreground
 * changes of each package in batterystats' history. */
#include "core/error.h"
#include "core/flat.h"
#include "core/log.h"
#include "modules/android/dumpsys_parse.h"
#include "modules/android/dumpsys_section.h"

static void check_flat(spy_mod_ctx *ctx, const spy_flat *rec)
{
    /* every record of a parse has one layout: its index is looked up once
     * (per thread, as the ops get no state; layout numbers are never
     * reused, so a cache left by an earlier run only misses) */
    static const spy_flat_key key[1] = {SPY_FLAT_KEY("package_name")};
    static _Thread_local spy_flat_cache cache;
    const char *pkg;
    spy_flat_pick_cached(rec, &cache, key, 1, &pkg);
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, pkg, "", NULL);
}

static const spy_flat_ops FLAT_OPS = {check_flat, NULL};

/* Records go through the run loop flat: building a jansson object for
 * each of hundreds of thousands was most of the module's time. */
static int emit_flat(spy_flat *rec, void *emitter)
{
    spy_dumpsys_emitter *e = emitter;
    e->count++;
    return spy_emit_flat(e->ctx, rec, &FLAT_OPS);
}

static int run(spy_mod_ctx *ctx)
{
    const char *body;
    size_t len;
    int err = spy_dumpsys_body(ctx, "batterystats", &body, &len);
    if (err != SPY_OK)
        return err;
    spy_dumpsys_emitter c = {ctx, 0};
    err = spy_parse_battery_history_flat(body, len, emit_flat, &c);
    spy_info(spy_ctx_logger(ctx), "Extracted a total of %zu battery history records", c.count);
    return err;
}

/* check-iocs: the same check on the saved record */
static void check(spy_mod_ctx *ctx, const json_t *rec)
{
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, json_string_value(json_object_get(rec, "package_name")),
                  "", NULL);
}

const spy_module spy_mod_dumpsys_battery_history = {"DumpsysBatteryHistory",
                                                    "dumpsys_battery_history",
                                                    SPY_ACQ_ANDROID_BUGREPORT,
                                                    0,
                                                    run,
                                                    check,
                                                    NULL};
