/* Battery history of dumpsys batterystats (spec/android.md §4.5): from the
 * section's first line to the first blank one, e.g.
 *
 *   +47s645ms (2) 090 +job=u0a94:"com.samsung.android.app.reminder/.data.X"
 *   07-15 20:27:39.431 (2) 100 +running +wake_lock=u0a12:"*walarm*:com.x/.Y"
 *   +1m02s003ms (2) 099 -top=u0a200:"com.whatsapp"
 *
 * Times are relative (or month-day without a year), so no timeline. */
#include "modules/android/dumpsys_parse.h"
#include "modules/android/pytext.h"

#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { EV_START_JOB, EV_END_JOB, EV_WAKE, EV_START_TOP, EV_END_TOP, EV_N };
static const char *const event_text[EV_N] = {"start_job", "end_job", "wake", "start_top",
                                             "end_top"};

typedef struct event {
    int name; /* EV_* */
    spy_text uid, package, service;
    bool no_service; /* top events: service is "" */
} event;

/* "+job=<uid>:<service>" / "-job=..."; the first "+job"/"-job" is at at,
 * so the first "<key>=" (5 bytes) cannot be before it, and is usually
 * right there. */
static bool job(spy_text line, const char *key, long at, event *e)
{
    if ((size_t)at + 5 > line.n || memcmp(line.p + at, key, 5) != 0)
        at = spy_text_findn(line, key, 5, (size_t)at);
    if (at < 0)
        return false; /* "+job" without '=' (MVT stops with an error) */
    const char *p = line.p + at + 5, *end = line.p + line.n;
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon)
        return false;
    e->uid = spy_text_of(p, (size_t)(colon - p));
    spy_text svc = spy_text_strip_chars(
        spy_text_strip(spy_text_of(colon + 1, (size_t)(end - colon - 1))), "\"");
    e->service = svc;
    const char *slash = svc.n ? memchr(svc.p, '/', svc.n) : NULL;
    e->package = slash ? spy_text_of(svc.p, (size_t)(slash - svc.p)) : svc;
    return true;
}

/* "+running +wake_lock=<uid>:"*walarm*:<service> ..." */
static bool wake(spy_text line, long at, event *e)
{
    static const char key[] = "+running +wake_lock=";
    spy_text payload = spy_text_sub(line, (size_t)at + sizeof key - 1, line.n);
    spy_text rest, after;
    if (!spy_text_partition(payload, ":", &e->uid, &rest))
        return false;
    /* Without "*walarm*:" MVT reads from column 8, which is never a
     * service; such lines are skipped (spec §4.5 quirk). */
    long w = spy_text_find(line, "*walarm*:", 0);
    if (w < 0)
        return false;
    spy_text tail = spy_text_sub(line, (size_t)w + 9, line.n), token;
    spy_text_partition(tail, " ", &token, &after);
    e->service = spy_text_strip(spy_text_strip_chars(token, "\""));
    if (e->service.n == 0 || spy_text_find(e->service, "/", 0) < 0)
        return false;
    spy_text_partition(e->service, "/", &e->package, &after);
    return true;
}

/* "+top=<uid>:<package>" / "-top=<uid>:<package>" */
static bool top(spy_text line, event *e)
{
    bool start = spy_text_find(line, "+top=", 0) > 0;
    long at = spy_text_find(line, start ? "+top=" : "-top=", 0);
    long colon = at < 0 ? -1 : spy_text_find(line, ":", (size_t)at);
    if (colon < 0)
        return false; /* MVT would slice garbage from such a line */
    e->name = start ? EV_START_TOP : EV_END_TOP;
    e->uid = spy_text_sub(line, (size_t)at + 5, (size_t)colon);
    e->package = spy_text_strip_chars(spy_text_sub(line, (size_t)colon + 1, line.n), "\"");
    e->no_service = true;
    return true;
}

/* The first "+job" (*plus) and, while none is found, the first "-job"
 * (*minus) in line, -1 when absent: one walk over its 'j's (dumpsys lines
 * have few) instead of a find per key. */
static void find_jobs(spy_text line, long *plus, long *minus)
{
    *plus = *minus = -1;
    const char *p = line.p + 1, *end = line.p + line.n;
    while (end - p >= 3 && (p = memchr(p, 'j', (size_t)(end - p) - 2)) != NULL) {
        if (p[1] == 'o' && p[2] == 'b') {
            if (p[-1] == '+') {
                *plus = p - 1 - line.p;
                return;
            }
            if (p[-1] == '-' && *minus < 0)
                *minus = p - 1 - line.p;
        }
        p++;
    }
}

