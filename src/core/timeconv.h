/* Timestamp conversions exactly as MVT renders them (spec/ios.md §1.1,
 * design.md §6): UTC "YYYY-MM-DD HH:MM:SS.ffffff", the fraction rounded
 * half-even to the microsecond from the float number of seconds, and ""
 * for zero, missing or out-of-range values (Python datetime: years 1-9999).
 * No process-wide time-zone state is read or changed. */
#ifndef SPY_TIMECONV_H
#define SPY_TIMECONV_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define SPY_ISO_LEN 27 /* "YYYY-MM-DD HH:MM:SS.ffffff" + NUL */

/* Seconds between the epochs. */
#define SPY_MAC_EPOCH_OFFSET    978307200.0   /* 2001-01-01 - 1970-01-01 */
#define SPY_WEBKIT_EPOCH_OFFSET 11644473600.0 /* 1970-01-01 - 1601-01-01 */

/* Unix seconds (float) to ISO text; false and "" when out of range. */
bool spy_iso_from_unix(double unix_secs, char out[SPY_ISO_LEN]);
/* Whole Unix seconds plus us microseconds (0..999999), in integer
 * arithmetic only: the exact time, so us == 0 gives what
 * spy_iso_from_unix((double)secs) gives, for every secs. false and "" out
 * of range. For integer times read from evidence, which is most of them. */
bool spy_iso_from_unix_us(int64_t secs, int32_t us, char out[SPY_ISO_LEN]);
/* The last day formatted, for spy_iso_from_unix_day: a file listing's
 * times of one entry, and of neighbouring entries, mostly share a day.
 * Start it zeroed; one per thread. */
typedef struct spy_iso_day {
    bool valid;
    int64_t day;   /* days since 0001-01-01 */
    char date[11]; /* "YYYY-MM-DD " */
} spy_iso_day;
/* spy_iso_from_unix_us(secs, 0, out), the date taken from c when secs
 * falls on its day. */
bool spy_iso_from_unix_day(int64_t secs, spy_iso_day *c, char out[SPY_ISO_LEN]);
/* Mac absolute time (seconds since 2001); 0 gives "". */
bool spy_iso_from_mac(double mac_secs, char out[SPY_ISO_LEN]);
/* sms.db-style integers: MVT keeps the first 9 digits of an 18-digit
 * value (nanoseconds since 2001), then treats it as Mac seconds. */
bool spy_iso_from_mac_int(int64_t v, char out[SPY_ISO_LEN]);
/* Microseconds since 1601-01-01 (Chrome, WebKit). */
bool spy_iso_from_webkit_us(int64_t us, char out[SPY_ISO_LEN]);

/* What a stored number counts, for the JSON conversions below. */
typedef enum spy_epoch {
    SPY_EPOCH_UNIX,      /* seconds since 1970 */
    SPY_EPOCH_MAC,       /* seconds since 2001, integers included */
    SPY_EPOCH_MAC_NS18,  /* MVT's convert_mactime_to_iso: integers follow
                          * spy_iso_from_mac_int's 18-digit rule */
    SPY_EPOCH_WEBKIT_US, /* microseconds since 1601 */
} spy_epoch;

/* A JSON number (integer or real) as ISO text; anything else (null, text,
 * a missing value) or a failed conversion gives false and "". Modules keep
 * numbers as JSON (spy_kit_col), so this is where their dates are made. */
bool spy_iso_from_json(const json_t *v, spy_epoch e, char out[SPY_ISO_LEN]);
/* The same as a new JSON string: "" when there is no date... */
json_t *spy_iso_json(const json_t *v, spy_epoch e);
/* ...or null there, where MVT's record keeps None. */
json_t *spy_iso_json_or_null(const json_t *v, spy_epoch e);

/* Unix seconds of a broken-down UTC time (no time zone involved). */
int64_t spy_unix_from_utc(int year, int mon, int day, int hour, int min, int sec);

#endif
