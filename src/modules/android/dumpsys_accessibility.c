/* DumpsysAccessibility (spec/android.md §4.1): accessibility services, the
 * usual way stalkerware reads the screen. Every service is a MEDIUM alert
 * unless its package is a known indicator (CRITICAL instead). */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "modules/android/dumpsys_parse.h"
#include "modules/android/dumpsys_section.h"

typedef struct held {
    json_t *all;
    size_t dropped;
} held;

static int collect(json_t *rec, void *ud)
{
    held *h = ud;
    if (json_array_size(h->all) >= SPY_DUMPSYS_MAX_HELD_ITEMS) {
        h->dropped++;
        json_decref(rec);
        return 0;
    }
    return json_array_append_new(h->all, rec) ? SPY_ENOMEM : 0;
}

static int run(spy_mod_ctx *ctx)
{
    const char *body;
    size_t len;
    int err = spy_dumpsys_body(ctx, "accessibility", &body, &len);
    if (err != SPY_OK)
        return err;
    /* whole list first: MVT logs every service before checking any */
    held h = {json_array(), 0};
    json_t *all = h.all;
    spy_parse_accessibility(body, len, collect, &h);
    if (h.dropped)
        spy_skipped(ctx, h.dropped, "accessibility services beyond %u", SPY_DUMPSYS_MAX_HELD_ITEMS);
    size_t i;
    json_t *rec;
    json_array_foreach(all, i, rec)
    {
        spy_info(spy_ctx_logger(ctx), "Found installed accessibility service \"%s\"",
                 spy_dumpsys_str(rec, "service"));
    }
    spy_info(spy_ctx_logger(ctx), "Identified a total of %zu accessibility services",
             json_array_size(all));
    json_array_foreach(all, i, rec)
    {
        if ((err = spy_emit(ctx, json_incref(rec))) != SPY_OK)
            break;
    }
    json_decref(all);
    return err;
}

static void check(spy_mod_ctx *ctx, const json_t *rec)
{
    if (spy_check_ioc(ctx, SPY_CHECK_APP_ID,
                      json_string_value(json_object_get(rec, "package_name")), "", NULL))
        return;
    spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL, "Found accessibility service: \"%s\"",
                    spy_dumpsys_str(rec, "service"));
}

const spy_module spy_mod_dumpsys_accessibility = {"DumpsysAccessibility",
                                                  "dumpsys_accessibility",
                                                  SPY_ACQ_ANDROID_BUGREPORT,
                                                  0,
                                                  run,
                                                  check,
                                                  NULL};
