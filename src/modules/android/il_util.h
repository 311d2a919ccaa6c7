/* What the three intrusion-log modules share (spec/android.md §1.6,
 * §4.23-§4.25): their records (a shallow copy of each event plus
 * "timestamp"), and the Python semantics MVT's checks and timeline texts
 * rely on: truthiness, str() of a value, dict.get() with a default. */
#ifndef SPY_IL_UTIL_H
#define SPY_IL_UTIL_H

#include "core/module.h"
#include "core/writers.h"

#include <jansson.h>
#include <stdbool.h>

/* Emits one record per event of bucket type ("dns_event", ...): the event
 * with "timestamp" added (event_time in ms, or ns when ns). *n gets the
 * count. SPY_OK, or the acquisition's or the writer's error. */
int spy_il_emit_all(spy_mod_ctx *ctx, const char *type, bool ns, size_t *n);
/* The record of one event (new reference). */
json_t *spy_il_record(spy_mod_ctx *ctx, const json_t *event, bool ns);

/* Python's bool(v); dflt when v is NULL (a key dict.get() did not find). */
bool spy_il_truthy(const json_t *v, bool dflt);
/* str(o.get(key, dflt)) appended to b: dflt when o is not an object or
 * lacks key (MVT reads payloads with .get; a non-object payload reads as
 * empty here instead of stopping the module). */
void spy_il_put(spy_buf *b, const json_t *o, const char *key, const char *dflt);
/* str(v) appended to b (v NULL: "None"). */
void spy_il_put_value(spy_buf *b, const json_t *v);
/* A plain string appended to b. */
void spy_il_puts(spy_buf *b, const char *s);
/* b's text NUL-terminated, handed over (the buffer is left empty). */
char *spy_il_take(spy_buf *b);

/* o[key] when o is an object, else NULL. */
const json_t *spy_il_get(const json_t *o, const char *key);
/* record["timestamp"] as MVT passes it to alerts: the string, or "". */
const char *spy_il_time(const json_t *record);

#endif
