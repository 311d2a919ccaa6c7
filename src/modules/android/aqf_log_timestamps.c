/* AQFLogTimestamps (spec/android.md §4.19): the modification time of every
 * log file AndroidQF copied (logs/...), as the container records it. */
#include "core/error.h"
#include "core/log.h"
#include "modules/module_kit.h"

static int lt_run(spy_mod_ctx *ctx)
{
    const char *globs[] = {"*/logs/*", NULL};
    spy_query q = {.globs = globs};
    spy_artifacts l = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, &l);
    for (size_t i = 0; err == SPY_OK && i < l.n; i++) {
        json_t *rec = json_object();
        json_object_set_new_nocheck(rec, "path", json_string_nocheck(l.v[i].path));
        json_object_set_new_nocheck(rec, "modified_time",
                                    l.v[i].mtime ? json_string_nocheck(l.v[i].mtime) : json_null());
        err = spy_emit(ctx, rec);
    }
    spy_info(spy_ctx_logger(ctx),
             "Extracted a total of %zu filesystem timestamps from AndroidQF logs directory.", l.n);
    if (err == SPY_OK && l.n == 0)
        err = SPY_ENOTFOUND;
    spy_artifacts_free(&l);
    return err;
}

/* §4.12 / §5.4: only the modification time is known, so "M---". */
static void lt_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *ts = spy_kit_str(r, "modified_time");
    if (ts && *ts)
        spy_timeline_event(ctx, ts, "M---", spy_kit_str(r, "path"));
}

const spy_module spy_mod_aqf_log_timestamps = {
    .name = "AQFLogTimestamps",
    .slug = "aqf_log_timestamps",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .run = lt_run,
    .timeline = lt_timeline,
};
