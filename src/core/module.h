/* Artifact checks ("modules"), design.md §2: one file, one const descriptor,
 * registered in src/modules/module_list.h.
 *
 * A module's run() reads its artifact through the acquisition and hands
 * each record, shaped exactly like the JSON it writes, to spy_emit(). The
 * run loop then calls the module's check() (indicators and heuristics) and
 * timeline() on that record, streams it to <slug>.json and drops it, so
 * memory stays flat. check-iocs feeds saved records to the same check(). */
#ifndef SPY_MODULE_H
#define SPY_MODULE_H

#include "acquire/acq.h"
#include "core/alert.h"
#include "core/flat.h"
#include "core/iocs.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct spy_mod_ctx spy_mod_ctx;

enum {
    SPY_MOD_MAPPING = 1u << 0, /* the result is one JSON object, not an array */
    SPY_MOD_SLOW = 1u << 1     /* skipped with -f/--fast */
};

typedef struct spy_module {
    const char *name;      /* MVT's class name; the timeline's Plugin column */
    const char *slug;      /* output file stem: <slug>.json */
    unsigned acquisitions; /* spy_acq_kind mask it applies to */
    unsigned flags;
    /* Reads the artifact and emits records. SPY_ENOTFOUND = the artifact is
     * absent (not a failure); any other error = the module failed. */
    int (*run)(spy_mod_ctx *ctx);
    /* Indicator checks and heuristics on one record (may be NULL). */
    void (*check)(spy_mod_ctx *ctx, const json_t *record);
    /* Timeline rows of one record (may be NULL). */
    void (*timeline)(spy_mod_ctx *ctx, const json_t *record);
} spy_module;

/* check() and timeline() on a flat record (core/flat.h), for a module
 * whose run() emits some records with spy_emit_flat(). Both must do
 * exactly what check() and timeline() do on the record's jansson form,
 * which check-iocs reads back from the saved results. */
typedef struct spy_flat_ops {
    void (*check)(spy_mod_ctx *ctx, const spy_flat *record);
    void (*timeline)(spy_mod_ctx *ctx, const spy_flat *record);
} spy_flat_ops;

/* Emits one record (takes the reference). */
int spy_emit(spy_mod_ctx *ctx, json_t *record);
/* Emits one flat record, checked with ops; it is written as its jansson
 * form would be, and only built as one when an alert needs it as its
 * event. The record is the caller's again after. */
int spy_emit_flat(spy_mod_ctx *ctx, spy_flat *record, const spy_flat_ops *ops);

/* Checks one observed value of the current record against the indicators;
 * on a match raises the CRITICAL alert with the indicator's message and
 * returns true. event_time may be NULL; event NULL means "the record". */
bool spy_check_ioc(spy_mod_ctx *ctx, spy_check_kind kind, const char *value, const char *event_time,
                   const json_t *event);
/* The same at another level (a few MVT checks report matches as HIGH). */
bool spy_check_ioc_level(spy_mod_ctx *ctx, spy_level level, spy_check_kind kind, const char *value,
                         const char *event_time, const json_t *event);
/* As spy_check_ioc, and on a match also writes the indicator into the
 * record as "matched_indicator" (MVT does this for some modules, e.g.
 * Datausage, so the key appears in <slug>.json). Only from check(). */
bool spy_check_ioc_mark(spy_mod_ctx *ctx, spy_check_kind kind, const char *value,
                        const char *event_time);
/* A match the module found itself (e.g. on one piece of a value it split),
 * raised with the match's message and matched_indicator. */
void spy_alert_match(spy_mod_ctx *ctx, spy_level level, const char *event_time, const json_t *event,
                     const spy_ioc_match *m);
/* A heuristic alert with its own message (matched_indicator null). */
void spy_alert_raise(spy_mod_ctx *ctx, spy_level level, const char *event_time, const json_t *event,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* One timeline row (Plugin = the module's name). */
void spy_timeline_event(spy_mod_ctx *ctx, const char *timestamp, const char *event,
                        const char *description);
/* The same with the lengths known (each the strlen of its text; 0 for
 * NULL), for modules adding rows by the million. */
void spy_timeline_event_n(spy_mod_ctx *ctx, const char *timestamp, size_t timestamp_len,
                          const char *event, size_t event_len, const char *description,
                          size_t description_len);
/* A URL seen in a message, for urls.json. */
void spy_url_seen(spy_mod_ctx *ctx, const char *url, const char *timestamp, const char *source);
/* Graded outcome: n rows/entries skipped because they were unreadable. */
void spy_skipped(spy_mod_ctx *ctx, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* NULL when no indicator is loaded (spec/iocs.md §1). */
const spy_iocs *spy_ctx_iocs(const spy_mod_ctx *ctx);
const spy_acq *spy_ctx_acq(const spy_mod_ctx *ctx);
const spy_module *spy_ctx_module(const spy_mod_ctx *ctx);
bool spy_ctx_fast(const spy_mod_ctx *ctx);
/* The logger name of this module, e.g. "spyscan.modules.sms". */
const char *spy_ctx_logger(const spy_mod_ctx *ctx);
/* True the first time this module's run passes `key`, false after: for
 * checks MVT makes once per name (e.g. the root-package alert). */
bool spy_ctx_first(spy_mod_ctx *ctx, const char *key);

/* Converts a class name to MVT's snake-case slug (spec/outputs.md §3.1). */
char *spy_slugify(const char *class_name);

#endif
