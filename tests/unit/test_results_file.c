/* <slug>.json: lazily created, streamed, committed or dropped. */
#include "testutil.h"
#include "wr_util.h"

#include "core/error.h"
#include "core/log.h"
#include "core/results_file.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    (void)state;
    spy_log_set_quiet(true);
    return 0;
}

static void test_array_records(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    const char *dir = spy_outdir_path(d);
    spy_results_file *r = spy_results_file_new(d, "sms", false);
    json_t *a = json_pack("{s:i, s:s}", "id", 1, "text", "h\xc3\xa9");
    json_t *b = json_pack("{s:[], s:n}", "links", "date");
    assert_int_equal(spy_results_file_add(r, a), SPY_OK);
    assert_int_equal(spy_results_file_add(r, b), SPY_OK);
    assert_int_equal(spy_results_file_count(r), 2);
    assert_null(wr_read_in(dir, "sms.json", NULL)); /* not before close */
    assert_int_equal(spy_results_file_close(r), SPY_OK);
    char *s = wr_read_in(dir, "sms.json", NULL);
    assert_string_equal(s, "[\n"
                           "    {\n"
                           "        \"id\": 1,\n"
                           "        \"text\": \"h\\u00e9\"\n"
                           "    },\n"
                           "    {\n"
                           "        \"links\": [],\n"
                           "        \"date\": null\n"
                           "    }\n"
                           "]");
    free(s);
    assert_int_equal(wr_count_entries(dir), 1);
    json_decref(a);
    json_decref(b);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_empty_writes_nothing(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_results_file *r = spy_results_file_new(d, "calls", false);
    assert_int_equal(spy_results_file_close(r), SPY_OK);
    r = spy_results_file_new(d, "aqf_settings", true);
    json_t *empty = json_object();
    assert_int_equal(spy_results_file_add(r, empty), SPY_OK);
    assert_int_equal(spy_results_file_count(r), 0);
    assert_int_equal(spy_results_file_close(r), SPY_OK);
    json_decref(empty);
    assert_int_equal(wr_count_entries(spy_outdir_path(d)), 0);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_mapping(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_results_file *r = spy_results_file_new(d, "backup_info", true);
    json_t *m = json_pack("{s:s, s:{s:i}}", "Device Name", "x", "global", "adb_enabled", 1);
    assert_int_equal(spy_results_file_add(r, m), SPY_OK);
    assert_int_equal(spy_results_file_add(r, m), SPY_EINTERNAL); /* one object only */
    assert_int_equal(spy_results_file_close(r), SPY_EINTERNAL);
    assert_int_equal(wr_count_entries(spy_outdir_path(d)), 0);

    r = spy_results_file_new(d, "backup_info", true);
    assert_int_equal(spy_results_file_add(r, m), SPY_OK);
    assert_int_equal(spy_results_file_close(r), SPY_OK);
    char *s = wr_read_in(spy_outdir_path(d), "backup_info.json", NULL);
    assert_string_equal(s, "{\n    \"Device Name\": \"x\",\n    \"global\": {\n"
                           "        \"adb_enabled\": 1\n    }\n}");
    free(s);
    json_decref(m);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_abort(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_results_file *r = spy_results_file_new(d, "tcc", false);
    json_t *a = json_pack("{s:s}", "service", "kTCCServiceCamera");
    for (int i = 0; i < 10000; i++)
        assert_int_equal(spy_results_file_add(r, a), SPY_OK);
    spy_results_file_abort(r);
    spy_results_file_abort(NULL);
    json_decref(a);
    assert_int_equal(wr_count_entries(spy_outdir_path(d)), 0);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

/* A big stream parses back to the same records. */
static void test_large_round_trip(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_results_file *r = spy_results_file_new(d, "manifest", false);
    json_t *all = json_array();
    for (int i = 0; i < 5000; i++) {
        json_t *rec =
            json_pack("{s:i, s:s, s:f}", "n", i, "path", "Library/SMS/sms.db", "t", i / 3.0);
        assert_int_equal(spy_results_file_add(r, rec), SPY_OK);
        json_array_append_new(all, rec);
    }
    assert_int_equal(spy_results_file_close(r), SPY_OK);
    char *p = tu_join(spy_outdir_path(d), "manifest.json");
    json_error_t err;
    json_t *back = json_load_file(p, 0, &err);
    assert_non_null(back);
    assert_true(json_equal(all, back));
    json_decref(back);
    json_decref(all);
    free(p);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_records),    cmocka_unit_test(test_empty_writes_nothing),
        cmocka_unit_test(test_mapping),          cmocka_unit_test(test_abort),
        cmocka_unit_test(test_large_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
