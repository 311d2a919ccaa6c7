/* BugReportTimestamps (spec/android.md §4.12): the modification time of
 * every FS/ member of the bug report, one timeline row each. */
#include "acquire/android.h"
#include "core/error.h"
#include "core/log.h"
#include "modules/module_kit.h"

#include <string.h>

static const char *const FS_GLOBS[] = {"FS/*", NULL};

static int timestamps_run(spy_mod_ctx *ctx)
{
    spy_query q = {.globs = FS_GLOBS};
    spy_artifacts arts = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, &arts);
    if (err != SPY_OK)
        return err;
    for (size_t i = 0; i < arts.n && err == SPY_OK; i++) {
        json_t *rec = json_object();
        const spy_artifact *a = &arts.v[i];
        json_object_set_new_nocheck(rec, "path", json_stringn_nocheck(a->path, strlen(a->path)));
        json_object_set_new_nocheck(rec, "modified_time",
                                    a->mtime ? json_string(a->mtime) : json_null());
        err = spy_emit(ctx, rec);
    }
    size_t n = arts.n;
    spy_artifacts_free(&arts);
    return err == SPY_OK && n == 0 ? SPY_ENOTFOUND : err;
}

/* A member without a usable time (a DOS date MVT fails on) gets no row:
 * one without a time would sort first in timeline.csv. */
static void timestamps_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *ts = spy_kit_str(r, "modified_time");
    if (ts && *ts)
        spy_timeline_event(ctx, ts, "M---", spy_kit_str(r, "path"));
}

const spy_module spy_mod_bugreport_timestamps = {"BugReportTimestamps",
                                                 "bugreport_timestamps",
                                                 SPY_ACQ_ANDROID_BUGREPORT,
                                                 0,
                                                 timestamps_run,
                                                 NULL,
                                                 timestamps_timeline};
