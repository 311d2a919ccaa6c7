/* Zone offsets from the system's TZif files (core/tzconv.c) and POSIX TZ
 * rules (core/tzrule.c): both hemispheres, transitions to the second, the
 * footer rule after the last transition, refused names, damaged files. */
#include "testutil.h"

#include "core/error.h"
#include "core/timeconv.h"
#include "core/tzconv.h"
#include "core/tzrule.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static spy_tz *load(const char *name)
{
    spy_tz *tz = NULL;
    assert_int_equal(spy_tz_load(name, &tz), SPY_OK);
    return tz;
}

static int64_t utc(int y, int m, int d, int hh, int mm)
{
    return spy_unix_from_utc(y, m, d, hh, mm, 0);
}

static void test_belgrade(void **state)
{
    (void)state;
    spy_tz *tz = load("Europe/Belgrade");
    assert_int_equal(spy_tz_offset(tz, utc(2024, 3, 1, 11, 0)), 3600);
    assert_int_equal(spy_tz_offset(tz, utc(2024, 7, 1, 12, 0)), 7200);
    /* summer time began 2024-03-31 01:00 UTC */
    assert_int_equal(spy_tz_offset(tz, utc(2024, 3, 31, 1, 0) - 1), 3600);
    assert_int_equal(spy_tz_offset(tz, utc(2024, 3, 31, 1, 0)), 7200);
    /* far beyond the file's transitions: the footer rule */
    assert_int_equal(spy_tz_offset(tz, utc(2071, 7, 1, 0, 0)), 7200);
    assert_int_equal(spy_tz_offset(tz, utc(2071, 12, 1, 0, 0)), 3600);
    spy_tz_free(tz);
}

static void test_other_zones(void **state)
{
    (void)state;
    spy_tz *tz = load("Australia/Sydney"); /* southern: DST over New Year */
    assert_int_equal(spy_tz_offset(tz, utc(2024, 1, 15, 0, 0)), 39600);
    assert_int_equal(spy_tz_offset(tz, utc(2024, 7, 15, 0, 0)), 36000);
    assert_int_equal(spy_tz_offset(tz, utc(2080, 1, 1, 0, 0)), 39600);
    spy_tz_free(tz);
    tz = load("America/New_York");
    assert_int_equal(spy_tz_offset(tz, utc(2024, 11, 3, 6, 0) - 1), -14400);
    assert_int_equal(spy_tz_offset(tz, utc(2024, 11, 3, 6, 0)), -18000);
    spy_tz_free(tz);
    tz = load("Asia/Kolkata");
    assert_int_equal(spy_tz_offset(tz, utc(2024, 7, 1, 0, 0)), 19800);
    spy_tz_free(tz);
    tz = load("UTC");
    assert_int_equal(spy_tz_offset(tz, utc(2024, 7, 1, 0, 0)), 0);
    spy_tz_free(tz);
}

static void test_refused_names(void **state)
{
    (void)state;
    spy_tz *tz = NULL;
    assert_int_equal(spy_tz_load("../../../etc/passwd", &tz), SPY_EFORMAT);
    assert_int_equal(spy_tz_load("/etc/localtime", &tz), SPY_EFORMAT);
    assert_int_equal(spy_tz_load("Europe/Rome\n", &tz), SPY_EFORMAT);
    assert_int_equal(spy_tz_load("", &tz), SPY_EFORMAT);
    assert_int_equal(spy_tz_load("Europe/Nowhere", &tz), SPY_ENOTFOUND);
    assert_int_not_equal(spy_tz_load("Europe", &tz), SPY_OK); /* a folder */
    assert_null(tz);
}

static void test_damaged(void **state)
{
    (void)state;
    spy_tz *tz = NULL;
    assert_int_equal(spy_tz_parse((const unsigned char *)"TZif2", 5, &tz), SPY_EFORMAT);
    size_t len = 0;
    char *data = tu_read("/usr/share/zoneinfo/Europe/Belgrade", &len);
    assert_non_null(data);
    for (size_t cut = 0; cut < len; cut += 97) {
        int rc = spy_tz_parse((const unsigned char *)data, cut, &tz);
        if (rc == SPY_OK)
            spy_tz_free(tz);
        tz = NULL;
    }
    memset(data + 44, 0xff, 32); /* transition indexes out of range */
    int rc = spy_tz_parse((const unsigned char *)data, len, &tz);
    if (rc == SPY_OK)
        spy_tz_free(tz);
    free(data);
}

static uint64_t rng = 0x2545f4914f6cdd1du;

static uint64_t next(void) /* splitmix64 */
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void same(const spy_tz *tz, spy_tz_cache *c, int64_t t)
{
    int32_t want = spy_tz_offset(tz, t), got = spy_tz_offset_cached(tz, c, t);
    if (want != got)
        fail_msg("t=%lld: offset %d, cached %d", (long long)t, (int)want, (int)got);
}

/* The cache against the plain lookup: a walk from 1890 to 2100 (the
 * footer rule past the file's transitions included), every change found
 * on the way checked to the second from both sides, random jumps, and
 * runs of nearby times as files.json has them. */
