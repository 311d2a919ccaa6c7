/* The getprop format shared by DumpsysGetProp and AQFGetProp
 * (spec/android.md §4.7, §4.16): "[name]: [value]" lines, the checks on
 * them, and the device time zone they give. */
#ifndef SPY_GETPROP_H
#define SPY_GETPROP_H

#include "core/module.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Called with each property (not NUL-terminated; never empty). */
typedef void (*spy_getprop_cb)(const char *name, size_t nlen, const char *value, size_t vlen,
                               void *ud);

/* Each line matching MVT's \[(.+?)\]: \[(.+?)\] (first match on the trimmed
 * line); returns how many were found. */
size_t spy_getprop_parse(const char *text, size_t len, spy_getprop_cb cb, void *ud);

/* The first persist.sys.timezone value (free()), or NULL. */
char *spy_getprop_timezone(const char *text, size_t len);

/* Parses text (invalid UTF-8 dropped) and emits one {"name", "value"}
 * record per property; *n gets the count. */
int spy_getprop_emit(spy_mod_ctx *ctx, const char *text, size_t len, size_t *n);

/* The checks of §4.7 on one record: interesting properties logged, the
 * six-month security patch alert, android-property indicators. */
void spy_getprop_check(spy_mod_ctx *ctx, const json_t *record);

/* Tests: the clock the patch-age check reads (Unix seconds); NULL restores
 * the real one. */
void spy_getprop_set_clock(int64_t (*now)(void));

#endif
