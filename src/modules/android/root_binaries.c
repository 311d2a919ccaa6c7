/* RootBinaries (spec/android.md §4.20): the root-related binaries AndroidQF
 * found on the device (root_binaries.json, an array of paths). */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/aqf_util.h"
#include "modules/module_kit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const KNOWN[][2] = {
    {"su", "SuperUser binary"},
    {"busybox", "BusyBox utilities"},
    {"supersu", "SuperSU root management"},
    {"superuser.apk", "Superuser app"},
    {"kingouser.apk", "KingRoot app"},
    {"supersu.apk", "SuperSU app"},
    {"magisk", "Magisk root framework"},
    {"magiskhide", "Magisk hide utility"},
    {"magiskinit", "Magisk init binary"},
    {"magiskpolicy", "Magisk policy binary"},
};

static const char *describe(const char *binary)
{
    for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
        if (strcmp(binary, KNOWN[i][0]) == 0)
            return KNOWN[i][1];
    return "Unknown root binary";
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

typedef struct rb_state {
    spy_mod_ctx *ctx;
    size_t n;
} rb_state;

static int rb_elem(json_t *v, void *ud)
{
    rb_state *s = ud;
    const char *path = json_string_value(v);
    size_t len = json_string_length(v);
    if (!path || !len) {
        json_decref(v);
        return SPY_OK;
    }
    /* binary_name from the untrimmed path (as MVT), lower-cased */
    char *name = spy_xstrdup(spy_aqf_basename(path));
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    size_t a = 0, b = len;
    while (a < b && is_space(path[a]))
        a++;
    while (b > a && is_space(path[b - 1]))
        b--;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "path", json_stringn_nocheck(path + a, b - a));
    json_object_set_new_nocheck(rec, "binary_name", json_string_nocheck(name));
    json_object_set_new_nocheck(rec, "description", json_string_nocheck(describe(name)));
    free(name);
    json_decref(v);
    s->n++;
    return spy_emit(s->ctx, rec);
}

static int rb_run(spy_mod_ctx *ctx)
{
    char *text = NULL, *label = NULL;
    size_t len = 0;
    int err = spy_aqf_read_first(ctx, "*/root_binaries.json", SPY_AQF_MAX_TEXT_BYTES, &text, &len,
                                 &label);
    if (err == SPY_ENOTFOUND)
        spy_info(spy_ctx_logger(ctx), "No root_binaries.json file found");
    if (err != SPY_OK)
        return err;
    rb_state s = {ctx, 0};
    spy_aqf_json_stats st;
    err = spy_aqf_json_foreach(&text, &len, false, rb_elem, &s, &st);
    if (err == SPY_EFORMAT)
        spy_error(spy_ctx_logger(ctx), "Failed to parse root_binaries.json (%s): %s", label,
                  st.why ? st.why : "not a list of paths");
    spy_info(spy_ctx_logger(ctx), "Found %zu root binaries", s.n);
    if (s.n)
        spy_warn(spy_ctx_logger(ctx), "Device shows signs of rooting with %zu root binaries found",
                 s.n);
    free(text);
    free(label);
    return err;
}

static void rb_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *name = spy_kit_str(r, "binary_name");
    const char *path = spy_kit_str(r, "path");
    spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", NULL, "Found root binary \"%s\" at path \"%s\"",
                    name ? name : "None", path ? path : "None");
}

static void rb_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *name = spy_kit_str(r, "binary_name");
    const char *path = spy_kit_str(r, "path");
    char *data = spy_xasprintf("Root binary found: %s (binary: %s)", path ? path : "None",
                               name ? name : "None");
    spy_timeline_event(ctx, spy_kit_str(r, "timestamp"), "root_binary_found", data);
    free(data);
}

const spy_module spy_mod_root_binaries = {
    .name = "RootBinaries",
    .slug = "root_binaries",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .run = rb_run,
    .check = rb_check,
    .timeline = rb_timeline,
};
