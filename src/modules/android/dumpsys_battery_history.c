/* DumpsysBatteryHistory (spec/android.md §4.5): jobs, alarms and foreground
 * changes of each package in batterystats' history. */
#include "core/error.h"
#include "core/log.h"
#include "modules/android/dumpsys_parse.h"
#include "modules/android/dumpsys_section.h"

static int run(spy_mod_ctx *ctx)
{
    const char *body;
    size_t len;
    int err = spy_dumpsys_body(ctx, "batterystats", &body, &len);
    if (err != SPY_OK)
        return err;
    spy_dumpsys_emitter c = {ctx, 0};
    err = spy_parse_battery_history(body, len, spy_dumpsys_emit, &c);
    spy_info(spy_ctx_logger(ctx), "Extracted a total of %zu battery history records", c.count);
    return err;
}

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
