/* AQFProcesses (spec/android.md §4.15): the processes running during the
 * acquisition. MVT reads only ps.txt (older AndroidQF); as the spec's
 * extension, current AndroidQF's processes.json (its collector's records,
 * kept as they are) or processes.txt (ps text) are read when ps.txt is absent. */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/aqf_util.h"
#include "modules/android/ps_text.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

typedef struct pr_state {
    spy_mod_ctx *ctx;
    size_t n;
    int err;
} pr_state;

static void emit_cb(json_t *rec, void *ud)
{
    pr_state *s = ud;
    s->n++;
    if (s->err != SPY_OK) {
        json_decref(rec);
        return;
    }
    s->err = spy_emit(s->ctx, rec);
}

static int json_cb(json_t *v, void *ud)
{
    if (!json_is_object(v)) {
        json_decref(v);
        return SPY_OK;
    }
    emit_cb(v, ud);
    return ((pr_state *)ud)->err;
}

static int read_text(spy_mod_ctx *ctx, const char *glob, pr_state *s)
{
    char *text = NULL;
    size_t len = 0, bad = 0;
    int err = spy_aqf_read_first(ctx, glob, SPY_AQF_MAX_TEXT_BYTES, &text, &len, NULL);
    if (err != SPY_OK)
        return err;
    len = spy_utf8_drop_invalid(text, len);
    spy_ps_parse(text, len, emit_cb, s, &bad);
    if (bad)
        spy_skipped(ctx, bad, "%s: lines that are not ps output", glob + 2);
    free(text);
    return s->err;
}

static int read_json(spy_mod_ctx *ctx, pr_state *s)
{
    char *text = NULL, *label = NULL;
    size_t len = 0;
    int err =
        spy_aqf_read_first(ctx, "*/processes.json", SPY_AQF_MAX_TEXT_BYTES, &text, &len, &label);
    if (err != SPY_OK)
        return err;
    spy_aqf_json_stats st;
    err = spy_aqf_json_foreach(&text, &len, false, json_cb, s, &st);
    if (err == SPY_EFORMAT && s->n == 0)
        spy_error(spy_ctx_logger(ctx), "Unable to parse %s: %s", label, st.why);
    else if (err == SPY_EFORMAT)
        spy_skipped(ctx, 1, "%s: %s after %zu processes", label, st.why, s->n);
    free(text);
    free(label);
    return err == SPY_EFORMAT && s->n ? SPY_OK : err;
}

static int pr_run(spy_mod_ctx *ctx)
{
    pr_state s = {ctx, 0, SPY_OK};
    int err = read_text(ctx, "*/ps.txt", &s);
    if (err == SPY_ENOTFOUND)
        err = read_json(ctx, &s);
    if (err == SPY_ENOTFOUND)
        err = read_text(ctx, "*/processes.txt", &s);
    if (err == SPY_OK)
        spy_info(spy_ctx_logger(ctx), "Identified %zu running processes", s.n);
    return err;
}

/* App id, then process name (MVT's order); true once one matched. */
static bool check_name(spy_mod_ctx *ctx, const char *name)
{
    /* gatekeeperd: skipped by MVT because of false positives */
    if (!name || !*name || strcmp(name, "gatekeeperd") == 0)
        return false;
    return spy_check_ioc_mark(ctx, SPY_CHECK_APP_ID, name, "") ||
           spy_check_ioc_mark(ctx, SPY_CHECK_PROCESS, name, "");
}

/* processes.json: the kernel's comm name is "(name)" in /proc/<pid>/stat */
static void check_collector(spy_mod_ctx *ctx, const json_t *r)
{
    const char *fn = spy_kit_str(r, "filename");
    char *name = NULL;
    if (fn) {
        size_t n = strlen(fn);
        name = n >= 2 && fn[0] == '(' && fn[n - 1] == ')' ? spy_xstrndup(fn + 1, n - 2)
                                                          : spy_xstrdup(fn);
    }
    const char *path = spy_kit_str(r, "path");
    const char *argv0 = json_string_value(json_array_get(json_object_get(r, "command_line"), 0));
    if (!check_name(ctx, name) && !check_name(ctx, path ? spy_aqf_basename(path) : NULL))
        check_name(ctx, argv0);
    free(name);
}

static void pr_check(spy_mod_ctx *ctx, const json_t *r)
{
    if (!spy_ctx_iocs(ctx))
        return;
    if (json_object_get(r, "proc_name"))
        check_name(ctx, spy_kit_str(r, "proc_name"));
    else
        check_collector(ctx, r);
}

const spy_module spy_mod_aqf_processes = {
    .name = "AQFProcesses",
    .slug = "aqf_processes",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .run = pr_run,
    .check = pr_check,
};
