/* AQFLogTimestamps (spec/android.md §4.19): every file under logs/ with
 * its modification time (analyst-local wall clock for a folder), one
 * "M---" timeline row each; none when there is no logs folder. */
#include "aqf_test.h"
#include "zip_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

extern const spy_module spy_mod_aqf_log_timestamps;

static void set_mtime(const char *dir, const char *rel, time_t t)
{
    char *p = tu_join(dir, rel);
    struct timespec ts[2] = {{t, 0}, {t, 0}};
    assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
    free(p);
}

static void local_iso(time_t t, char out[32])
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M:%S.000000", &tm);
}

static void test_logs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    const char *files[] = {"logs/dmesg",
                           "[    0.000000] Booting Linux\n",
                           "logs/radio/radio.log",
                           "RIL init\n",
                           "getprop.txt",
                           "[ro.build.version.sdk]: [34]\n",
                           "logsx/decoy.txt",
                           "not a log folder\n",
                           NULL};
    char *dir = at_qf(root, files);
    set_mtime(dir, "logs/dmesg", 1709290800);
    set_mtime(dir, "logs/radio/radio.log", 1719835200);
    mh_result r;
    at_run(&spy_mod_aqf_log_timestamps, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 2);
    char a[32], b[32];
    local_iso(1709290800, a);
    local_iso(1719835200, b);
    const json_t *d = mt_find_str(r.records, "path", AF_QF_UUID "/logs/dmesg");
    mt_keys(d, "path,modified_time");
    mt_str(d, "modified_time", a);
    mt_str(mt_find_str(r.records, "path", AF_QF_UUID "/logs/radio/radio.log"), "modified_time", b);
    assert_int_equal(json_array_size(r.alerts), 0);
    assert_int_equal(json_array_size(r.timeline), 2);
    assert_true(mt_timeline_has(&r, a, "AQFLogTimestamps", "M---", AF_QF_UUID "/logs/dmesg"));
    assert_true(
        mt_timeline_has(&r, b, "AQFLogTimestamps", "M---", AF_QF_UUID "/logs/radio/radio.log"));
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_no_logs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    const char *files[] = {"logsx/decoy.txt", "x\n", "getprop.txt", "[a]: [b]\n", NULL};
    char *dir = at_qf(root, files);
    mh_result r;
    at_run(&spy_mod_aqf_log_timestamps, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* In a ZIP: the member's DOS time, a naive local time (2 s resolution). */
static void test_zip(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *zip = tu_join(root, AF_QF_UUID ".zip");
    zf_zip *z = zf_new();
    zf_add_str(z, "acq/getprop.txt", "[ro.build.version.sdk]: [34]\n");
    zf_add(z, "acq/logs/dmesg", "x\n", 2, 1709290800);
    zf_add(z, "acq/logs/kernel/last_kmsg", "y\n", 2, 1719835202);
    zf_add_no_time(z, "acq/logs/zeroed.log", "z\n"); /* listed, no time, no row */
    zf_finish_to(z, zip);
    mh_result r;
    at_run(&spy_mod_aqf_log_timestamps, zip, NULL, &r);
    assert_int_equal(json_array_size(r.records), 3);
    mt_json(mt_find_str(r.records, "path", "acq/logs/zeroed.log"),
            "{\"path\":\"acq/logs/zeroed.log\",\"modified_time\":null}");
    assert_int_equal(json_array_size(r.timeline), 2);
    char a[32], b[32];
    local_iso(1709290800, a);
    local_iso(1719835202, b);
    const json_t *d = mt_find_str(r.records, "path", "acq/logs/dmesg");
    mt_str(d, "modified_time", a);
    mt_str(mt_find_str(r.records, "path", "acq/logs/kernel/last_kmsg"), "modified_time", b);
    assert_true(mt_timeline_has(&r, b, "AQFLogTimestamps", "M---", "acq/logs/kernel/last_kmsg"));
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(zip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logs),
        cmocka_unit_test(test_no_logs),
        cmocka_unit_test(test_zip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
