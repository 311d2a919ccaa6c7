/* DumpsysActivities (spec/android.md §4.2): the activities registered for
 * each non-data action in the Activity Resolver Table of dumpsys package. */
#include "core/error.h"
#include "core/log.h"
#include "modules/android/dumpsys_section.h"
#include "modules/android/resolver_table.h"

#include <string.h>

typedef struct walk {
    spy_mod_ctx *ctx;
    size_t count;
} walk;

static int entry(void *ud, const char *intent, spy_text component, spy_text package)
{
    walk *w = ud;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "intent", spy_text_json(spy_text_of(intent, strlen(intent))));
    json_object_set_new_nocheck(rec, "package_name", spy_text_json(package));
    json_object_set_new_nocheck(rec, "activity", spy_text_json(component));
    w->count++;
    return spy_emit(w->ctx, rec);
}

static int run(spy_mod_ctx *ctx)
{
    const char *body;
    size_t len;
    int err = spy_dumpsys_body(ctx, "package", &body, &len);
    if (err != SPY_OK)
        return err;
    walk w = {ctx, 0};
    spy_resolver_cbs cbs = {NULL, entry, false};
    err = spy_resolver_table_parse(body, len, "Activity", &cbs, &w);
    spy_info(spy_ctx_logger(ctx), "Extracted %zu package activities", w.count);
    return err;
}

static void check(spy_mod_ctx *ctx, const json_t *rec)
{
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, json_string_value(json_object_get(rec, "package_name")),
                  "", NULL);
}

const spy_module spy_mod_dumpsys_activities = {
    "DumpsysActivities", "dumpsys_activities", SPY_ACQ_ANDROID_BUGREPORT, 0, run, check, NULL};
