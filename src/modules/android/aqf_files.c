/* AQFFiles (spec/android.md §4.18): AndroidQF's file listing (files.json,
 * a JSON array or one object per line, up to hundreds of thousands of
 * entries), streamed and read one entry at a time, so memory does not grow
 * with the file. Times are Unix seconds, converted to
 * the device's local wall clock (persist.sys.timezone of getprop.txt). */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "core/tzconv.h"
#include "modules/android/android_lists.h"
#include "modules/android/aqf_util.h"
#include "modules/android/getprop.h"
#include "modules/module_kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUSPICIOUS_PATH "/data/local/tmp/"
#define COLLECTOR_PATH  "/data/local/tmp/collector" /* AndroidQF's own agent */

static const char *const TIME_KEYS[] = {"access_time", "changed_time", "modified_time"};

/* The device's zone, or NULL for UTC (with MVT's warnings). */
static spy_tz *device_tz(spy_mod_ctx *ctx)
{
    const char *log = spy_ctx_logger(ctx);
    char *text = NULL, *name = NULL;
    size_t len = 0;
    if (spy_aqf_read_first(ctx, "*/getprop.txt", SPY_AQF_MAX_TEXT_BYTES, &text, &len, NULL) ==
        SPY_OK) {
        len = spy_utf8_drop_invalid(text, len);
        name = spy_getprop_timezone(text, len);
        free(text);
    }
    spy_tz *tz = NULL;
    if (name) {
        spy_debug(log, "Identified local phone timezone: %s", name);
        if (spy_tz_load(name, &tz) != SPY_OK)
            spy_warn(log, "Unknown device timezone \"%s\"", name);
    } else {
        spy_warn(log, "Could not find or determine local device timezone. Some timestamps and "
                      "timeline data may be incorrect.");
    }
    if (!tz)
        spy_warn(log, "Unable to determine device timezone, using UTC");
    free(name);
    return tz;
}

typedef struct fl_state {
    spy_mod_ctx *ctx;
    const spy_tz *tz;
    size_t n, skipped;
} fl_state;

static void convert_times(json_t *rec, const spy_tz *tz)
{
    for (size_t k = 0; k < 3; k++) {
        json_t *v = json_object_get(rec, TIME_KEYS[k]);
        if (!json_is_number(v))
            continue; /* MVT fails on these; the value is kept as found */
        double t = json_number_value(v);
        char iso[SPY_ISO_LEN];
        if (!isfinite(t))
            continue;
        double off = tz ? spy_tz_offset(tz, (int64_t)floor(t)) : 0;
        if (spy_iso_from_unix(t + off, iso))
            json_object_set_new_nocheck(rec, TIME_KEYS[k], json_string_nocheck(iso));
    }
}

static int fl_elem(json_t *v, void *ud)
{
    fl_state *s = ud;
    if (!json_is_object(v)) {
        s->skipped++;
        json_decref(v);
        return SPY_OK;
    }
    convert_times(v, s->tz);
    s->n++;
    return spy_emit(s->ctx, v);
}

static int fl_run(spy_mod_ctx *ctx)
{
    spy_stream *in = NULL;
    char *label = NULL;
    int err = spy_aqf_open_first(ctx, "*/files.json", SPY_AQF_MAX_FILES_BYTES, &in, &label);
    if (err != SPY_OK)
        return err;
    spy_tz *tz = device_tz(ctx);
    fl_state s = {ctx, tz, 0, 0};
    spy_aqf_json_stats st;
    err = spy_aqf_json_stream(in, true, SPY_AQF_MAX_TEXT_BYTES, fl_elem, &s, &st);
    spy_stream_close(in);
    if (st.stopped) {
        /* the entries before are kept */
        spy_error(spy_ctx_logger(ctx), "Unable to read %s after %zu entries: %s", label, s.n,
                  st.why);
    } else if (err == SPY_EFORMAT && s.n == 0) {
        spy_error(spy_ctx_logger(ctx), "Unable to parse %s: %s", label, st.why);
    } else if (err == SPY_EFORMAT || st.bad) {
        spy_skipped(ctx, st.bad, "%s: %s", label, st.why);
        err = err == SPY_EFORMAT ? SPY_OK : err;
    }
    if (s.skipped)
        spy_skipped(ctx, s.skipped, "%s: entries that are not objects", label);
    spy_info(spy_ctx_logger(ctx), "Found a total of %zu files", s.n);
    free(label);
    spy_tz_free(tz);
    return err;
}

static void fl_check(spy_mod_ctx *ctx, const json_t *r)
{
    /* MVT runs even the /data/local/tmp heuristic only with indicators */
    const char *path = spy_kit_str(r, "path");
    if (!spy_ctx_iocs(ctx) || !path)
        return;
    if (spy_check_ioc(ctx, SPY_CHECK_FILE_PATH, path, "", NULL))
        return;
    if (strcmp(path, COLLECTOR_PATH) == 0)
        return;
    if (strncmp(path, SUSPICIOUS_PATH, strlen(SUSPICIOUS_PATH)) == 0) {
        const char *mode = spy_kit_str(r, "mode");
        spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", NULL, "Found %sfile at suspicious path \"%s\"",
                        mode && strchr(mode, 'x') ? "executable " : "", path);
    }
    static const char *const HASHES[] = {"sha256", "sha1", "md5"};
    for (size_t k = 0; k < 3; k++)
        if (spy_check_ioc(ctx, SPY_CHECK_HASH, spy_kit_str(r, HASHES[k]), "", NULL))
            break;
}

static void fl_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *t[3];
    for (size_t k = 0; k < 3; k++)
        t[k] = spy_kit_str(r, TIME_KEYS[k]);
    const char *path = spy_kit_str(r, "path");
    const char *context = spy_kit_str(r, "context");
    char *data = NULL;
    if (context && *context)
        data = spy_xasprintf("%s (%s)", path ? path : "None", context);
    for (size_t k = 0; k < 3; k++) {
        bool seen = false;
        for (size_t j = 0; j < k; j++)
            seen = seen || (t[j] && t[k] && strcmp(t[j], t[k]) == 0);
        if (!t[k] || !*t[k] || seen)
            continue;
        char macb[5];
        spy_android_macb(t[k], t[2], t[0], t[1], macb);
        spy_timeline_event(ctx, t[k], macb, data ? data : path);
    }
    free(data);
}

const spy_module spy_mod_aqf_files = {
    .name = "AQFFiles",
    .slug = "aqf_files",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .run = fl_run,
    .check = fl_check,
    .timeline = fl_timeline,
};
