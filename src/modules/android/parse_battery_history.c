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

#define KEY(s) s, sizeof s - 1

/* "+job=<uid>:<service>" / "-job=..."; the first "+job"/"-job" is at at,
 * so the first "<key>=" cannot be before it. */
static bool job(spy_text line, const char *key, long at, event *e)
{
    at = spy_text_find(line, key, (size_t)at);
    if (at < 0)
        return false; /* "+job" without '=' (MVT stops with an error) */
    spy_text payload = spy_text_sub(line, (size_t)at + strlen(key), line.n), after;
    if (!spy_text_partition(payload, ":", &e->uid, &e->service))
        return false;
    e->service = spy_text_strip_chars(spy_text_strip(e->service), "\"");
    spy_text_partition(e->service, "/", &e->package, &after);
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

static bool classify(spy_text line, event *e)
{
    long at;
    if ((at = spy_text_find(line, "+job", 0)) > 0)
        return (e->name = EV_START_JOB, job(line, "+job=", at, e));
    if ((at = spy_text_find(line, "-job", 0)) > 0)
        return (e->name = EV_END_JOB, job(line, "-job=", at, e));
    if ((at = spy_text_find(line, "+running +wake_lock=", 0)) > 0)
        return (e->name = EV_WAKE, wake(line, at, e));
    if (spy_text_find(line, "+top=", 0) > 0 || spy_text_find(line, "-top", 0) > 0)
        return top(line, e);
    return false;
}

/* Adds key: text to the record (the strings are copied into it). */
static void put_str(spy_flat *r, const char *key, size_t key_len, const char *p, size_t n)
{
    size_t k = spy_flat_put(r, key, key_len);
    size_t v = spy_flat_put(r, p, n);
    spy_flat_add(r, k, key_len, SPY_FLAT_STR, v, n, 0);
}

/* time_elapsed: the first token, or "MM-DD hh:mm:ss.mmm" for absolute
 * times (line is already stripped). */
static void put_time(spy_flat *r, spy_text line)
{
    spy_text rest = line, first, second;
    spy_text_word(&rest, &first);
    size_t k = spy_flat_put(r, KEY("time_elapsed"));
    size_t v = r->len;
    size_t n = first.n;
    spy_flat_append(r, first.p, first.n);
    if (first.n == 5 && first.p[2] == '-' && spy_text_word(&rest, &second) &&
        spy_text_find(second, ":", 0) >= 0) {
        spy_flat_append(r, " ", 1);
        spy_flat_append(r, second.p, second.n);
        n += 1 + second.n;
    }
    spy_flat_end(r);
    spy_flat_add(r, k, sizeof "time_elapsed" - 1, SPY_FLAT_STR, v, n, 0);
}

int spy_parse_battery_history_flat(const char *text, size_t len, spy_flat_cb cb, void *ud)
{
    spy_flat rec = {0};
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
        spy_flat_reset(&rec);
        put_time(&rec, stripped);
        put_str(&rec, KEY("event"), event_text[e.name], strlen(event_text[e.name]));
        put_str(&rec, KEY("uid"), e.uid.p, e.uid.n);
        put_str(&rec, KEY("package_name"), e.package.p, e.package.n);
        if (e.no_service)
            put_str(&rec, KEY("service"), "", 0);
        else
            put_str(&rec, KEY("service"), e.service.p, e.service.n);
        spy_flat_seal(&rec);
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
