/* alerts.json, <slug>_detected.json and alerts_timeline.csv
 * (spec/outputs.md §3.2, §3.3). */
#include "core/writers.h"

#include "core/error.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#define MI_KEY "matched_indicator"

typedef struct alerts_ctx {
    const spy_alert *v;
    size_t n;
} alerts_ctx;

static const json_t *event_indicator(const json_t *ev)
{
    return json_is_object(ev) ? json_object_get(ev, MI_KEY) : NULL;
}

/* The event without its own matched_indicator key (§3.2), written from the
 * caller's record without modifying it. */
static int emit_event(spy_jw *w, const json_t *ev)
{
    if (!ev) {
        int rc = spy_jw_begin_object(w);
        return rc == SPY_OK ? spy_jw_end_object(w) : rc;
    }
    if (!event_indicator(ev))
        return spy_jw_value(w, ev);
    int rc = spy_jw_begin_object(w);
    for (void *it = json_object_iter((json_t *)ev); it && rc == SPY_OK;
         it = json_object_iter_next((json_t *)ev, it)) {
        const char *k = json_object_iter_key(it);
        size_t klen = json_object_iter_key_len(it);
        if (klen == sizeof MI_KEY - 1 && memcmp(k, MI_KEY, klen) == 0)
            continue;
        if ((rc = spy_jw_key(w, k, klen)) == SPY_OK)
            rc = spy_jw_value(w, json_object_iter_value(it));
    }
    return rc == SPY_OK ? spy_jw_end_object(w) : rc;
}

static int emit_kv(spy_jw *w, const char *k, const char *v)
{
    int rc = spy_jw_key(w, k, strlen(k));
    return rc == SPY_OK ? spy_jw_cstr(w, v) : rc;
}

static int emit_indicator(spy_jw *w, const spy_alert *a)
{
    if (!a->has_match) {
        const json_t *mi = event_indicator(a->event);
        return mi ? spy_jw_value(w, mi) : spy_jw_null(w);
    }
    spy_jw_begin_object(w);
    emit_kv(w, "value", a->ioc_value);
    emit_kv(w, "type", a->ioc_type);
    emit_kv(w, "name", a->ioc_name);
    emit_kv(w, "stix2_file_name", a->ioc_file);
    return spy_jw_end_object(w);
}

static int emit_alert(spy_jw *w, const spy_alert *a)
{
    spy_jw_begin_object(w);
    emit_kv(w, "level", spy_level_name(a->level));
    emit_kv(w, "module", a->module ? a->module : "unknown");
    emit_kv(w, "message", a->message ? a->message : "");
    emit_kv(w, "event_time", a->event_time ? a->event_time : "");
    spy_jw_key(w, "event", 5);
    emit_event(w, a->event);
    spy_jw_key(w, MI_KEY, sizeof MI_KEY - 1);
    emit_indicator(w, a);
    return spy_jw_end_object(w); /* errors are sticky: the last call reports any */
}

static int emit_alerts(spy_jw *w, void *ctx)
{
    const alerts_ctx *c = ctx;
    int rc = spy_jw_begin_array(w);
    for (size_t i = 0; i < c->n && rc == SPY_OK; i++)
        rc = emit_alert(w, &c->v[i]);
    return rc == SPY_OK ? spy_jw_end_array(w) : rc;
}

int spy_alerts_write_json(spy_outdir *d, const char *file_name, const spy_alert *alerts, size_t n)
{
    alerts_ctx c = {alerts, n};
    return spy_write_json_file(d, file_name, emit_alerts, &c);
}

/* ---- alerts_timeline.csv ---------------------------------------------- */

typedef struct timed {
    const spy_alert *a;
    size_t order; /* position in the run: makes qsort stable */
} timed;

static int timed_cmp(const void *x, const void *y)
{
    const timed *a = x, *b = y;
    int c = strcmp(a->a->event_time, b->a->event_time);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* The whole event as compact JSON, its matched_indicator kept nested as
 * MVT's CSV shows it (design.md §1: JSON instead of Python's repr). */
static char *event_json(const json_t *ev)
{
    spy_jw *w = spy_jw_new_mem(0);
    if (ev)
        spy_jw_value(w, ev);
    else if (spy_jw_begin_object(w) == SPY_OK)
        spy_jw_end_object(w);
    char *s = spy_jw_finish(w) == SPY_OK ? spy_xstrdup(spy_jw_mem(w, NULL)) : spy_xstrdup("");
    spy_jw_free(w);
    return s;
}

int spy_alerts_write_timeline_csv(spy_outdir *d, const spy_alert *alerts, size_t n)
{
    static const char *const header[] = {"Event Time", "Module", "Message", "Event"};
    spy_buf b = {0};
    spy_csv_row(&b, header, 4);
    timed *t = spy_xcalloc(n ? n : 1, sizeof *t);
    size_t nt = 0;
    for (size_t i = 0; i < n; i++)
        if (alerts[i].event_time && alerts[i].event_time[0])
            t[nt++] = (timed){&alerts[i], i};
    qsort(t, nt, sizeof *t, timed_cmp);
    for (size_t i = 0; i < nt; i++) {
        char *ev = event_json(t[i].a->event);
        const char *row[] = {t[i].a->event_time, t[i].a->module, t[i].a->message, ev};
        spy_csv_row(&b, row, 4);
        free(ev);
    }
    int rc = spy_outdir_write_file(d, "alerts_timeline.csv", b.p, b.len);
    free(t);
    spy_buf_free(&b);
    return rc;
}
