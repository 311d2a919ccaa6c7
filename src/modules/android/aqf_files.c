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
    spy_tz_cache tzc; /* an entry's three times are close: one search */
    spy_iso_day day;  /* and mostly on one day: one date */
    size_t n, skipped;
    spy_flat_cache times; /* where TIME_FKEYS sit in the current layout */
} fl_state;

/* The device-local time of Unix seconds t, as MVT writes it. */
static bool local_iso(double t, const spy_tz *tz, spy_tz_cache *tzc, char iso[SPY_ISO_LEN])
{
    if (!isfinite(t))
        return false;
    double off = tz ? spy_tz_offset_cached(tz, tzc, (int64_t)floor(t)) : 0;
    return spy_iso_from_unix(t + off, iso);
}

/* The same for integer t (nearly every entry), in integer arithmetic. */
static bool local_iso_int(int64_t t, fl_state *s, char iso[SPY_ISO_LEN])
{
    /* past years 1-9999 whatever the offset (|offset| < 2^31): no date,
     * and t + off cannot overflow below */
    if (t < -(INT64_C(1) << 40) || t > INT64_C(1) << 40) {
        iso[0] = '\0';
        return false;
    }
    int64_t off = s->tz ? spy_tz_offset_cached(s->tz, &s->tzc, t) : 0;
    return spy_iso_from_unix_day(t + off, &s->day, iso);
}

static void convert_times(json_t *rec, const spy_tz *tz, spy_tz_cache *tzc)
{
    for (size_t k = 0; k < 3; k++) {
        json_t *v = json_object_get(rec, TIME_KEYS[k]);
        char iso[SPY_ISO_LEN];
        /* MVT fails on non-numbers; the value is kept as found */
        if (json_is_number(v) && local_iso(json_number_value(v), tz, tzc, iso))
            json_object_set_new_nocheck(rec, TIME_KEYS[k], json_string_nocheck(iso));
    }
}

static const spy_flat_ops FLAT_OPS;

static const spy_flat_key TIME_FKEYS[3] = {
    SPY_FLAT_KEY("access_time"), SPY_FLAT_KEY("changed_time"), SPY_FLAT_KEY("modified_time")};

/* Field i, a time key, as the device-local time when it is an integer. */
static void flat_time(spy_flat *r, size_t i, fl_state *s)
{
    char iso[SPY_ISO_LEN];
    if (r->f[i].kind == SPY_FLAT_INT && local_iso_int(r->f[i].i, s, iso))
        spy_flat_set_str_plain(r, i, iso, SPY_ISO_LEN - 1, true); /* digits, '-', ':', '.', ' ' */
}

/* Most entries: a flat object, converted and checked as parsed. */
static int fl_flat(spy_flat *r, void *ud)
{
    fl_state *s = ud;
    /* files.json repeats one layout: the time keys' indices are cached */
    const long *idx = spy_flat_index(r, &s->times, TIME_FKEYS, 3);
    for (size_t k = 0; k < 3; k++)
        if (idx[k] >= 0)
            flat_time(r, (size_t)idx[k], s);
    s->n++;
    return spy_emit_flat(s->ctx, r, &FLAT_OPS);
}

