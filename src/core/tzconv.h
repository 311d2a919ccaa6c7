/* Time-zone offsets read from the system's compiled zone files (TZif,
 * RFC 8536), without touching the process's TZ state (design.md §6:
 * changing TZ in the environment is banned). Used where MVT converts UTC
 * times to the device's zone (AndroidQF files.json, spec/android.md §4.18). */
#ifndef SPY_TZCONV_H
#define SPY_TZCONV_H

#include <stddef.h>
#include <stdint.h>

typedef struct spy_tz spy_tz;

/* Loads the IANA zone `name` (e.g. "Europe/Rome", read from evidence) from
 * $TZDIR or /usr/share/zoneinfo. Names that are absolute, contain "..",
 * or hold characters no zone name has are refused (SPY_EFORMAT) before any
 * file is opened. SPY_ENOTFOUND: no such zone; SPY_EFORMAT: not TZif. */
int spy_tz_load(const char *name, spy_tz **out);
/* Parses TZif bytes (fuzzable); SPY_EFORMAT when malformed. */
int spy_tz_parse(const unsigned char *data, size_t len, spy_tz **out);
void spy_tz_free(spy_tz *tz);

/* Seconds east of UTC in force at Unix time t. */
int32_t spy_tz_offset(const spy_tz *tz, int64_t t);

/* The span of times the last lookup fell in, so runs of nearby times skip
 * the search. Owned by one caller (one thread): the zone stays read-only,
 * and may be shared. Zero it to start, and again before its zone is freed
 * and another loaded (the zone's address is what tells zones apart). */
typedef struct spy_tz_cache {
    const spy_tz *tz;
    int64_t lo, hi; /* the offset holds for lo <= t <= hi */
    int32_t off;
} spy_tz_cache;

/* spy_tz_offset(tz, t), through the cache c. */
int32_t spy_tz_offset_cached(const spy_tz *tz, spy_tz_cache *c, int64_t t);

#endif
