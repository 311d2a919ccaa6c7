#include "modules/android/il_util.h"

#include "acquire/intrusion_logs.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/ios/pyfmt.h"

#include <stdlib.h>
#include <string.h>

json_t *spy_il_record(spy_mod_ctx *ctx, const json_t *event, bool ns)
{
    /* A shallow copy: the events are shared by the three modules (MVT's
     * dict(event_data)); only the top level is ever changed. */
    json_t *rec = json_copy((json_t *)event);
    if (!rec)
        return NULL; /* spy_emit reports it */
    json_t *ts =
        spy_intrusion_timestamp(spy_ctx_acq(ctx), json_object_get(event, "event_time"), ns);
    json_object_set_new_nocheck(rec, "timestamp", ts ? ts : json_null());
    return rec;
}

int spy_il_emit_all(spy_mod_ctx *ctx, const char *type, bool ns, size_t *n)
{
    const json_t *events = NULL;
    *n = 0;
    int err = spy_intrusion_events(spy_ctx_acq(ctx), type, &events);
    if (err != SPY_OK) {
        spy_error(spy_ctx_logger(ctx), "Failed to read the %s events of %s: %s", type,
                  spy_ctx_acq(ctx)->path, spy_err_str(err));
        return err;
    }
    size_t i;
    const json_t *ev;
    json_array_foreach(events, i, ev)
    {
        if (!json_is_object(ev))
            continue;
        err = spy_emit(ctx, spy_il_record(ctx, ev, ns));
        if (err != SPY_OK)
            return err;
        (*n)++;
    }
    return SPY_OK;
}

bool spy_il_truthy(const json_t *v, bool dflt)
{
    if (!v)
        return dflt;
    switch (json_typeof(v)) {
    case JSON_TRUE: return true;
    case JSON_FALSE:
    case JSON_NULL: return false;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0;
    case JSON_STRING: return json_string_length(v) != 0;
    case JSON_ARRAY: return json_array_size(v) != 0;
    case JSON_OBJECT: return json_object_size(v) != 0;
    }
    return false;
}

const json_t *spy_il_get(const json_t *o, const char *key)
{
    return json_is_object(o) ? json_object_get(o, key) : NULL;
}

void spy_il_puts(spy_buf *b, const char *s)
{
    if (s)
        spy_buf_put(b, s, strlen(s));
}

void spy_il_put_value(spy_buf *b, const json_t *v)
{
    spy_py_put(b, v); /* None for NULL, as str() of a missing saved key */
}

void spy_il_put(spy_buf *b, const json_t *o, const char *key, const char *dflt)
{
    const json_t *v = spy_il_get(o, key);
    if (v)
        spy_py_put(b, v);
    else
        spy_il_puts(b, dflt);
}

char *spy_il_take(spy_buf *b)
{
    char *s = b->p ? b->p : spy_xstrdup(""); /* spy_buf keeps a NUL after the text */
    b->p = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *spy_il_time(const json_t *record)
{
    const char *ts = json_string_value(json_object_get(record, "timestamp"));
    return ts ? ts : "";
}
