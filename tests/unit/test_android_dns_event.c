/* DnsEvent (spec/android.md §4.23): records (event + timestamp from
 * milliseconds, null for a zero or missing time), host name, resolved
 * addresses (leading '/' removed, 0.0.0.0 and empty ones left out) and app
 * checked against real RCS Lab and NoviSpy indicators, matched_ips in the
 * record and the timeline, decoys that must not match, check-iocs. */
#include "il_test.h"

#include "acquire/commands.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dns_event;
extern const spy_module spy_mod_connect_event;
extern const spy_module spy_mod_security_event;

/* Real values: RCS Lab's fb-techsupport.com and wind-h3g.info and app
 * com.vodaservices (mvt-indicators 2022-06-23_rcs_lab), NoviSpy's C2
 * 176.223.111.131 and app com.serv.services (Amnesty 2024-12-16). */
static const char *const PATTERNS[] = {"[domain-name:value='fb-techsupport.com']",
                                       "[domain-name:value='wind-h3g.info']",
                                       "[ipv4-addr:value='176.223.111.131']",
                                       "[app:id='com.serv.services']",
                                       "[app:id='com.vodaservices']",
                                       NULL};

static void run_fixture(const char *stix, mh_result *r)
{
    char *text = af_fixture("dns_event", "intrusion_2024-12-16.txt", NULL);
    it_run_text(&spy_mod_dns_event, text, stix, r);
    free(text);
}

static void test_records(void **state)
{
    (void)state;
    mh_result r;
    run_fixture(NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 4);
    mt_json(mt_rec(&r, 0),
            "{\"event_time\":1734337800123,\"hostname\":\"apps.fb-techsupport.com\","
            "\"ip_addresses\":[\"/176.223.111.131\",\"0.0.0.0\",\"\"],"
            "\"package_name\":\"com.serv.services\",\"timestamp\":\"2024-12-16 08:30:00.123000\"}");
    mt_str(mt_rec(&r, 1), "timestamp", "2024-12-16 08:30:01.000000");
    mt_null(mt_rec(&r, 2), "timestamp"); /* event_time 0 */
    mt_null(mt_rec(&r, 3), "timestamp"); /* no event_time */
    assert_int_equal(json_array_size(r.alerts), 0);
    assert_int_equal(it_log_count(&r, "Identified 4 DNS events"), 1);
    assert_int_equal(json_array_size(r.timeline), 4);
    assert_true(mt_timeline_has(&r, "2024-12-16 08:30:00.123000", "DnsEvent", "dns_query",
                                "DNS query for apps.fb-techsupport.com by com.serv.services "
                                "[IPs: 176.223.111.131]"));
    assert_true(mt_timeline_has(&r, "2024-12-16 08:30:01.000000", "DnsEvent", "dns_query",
                                "DNS query for www.google.com by com.android.chrome [IPs: "
                                "142.250.74.100, 2a00:1450:4007:80e::2004]"));
    assert_true(mt_timeline_has(&r, "", "DnsEvent", "dns_query",
                                "DNS query for fb-techsupport.com.example.net by "
                                "com.serv.services.helper"));
    assert_true(mt_timeline_has(&r, "", "DnsEvent", "dns_query",
                                "DNS query for wind-h3g.info by COM.VODASERVICES"));
    mh_result_free(&r);
}

