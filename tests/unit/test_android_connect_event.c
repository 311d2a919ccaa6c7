/* ConnectEvent (spec/android.md §4.24): records, the remote address
 * without Java's "host/" prefix checked against real NoviSpy indicators
 * (loopback addresses never are, even when listed), the app id, matched_ip
 * in the record and the timeline, port 0 when absent, check-iocs. */
#include "il_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_connect_event;

/* NoviSpy (Amnesty 2024-12-16): C2 addresses and an app id. The loopback
 * and dns.google indicators are decoys: MVT skips loopback addresses and
 * never checks the host part of "host/address". */
static const char *const PATTERNS[] = {
    "[ipv4-addr:value='176.223.111.131']", "[ipv4-addr:value='195.178.51.251']",
    "[app:id='com.gu.activity']",          "[ipv4-addr:value='127.0.0.1']",
    "[domain-name:value='dns.google']",    NULL};

static void run_fixture(const char *stix, mh_result *r)
{
    char *text = af_fixture("connect_event", "intrusion_2024-12-16.txt", NULL);
    it_run_text(&spy_mod_connect_event, text, stix, r);
    free(text);
}

static const char *const ROWS[][2] = {
    {"2024-12-16 08:30:02.500000", "Connection to 176.223.111.131:443 by com.gu.activity"},
    {"2024-12-16 08:30:03.000000", "Connection to 127.0.0.1:5037 by com.android.shell"},
    {"2024-12-16 08:30:04.000000", "Connection to ::1:8080 by com.android.shell"},
    {"2024-12-16 08:30:05.000000", "Connection to 8.8.8.8:853 by com.android.networkstack"},
    {"2024-12-16 08:30:06.000000", "Connection to 195.178.51.251:0 by com.google.android.gms"},
};

static void test_records(void **state)
{
    (void)state;
    mh_result r;
    run_fixture(NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 5);
    mt_json(mt_rec(&r, 0), "{\"event_time\":1734337802500,\"ip_address\":\"/176.223.111.131\","
                           "\"port\":443,\"package_name\":\"com.gu.activity\","
                           "\"timestamp\":\"2024-12-16 08:30:02.500000\"}");
    assert_int_equal(json_array_size(r.alerts), 0);
    assert_int_equal(it_log_count(&r, "Identified 5 connection events"), 1);
    assert_int_equal(json_array_size(r.timeline), 5);
    for (size_t i = 0; i < 5; i++)
        mt_row(&r, i, ROWS[i][0], "ConnectEvent", "network_connection", ROWS[i][1]);
    mh_result_free(&r);
}

static void test_indicators(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_fixture(stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.alerts), 3);
    at_alert(&r, 0, "CRITICAL",
             "Maybe found a known suspicious domain 176.223.111.131 matching indicator "
             "\"176.223.111.131\" from \"TestMalware\"");
    at_alert(&r, 1, "CRITICAL",
             "Found a known suspicious app with ID \"com.gu.activity\" matching indicators from "
             "\"TestMalware\"");
    at_alert(&r, 2, "CRITICAL",
             "Maybe found a known suspicious domain 195.178.51.251 matching indicator "
             "\"195.178.51.251\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 2, "event_time"), "2024-12-16 08:30:06.000000");
    mt_str(mt_rec(&r, 0), "matched_ip", "176.223.111.131");
    mt_str(mt_rec(&r, 4), "matched_ip", "195.178.51.251");
    for (size_t i = 1; i < 4; i++)
        assert_null(json_object_get(mt_rec(&r, i), "matched_ip"));
    mt_row(&r, 0, ROWS[0][0], "ConnectEvent", "network_connection",
           "Connection to 176.223.111.131:443 by com.gu.activity [Matched IP: 176.223.111.131]");
    mt_row(&r, 1, ROWS[1][0], "ConnectEvent", "network_connection", ROWS[1][1]);
    mt_row(&r, 4, ROWS[4][0], "ConnectEvent", "network_connection",
           "Connection to 195.178.51.251:0 by com.google.android.gms [Matched IP: "
           "195.178.51.251]");
    mh_result_free(&r);
    free(stix);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    it_recheck_same(&spy_mod_connect_event, run_fixture, stix, 3);
    free(stix);
}

static void test_odd_values(void **state)
{
    (void)state;
    mh_result r;
    it_run_text(&spy_mod_connect_event,
                "{\"connect_event\":{\"event_time\":1734337800000,\"ip_address\":3232235777,"
                "\"port\":\"https\"}}\n"
                "[\"not\", \"an\", \"object\"]\n"
                "{\"connect_event\":{\"event_time\":1734337801000,\"ip_address\":\"a/b/\","
                "\"port\":null,\"package_name\":\"com.example\"}}\n",
                NULL, &r);
    assert_int_equal(json_array_size(r.records), 2);
    mt_row(&r, 0, "2024-12-16 08:30:00.000000", "ConnectEvent", "network_connection",
           "Connection to 3232235777:https by ");
    mt_row(&r, 1, "2024-12-16 08:30:01.000000", "ConnectEvent", "network_connection",
           "Connection to :None by com.example");
    mh_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_indicators),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_odd_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
