/* DumpsysBatteryDaily (spec/android.md §4.4): package updates recorded in
 * batterystats' daily stats. Uninstalls (vers 0) and version downgrades are
 * MEDIUM alerts raised while parsing, as MVT does, so `check-iocs` on saved
 * results (which only runs check()) does not raise them again. */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/dumpsys_parse.h"
#include "modules/android/dumpsys_section.h"

#include <stdlib.h>
#include <string.h>

static void on_alert(void *ud, spy_level level, const char *time, const json_t *record,
                     const char *message)
{
    spy_alert_raise(ud, level, time, record, "%s", message);
}

static int run(spy_mod_ctx *ctx)
{
    const char *body;
    size_t len;
    int err = spy_dumpsys_body(ctx, "batterystats", &body, &len);
    if (err != SPY_OK)
        return err;
    size_t dropped;
    json_t *records = spy_parse_battery_daily(body, len, on_alert, ctx, &dropped);
    if (dropped)
        spy_skipped(ctx, dropped, "battery daily updates beyond %u", SPY_DUMPSYS_MAX_HELD_ITEMS);
    spy_info(spy_ctx_logger(ctx), "Extracted a total of %zu battery daily stats",
             json_array_size(records));
    size_t i;
    json_t *rec;
    json_array_foreach(records, i, rec)
    {
        if ((err = spy_emit(ctx, json_incref(rec))) != SPY_OK)
            break;
    }
    json_decref(records);
    return err;
}

static void check(spy_mod_ctx *ctx, const json_t *rec)
{
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, json_string_value(json_object_get(rec, "package_name")),
                  "", NULL);
}

static void timeline(spy_mod_ctx *ctx, const json_t *rec)
{
    const char *pkg = spy_dumpsys_str(rec, "package_name"), *vers = spy_dumpsys_str(rec, "vers");
    const char *action = json_string_value(json_object_get(rec, "action"));
    char *data;
    if (strcmp(vers, "0") == 0)
        data = spy_xasprintf("Recorded uninstall of package %s (vers 0)", pkg);
    else if (action && strcmp(action, "downgrade") == 0)
        data = spy_xasprintf("Recorded downgrade of package %s from vers %s to vers %s", pkg,
                             spy_dumpsys_str(rec, "previous_vers"), vers);
    else
        data = spy_xasprintf("Recorded update of package %s with vers %s", pkg, vers);
    spy_timeline_event(ctx, json_string_value(json_object_get(rec, "from")), "battery_daily", data);
    free(data);
}

const spy_module spy_mod_dumpsys_battery_daily = {"DumpsysBatteryDaily",
                                                  "dumpsys_battery_daily",
                                                  SPY_ACQ_ANDROID_BUGREPORT,
                                                  0,
                                                  run,
                                                  check,
                                                  timeline};
