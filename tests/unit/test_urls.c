/* urls.json: module order, null fields, spilling keeps the same output. */
#include "testutil.h"
#include "wr_util.h"

#include "core/error.h"
#include "core/log.h"
#include "core/writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    (void)state;
    spy_log_set_quiet(true);
    return 0;
}

static void test_module_order(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_urls *u;
    assert_int_equal(spy_urls_new(&u, d, 3), SPY_OK);
    assert_int_equal(
        spy_urls_add(u, 2, "https://b.example/x", NULL, "2021-01-01 00:00:00.000000", "whatsapp"),
        SPY_OK);
    assert_int_equal(
        spy_urls_add(u, 0, "http://bit.ly/x", "https://a.example/\xc3\xa9", NULL, "sms"), SPY_OK);
    assert_int_equal(spy_urls_add(u, 3, "x", NULL, NULL, "sms"), SPY_EINTERNAL);
    assert_int_equal(spy_urls_count(u), 2);
    spy_urls_free(u);

    assert_int_equal(spy_urls_new(&u, d, 3), SPY_OK);
    spy_urls_add(u, 2, "https://b.example/x", NULL, "2021-01-01 00:00:00.000000", "whatsapp");
    spy_urls_add(u, 0, "http://bit.ly/x", "https://a.example/\xc3\xa9", NULL, "sms");
    assert_int_equal(spy_urls_write(u), SPY_OK);
    spy_urls_free(u);
    char *s = wr_read_in(spy_outdir_path(d), "urls.json", NULL);
    assert_string_equal(s, "[\n"
                           "    {\n"
                           "        \"url\": \"http://bit.ly/x\",\n"
                           "        \"expanded_url\": \"https://a.example/\\u00e9\",\n"
                           "        \"timestamp\": null,\n"
                           "        \"source\": \"sms\"\n"
                           "    },\n"
                           "    {\n"
                           "        \"url\": \"https://b.example/x\",\n"
                           "        \"expanded_url\": null,\n"
                           "        \"timestamp\": \"2021-01-01 00:00:00.000000\",\n"
                           "        \"source\": \"whatsapp\"\n"
                           "    }\n"
                           "]");
    free(s);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_no_urls_no_file(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_urls *u;
    spy_urls_new(&u, d, 4);
    assert_int_equal(spy_urls_write(u), SPY_OK);
    spy_urls_free(u);
    assert_int_equal(wr_count_entries(spy_outdir_path(d)), 0);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

/* Enough URLs to spill module 1 several times; order and content kept. */
static void test_spill(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_urls *u;
    spy_urls_new(&u, d, 3);
    const int n = 40000;
    for (int i = 0; i < n; i++) {
        char url[128], ts[32];
        snprintf(url, sizeof url, "https://example.org/very/long/path/to/something/%08d?q=%d", i,
                 i);
        snprintf(ts, sizeof ts, "2022-01-01 00:00:%02d.000000", i % 60);
        spy_urls_add(u, 1, url, i % 3 ? NULL : url, ts, "sms");
        if (i % 1000 == 0)
            spy_urls_add(u, i % 2000 ? 0 : 2, "a", NULL, NULL, "whatsapp");
    }
    char *scratch = tu_join(spy_outdir_path(d), ".spyscan-scratch");
    assert_int_equal(wr_count_entries(scratch), 1);
    assert_int_equal(spy_urls_write(u), SPY_OK);
    assert_int_equal(wr_count_entries(scratch), 0);
    spy_urls_free(u);
    char *p = tu_join(spy_outdir_path(d), "urls.json");
    json_error_t err;
    json_t *a = json_load_file(p, 0, &err);
    assert_non_null(a);
    assert_int_equal(json_array_size(a), (size_t)n + 40);
    for (size_t i = 0; i < 20; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(a, i), "url")), "a");
    for (int i = 0; i < n; i++) {
        json_t *o = json_array_get(a, 20 + (size_t)i);
        char url[128];
        snprintf(url, sizeof url, "https://example.org/very/long/path/to/something/%08d?q=%d", i,
                 i);
        assert_string_equal(json_string_value(json_object_get(o, "url")), url);
        assert_true(i % 3 ? json_is_null(json_object_get(o, "expanded_url"))
                          : json_is_string(json_object_get(o, "expanded_url")));
    }
    json_decref(a);
    spy_outdir_close(d);
    assert_int_equal(wr_mode(scratch), -1);
    tu_rmtree(tmp);
    free(p), free(scratch), free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_module_order),
        cmocka_unit_test(test_no_urls_no_file),
        cmocka_unit_test(test_spill),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