static int fl_elem(json_t *v, void *ud)
{
    fl_state *s = ud;
    if (!json_is_object(v)) {
        s->skipped++;
        json_decref(v);
        return SPY_OK;
    }
    convert_times(v, s->tz, &s->tzc);
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
    fl_state s = {.ctx = ctx, .tz = tz};
    spy_aqf_json_stats st;
    err = spy_aqf_json_stream_flat(in, true, SPY_AQF_MAX_TEXT_BYTES, fl_flat, fl_elem, &s, &st);
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

/* What the checks and the timeline read of an entry, from either form. */
typedef struct fl_vals {
    const char *path, *mode, *context;
    const char *hash[3]; /* sha256, sha1, md5: MVT's order */
    const char *t[3];    /* TIME_KEYS */
} fl_vals;

static const char *const HASH_KEYS[] = {"sha256", "sha1", "md5"};

static void vals_json(const json_t *r, fl_vals *v)
{
    v->path = spy_kit_str(r, "path");
    v->mode = spy_kit_str(r, "mode");
    v->context = spy_kit_str(r, "context");
    for (size_t k = 0; k < 3; k++) {
        v->hash[k] = spy_kit_str(r, HASH_KEYS[k]);
        v->t[k] = spy_kit_str(r, TIME_KEYS[k]);
    }
}

static void vals_flat(const spy_flat *r, fl_vals *v)
{
    static const spy_flat_key keys[9] = {
        SPY_FLAT_KEY("path"),        SPY_FLAT_KEY("mode"),         SPY_FLAT_KEY("context"),
        SPY_FLAT_KEY("sha256"),      SPY_FLAT_KEY("sha1"),         SPY_FLAT_KEY("md5"),
        SPY_FLAT_KEY("access_time"), SPY_FLAT_KEY("changed_time"), SPY_FLAT_KEY("modified_time")};
    /* Per thread, as the ops get no state of the run: each entry is picked
     * twice (check, timeline), and a layout number is never reused, so a
     * cache left by an earlier run is a miss, not a wrong answer. */
    static _Thread_local spy_flat_cache cache;
    const char *out[9];
    spy_flat_pick_cached(r, &cache, keys, 9, out);
    v->path = out[0];
    v->mode = out[1];
    v->context = out[2];
    for (size_t k = 0; k < 3; k++) {
        v->hash[k] = out[3 + k];
        v->t[k] = out[6 + k];
    }
}

static void check_vals(spy_mod_ctx *ctx, const fl_vals *v)
{
    /* MVT runs even the /data/local/tmp heuristic only with indicators */
    const char *path = v->path;
    if (!spy_ctx_iocs(ctx) || !path)
        return;
    if (spy_check_ioc(ctx, SPY_CHECK_FILE_PATH, path, "", NULL))
        return;
    if (strcmp(path, COLLECTOR_PATH) == 0)
        return;
    if (strncmp(path, SUSPICIOUS_PATH, strlen(SUSPICIOUS_PATH)) == 0) {
        spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", NULL, "Found %sfile at suspicious path \"%s\"",
                        v->mode && strchr(v->mode, 'x') ? "executable " : "", path);
    }
    for (size_t k = 0; k < 3; k++)
        if (spy_check_ioc(ctx, SPY_CHECK_HASH, v->hash[k], "", NULL))
            break;
}

static void timeline_vals(spy_mod_ctx *ctx, const fl_vals *v)
{
    const char *const *t = v->t;
    const char *path = v->path;
    /* "path (context)", on the stack: 1.2M rows of it */
    char small[512], *heap = NULL;
    const char *data = path;
    size_t ld = path ? strlen(path) : 0;
    if (v->context && *v->context) {
        const char *parts[] = {path ? path : "None", " (", v->context, ")"};
        data = spy_kit_join(small, sizeof small, &heap, &ld, parts, 4);
    }
    /* Which times are equal, compared once: a time equal to an earlier
     * one is not a row of its own, and the MACB flags of a row are the
     * times equal to its own (spec/android.md §5.4). */
    size_t tl[3];
    bool eq[3][3];
    for (size_t k = 0; k < 3; k++) {
        tl[k] = t[k] ? strlen(t[k]) : 0;
        eq[k][k] = t[k] != NULL;
        for (size_t j = 0; j < k; j++)
            eq[j][k] = eq[k][j] = t[j] && t[k] && tl[j] == tl[k] && memcmp(t[j], t[k], tl[k]) == 0;
    }
    for (size_t k = 0; k < 3; k++) {
        if (!tl[k] || (k >= 1 && eq[0][k]) || (k == 2 && eq[1][2]))
            continue;
        /* TIME_KEYS order: access, changed, modified */
        const char macb[5] = {eq[k][2] ? 'M' : '-', eq[k][0] ? 'A' : '-', eq[k][1] ? 'C' : '-', '-',
                              '\0'};
        spy_timeline_event_n(ctx, t[k], tl[k], macb, 4, data, ld);
    }
    free(heap);
}

static void fl_check(spy_mod_ctx *ctx, const json_t *r)
{
    fl_vals v;
    vals_json(r, &v);
    check_vals(ctx, &v);
}

static void fl_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    fl_vals v;
    vals_json(r, &v);
    timeline_vals(ctx, &v);
}

static void fl_check_flat(spy_mod_ctx *ctx, const spy_flat *r)
{
    fl_vals v;
    vals_flat(r, &v);
    check_vals(ctx, &v);
}

static void fl_timeline_flat(spy_mod_ctx *ctx, const spy_flat *r)
{
    fl_vals v;
    vals_flat(r, &v);
    timeline_vals(ctx, &v);
}

static const spy_flat_ops FLAT_OPS = {fl_check_flat, fl_timeline_flat};

const spy_module spy_mod_aqf_files = {
    .name = "AQFFiles",
    .slug = "aqf_files",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .run = fl_run,
    .check = fl_check,
    .timeline = fl_timeline,
};