static void test_indicators(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_fixture(stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.alerts), 5);
    at_alert(&r, 0, "CRITICAL",
             "Found a sub-domain with a suspicious top level apps.fb-techsupport.com matching "
             "indicator \"fb-techsupport.com\" from \"TestMalware\"");
    at_alert(&r, 1, "CRITICAL",
             "Maybe found a known suspicious domain 176.223.111.131 matching indicator "
             "\"176.223.111.131\" from \"TestMalware\"");
    at_alert(&r, 2, "CRITICAL",
             "Found a known suspicious app with ID \"com.serv.services\" matching indicators from "
             "\"TestMalware\"");
    /* MVT strips leading 'w's from the host before its full-domain test,
     * so wind-h3g.info matches as its own registered domain */
    at_alert(&r, 3, "CRITICAL",
             "Found a sub-domain with a suspicious top level wind-h3g.info matching indicator "
             "\"wind-h3g.info\" from \"TestMalware\"");
    /* app ids compare without case */
    at_alert(&r, 4, "CRITICAL",
             "Found a known suspicious app with ID \"COM.VODASERVICES\" matching indicators from "
             "\"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 1, "event_time"), "2024-12-16 08:30:00.123000");
    assert_string_equal(mh_alert_str(&r, 3, "event_time"), ""); /* no time */
    assert_string_equal(mt_match(&r, 1, "value"), "176.223.111.131");
    /* the matched address is kept in the record, for the timeline */
    mt_json(json_object_get(mt_rec(&r, 0), "matched_ips"), "[\"176.223.111.131\"]");
    for (size_t i = 1; i < 4; i++)
        assert_null(json_object_get(mt_rec(&r, i), "matched_ips"));
    assert_true(mt_timeline_has(&r, "2024-12-16 08:30:00.123000", "DnsEvent", "dns_query",
                                "DNS query for apps.fb-techsupport.com by com.serv.services "
                                "[Matched IPs: 176.223.111.131]"));
    mh_result_free(&r);
    free(stix);
}

/* check-iocs on what a run without indicators saved finds the same. */
static void test_check_iocs(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    it_recheck_same(&spy_mod_dns_event, run_fixture, stix, 5);
    free(stix);
}

/* Values of other types are shown as Python's str() shows them; a line
 * that is not JSON is skipped and the others kept. */
static void test_odd_values(void **state)
{
    (void)state;
    mh_result r;
    it_run_text(&spy_mod_dns_event,
                "{\"dns_event\":{\"event_time\":1734337800000,\"hostname\":42,"
                "\"ip_addresses\":[5,null,\"//1.2.3.4\"],\"package_name\":null}}\n"
                "{\"dns_event\":{\"event_time\":17343378\n"
                "{\"dns_event\":{\"event_time\":\"soon\",\"package_name\":\"com.example\"}}\n",
                NULL, &r);
    assert_int_equal(json_array_size(r.records), 2);
    assert_true(mt_timeline_has(&r, "2024-12-16 08:30:00.000000", "DnsEvent", "dns_query",
                                "DNS query for 42 by None [IPs: 5, None, 1.2.3.4]"));
    mt_null(mt_rec(&r, 1), "timestamp");
    assert_true(mt_timeline_has(&r, "", "DnsEvent", "dns_query", "DNS query for  by com.example"));
    mh_result_free(&r);
}

/* The loading lines come once, before any module's, whichever module the
 * threads start first: console and command.log are the same every run. */
static void test_loading_logged_first(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir =
        it_logs(root, "intrusion_2024-12-16.txt",
                "{\"dns_event\":{\"event_time\":1734337800000,\"hostname\":\"a.example\"}}\n"
                "not json\n"
                "{\"connect_event\":{\"event_time\":1734337800000,\"port\":1}}\n");
    const spy_module *mods[] = {&spy_mod_dns_event, &spy_mod_connect_event, &spy_mod_security_event,
                                NULL};
    for (int run = 0; run < 3; run++) {
        mh_result r;
        mh_run(&spy_cmd_android_check_intrusion_logs, mods, dir, NULL, "dns_event", &r);
        assert_int_equal(json_array_size(r.records), 1);
        assert_int_equal(it_log_count(&r, "Loaded 1 log files, parsed 3 lines (1 skipped)"), 1);
        assert_int_equal(it_log_count(&r, "Failed to parse JSON on line 2"), 1);
        size_t loaded = it_log_pos(&r, "Loaded 1 log files");
        assert_true(it_log_pos(&r, "Failed to parse JSON on line 2") < loaded);
        assert_true(loaded < it_log_pos(&r, "Pre-loaded 2 events across 2 type(s)"));
        assert_true(it_log_pos(&r, "Pre-loaded") < it_log_pos(&r, "Running module DnsEvent"));
        assert_true(it_log_pos(&r, "Pre-loaded") < it_log_pos(&r, "Running module ConnectEvent"));
        assert_true(it_log_pos(&r, "Pre-loaded") < it_log_pos(&r, "Running module SecurityEvent"));
        mh_result_free(&r);
    }
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_indicators),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_odd_values),
        cmocka_unit_test(test_loading_logged_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
