/* The "Non-Data Actions" part of a resolver table of `dumpsys package`
 * (spec/android.md §4.2 activities, §4.10 receivers):
 *
 *   Receiver Resolver Table:
 *     Non-Data Actions:
 *         android.provider.Telephony.SMS_RECEIVED:
 *           1a2b3c4 com.example/.SmsReceiver filter 5d6e7f8
 *
 * Parsed by indentation as MVT does: an action header has 6–7 leading
 * spaces and a ':', entries 8 or more; the part ends at the first blank
 * line. A line with a single token ending in ':' is a mis-indented header
 * (seen with 15 spaces); MVT's receivers take it as one anywhere, and its
 * activities stop with an error where an entry is expected. */
#ifndef SPY_RESOLVER_TABLE_H
#define SPY_RESOLVER_TABLE_H

#include "modules/android/pytext.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct spy_resolver_cbs {
    /* An action header opened (intent NUL-terminated, ':' removed). May be NULL. */
    int (*intent)(void *ud, const char *intent);
    /* One entry under the open action: component = second token of the
     * line, package = component before its first '/'. */
    int (*entry)(void *ud, const char *intent, spy_text component, spy_text package);
    /* true: lone "token:" lines are headers wherever they are (receivers);
     * false: only where an entry was expected (activities, where MVT fails) */
    bool lone_headers_anywhere;
} spy_resolver_cbs;

/* table: "Activity", "Receiver", ... (the line "<table> Resolver Table:").
 * A non-zero callback return stops the walk and is returned. */
int spy_resolver_table_parse(const char *text, size_t len, const char *table,
                             const spy_resolver_cbs *cbs, void *ud);

#endif
