/* alerts.json / <slug>_detected.json and alerts_timeline.csv
 * (spec/outputs.md §3.2, §3.3). */
#include "testutil.h"
#include "wr_util.h"

#include "core/alert.h"
#include "core/error.h"
#include "core/log.h"
#include "core/writers.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    (void)state;
    spy_log_set_quiet(true);
    return 0;
}

static void build(spy_alert_list *l)
{
    json_t *ev1 =
        json_pack("{s:s, s:{s:s, s:s, s:s, s:s}}", "url", "http://a", "matched_indicator", "value",
                  "a", "type", "domains", "name", "N", "stix2_file_name", "f.stix2");
    spy_alert a1 = {.level = SPY_LEVEL_CRITICAL,
                    .module = "sms",
                    .message = "Found \"x\"",
                    .event_time = "",
                    .event = ev1};
    spy_alert_list_add(l, &a1);
    json_t *ev2 = json_pack("{s:s}", "package_name", "com.x");
    spy_alert a2 = {.level = SPY_LEVEL_MEDIUM,
                    .module = "aqf_packages",
                    .message = "m2",
                    .event_time = "2024-01-02 03:04:05.000000",
                    .event = ev2,
                    .has_match = true,
                    .ioc_value = "com.x",
                    .ioc_type = "app_ids",
                    .ioc_name = "Bad",
                    .ioc_file = NULL};
    spy_alert_list_add(l, &a2);
    spy_alert a3 = {.level = SPY_LEVEL_HIGH,
                    .module = "root_binaries",
                    .message = "a\\b",
                    .event_time = "2023-01-01 00:00:00.000000",
                    .event = NULL};
    spy_alert_list_add(l, &a3);
    spy_alert a4 = {.level = SPY_LEVEL_LOW,
                    .module = "x",
                    .message = "m4",
                    .event_time = "2024-01-02 03:04:05.000000",
                    .event = ev1,
                    .has_match = true,
                    .ioc_value = "v",
                    .ioc_type = "t",
                    .ioc_name = "n",
                    .ioc_file = "f"};
    spy_alert_list_add(l, &a4);
    json_decref(ev1); /* the list holds its own references */
    json_decref(ev2);
}

static const char want_json[] = "[\n"
                                "    {\n"
                                "        \"level\": \"CRITICAL\",\n"
                                "        \"module\": \"sms\",\n"
                                "        \"message\": \"Found \\\"x\\\"\",\n"
                                "        \"event_time\": \"\",\n"
                                "        \"event\": {\n"
                                "            \"url\": \"http://a\"\n"
                                "        },\n"
                                "        \"matched_indicator\": {\n"
                                "            \"value\": \"a\",\n"
                                "            \"type\": \"domains\",\n"
                                "            \"name\": \"N\",\n"
                                "            \"stix2_file_name\": \"f.stix2\"\n"
                                "        }\n"
                                "    },\n"
                                "    {\n"
                                "        \"level\": \"MEDIUM\",\n"
                                "        \"module\": \"aqf_packages\",\n"
                                "        \"message\": \"m2\",\n"
                                "        \"event_time\": \"2024-01-02 03:04:05.000000\",\n"
                                "        \"event\": {\n"
                                "            \"package_name\": \"com.x\"\n"
                                "        },\n"
                                "        \"matched_indicator\": {\n"
                                "            \"value\": \"com.x\",\n"
                                "            \"type\": \"app_ids\",\n"
                                "            \"name\": \"Bad\",\n"
                                "            \"stix2_file_name\": null\n"
                                "        }\n"
                                "    },\n"
                                "    {\n"
                                "        \"level\": \"HIGH\",\n"
                                "        \"module\": \"root_binaries\",\n"
                                "        \"message\": \"a\\\\b\",\n"
                                "        \"event_time\": \"2023-01-01 00:00:00.000000\",\n"
                                "        \"event\": {},\n"
                                "        \"matched_indicator\": null\n"
                                "    },\n"
                                "    {\n"
                                "        \"level\": \"LOW\",\n"
                                "        \"module\": \"x\",\n"
                                "        \"message\": \"m4\",\n"
                                "        \"event_time\": \"2024-01-02 03:04:05.000000\",\n"
                                "        \"event\": {\n"
                                "            \"url\": \"http://a\"\n"
                                "        },\n"
                                "        \"matched_indicator\": {\n"
                                "            \"value\": \"v\",\n"
                                "            \"type\": \"t\",\n"
                                "            \"name\": \"n\",\n"
                                "            \"stix2_file_name\": \"f\"\n"
                                "        }\n"
                                "    }\n"
                                "]";

