/* Parsers of dumpsys sections (spec/android.md §4.1–§4.6, §4.9): each is a
 * function over the section body (text, len) that builds records shaped
 * exactly like the module's JSON, so it can be tested and fuzzed without an
 * acquisition. The body is the text between the section's header and its
 * closing rule (spy_android_dumpsys()); it need not be NUL-terminated.
 *
 * Record callbacks take the reference; a non-zero return stops the parse
 * and is returned. Parsers that must hold items before emitting them stop
 * holding at SPY_DUMPSYS_MAX_HELD_ITEMS and count the rest in *dropped. */
#ifndef SPY_DUMPSYS_PARSE_H
#define SPY_DUMPSYS_PARSE_H

#include "core/alert.h"

#include "core/flat.h"

#include <jansson.h>
#include <stddef.h>

typedef int (*spy_record_cb)(json_t *record, void *ud);

/* §4.1 {"package_name", "service"}: the "installed services:" list, then
 * every "Enabled services:{{pkg/cls}, ...}" line. */
int spy_parse_accessibility(const char *text, size_t len, spy_record_cb cb, void *ud);

/* §4.3 {"package_name", "permissions": [{"name", "entries", "access"?}], "uid"}. */
int spy_parse_appops(const char *text, size_t len, spy_record_cb cb, void *ud, size_t *dropped);

/* §4.4 the "Daily from" update records in section order, with the
 * uninstall/downgrade walk already applied: each finding is reported to
 * alert (record borrowed, time = the record's "from"), and downgrades carry
 * action "downgrade" and previous_vers. Returns a new array. */
typedef void (*spy_daily_alert_cb)(void *ud, spy_level level, const char *time,
                                   const json_t *record, const char *message);
json_t *spy_parse_battery_daily(const char *text, size_t len, spy_daily_alert_cb alert, void *ud,
                                size_t *dropped);

/* §4.5 {"time_elapsed", "event", "uid", "package_name", "service"}. */
int spy_parse_battery_history(const char *text, size_t len, spy_record_cb cb, void *ud);
/* The same records as flat ones (reused once cb returns): hundreds of
 * thousands of them in a busy phone's history. */
typedef int (*spy_flat_cb)(spy_flat *record, void *ud);
int spy_parse_battery_history_flat(const char *text, size_t len, spy_flat_cb cb, void *ud);

/* §4.6 {"isodate", "action", "sql", "path", "pid"?}. */
int spy_parse_dbinfo(const char *text, size_t len, spy_record_cb cb, void *ud);

/* §4.9 {"package_name"} of every DOWNSCALED raw override. */
int spy_parse_platform_compat(const char *text, size_t len, spy_record_cb cb, void *ud);

#endif
