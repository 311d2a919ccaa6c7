/* The integer path (spy_iso_from_unix_us) and the reworked double path
 * against the conversion as it was before them (kept below, verbatim), and
 * against libc's gmtime_r: a time in every day of years 1-9999, a walk
 * through 1900-2200 and every second of some leap days, the range edges,
 * and pseudo-random seconds, microseconds and fractions (half-microsecond
 * ties included). */
#include "testutil.h"

#include "core/timeconv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MIN_S INT64_C(-62135596800) /* 0001-01-01 00:00:00 */
#define MAX_S INT64_C(253402300799) /* 9999-12-31 23:59:59 */

/* ---- the slow path as it was (timeconv.c before the integer path) ---- */

#define MIN_UNIX (-62135596800.0)
#define MAX_UNIX (253402300799.0)

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

static void put_digits(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

static bool old_iso_from_unix(double t, char out[SPY_ISO_LEN])
{
    out[0] = '\0';
    if (!isfinite(t) || t < MIN_UNIX || t > MAX_UNIX + 1)
        return false;
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

/* the old spy_iso_from_webkit_us tail: whole seconds, then the fraction */
static bool old_iso_secs_us(int64_t secs, int32_t us, char out[SPY_ISO_LEN])
{
    if (!old_iso_from_unix((double)secs, out))
        return false;
    char frac[16];
    snprintf(frac, sizeof frac, "%06d", (int)us);
    memcpy(out + 20, frac, 6);
    return true;
}

/* ---------------------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void) /* splitmix64 */
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int64_t in_range(void)
{
    return MIN_S + (int64_t)(next() % (uint64_t)(MAX_S - MIN_S + 1));
}

/* Fails with both texts, so a difference is readable in the log. */
static void same_int(int64_t s, int32_t us)
{
    char want[SPY_ISO_LEN], got[SPY_ISO_LEN];
    memset(got, 'x', sizeof got);
    bool w = us == 0 ? old_iso_from_unix((double)s, want) : old_iso_secs_us(s, us, want);
    bool g = spy_iso_from_unix_us(s, us, got);
    if (w != g || strcmp(want, got) != 0)
        fail_msg("%lld + %dus: want %d \"%s\", got %d \"%s\"", (long long)s, (int)us, w, want, g,
                 got);
}

static void same_double(double t)
{
    char want[SPY_ISO_LEN], got[SPY_ISO_LEN];
    memset(got, 'x', sizeof got);
    bool w = old_iso_from_unix(t, want);
    bool g = spy_iso_from_unix(t, got);
    if (w != g || strcmp(want, got) != 0)
        fail_msg("%.17g: want %d \"%s\", got %d \"%s\"", t, w, want, g, got);
}

static void test_every_day(void **state)
{
    (void)state;
    for (int64_t day = MIN_S / 86400; day <= MAX_S / 86400; day++) {
        int64_t s = day * 86400;
        same_int(s + (int64_t)(next() % 86400), 0);
        same_double((double)(s + (int64_t)(next() % 86400)));
    }
}

static void test_walk_1900_2200(void **state)
{
    (void)state;
    /* a step prime to 60, 3600 and 86400 visits every time of day */
    for (int64_t s = INT64_C(-2208988800); s < INT64_C(7258118400); s += 997)
        same_int(s, 0);
    /* each second of the leap days 2000-02-29, 2100-02-28/03-01, 2024-02-29 */
    const int64_t days[] = {INT64_C(951782400), INT64_C(4107456000), INT64_C(4107542400),
                            INT64_C(1709164800)};
    for (size_t i = 0; i < sizeof days / sizeof *days; i++)
        for (int64_t s = days[i] - 2; s < days[i] + 86402; s++)
            same_int(s, 0);
}

static void test_edges(void **state)
{
    (void)state;
    const int64_t v[] = {INT64_MIN,
                         INT64_MIN + 1,
                         -(INT64_C(1) << 53),
                         MIN_S - 86400,
                         MIN_S - 1,
                         MIN_S,
                         MIN_S + 1,
                         -86401,
                         -86400,
                         -86399,
                         -1,
                         0,
                         1,
                         86399,
                         86400,
                         MAX_S - 1,
                         MAX_S,
                         MAX_S + 1,
                         MAX_S + 86400,
                         INT64_C(1) << 53,
                         INT64_MAX - 1,
                         INT64_MAX};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        same_int(v[i], 0);
        same_int(v[i], 999999);
        same_double((double)v[i]);
        same_double((double)v[i] + 0.5);
        same_double((double)v[i] - 0.9999996);
    }
    char out[SPY_ISO_LEN];
    assert_false(spy_iso_from_unix_us(0, -1, out));
    assert_string_equal(out, "");
    assert_false(spy_iso_from_unix_us(0, 1000000, out));
    assert_true(spy_iso_from_unix_us(MIN_S, 7, out));
    assert_string_equal(out, "0001-01-01 00:00:00.000007");
    assert_true(spy_iso_from_unix_us(MAX_S, 999999, out));
    assert_string_equal(out, "9999-12-31 23:59:59.999999");
    assert_true(spy_iso_from_unix_us(-1, 0, out));
    assert_string_equal(out, "1969-12-31 23:59:59.000000");
    assert_true(spy_iso_from_unix_us(951782400, 0, out));
    assert_string_equal(out, "2000-02-29 00:00:00.000000");
    /* webkit times go through the integer path now */
    assert_true(spy_iso_from_webkit_us(1, out));
    assert_string_equal(out, "1601-01-01 00:00:00.000001");
    assert_true(spy_iso_from_webkit_us(-1, out));
    assert_string_equal(out, "1600-12-31 23:59:59.999999");
    assert_false(spy_iso_from_webkit_us(INT64_MAX, out));
    assert_false(spy_iso_from_webkit_us(INT64_MIN, out));
}

static void test_random(void **state)
{
    (void)state;
    for (int i = 0; i < 200000; i++) {
        int64_t s = in_range();
        int32_t us = (int32_t)(next() % 1000000);
        same_int(s, 0);
        same_int(s, us);
        same_int((int64_t)next(), 0); /* anywhere in int64: nearly all out of range */
        same_int(s + (int64_t)(next() % 4000) - 2000, (int32_t)(next() % 3));
        /* doubles: fractions, exact half microseconds (ties to even), and
         * fractions just under a whole second (carried) */
        same_double((double)s + (double)us / 1e6);
        same_double((double)(s % 4000000000) + (2.0 * us + 1) / 2e6);
        same_double((double)s + 1.0 - 1.0 / (double)(1 + next() % 10000000));
        same_double(((double)next() / 18446744073709551616.0 - 0.5) * 6e11);
    }
    same_double(NAN);
    same_double(INFINITY);
    same_double(-INFINITY);
    same_double(1e300);
    same_double(-1e300);
}

/* The day cache gives what the uncached call gives: runs of times on one
 * day, steps across midnight either way, the range edges, and failures
 * in between (which must leave the cached day as it was). */
static void check_day(spy_iso_day *c, int64_t s)
{
    char want[SPY_ISO_LEN], got[SPY_ISO_LEN];
    bool ok = spy_iso_from_unix_us(s, 0, want);
    assert_int_equal(spy_iso_from_unix_day(s, c, got), ok);
    assert_string_equal(got, want);
}

static void test_day_cache(void **state)
{
    (void)state;
    spy_iso_day c = {0};
    for (int i = 0; i < 100000; i++) {
        int64_t s = in_range();
        check_day(&c, s);
        check_day(&c, s + (int64_t)(next() % 7200) - 3600);
        int64_t midnight = s - ((s % 86400) + 86400) % 86400;
        check_day(&c, midnight);
        check_day(&c, midnight - 1);
        check_day(&c, midnight);
        check_day(&c, (int64_t)next()); /* nearly always out of range */
        check_day(&c, midnight + 86399);
    }
    const int64_t edges[] = {MIN_S,     MIN_S + 86399, MIN_S - 1, MIN_S + 1, MAX_S, MAX_S - 86399,
                             MAX_S + 1, MAX_S,         0,         -1,        0,     INT64_MIN,
                             INT64_MAX, 86399};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        check_day(&c, edges[i]);
}

/* An independent oracle: libc's UTC broken-down time. */
static void test_gmtime(void **state)
{
    (void)state;
    for (int i = 0; i < 100000; i++) {
        int64_t s = in_range();
        time_t tt = (time_t)s;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char want[64], got[SPY_ISO_LEN];
        snprintf(want, sizeof want, "%04d-%02d-%02d %02d:%02d:%02d.000000", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        assert_true(spy_iso_from_unix_us(s, 0, got));
        assert_string_equal(got, want);
    }
}

int main(void)
{
    if (sizeof(time_t) < 8)
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_day), cmocka_unit_test(test_walk_1900_2200),
        cmocka_unit_test(test_edges),     cmocka_unit_test(test_random),
        cmocka_unit_test(test_gmtime),    cmocka_unit_test(test_day_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