static bool classify(spy_text line, event *e)
{
    long at, minus;
    /* what the first two finds below give, in one walk (a key at column 0
     * is not found, as find() > 0 demands; the finds then decide) */
    if (line.n && line.p[0] != '+' && line.p[0] != '-') {
        find_jobs(line, &at, &minus);
        if (at > 0)
            return (e->name = EV_START_JOB, job(line, "+job=", at, e));
        if (minus > 0)
            return (e->name = EV_END_JOB, job(line, "-job=", minus, e));
        goto others;
    }
    if ((at = spy_text_find(line, "+job", 0)) > 0)
        return (e->name = EV_START_JOB, job(line, "+job=", at, e));
    if ((at = spy_text_find(line, "-job", 0)) > 0)
        return (e->name = EV_END_JOB, job(line, "-job=", at, e));
others:
    if ((at = spy_text_find(line, "+running +wake_lock=", 0)) > 0)
        return (e->name = EV_WAKE, wake(line, at, e));
    if (spy_text_find(line, "+top=", 0) > 0 || spy_text_find(line, "-top", 0) > 0)
        return top(line, e);
    return false;
}

/* The five keys, each with its NUL, at the start of every record's
 * buffer: one copy instead of a put per key. */
static const char KEYS[] = "time_elapsed\0event\0uid\0package_name\0service";
static const size_t KEY_OFF[5] = {0, 13, 19, 23, 36}, KEY_LEN[5] = {12, 5, 3, 12, 7};
static const size_t EVENT_LEN[EV_N] = {9, 7, 4, 9, 7};

/* Value k of the record: the n bytes already at buf + *o, then a NUL.
 * The fields are written whole (room for five was made): what
 * spy_flat_add_plain() and spy_flat_seal() would set, buf no longer moving. */
static void add_value(spy_flat *r, size_t k, size_t n, size_t *o)
{
    r->buf[*o + n] = '\0';
    r->f[k] = (spy_flat_field){.key = r->buf + KEY_OFF[k],
                               .key_len = KEY_LEN[k],
                               .kind = SPY_FLAT_STR,
                               .plain = SPY_FLAT_KEY_PLAIN,
                               .s = r->buf + *o,
                               .len = n,
                               .key_off = KEY_OFF[k],
                               .s_off = *o};
    *o += n + 1;
}

static void put_value(spy_flat *r, size_t k, const char *p, size_t n, size_t *o)
{
    memcpy(r->buf + *o, p, n);
    add_value(r, k, n, o);
}

/* The record of e; time_elapsed is the first token, or "MM-DD
 * hh:mm:ss.mmm" for absolute times (line is already stripped). Built in
 * one reservation. */
static void build(spy_flat *r, spy_text line, const event *e)
{
    spy_text rest = line, first, second = {"", 0};
    spy_text_word(&rest, &first);
    bool abs_time = first.n == 5 && first.p[2] == '-' && spy_text_word(&rest, &second) &&
                    memchr(second.p, ':', second.n) != NULL;
    spy_text svc = e->no_service ? spy_text_of("", 0) : e->service;
    size_t tn = first.n + (abs_time ? 1 + second.n : 0);
    spy_flat_reset(r);
    if (r->cap < 5)
        spy_flat_grow_fields(r);
    spy_flat_grow(r, sizeof KEYS + tn + EVENT_LEN[e->name] + e->uid.n + e->package.n + svc.n + 5);
    memcpy(r->buf, KEYS, sizeof KEYS);
    size_t o = sizeof KEYS;
    if (abs_time) { /* first, ' ', second as one value */
        memcpy(r->buf + o, first.p, first.n);
        r->buf[o + first.n] = ' ';
        memcpy(r->buf + o + first.n + 1, second.p, second.n);
        add_value(r, 0, tn, &o);
    } else {
        put_value(r, 0, first.p, first.n, &o);
    }
    put_value(r, 1, event_text[e->name], EVENT_LEN[e->name], &o);
    r->f[1].plain |= SPY_FLAT_STR_PLAIN; /* our own letters and '_' */
    put_value(r, 2, e->uid.p, e->uid.n, &o);
    put_value(r, 3, e->package.p, e->package.n, &o);
    put_value(r, 4, svc.p, svc.n, &o);
    r->n = 5;
    r->len = o;
}

int spy_parse_battery_history_flat(const char *text, size_t len, spy_flat_cb cb, void *ud)
{
    spy_flat rec = {0};
    /* Every record has the same five keys in the same order: one layout,
     * so the emitter writes them from cached key text. */
    uint64_t layout = spy_flat_layout_new();
    spy_lines it;
    spy_text line;
    int rc = 0;
    spy_lines_init(&it, text, len);
    while (spy_lines_next(&it, &line)) {
        if (spy_text_starts(line, "Battery History "))
            continue;
        /* stripped once: the blank test and put_time() both need it */
        spy_text stripped = spy_text_strip(line);
        if (stripped.n == 0)
            break;
        event e = {0};
        if (!classify(line, &e))
            continue;
        build(&rec, stripped, &e);
        rec.layout = layout;
        rc = cb(&rec, ud);
        if (rc)
            break;
    }
    spy_flat_free(&rec);
    return rc;
}

typedef struct as_json {
    spy_record_cb cb;
    void *ud;
} as_json;

static int to_json(spy_flat *r, void *ud)
{
    as_json *j = ud;
    return j->cb(spy_flat_to_json(r), j->ud);
}

int spy_parse_battery_history(const char *text, size_t len, spy_record_cb cb, void *ud)
{
    as_json j = {cb, ud};
    return spy_parse_battery_history_flat(text, len, to_json, &j);
}
