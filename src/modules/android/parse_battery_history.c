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

typedef struct event {
    const char *name;
    spy_text uid, package, service;
} event;

/* "+job=<uid>:<service>" / "-job=..." */
static bool job(spy_text line, const char *key, event *e)
{
    long at = spy_text_find(line, key, 0);
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
static bool wake(spy_text line, event *e)
{
    static const char key[] = "+running +wake_lock=";
    spy_text payload =
        spy_text_sub(line, (size_t)spy_text_find(line, key, 0) + strlen(key), line.n);
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
    e->name = start ? "start_top" : "end_top";
    e->uid = spy_text_sub(line, (size_t)at + 5, (size_t)colon);
    e->package = spy_text_strip_chars(spy_text_sub(line, (size_t)colon + 1, line.n), "\"");
    e->service = spy_text_of(line.p, 0);
    return true;
}

static bool classify(spy_text line, event *e)
{
    if (spy_text_find(line, "+job", 0) > 0)
        return (e->name = "start_job", job(line, "+job=", e));
    if (spy_text_find(line, "-job", 0) > 0)
        return (e->name = "end_job", job(line, "-job=", e));
    if (spy_text_find(line, "+running +wake_lock=", 0) > 0)
        return (e->name = "wake", wake(line, e));
    if (spy_text_find(line, "+top=", 0) > 0 || spy_text_find(line, "-top", 0) > 0)
        return top(line, e);
    return false;
}

/* The first token, or "MM-DD hh:mm:ss.mmm" for absolute times. */
static json_t *time_elapsed(spy_text line)
{
    spy_text rest = spy_text_strip(line), first, second;
    spy_text_word(&rest, &first);
    if (first.n == 5 && first.p[2] == '-' && spy_text_word(&rest, &second) &&
        spy_text_find(second, ":", 0) >= 0) {
        char *joined = spy_xmalloc(first.n + 1 + second.n);
        memcpy(joined, first.p, first.n);
        joined[first.n] = ' ';
        memcpy(joined + first.n + 1, second.p, second.n);
        json_t *v = json_stringn_nocheck(joined, first.n + 1 + second.n);
        free(joined);
        return v;
    }
    return spy_text_json(first);
}

int spy_parse_battery_history(const char *text, size_t len, spy_record_cb cb, void *ud)
{
    spy_lines it;
    spy_text line;
    spy_lines_init(&it, text, len);
    while (spy_lines_next(&it, &line)) {
        if (spy_text_starts(line, "Battery History "))
            continue;
        if (spy_text_strip(line).n == 0)
            break;
        event e = {0};
        if (!classify(line, &e))
            continue;
        json_t *rec = json_object();
        json_object_set_new_nocheck(rec, "time_elapsed", time_elapsed(line));
        json_object_set_new_nocheck(rec, "event", json_string(e.name));
        json_object_set_new_nocheck(rec, "uid", spy_text_json(e.uid));
        json_object_set_new_nocheck(rec, "package_name", spy_text_json(e.package));
        json_object_set_new_nocheck(rec, "service", spy_text_json(e.service));
        int rc = cb(rec, ud);
        if (rc)
            return rc;
    }
    return 0;
}
