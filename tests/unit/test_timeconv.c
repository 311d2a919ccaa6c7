/* MVT's timestamp renderings (spec/ios.md §1.1). */
#include "testutil.h"

#include "core/timeconv.h"

static void check_unix(double t, const char *want)
{
    char out[SPY_ISO_LEN];
    spy_iso_from_unix(t, out);
    assert_string_equal(out, want);
}

static void test_unix(void **state)
{
    (void)state;
    check_unix(0, "1970-01-01 00:00:00.000000");
    check_unix(1600000000, "2020-09-13 12:26:40.000000");
    check_unix(1600000000.5, "2020-09-13 12:26:40.500000");
    check_unix(-1.5, "1969-12-31 23:59:58.500000");
    check_unix(951782400, "2000-02-29 00:00:00.000000"); /* leap day */
    check_unix(253402300799.0, "9999-12-31 23:59:59.000000");
    check_unix(253402300800.0, "");
    check_unix(-62135596800.0, "0001-01-01 00:00:00.000000");
    check_unix(-62135596801.0, "");
    /* round half to even at the microsecond: .0000005 -> 0, .0000015 -> 2 */
    check_unix(0.0000005, "1970-01-01 00:00:00.000000");
    check_unix(1.9999996, "1970-01-01 00:00:02.000000");
}

static void test_mac(void **state)
{
    (void)state;
    char out[SPY_ISO_LEN];
    /* the spec's worked example */
    assert_true(spy_iso_from_mac(588611289.24041, out));
    assert_string_equal(out, "2019-08-27 15:08:09.240410");
    assert_false(spy_iso_from_mac(0, out));
    assert_string_equal(out, "");
    assert_false(spy_iso_from_mac(1e300, out));
    assert_string_equal(out, "");
    /* 18-digit nanoseconds keep their first 9 digits */
    assert_true(spy_iso_from_mac_int(588611289240410000LL, out));
    assert_string_equal(out, "2019-08-27 15:08:09.000000");
    assert_true(spy_iso_from_mac_int(588611289, out));
    assert_string_equal(out, "2019-08-27 15:08:09.000000");
    /* 17 digits are not divided (MVT quirk): far out of range */
    assert_false(spy_iso_from_mac_int(58861128924041000LL, out));
}

static void test_webkit(void **state)
{
    (void)state;
    char out[SPY_ISO_LEN];
    assert_true(spy_iso_from_webkit_us(13245678901234567LL, out));
    assert_string_equal(out, "2020-09-27 11:15:01.234567");
    assert_false(spy_iso_from_webkit_us(0, out));
    assert_int_equal(spy_unix_from_utc(2020, 9, 13, 12, 26, 40), 1600000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_unix), cmocka_unit_test(test_mac),
                                       cmocka_unit_test(test_webkit)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