static void check_cache(const spy_tz *tz)
{
    spy_tz_cache c = {0};
    int64_t prev_t = utc(1890, 1, 1, 0, 0);
    int32_t prev = spy_tz_offset(tz, prev_t);
    size_t changes = 0;
    for (int64_t t = prev_t; t < utc(2100, 1, 1, 0, 0); t += 5 * 3607) {
        same(tz, &c, t);
        int32_t off = spy_tz_offset(tz, t);
        if (off != prev) {
            /* the first second of the new offset, between prev_t and t */
            int64_t lo = prev_t, hi = t;
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                if (spy_tz_offset(tz, mid) == prev)
                    lo = mid;
                else
                    hi = mid;
            }
            for (int64_t u = hi - 2; u <= hi + 2; u++)
                same(tz, &c, u);
            for (int64_t u = hi + 2; u >= hi - 2; u--)
                same(tz, &c, u);
            changes++;
        }
        prev = off;
        prev_t = t;
    }
    assert_true(changes > 50);
    for (int i = 0; i < 50000; i++) {
        int64_t base = utc(1850, 1, 1, 0, 0) + (int64_t)(next() % (300ull * 365 * 86400));
        same(tz, &c, base);
        for (int k = 0; k < 4; k++)
            same(tz, &c, base + (int64_t)(next() % 20000) - 10000);
    }
    const int64_t edges[] = {INT64_MIN, INT64_MIN + 1, -(INT64_C(1) << 40), 0, INT64_C(1) << 40};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        same(tz, &c, edges[i]);
}

static void test_cache(void **state)
{
    (void)state;
    /* Lord Howe moves by half an hour; Sao Paulo dropped DST in 2019 */
    const char *zones[] = {"Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe",
                           "America/New_York", "UTC"};
    size_t done = 0;
    for (size_t i = 0; i < sizeof zones / sizeof *zones; i++) {
        spy_tz *tz = NULL;
        if (spy_tz_load(zones[i], &tz) != SPY_OK)
            continue; /* not on this machine */
        if (strcmp(zones[i], "UTC") != 0)
            check_cache(tz);
        spy_tz_cache c = {0};
        same(tz, &c, 0);
        same(tz, &c, INT64_MAX);
        spy_tz_free(tz);
        done++;
    }
    if (!done)
        skip();
}

/* A cache is tied to its zone: another zone misses instead of reading it. */
static void test_cache_two_zones(void **state)
{
    (void)state;
    spy_tz *a = load("Europe/Belgrade"), *b = load("America/New_York");
    spy_tz_cache c = {0};
    int64_t t = utc(2024, 7, 1, 12, 0);
    assert_int_equal(spy_tz_offset_cached(a, &c, t), 7200);
    assert_int_equal(spy_tz_offset_cached(b, &c, t), -14400);
    assert_int_equal(spy_tz_offset_cached(a, &c, t + 1), 7200);
    spy_tz_free(a);
    spy_tz_free(b);
}

/* A TZif with no transitions, only its footer rule, through the cache. */
static void test_cache_rule_only(void **state)
{
    (void)state;
    /* v2 header: with no transitions, no leap seconds, one type */
    static const unsigned char hdr[44] = {'T', 'Z', 'i', 'f', '2', [35] = 0, [39] = 1, [43] = 4};
    unsigned char buf[256];
    size_t n = 0;
    memcpy(buf, hdr, 44);
    n = 44;
    memcpy(buf + n, "\0\0\x0e\x10\0\0CET\0", 10); /* v1 block: one type, "CET" */
    n += 10;
    memcpy(buf + n, hdr, 44);
    n += 44;
    memcpy(buf + n, "\0\0\x0e\x10\0\0CET\0", 10);
    n += 10;
    const char *rule = "\nCET-1CEST,M3.5.0,M10.5.0/3\n";
    memcpy(buf + n, rule, strlen(rule));
    n += strlen(rule);
    spy_tz *tz = NULL;
    assert_int_equal(spy_tz_parse(buf, n, &tz), SPY_OK);
    assert_int_equal(spy_tz_offset(tz, utc(2050, 7, 1, 0, 0)), 7200);
    check_cache(tz);
    spy_tz_free(tz);
    /* the same without DST: one span for all time */
    n -= strlen(rule);
    memcpy(buf + n, "\nCET-1\n", 7);
    assert_int_equal(spy_tz_parse(buf, n + 7, &tz), SPY_OK);
    spy_tz_cache c = {0};
    assert_int_equal(spy_tz_offset_cached(tz, &c, 0), 3600);
    assert_true(c.lo == INT64_MIN && c.hi == INT64_MAX);
    spy_tz_free(tz);
}

static void test_rules(void **state)
{
    (void)state;
    spy_tzrule r;
    assert_true(spy_tzrule_parse("CET-1CEST,M3.5.0,M10.5.0/3", &r));
    assert_int_equal(spy_tzrule_offset(&r, utc(2050, 3, 27, 1, 0) - 1), 3600);
    assert_int_equal(spy_tzrule_offset(&r, utc(2050, 3, 27, 1, 0)), 7200);
    assert_true(spy_tzrule_parse("<+0330>-3:30", &r));
    assert_int_equal(spy_tzrule_offset(&r, 0), 12600);
    assert_true(spy_tzrule_parse("EST5EDT,M3.2.0,M11.1.0", &r));
    assert_int_equal(spy_tzrule_offset(&r, utc(2050, 7, 1, 0, 0)), -14400);
    assert_true(spy_tzrule_parse("XXX3YYY,J60/2,J300/2", &r));
    assert_int_equal(spy_tzrule_offset(&r, utc(2050, 6, 1, 0, 0)), -7200);
    assert_false(spy_tzrule_parse("", &r));
    assert_false(spy_tzrule_parse("CET-1CEST,M13.5.0,M10.5.0", &r));
    assert_false(spy_tzrule_parse("<+03", &r));
}

int main(void)
{
    if (access("/usr/share/zoneinfo/Europe/Belgrade", R_OK) != 0)
        return 77; /* no tzdata on this machine */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_belgrade),        cmocka_unit_test(test_other_zones),
        cmocka_unit_test(test_refused_names),   cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_rules),           cmocka_unit_test(test_cache),
        cmocka_unit_test(test_cache_two_zones), cmocka_unit_test(test_cache_rule_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
