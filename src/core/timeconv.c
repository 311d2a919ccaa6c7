#include "core/timeconv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Python's datetime range, in Unix seconds: 0001-01-01 .. 9999-12-31 23:59:59. */
#define MIN_UNIX (-62135596800.0)
#define MAX_UNIX (253402300799.0)

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), so no libc
 * time-zone machinery is involved at all. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

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

static void put_digits(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
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
    if ((double)secs < MIN_UNIX || (double)secs > MAX_UNIX)
        return false;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    /* Digits by hand: a large check renders millions of these, and
     * snprintf was a visible share of it. Years are 1..9999 here. */
    put_digits(out, (unsigned)y, 4);
    out[4] = '-';
    put_digits(out + 5, (unsigned)m, 2);
    out[7] = '-';
    put_digits(out + 8, (unsigned)d, 2);
    out[10] = ' ';
    put_digits(out + 11, (unsigned)(rem / 3600), 2);
    out[13] = ':';
    put_digits(out + 14, (unsigned)(rem % 3600 / 60), 2);
    out[16] = ':';
    put_digits(out + 17, (unsigned)(rem % 60), 2);
    out[19] = '.';
    put_digits(out + 20, (unsigned)us, 6);
    out[26] = '\0';
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
    int64_t unix_secs = secs - (int64_t)SPY_WEBKIT_EPOCH_OFFSET;
    if (!spy_iso_from_unix((double)unix_secs, out))
        return false;
    char frac[16];
    snprintf(frac, sizeof frac, "%06lld", (long long)rem);
    memcpy(out + 20, frac, 6);
    return true;
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
