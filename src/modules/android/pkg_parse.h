/* The "Packages:" block of `dumpsys package` (spec/android.md §4.8) as
 * DumpsysPackages records, one at a time, so memory stays flat. */
#ifndef SPY_PKG_PARSE_H
#define SPY_PKG_PARSE_H

#include <jansson.h>
#include <stddef.h>

/* Receives each record (owns it); a non-zero return stops the parse and is
 * returned by spy_pkg_parse. */
typedef int (*spy_pkg_cb)(json_t *record, void *ud);

/* Parses the body of "DUMP OF SERVICE package:". Returns SPY_OK, or the
 * callback's error. *skipped (optional) counts package headers that could
 * not be read (no name). */
int spy_pkg_parse(const char *text, size_t len, spy_pkg_cb cb, void *ud, size_t *skipped);

/* The number of permissions (any type, each occurrence) of a record that
 * are in the dangerous list of §5.2. */
size_t spy_pkg_dangerous_count(const json_t *record);

#endif
