/* Tombstones (spec/android.md §4.13): crash reports of native processes
 * kept by debuggerd, text or protobuf, in sorted path order. Crashes of
 * privileged processes can be side effects of exploitation attempts. */
#include "acquire/android.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/tombstone_parse.h"
#include "modules/module_kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const TOMB_GLOBS[] = {"*/tombstone_*", NULL};

static int by_path(const void *a, const void *b)
{
    const spy_artifact *x = a, *y = b;
    return strcmp(x->path, y->path);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int one_file(spy_mod_ctx *ctx, const spy_artifact *art)
{
    const char *slash = strrchr(art->path, '/');
    const char *name = slash ? slash + 1 : art->path;
    void *buf = NULL;
    size_t len = 0;
    int err = spy_acq_read(spy_ctx_acq(ctx), art, SPY_MAX_TOMBSTONE_BYTES, &buf, &len);
    if (err != SPY_OK) {
        spy_error(spy_ctx_logger(ctx), "Failed to read tombstone file %s: %s", art->label,
                  spy_err_str(err));
        spy_skipped(ctx, 1, "tombstone %s", art->label);
        return SPY_OK;
    }
    json_t *rec = NULL;
    char *why = NULL;
    if (ends_with(art->path, ".pb"))
        err = spy_tomb_pb_parse(buf, len, name, art->mtime, &rec, &why);
    else
        err = spy_tomb_text_parse(buf, len, name, art->mtime, &rec, &why);
    free(buf);
    if (err != SPY_OK) {
        spy_error(spy_ctx_logger(ctx), "Failed to parse tombstone file %s: %s", art->label,
                  why ? why : spy_err_str(err));
        free(why);
        spy_skipped(ctx, 1, "tombstone %s", art->label);
        return SPY_OK;
    }
    return spy_emit(ctx, rec);
}

static int tombstones_run(spy_mod_ctx *ctx)
{
    spy_query q = {.globs = TOMB_GLOBS};
    spy_artifacts arts = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, &arts);
    if (err != SPY_OK)
        return err;
    if (arts.n == 0) {
        spy_error(
            spy_ctx_logger(ctx),
            "Unable to find any tombstone files. Did you provide a valid bug report archive?");
        spy_artifacts_free(&arts);
        return SPY_ENOTFOUND;
    }
    qsort(arts.v, arts.n, sizeof arts.v[0], by_path);
    for (size_t i = 0; i < arts.n && err == SPY_OK; i++)
        err = one_file(ctx, &arts.v[i]);
    spy_artifacts_free(&arts);
    return err;
}

static void tombstones_check(spy_mod_ctx *ctx, const json_t *r)
{
    if (!spy_ctx_iocs(ctx)) /* MVT runs these checks only with indicators */
        return;
    const char *ts = spy_kit_str(r, "timestamp");
    const char *name = spy_kit_str(r, "process_name");
    if (spy_check_ioc(ctx, SPY_CHECK_PROCESS, name, ts, NULL))
        return;
    const char *cmd = json_string_value(json_array_get(json_object_get(r, "command_line"), 0));
    if (cmd) {
        const char *slash = strrchr(cmd, '/');
        if (spy_check_ioc(ctx, SPY_CHECK_PROCESS, slash ? slash + 1 : cmd, ts, NULL))
            return;
    }
    const json_t *uid = json_object_get(r, "uid");
    json_int_t u = json_integer_value(uid);
    if (json_is_integer(uid) && (u == 0 || u == 1000 || u == 2000)) {
        const char *file = spy_kit_str(r, "file_name");
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts ? ts : "", NULL,
                        "Potentially suspicious crash in process '%s' running as UID '%lld' in "
                        "tombstone '%s' at %s",
                        name ? name : "None", (long long)u, file ? file : "None", ts ? ts : "None");
    }
}

static void tombstones_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *name = spy_kit_str(r, "process_name");
    const char *file = spy_kit_str(r, "file_name");
    const json_t *si = json_object_get(r, "signal_info");
    const char *sig = spy_kit_str(si, "name"), *code = spy_kit_str(si, "code_name");
    const json_t *uid = json_object_get(r, "uid");
    char ubuf[32] = "None";
    if (json_is_integer(uid))
        snprintf(ubuf, sizeof ubuf, "%lld", (long long)json_integer_value(uid));
    char *data = spy_xasprintf("Crash in '%s' process running as UID '%s' in file '%s' Crash type "
                               "'%s' with code '%s'",
                               name ? name : "None", ubuf, file ? file : "None", sig ? sig : "None",
                               code ? code : "None");
    spy_timeline_event(ctx, spy_kit_str(r, "timestamp"), "Tombstone", data);
    free(data);
}

const spy_module spy_mod_tombstones = {
    "Tombstones",   "tombstones",     SPY_ACQ_ANDROID_BUGREPORT, 0,
    tombstones_run, tombstones_check, tombstones_timeline};
