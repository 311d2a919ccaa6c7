/* Mounts (spec/android.md §4.21): mount(8) lines of mounts.json (the
 * /proc/mounts lines skipped), read-write system partitions (HIGH),
 * suspicious options (MEDIUM) with the noatime allow-list, the file-path
 * indicators of mvt-indicators/intellexa_predator on mount points and
 * devices, with near-miss decoys, bad input. */
#include "aqf_test.h"

#include "modules/android/mount_lines.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_mounts;

static const char *const PATTERNS[] = {"[file:path='/data/local/tmp/wd/']", NULL};

/* The predator file paths in the order of predator.stix2, and reversed: a
 * path under several of them is reported with the first in collection
 * order, not the longest (MVT walks them in order). */
static const char *const PREDATOR[] = {"[file:path='/data/local/tmp/wd/fs.db']",
                                       "[file:path='/data/local/tmp/wd/pred.so']",
                                       "[file:path='/data/local/tmp/wd/']", NULL};
static const char *const PREDATOR_REVERSED[] = {"[file:path='/data/local/tmp/wd/']",
                                                "[file:path='/data/local/tmp/wd/pred.so']",
                                                "[file:path='/data/local/tmp/wd/fs.db']", NULL};

static void run_text(const char *text, const char *stix, mh_result *r)
{
    char *root = tu_mkdtemp();
    const char *files[] = {"mounts.json", text, NULL};
    char *dir = at_qf(root, files);
    at_run(&spy_mod_mounts, dir, stix, r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void assert_heuristics(const mh_result *r)
{
    at_alert(r, 0, "HIGH", "Root detected /system partition is mounted as read-write (rw)");
    at_alert(r, 1, "MEDIUM", "Suspicious mount options found for /system: rw");
    /* /vendor ro,noatime is allow-listed; /product rw,noatime gets HIGH only */
    at_alert(r, 2, "HIGH",
             "System partition /product is mounted as read-write (rw). This may indicate system "
             "modifications.");
    at_alert(r, 3, "MEDIUM", "Suspicious mount options found for /system_ext: nodiratime");
}

static void test_mounts(void **state)
{
    (void)state;
    char *text = af_fixture("mounts", "mounts.json", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_text(text, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 10);
    mt_json(mt_rec(&r, 1),
            "{\"device\":\"/dev/block/dm-13\",\"mount_point\":\"/system\","
            "\"filesystem_type\":\"ext4\",\"mount_options\":\"rw,seclabel,relatime\","
            "\"options_list\":[\"rw\",\"seclabel\",\"relatime\"],"
            "\"is_system_partition\":true,\"is_read_write\":true}");
    mt_json(mt_rec(&r, 8), "{\"device\":\"/data/local/tmp/wd/loop0\","
                           "\"mount_point\":\"/apex/com.android.foo\",\"filesystem_type\":\"ext4\","
                           "\"mount_options\":\"ro , dirsync ,,\","
                           "\"options_list\":[\"ro\",\"dirsync\"],"
                           "\"is_system_partition\":false,\"is_read_write\":false}");
    /* no options; /system_dlkm counts as a system partition (prefix test) */
    mt_json(mt_rec(&r, 9), "{\"device\":\"overlay\",\"mount_point\":\"/system_dlkm\","
                           "\"filesystem_type\":\"overlay\",\"mount_options\":\"\","
                           "\"options_list\":[],\"is_system_partition\":true,"
                           "\"is_read_write\":false}");
    assert_int_equal(json_array_size(r.alerts), 5);
    assert_heuristics(&r);
    at_alert(&r, 4, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd/loop0\" matching indicators "
             "form \"TestMalware\"");
    assert_string_equal(mt_match(&r, 4, "value"), "/data/local/tmp/wd/");
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
    free(text);
}

/* spec/iocs.md §6.2: the indicator less its trailing '/' is a
 * case-sensitive prefix with no boundary check, so /data/local/tmp/wd and
 * /data/local/tmp/wdx match, while /data/local/tmp/w, /data/local/tmpx/wd,
 * /data/local/tmp, the path in the middle of a longer one and
 * /data/Local/tmp/wd do not; the /proc/mounts line is not read. */
static void test_near_miss(void **state)
{
    (void)state;
    char *text = af_fixture("mounts", "mounts_near_miss.json", NULL);
    char *stix = mh_stix(PREDATOR);
    mh_result r;
    run_text(text, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 10);
    mt_json(mt_rec(&r, 3),
            "{\"device\":\"/data/local/tmp/wd/pred.so.img\","
            "\"mount_point\":\"/data/local/tmp/wd/mnt\",\"filesystem_type\":\"ext4\","
            "\"mount_options\":\"ro,seclabel,relatime\","
            "\"options_list\":[\"ro\",\"seclabel\",\"relatime\"],"
            "\"is_system_partition\":false,\"is_read_write\":false}");
    mt_str(mt_rec(&r, 9), "mount_point", "/apex/com.android.tzdata@1");
    assert_int_equal(json_array_size(r.alerts), 4);
    at_alert(&r, 0, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd\" matching indicators form "
             "\"TestMalware\"");
    assert_string_equal(mt_match(&r, 0, "value"), "/data/local/tmp/wd/");
    at_alert(&r, 1, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wdx\" matching indicators form "
             "\"TestMalware\"");
    assert_string_equal(mt_match(&r, 1, "value"), "/data/local/tmp/wd/");
    /* one record, two checks: the mount point, then the device */
    at_alert(&r, 2, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd/mnt\" matching indicators "
             "form \"TestMalware\"");
    assert_string_equal(mt_match(&r, 2, "value"), "/data/local/tmp/wd/");
    at_alert(&r, 3, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd/pred.so.img\" matching "
             "indicators form \"TestMalware\"");
    assert_string_equal(mt_match(&r, 3, "value"), "/data/local/tmp/wd/pred.so");
    assert_string_equal(mt_match(&r, 3, "type"), "file_paths");
    /* the saved records re-checked raise the same four */
    mh_result clean, again;
    run_text(text, NULL, &clean);
    assert_int_equal(json_array_size(clean.alerts), 0);
    at_recheck(&spy_mod_mounts, clean.out_dir, stix, &again);
    mt_same_alerts(&r, &again);
    mh_result_free(&again);
    mh_result_free(&clean);
    mh_result_free(&r);
    free(stix);
    stix = mh_stix(PREDATOR_REVERSED);
    run_text(text, stix, &r);
    assert_int_equal(json_array_size(r.alerts), 4);
    at_alert(&r, 3, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd/pred.so.img\" matching "
             "indicators form \"TestMalware\"");
    assert_string_equal(mt_match(&r, 3, "value"), "/data/local/tmp/wd/");
    mh_result_free(&r);
    free(stix);
    free(text);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *text = af_fixture("mounts", "mounts.json", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result clean, with, again;
    run_text(text, NULL, &clean);
    assert_int_equal(json_array_size(clean.alerts), 4);
    assert_heuristics(&clean);
    run_text(text, stix, &with);
    at_recheck(&spy_mod_mounts, clean.out_dir, stix, &again);
    mt_same_alerts(&with, &again);
    mh_result_free(&clean);
    mh_result_free(&with);
    mh_result_free(&again);
    free(stix);
    free(text);
}

static void test_lines_direct(void **state)
{
    (void)state;
    json_t *rec = spy_mount_line("a on /b type (rw)", 17); /* no filesystem type */
    assert_null(rec);
    assert_null(spy_mount_line("/dev/x /system ext4 rw 0 0", 26));
    assert_null(spy_mount_line(" type x on y", 12)); /* " type " before " on " only */
    rec = spy_mount_line("  d on /vendor_dlkm type erofs (ro,noatime)\r", 45);
    assert_non_null(rec);
    mt_str(rec, "mount_point", "/vendor_dlkm");
    json_decref(rec);
}

static void test_bad_input(void **state)
{
    (void)state;
    mh_result r;
    run_text("{\"mounts\": []}", NULL, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    run_text("[1, null, \"x on /system type ext4 (rw)\", [\"nested\"]]", NULL, &r);
    assert_int_equal(json_array_size(r.records), 1);
    mh_result_free(&r);
    run_text("\xff\xfe garbage", NULL, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mounts),     cmocka_unit_test(test_near_miss),
        cmocka_unit_test(test_check_iocs), cmocka_unit_test(test_lines_direct),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
