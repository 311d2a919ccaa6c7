/* Android 16 intrusion logs (spec/android.md §1.6): NDJSON text files in a
 * folder, a ZIP, or ZIPs nested in either, read in memory, never extracted.
 *
 * The acquisition (kind SPY_ACQ_ANDROID_INTRUSION_LOGS) parses every line
 * once, while it opens (so its log lines come before any module's), and
 * keeps the de-duplicated events per type; the three modules (DnsEvent, ConnectEvent,
 * SecurityEvent) read their bucket. Times are converted in the acquisition's time zone without
 * touching the process's TZ. */
#ifndef SPY_INTRUSION_LOGS_H
#define SPY_INTRUSION_LOGS_H

#include "acquire/acq.h"

#include <jansson.h>
#include <stdbool.h>

/* Opens a folder or a .zip file of intrusion logs and parses them (files
 * that cannot be read are warned about and skipped). tz_name: IANA name from
 * -t (NULL: UTC; an unknown name gives a warning and UTC). SPY_OK, or after
 * one line naming the path and the problem: SPY_ENOTFOUND, SPY_EFORMAT
 * (neither a folder nor a .zip, or a ZIP that cannot be read). */
int spy_intrusion_logs_open(const char *path, const char *tz_name, spy_acq *out);

/* The intrusion logs of an AndroidQF acquisition (§1.3.3 step 5): members
 * under "intrusion_logs/", read through the parent (which must stay open),
 * time zone from persist.sys.timezone of its getprop.txt, parsed now.
 * SPY_OK, or SPY_ENOTFOUND (none: nothing read or parsed, nothing logged
 * beyond a debug line). */
int spy_androidqf_open_nested_intrusion_logs(const spy_acq *parent, spy_acq *out);

/* The events of one type ("dns_event", "connect_event", "security_event"),
 * as parsed when the acquisition opened (read-only, so any thread may ask):
 * *events is a borrowed JSON array of objects in file and line order, valid
 * until the acquisition is closed. SPY_OK (possibly empty), or the error
 * of a parse that could read nothing. */
int spy_intrusion_events(const spy_acq *a, const char *type, const json_t **events);

/* event_time as the ISO local wall-clock time of the acquisition's zone
 * ("2025-01-02 03:04:05.678000"): milliseconds since the epoch, or
 * nanoseconds when ns. A new JSON string, or JSON null for a missing, zero
 * or non-numeric time. */
json_t *spy_intrusion_timestamp(const spy_acq *a, const json_t *event_time, bool ns);

#endif
