/* AQFProcesses (spec/android.md §4.15): ps.txt in the toybox layout and
 * with SELinux labels, processes.txt and the collector's processes.json
 * (the spec's extension), app-id (novispy) and process-name (Pegasus)
 * indicators with a decoy and the gatekeeperd exception, bad lines. */
#include "aqf_test.h"

#include "modules/android/ps_text.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_aqf_processes;

static const char *const PATTERNS[] = {"[app:id='com.serv.services']",
                                       "[process:name='roleaccountd']",
                                       "[process:name='gatekeeperd']", NULL};

static void run_file(const char *name, const char *fixture, const char *stix, mh_result *r)
{
    char *root = tu_mkdtemp();
    char *text = af_fixture("aqf_processes", fixture, NULL);
    const char *files[] = {name, text, NULL};
    char *dir = at_qf(root, files);
    at_run(&spy_mod_aqf_processes, dir, stix, r);
    free(text);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void assert_two_alerts(const mh_result *r)
{
    assert_int_equal(r->exit_code, 1);
    assert_int_equal(json_array_size(r->alerts), 2);
    at_alert(r, 0, "CRITICAL",
             "Found a known suspicious app with ID \"com.serv.services\" matching indicators from "
             "\"TestMalware\"");
    at_alert(r, 1, "CRITICAL",
             "Found a known suspicious process name \"roleaccountd\" matching indicators from "
             "\"TestMalware\"");
    assert_string_equal(mt_match(r, 1, "type"), "processes");
}

static void test_ps_txt(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_file("ps.txt", "ps.txt", stix, &r);
    assert_int_equal(json_array_size(r.records), 9);
    mt_json(mt_rec(&r, 1), "{\"user\":\"root\",\"pid\":2,\"ppid\":0,\"virtual_memory_size\":0,"
                           "\"resident_set_size\":0,\"wchan\":\"kthreadd\",\"aprocress\":\"0\","
                           "\"stat\":\"S\",\"proc_name\":\"kthreadd\",\"label\":\"\"}");
    /* an empty WCHAN column: 8 fields */
    mt_json(mt_rec(&r, 7), "{\"user\":\"shell\",\"pid\":10451,\"ppid\":1,"
                           "\"virtual_memory_size\":10766344,\"resident_set_size\":3312,"
                           "\"wchan\":\"\",\"aprocress\":\"0\",\"stat\":\"S\","
                           "\"proc_name\":\"ksoftirqd/0\",\"label\":\"\"}");
    assert_two_alerts(&r);
    /* MVT keeps the indicator in the record */
    assert_non_null(json_object_get(mt_rec(&r, 4), "matched_indicator"));
    assert_null(json_object_get(mt_rec(&r, 5), "matched_indicator"));
    mh_result_free(&r);
    free(stix);
}

static void test_ps_labels(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_file("ps.txt", "ps_label.txt", stix, &r);
    assert_int_equal(json_array_size(r.records), 4);
    mt_json(mt_rec(&r, 2), "{\"user\":\"u0_a302\",\"pid\":9120,\"ppid\":741,"
                           "\"virtual_memory_size\":15091904,\"resident_set_size\":88204,"
                           "\"wchan\":\"do_epoll_wait\",\"aprocress\":\"0\",\"stat\":\"S\","
                           "\"proc_name\":\"com.serv.services\","
                           "\"label\":\"u:r:untrusted_app:s0:c46,c257\","
                           "\"matched_indicator\":{\"value\":\"com.serv.services\","
                           "\"type\":\"app_ids\",\"name\":\"TestMalware\","
                           "\"stix2_file_name\":\"indicators.stix2\"}}");
    mt_str(mt_rec(&r, 3), "wchan", "");
    mt_str(mt_rec(&r, 3), "proc_name", "roleaccountd");
    assert_two_alerts(&r);
    mh_result_free(&r);
    free(stix);
}

static void test_current_androidqf(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    /* the collector's JSON: records kept as they are; the app is found by
     * its command line, the kernel name "(roleaccountd)" without brackets */
    run_file("processes.json", "processes.json", stix, &r);
    assert_int_equal(json_array_size(r.records), 4);
    mt_keys(mt_rec(&r, 0), "pid,uid,ppid,pgroup,psid,filename,priority,state,user_time,"
                           "kernel_time,path,context,previous_context,command_line,env,cwd");
    assert_two_alerts(&r);
    mh_result_free(&r);
    /* processes.txt is read like ps.txt */
    run_file("processes.txt", "ps.txt", stix, &r);
    assert_int_equal(json_array_size(r.records), 9);
    assert_two_alerts(&r);
    mh_result_free(&r);
    free(stix);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    const char *fixtures[] = {"ps.txt", "ps.txt", "processes.json", "processes.json"};
    for (size_t i = 0; i < 4; i += 2) {
        mh_result clean, with, again;
        run_file(fixtures[i], fixtures[i + 1], NULL, &clean);
        assert_int_equal(clean.exit_code, 0);
        assert_int_equal(json_array_size(clean.alerts), 0);
        run_file(fixtures[i], fixtures[i + 1], stix, &with);
        at_recheck(&spy_mod_aqf_processes, clean.out_dir, stix, &again);
        mt_same_alerts(&with, &again);
        mh_result_free(&clean);
        mh_result_free(&with);
        mh_result_free(&again);
    }
    free(stix);
}

static void count_cb(json_t *rec, void *ud)
{
    (*(size_t *)ud)++;
    json_decref(rec);
}

static void test_bad_lines(void **state)
{
    (void)state;
    size_t n = 0, bad = 0;
    const char text[] = "USER PID PPID VSZ RSS WCHAN ADDR S NAME\n"
                        "root 1 0 100 10 0 0 S init\n"
                        "root x 0 100 10 0 0 S notanumber\n"
                        "too short\n"
                        "\x01\x02\x03\n"
                        "   \t\n"
                        "u:r:a:s0\n"
                        "root 99999999999999999999 0 1 1 0 0 S big\n"
                        "root 3 1 100 10 0 0 S two words here";
    assert_int_equal(spy_ps_parse(text, sizeof text - 1, count_cb, &n, &bad), 2);
    assert_int_equal(bad, 5);
    mh_result r;
    char *root = tu_mkdtemp();
    const char *files[] = {"ps.txt", text, NULL};
    char *dir = at_qf(root, files);
    at_run(&spy_mod_aqf_processes, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 2);
    mt_str(mt_rec(&r, 1), "proc_name", "two");
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ps_txt),
        cmocka_unit_test(test_ps_labels),
        cmocka_unit_test(test_current_androidqf),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
