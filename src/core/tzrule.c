#include "core/tzrule.h"

#include "core/timeconv.h"

#include <ctype.h>
#include <stddef.h>

/* A zone abbreviation: letters, or anything but '>' inside <...>. */
static const char *skip_name(const char *p)
{
    if (*p == '<') {
        const char *q = p + 1;
        while (*q && *q != '>')
            q++;
        return *q == '>' && q - p >= 4 ? q + 1 : NULL;
    }
    const char *q = p;
    while (isalpha((unsigned char)*q))
        q++;
    return q - p >= 3 ? q : NULL;
}

static const char *num(const char *p, int max, int *out)
{
    int v = 0, digits = 0;
    while (isdigit((unsigned char)*p) && digits < 4) {
        v = v * 10 + (*p++ - '0');
        digits++;
    }
    if (!digits || v > max)
        return NULL;
    *out = v;
    return p;
}

/* [+-]hh[:mm[:ss]]; hours up to 167 (RFC 8536 extension). */
static const char *hms(const char *p, int32_t *secs)
{
    int sign = 1, h = 0, m = 0, s = 0;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (!(p = num(p, 167, &h)))
        return NULL;
    if (*p == ':' && !(p = num(p + 1, 59, &m)))
        return NULL;
    if (p && *p == ':' && !(p = num(p + 1, 59, &s)))
        return NULL;
    *secs = sign * (h * 3600 + m * 60 + s);
    return p;
}

static const char *date(const char *p, spy_tzdate *d)
{
    d->secs = 7200; /* 02:00 by default */
    if (*p == 'M') {
        d->kind = 'M';
        if (!(p = num(p + 1, 12, &d->m)) || *p != '.' || !(p = num(p + 1, 5, &d->w)) || *p != '.' ||
            !(p = num(p + 1, 6, &d->d)) || d->m < 1 || d->w < 1)
            return NULL;
    } else if (*p == 'J') {
        d->kind = 'J';
        if (!(p = num(p + 1, 365, &d->n)) || d->n < 1)
            return NULL;
    } else {
        d->kind = 'D';
        if (!(p = num(p, 365, &d->n)))
            return NULL;
    }
    if (*p == '/')
        p = hms(p + 1, &d->secs);
    return p;
}

bool spy_tzrule_parse(const char *s, spy_tzrule *r)
{
    const char *p = skip_name(s);
    int32_t off;
    if (!p || !(p = hms(p, &off)))
        return false;
    r->std_off = -off; /* POSIX offsets count west */
    r->has_dst = false;
    if (!*p)
        return true;
    if (!(p = skip_name(p)))
        return false;
    r->dst_off = r->std_off + 3600;
    if (*p && *p != ',') {
        if (!(p = hms(p, &off)))
            return false;
        r->dst_off = -off;
    }
    if (*p != ',' || !(p = date(p + 1, &r->start)) || *p != ',' || !(p = date(p + 1, &r->end)))
        return false;
    r->has_dst = true;
    return *p == '\0';
}

static bool leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Day of the year (0-based) the rule date falls on in year y. */
static int yday(const spy_tzdate *d, int64_t y)
{
    static const int cum[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    if (d->kind == 'J')
        return d->n - 1 + (leap(y) && d->n >= 60);
    if (d->kind == 'D')
        return d->n;
    int first = cum[d->m - 1] + (leap(y) && d->m > 2);
    /* weekday of the month's first day (1970-01-01 was a Thursday = 4) */
    int64_t days = spy_unix_from_utc((int)y, d->m, 1, 0, 0, 0) / 86400;
    int wd1 = (int)(((days % 7) + 7 + 4) % 7);
    int day = (d->d - wd1 + 7) % 7 + (d->w - 1) * 7;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int len = mdays[d->m - 1] + (d->m == 2 && leap(y));
    while (day >= len)
        day -= 7;
    return first + day;
}

static int64_t change_utc(const spy_tzdate *d, int64_t y, int32_t off_before)
{
    int64_t jan1 = spy_unix_from_utc((int)y, 1, 1, 0, 0, 0);
    return jan1 + (int64_t)yday(d, y) * 86400 + d->secs - off_before;
}

int32_t spy_tzrule_offset(const spy_tzrule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    /* the civil year of t (a day either way of local time is fine: no
     * zone changes its rule around New Year) */
    int64_t yy = 1970 + (t / 86400) / 365;
    while (yy > 1 && spy_unix_from_utc((int)yy, 1, 1, 0, 0, 0) > t)
        yy--;
    while (yy < 9999 && spy_unix_from_utc((int)yy + 1, 1, 1, 0, 0, 0) <= t)
        yy++;
    int y = (int)yy;
    int64_t start = change_utc(&r->start, y, r->std_off);
    int64_t end = change_utc(&r->end, y, r->dst_off);
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? r->dst_off : r->std_off;
}
