/* Mounts (spec/android.md §4.21): AndroidQF's mounts.json, a JSON array of
 * mount(8) output lines; read-write system partitions and suspicious
 * options need no indicators. */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/aqf_util.h"
#include "modules/android/mount_lines.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const SUSPICIOUS_OPTIONS[] = {"rw", "remount", "noatime", "nodiratime", NULL};
static const char *const NOATIME_ALLOWED[] = {"/system_dlkm", "/system_ext",  "/product",
                                              "/vendor",      "/vendor_dlkm", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

typedef struct mt_state {
    char *text; /* the lines joined by '\n' */
    size_t len, cap;
} mt_state;

static int mt_elem(json_t *v, void *ud)
{
    mt_state *s = ud;
    size_t n = json_string_length(v);
    if (json_is_string(v)) {
        while (s->len + n + 2 > s->cap)
            s->text = spy_xrealloc(s->text, s->cap = s->cap ? s->cap * 2 : 4096);
        memcpy(s->text + s->len, json_string_value(v), n);
        s->len += n;
        s->text[s->len++] = '\n';
    }
    json_decref(v);
    return SPY_OK;
}

typedef struct emit_state {
    spy_mod_ctx *ctx;
    int err;
} emit_state;

static void emit_cb(json_t *rec, void *ud)
{
    emit_state *e = ud;
    if (e->err != SPY_OK) {
        json_decref(rec);
        return;
    }
    e->err = spy_emit(e->ctx, rec);
}

static int mt_run(spy_mod_ctx *ctx)
{
    char *raw = NULL, *label = NULL;
    size_t len = 0;
    int err = spy_aqf_read_first(ctx, "*/mounts.json", SPY_AQF_MAX_TEXT_BYTES, &raw, &len, &label);
    if (err == SPY_ENOTFOUND)
        spy_info(spy_ctx_logger(ctx), "No mounts.json file found");
    if (err != SPY_OK)
        return err;
    mt_state s = {0};
    spy_aqf_json_stats st;
    err = spy_aqf_json_foreach(&raw, &len, false, mt_elem, &s, &st);
    if (err == SPY_EFORMAT)
        spy_error(spy_ctx_logger(ctx), "Failed to parse %s: %s", label,
                  st.why ? st.why : "expected a list of mount lines");
    emit_state e = {ctx, SPY_OK};
    size_t n = s.len ? spy_mount_lines(s.text, s.len, emit_cb, &e) : 0;
    spy_info(spy_ctx_logger(ctx), "Parsed %zu mount entries", n);
    free(s.text);
    free(raw);
    free(label);
    return err != SPY_OK ? err : e.err;
}

static void heuristics(spy_mod_ctx *ctx, const json_t *r, const char *mp)
{
    bool system = json_is_true(json_object_get(r, "is_system_partition"));
    if (system && json_is_true(json_object_get(r, "is_read_write"))) {
        if (strcmp(mp, "/system") == 0)
            spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", NULL,
                            "Root detected /system partition is mounted as read-write (rw)");
        else
            spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", NULL,
                            "System partition %s is mounted as read-write (rw). This may indicate "
                            "system modifications.",
                            mp);
    }
    char found[256] = "";
    size_t used = 0, i;
    json_t *o;
    json_array_foreach(json_object_get(r, "options_list"), i, o)
    {
        const char *opt = json_string_value(o);
        if (in_list(SUSPICIOUS_OPTIONS, opt) && used + strlen(opt) + 3 < sizeof found)
            used +=
                (size_t)snprintf(found + used, sizeof found - used, "%s%s", used ? ", " : "", opt);
    }
    const char *opts = spy_kit_str(r, "mount_options");
    bool allowed = opts && strstr(opts, "noatime") && in_list(NOATIME_ALLOWED, mp);
    if (used && system && !allowed)
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL,
                        "Suspicious mount options found for %s: %s", mp, found);
}

/* MVT reports these matches with the indicator's own message
 * (check_file_path's ioc.message), as CRITICAL. */
static void check_path(spy_mod_ctx *ctx, const char *value)
{
    if (value && *value)
        spy_check_ioc(ctx, SPY_CHECK_FILE_PATH, value, "", NULL);
}

static void mt_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *mp = spy_kit_str(r, "mount_point");
    if (!mp)
        return;
    heuristics(ctx, r, mp);
    if (strcmp(mp, "/data") == 0 || strncmp(mp, "/sdcard", 7) == 0) {
        const char *fs = spy_kit_str(r, "filesystem_type"), *opts = spy_kit_str(r, "mount_options");
        spy_info(spy_ctx_logger(ctx), "Data partition: %s mounted as %s with options: %s", mp,
                 fs ? fs : "None", opts ? opts : "None");
    }
    if (!spy_ctx_iocs(ctx))
        return;
    check_path(ctx, mp);
    check_path(ctx, spy_kit_str(r, "device"));
}

const spy_module spy_mod_mounts = {
    .name = "Mounts",
    .slug = "mounts",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .run = mt_run,
    .check = mt_check,
};
