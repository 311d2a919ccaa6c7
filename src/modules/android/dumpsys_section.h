/* What the dumpsys modules share: the body of their section, with MVT's
 * error line when the bug report has no dumpstate file (spec §1.1), and
 * small record getters that tolerate saved results of any shape. */
#ifndef SPY_DUMPSYS_SECTION_H
#define SPY_DUMPSYS_SECTION_H

#include "core/module.h"

#include <jansson.h>
#include <stddef.h>

/* SPY_OK (an absent section gives len 0); SPY_ENOTFOUND after logging
 * "Unable to find dumpstate file..."; another error after logging it.
 * service NULL: the SYSTEM PROPERTIES block. */
int spy_dumpsys_body(spy_mod_ctx *ctx, const char *service, const char **body, size_t *len);

/* A spy_record_cb that emits each record and counts them (for the
 * "Extracted a total of <n> ..." line). */
typedef struct spy_dumpsys_emitter {
    spy_mod_ctx *ctx;
    size_t count;
} spy_dumpsys_emitter;
int spy_dumpsys_emit(json_t *record, void *emitter);

/* rec[key] when it is a string, else "None" (Python's rendering of what
 * MVT would print for a missing value). */
const char *spy_dumpsys_str(const json_t *rec, const char *key);

#endif