static void test_alerts_json(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_alert_list l = {0};
    build(&l);
    assert_int_equal(spy_alerts_write_json(d, "alerts.json", l.v, l.n), SPY_OK);
    char *s = wr_read_in(spy_outdir_path(d), "alerts.json", NULL);
    assert_string_equal(s, want_json);
    free(s);
    /* The caller's record keeps its matched_indicator. */
    assert_non_null(json_object_get(l.v[0].event, "matched_indicator"));
    assert_int_equal(json_object_size(l.v[0].event), 2);
    /* Strings were deep-copied. */
    assert_string_equal(l.v[1].ioc_type, "app_ids");
    assert_null(l.v[1].ioc_file);
    spy_alert_list_clear(&l);
    assert_int_equal(l.n, 0);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_detected_empty(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    assert_int_equal(spy_alerts_write_json(d, "sms_detected.json", NULL, 0), SPY_OK);
    char *s = wr_read_in(spy_outdir_path(d), "sms_detected.json", NULL);
    assert_string_equal(s, "[]");
    free(s);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_timeline_csv(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_alert_list l = {0};
    build(&l);
    assert_int_equal(spy_alerts_write_timeline_csv(d, l.v, l.n), SPY_OK);
    char *s = wr_read_in(spy_outdir_path(d), "alerts_timeline.csv", NULL);
    assert_string_equal(
        s, "\"Event Time\",\"Module\",\"Message\",\"Event\"\r\n"
           "\"2023-01-01 00:00:00.000000\",\"root_binaries\",\"a\\\\b\",\"{}\"\r\n"
           "\"2024-01-02 03:04:05.000000\",\"aqf_packages\",\"m2\","
           "\"{\"\"package_name\"\": \"\"com.x\"\"}\"\r\n"
           "\"2024-01-02 03:04:05.000000\",\"x\",\"m4\",\"{\"\"url\"\": \"\"http://a\"\", "
           "\"\"matched_indicator\"\": {\"\"value\"\": \"\"a\"\", \"\"type\"\": \"\"domains\"\", "
           "\"\"name\"\": \"\"N\"\", \"\"stix2_file_name\"\": \"\"f.stix2\"\"}}\"\r\n");
    free(s);
    spy_alert_list_clear(&l);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_timeline_csv_header_only(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_alert_list l = {0};
    spy_alert a = {.level = SPY_LEVEL_HIGH, .module = "m", .message = "no time"};
    spy_alert_list_add(&l, &a); /* NULL event_time is stored as "" */
    assert_string_equal(l.v[0].event_time, "");
    assert_int_equal(spy_alerts_write_timeline_csv(d, l.v, l.n), SPY_OK);
    char *s = wr_read_in(spy_outdir_path(d), "alerts_timeline.csv", NULL);
    assert_string_equal(s, "\"Event Time\",\"Module\",\"Message\",\"Event\"\r\n");
    free(s);
    spy_alert_list_clear(&l);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_levels(void **state)
{
    (void)state;
    static const spy_level lv[] = {SPY_LEVEL_INFORMATIONAL, SPY_LEVEL_LOW, SPY_LEVEL_MEDIUM,
                                   SPY_LEVEL_HIGH, SPY_LEVEL_CRITICAL};
    static const char *names[] = {"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(spy_level_name(lv[i]), names[i]);
        assert_int_equal(spy_level_index(lv[i]), i);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alerts_json),  cmocka_unit_test(test_detected_empty),
        cmocka_unit_test(test_timeline_csv), cmocka_unit_test(test_timeline_csv_header_only),
        cmocka_unit_test(test_levels),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
