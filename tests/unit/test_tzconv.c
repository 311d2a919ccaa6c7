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
        cmocka_unit_test(test_belgrade),      cmocka_unit_test(test_other_zones),
        cmocka_unit_test(test_refused_names), cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
