/* POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3"), the rule a TZif file's
 * footer gives for times after its last transition (RFC 8536 §3.3). */
#ifndef SPY_TZRULE_H
#define SPY_TZRULE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct spy_tzdate {
    char kind; /* 'M' (month.week.day), 'J' (1-365, no Feb 29), 'D' (0-365) */
    int m, w, d, n;
    int32_t secs; /* local time of day of the change (may be <0 or >24h) */
} spy_tzdate;

typedef struct spy_tzrule {
    int32_t std_off; /* seconds east of UTC */
    int32_t dst_off;
    bool has_dst;
    spy_tzdate start, end;
} spy_tzrule;

/* Parses s (NUL-terminated); false when it is not a rule spyscan reads. */
bool spy_tzrule_parse(const char *s, spy_tzrule *r);
/* The offset the rule gives at Unix time t. */
int32_t spy_tzrule_offset(const spy_tzrule *r, int64_t t);

#endif
