/* Timestamp conversions exactly as MVT renders them (spec/ios.md §1.1,
 * design.md §6): UTC "YYYY-MM-DD HH:MM:SS.ffffff", the fraction rounded
 * half-even to the microsecond from the float number of seconds, and ""
 * for zero, missing or out-of-range values (Python datetime: years 1-9999).
 * No process-wide time-zone state is read or changed. */
#ifndef SPY_TIMECONV_H
#define SPY_TIMECONV_H

#include <stdbool.h>
#include <stdint.h>

#define SPY_ISO_LEN 27 /* "YYYY-MM-DD HH:MM:SS.ffffff" + NUL */

/* Seconds between the epochs. */
#define SPY_MAC_EPOCH_OFFSET    978307200.0   /* 2001-01-01 - 1970-01-01 */
#define SPY_WEBKIT_EPOCH_OFFSET 11644473600.0 /* 1970-01-01 - 1601-01-01 */

/* Unix seconds (float) to ISO text; false and "" when out of range. */
bool spy_iso_from_unix(double unix_secs, char out[SPY_ISO_LEN]);
/* Mac absolute time (seconds since 2001); 0 gives "". */
bool spy_iso_from_mac(double mac_secs, char out[SPY_ISO_LEN]);
/* sms.db-style integers: MVT keeps the first 9 digits of an 18-digit
 * value (nanoseconds since 2001), then treats it as Mac seconds. */
bool spy_iso_from_mac_int(int64_t v, char out[SPY_ISO_LEN]);
/* Microseconds since 1601-01-01 (Chrome, WebKit). */
bool spy_iso_from_webkit_us(int64_t us, char out[SPY_ISO_LEN]);

/* Unix seconds of a broken-down UTC time (no time zone involved). */
int64_t spy_unix_from_utc(int year, int mon, int day, int hour, int min, int sec);

#endif
