#include "core/timeconv.h"

#include "core/digits.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Python's datetime range, in Unix seconds: 0001-01-01 .. 9999-12-31 23:59:59. */
#define MIN_UNIX   (-62135596800.0)
#define MAX_UNIX   (253402300799.0)
#define MIN_UNIX_I INT64_C(-62135596800)
#define MAX_UNIX_I INT64_C(253402300799)

int64_t spy_unix_from_utc(int year, int mon, int day, int hour, int min, int sec)
{
    int64_t y = year - (mon <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + hour * 3600 + min * 60 + sec;
}

static void put2(char *p, uint32_t v)
{
    memcpy(p, spy_digits2 + 2 * v, 2);
}

/* secs within [MIN_UNIX, MAX_UNIX], 0 <= us < 1e6. Digits by hand, and
 * unsigned 32-bit arithmetic once shifted to 0001-01-01 (no sign cases):
 * a large check renders millions of these. */
static void format_iso(int64_t secs, uint32_t us, char out[SPY_ISO_LEN])
{
    uint64_t since1 = (uint64_t)(secs - MIN_UNIX_I); /* seconds since 0001-01-01 */
    uint32_t days = (uint32_t)(since1 / 86400);
    uint32_t rem = (uint32_t)(since1 % 86400);
    /* civil from days (proleptic Gregorian, years from March 1st); day 0
     * of this count is 0000-03-01, 306 days before 0001-01-01 */
    uint32_t z = days + 306;
    uint32_t era = z / 146097;
    uint32_t doe = z - era * 146097;
    uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint32_t mp = (5 * doy + 2) / 153;
    uint32_t d = doy - (153 * mp + 2) / 5 + 1;
    uint32_t m = mp < 10 ? mp + 3 : mp - 9;
    uint32_t y = yoe + era * 400 + (m <= 2); /* 1..9999 */
    put2(out, y / 100);
    put2(out + 2, y % 100);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = ' ';
    put2(out + 11, rem / 3600);
    out[13] = ':';
    put2(out + 14, rem / 60 % 60);
    out[16] = ':';
    put2(out + 17, rem % 60);
    out[19] = '.';
    put2(out + 20, us / 10000);
    put2(out + 22, us / 100 % 100);
    put2(out + 24, us % 100);
    out[26] = '\0';
}

static bool in_range_i(int64_t secs)
{
    return secs >= MIN_UNIX_I && secs <= MAX_UNIX_I;
}

bool spy_iso_from_unix_us(int64_t secs, int32_t us, char out[SPY_ISO_LEN])
{
    out[0] = '\0';
    if (!in_range_i(secs) || us < 0 || us > 999999)
        return false;
    format_iso(secs, (uint32_t)us, out);
    return true;
}

bool spy_iso_from_unix_day(int64_t secs, spy_iso_day *c, char out[SPY_ISO_LEN])
{
    if (!in_range_i(secs)) {
        out[0] = '\0';
        return false;
    }
    uint64_t since1 = (uint64_t)(secs - MIN_UNIX_I);
    int64_t day = (int64_t)(since1 / 86400);
    if (!c->valid || c->day != day) {
        format_iso(secs, 0, out);
        memcpy(c->date, out, sizeof c->date);
        c->day = day;
        c->valid = true;
        return true;
    }
    uint32_t rem = (uint32_t)(since1 % 86400);
    memcpy(out, c->date, sizeof c->date);
    put2(out + 11, rem / 3600);
    out[13] = ':';
    put2(out + 14, rem / 60 % 60);
    out[16] = ':';
    put2(out + 17, rem % 60);
    memcpy(out + 19, ".000000", 8);
    return true;
}

bool spy_iso_from_unix(double t, char out[SPY_ISO_LEN])
{
    out[0] = '\0';
    if (!isfinite(t) || t < MIN_UNIX || t > MAX_UNIX + 1)
        return false;
    /* Python: frac, t = modf(t); us = round(frac * 1e6) (half-even), carried. */
    double whole;
    double frac = modf(t, &whole);
    double us = nearbyint(frac * 1e6);
    int64_t secs = (int64_t)whole;
    if (us >= 1000000.0) {
        secs += 1;
        us -= 1000000.0;
    } else if (us < 0) {
        secs -= 1;
        us += 1000000.0;
    }
    if (secs < MIN_UNIX_I || secs > MAX_UNIX_I)
        return false;
    format_iso(secs, (uint32_t)us, out);
    return true;
}

bool spy_iso_from_mac(double mac, char out[SPY_ISO_LEN])
{
    out[0] = '\0';
    if (mac == 0 || !isfinite(mac))
        return false;
    return spy_iso_from_unix(mac + SPY_MAC_EPOCH_OFFSET, out);
}

bool spy_iso_from_mac_int(int64_t v, char out[SPY_ISO_LEN])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)v);
    if (n == 18) {
        digits[9] = '\0';
        long long head = 0;
        sscanf(digits, "%lld", &head);
        v = head;
    }
    return spy_iso_from_mac((double)v, out);
}

bool spy_iso_from_webkit_us(int64_t us, char out[SPY_ISO_LEN])
{
    out[0] = '\0';
    if (us == 0)
        return false;
    /* Python: datetime(1601,1,1) + timedelta(microseconds=us), exact. */
    int64_t secs = us / 1000000, rem = us % 1000000;
    if (rem < 0) {
        rem += 1000000;
        secs -= 1;
    }
    return spy_iso_from_unix_us(secs - (int64_t)SPY_WEBKIT_EPOCH_OFFSET, (int32_t)rem, out);
}

bool spy_iso_from_json(const json_t *v, spy_epoch e, char out[SPY_ISO_LEN])
{
    out[0] = '\0';
    if (!json_is_number(v))
        return false;
    switch (e) {
    case SPY_EPOCH_UNIX: return spy_iso_from_unix(json_number_value(v), out);
    case SPY_EPOCH_MAC: return spy_iso_from_mac(json_number_value(v), out);
    case SPY_EPOCH_MAC_NS18:
        if (json_is_integer(v))
            return spy_iso_from_mac_int((int64_t)json_integer_value(v), out);
        return spy_iso_from_mac(json_real_value(v), out);
    case SPY_EPOCH_WEBKIT_US:
        if (json_is_integer(v))
            return spy_iso_from_webkit_us((int64_t)json_integer_value(v), out);
        /* a real outside int64 cannot be cast; such a date is no date */
        if (isfinite(json_real_value(v)) && fabs(json_real_value(v)) < 9e18)
            return spy_iso_from_webkit_us((int64_t)json_real_value(v), out);
        return false;
    }
    return false;
}

json_t *spy_iso_json(const json_t *v, spy_epoch e)
{
    char iso[SPY_ISO_LEN];
    spy_iso_from_json(v, e, iso);
    return json_string(iso);
}

json_t *spy_iso_json_or_null(const json_t *v, spy_epoch e)
{
    char iso[SPY_ISO_LEN];
    return spy_iso_from_json(v, e, iso) ? json_string(iso) : json_null();
}
