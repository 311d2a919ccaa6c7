/* BugReportTimestamps (spec/android.md §4.12): the modification time of
 * every FS/ member of a bug report ZIP (DOS times, local and naive) with
 * one "M---" timeline row each; members outside FS/ are not listed; the
 * folder form; no FS/ member at all. */
#include "module_test.h"

#include "acquire/commands.h"
#include "android_fixture.h"
#include "zip_fixture.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_bugreport_timestamps;

static void test_zip(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "bugreport-husky.txt\n");
    zf_add_str(z, "bugreport-husky.txt", "== dumpstate: 2024-03-01 10:00:00\n");
    zf_add(z, "FS/data/tombstones/tombstone_00", "x", 1, zf_default_mtime() + 124);
    zf_add(z, "FS/data/misc/adb/adb_keys", "QUJD host\n", 10, zf_default_mtime() - 86400);
    zf_add_dir(z, "FS/proc/");
    zf_add(z, "FS/proc/version", "Linux version 5.10\n", 19, 0);
    zf_add(z, "proto/FS/not_fs", "x", 1, 0);
    zf_add(z, "version.txt", "2.0", 3, 0);
    char *zip = tu_join(root, "bugreport.zip");
    zf_finish_to(z, zip);
    const spy_module *mods[] = {&spy_mod_bugreport_timestamps, NULL};
    mh_result r;
    mh_run(&spy_cmd_android_check_bugreport, mods, zip, NULL, "bugreport_timestamps", &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 3);
    mt_json(mt_rec(&r, 0), "{\"path\":\"FS/data/tombstones/tombstone_00\","
                           "\"modified_time\":\"2024-03-01 10:02:04.000000\"}");
    mt_json(mt_rec(&r, 1), "{\"path\":\"FS/data/misc/adb/adb_keys\","
                           "\"modified_time\":\"2024-02-29 10:00:00.000000\"}");
    mt_json(mt_rec(&r, 2),
            "{\"path\":\"FS/proc/version\",\"modified_time\":\"2024-03-01 10:00:00.000000\"}");
    assert_int_equal(json_array_size(r.alerts), 0);
    assert_int_equal(json_array_size(r.timeline), 3);
    /* sorted by time: the ADB keys first */
    mt_row(&r, 0, "2024-02-29 10:00:00.000000", "BugReportTimestamps", "M---",
           "FS/data/misc/adb/adb_keys");
    mt_row(&r, 2, "2024-03-01 10:02:04.000000", "BugReportTimestamps", "M---",
           "FS/data/tombstones/tombstone_00");
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(zip);
}

static void test_folder_and_none(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = af_bugreport_dir(root, "== dumpstate\n");
    const spy_module *mods[] = {&spy_mod_bugreport_timestamps, NULL};
    mh_result r;
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, NULL, "bugreport_timestamps", &r);
    assert_null(r.records);
    assert_int_equal(r.exit_code, 0);
    mh_result_free(&r);
    af_write_str(dir, "FS/data/system/packages.xml", "<packages/>\n");
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, NULL, "bugreport_timestamps", &r);
    assert_int_equal(json_array_size(r.records), 1);
    mt_str(mt_rec(&r, 0), "path", "FS/data/system/packages.xml");
    const char *t = json_string_value(json_object_get(mt_rec(&r, 0), "modified_time"));
    assert_non_null(t);
    assert_int_equal(strlen(t), 26);
    assert_int_equal(json_array_size(r.timeline), 1);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* A member whose DOS date Python's zipfile cannot read (MVT fails on it)
 * is listed with no time and gets no timeline row: a row without a time
 * would sort first in timeline.csv. */
static void test_member_without_time(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "bugreport-husky.txt\n");
    zf_add_str(z, "bugreport-husky.txt", "== dumpstate: 2024-03-01 10:00:00\n");
    zf_add(z, "FS/proc/version", "Linux version 5.10\n", 19, 0);
    zf_add_no_time(z, "FS/data/system/packages.xml", "<packages/>\n");
    char *zip = tu_join(root, "bugreport.zip");
    zf_finish_to(z, zip);
    const spy_module *mods[] = {&spy_mod_bugreport_timestamps, NULL};
    mh_result r;
    mh_run(&spy_cmd_android_check_bugreport, mods, zip, NULL, "bugreport_timestamps", &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 2);
    mt_json(mt_rec(&r, 1), "{\"path\":\"FS/data/system/packages.xml\",\"modified_time\":null}");
    assert_int_equal(json_array_size(r.timeline), 1);
    mt_row(&r, 0, "2024-03-01 10:00:00.000000", "BugReportTimestamps", "M---", "FS/proc/version");
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(zip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zip),
        cmocka_unit_test(test_folder_and_none),
        cmocka_unit_test(test_member_without_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
