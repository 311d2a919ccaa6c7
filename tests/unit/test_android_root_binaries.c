/* RootBinaries (spec/android.md §4.20): root_binaries.json paths, names and
 * descriptions (MVT takes the name from the untrimmed path), a HIGH alert
 * per binary without indicators, timeline rows without a time, bad input. */
#include "aqf_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_root_binaries;

static void run_text(const char *text, mh_result *r)
{
    char *root = tu_mkdtemp();
    const char *files[] = {"root_binaries.json", text, NULL};
    char *dir = at_qf(root, files);
    at_run(&spy_mod_root_binaries, dir, NULL, r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_root_binaries(void **state)
{
    (void)state;
    char *text = af_fixture("root_binaries", "root_binaries.json", NULL);
    mh_result r;
    run_text(text, &r);
    assert_int_equal(r.exit_code, 1); /* HIGH alerts */
    assert_int_equal(json_array_size(r.records), 6);
    mt_json(mt_rec(&r, 0), "{\"path\":\"/system/xbin/su\",\"binary_name\":\"su\","
                           "\"description\":\"SuperUser binary\"}");
    mt_json(mt_rec(&r, 3), "{\"path\":\"/system/app/Superuser.apk\","
                           "\"binary_name\":\"superuser.apk \","
                           "\"description\":\"Unknown root binary\"}");
    mt_json(mt_rec(&r, 4), "{\"path\":\"/system/bin/KingoUser.apk\","
                           "\"binary_name\":\"kingouser.apk\",\"description\":\"KingRoot app\"}");
    mt_str(mt_rec(&r, 5), "description", "Unknown root binary");
    assert_int_equal(json_array_size(r.alerts), 6);
    at_alert(&r, 1, "HIGH", "Found root binary \"magisk\" at path \"/sbin/magisk\"");
    assert_true(json_is_null(json_object_get(json_array_get(r.alerts, 1), "matched_indicator")));
    assert_int_equal(json_array_size(r.timeline), 6);
    assert_true(mt_timeline_has(&r, "", "RootBinaries", "root_binary_found",
                                "Root binary found: /data/adb/magisk/busybox (binary: busybox)"));
    mh_result_free(&r);
    free(text);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *text = af_fixture("root_binaries", "root_binaries.json", NULL);
    static const char *const patterns[] = {"[file:path='/data/local/tmp/dropbox']", NULL};
    char *stix = mh_stix(patterns);
    mh_result r, again;
    run_text(text, &r);
    at_recheck(&spy_mod_root_binaries, r.out_dir, stix, &again);
    mt_same_alerts(&r, &again);
    mh_result_free(&r);
    mh_result_free(&again);
    free(stix);
    free(text);
}

static void test_bad_input(void **state)
{
    (void)state;
    mh_result r;
    run_text("{\"su\": \"/system/xbin/su\"}", &r); /* not a list */
    assert_int_equal(r.exit_code, 4);
    assert_null(r.records);
    mh_result_free(&r);
    run_text("[\"/system/xbin/su\", \"/sbin/mag", &r); /* truncated */
    assert_int_equal(json_array_size(r.records), 1);
    assert_int_equal(r.exit_code, 5);
    mh_result_free(&r);
    run_text("[]", &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    run_text("[\"/system/bin/s\xffu\"]", &r); /* invalid UTF-8 dropped */
    mt_str(mt_rec(&r, 0), "binary_name", "su");
    mh_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_binaries),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
