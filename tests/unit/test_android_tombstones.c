/* Tombstones (spec/android.md §4.13): text tombstones of a Xiaomi (MTK
 * codec), a Pixel (system_server abort, later thread sections) and an
 * Android 9 Samsung layout with lines MVT rejects; protobuf tombstones
 * (.pb) with threads, causes and an empty timestamp; process indicators
 * from amnesty-investigations/2021-07-18_nso planted on the process name
 * and the command line, with near-miss decoys; the privileged-UID alert;
 * rejected files; sorted order; check-iocs on saved results. */
#include "module_test.h"

#include "acquire/commands.h"
#include "android_fixture.h"
#include "core/error.h"
#include "modules/android/tombstone_parse.h"
#include "zip_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_tombstones;

static const char *const PATTERNS[] = {"[process:name='neagentd']", "[process:name='launchafd']",
                                       NULL};

static const char *const FILES[] = {"tombstone_05",    "tombstone_03.pb", "tombstone_00",
                                    "tombstone_04.pb", "tombstone_02",    "tombstone_01",
                                    "tombstone_06.pb", "README",          NULL};

/* A bug report ZIP with the fixtures under FS/data/tombstones/, each one
 * minute apart from 10:00 (local, as DOS times are), in a shuffled order. */
static char *make_zip(const char *root)
{
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "bugreport-husky.txt\n");
    zf_add_str(z, "bugreport-husky.txt", "== dumpstate: 2024-03-01 10:00:00\n");
    for (size_t i = 0; FILES[i]; i++) {
        size_t n;
        char *data = af_fixture("tombstones", FILES[i], &n);
        char name[128];
        snprintf(name, sizeof name, "FS/data/tombstones/%s", FILES[i]);
        zf_add(z, name, data, n, zf_default_mtime() + 60 * (time_t)(i + 1));
        free(data);
    }
    size_t n;
    char *anr = af_fixture("tombstones", "tombstone_00", &n);
    zf_add(z, "FS/data/anr/anr_2024-03-01", anr, n, 0); /* not a tombstone */
    free(anr);
    char *path = tu_join(root, "bugreport.zip");
    zf_finish_to(z, path);
    return path;
}

static void run_zip(const char *stix, mh_result *r)
{
    char *root = tu_mkdtemp();
    char *zip = make_zip(root);
    const spy_module *mods[] = {&spy_mod_tombstones, NULL};
    mh_run(&spy_cmd_android_check_bugreport, mods, zip, stix, "tombstones", r);
    tu_rmtree(root);
    free(root);
    free(zip);
}

static void test_records(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_zip(stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* tombstone_05 (not a tombstone) and _06.pb (broken) are rejected */
    assert_int_equal(json_array_size(r.records), 5);
    mt_json(mt_rec(&r, 0),
            "{\"file_name\":\"tombstone_00\",\"file_timestamp\":\"2024-03-01 10:03:00.000000\","
            "\"build_fingerprint\":\"Redmi/rosemary_global/rosemary:12/SP1A.210812.016/"
            "V13.0.13.0.SKLMIXM:user/release-keys\",\"revision\":\"0\",\"arch\":\"arm\","
            "\"timestamp\":\"2023-04-12 12:32:40.518290\",\"process_uptime\":0,\"command_line\":["
            "\"/vendor/bin/hw/android.hardware.media.c2@1.2-mediatek\"],\"pid\":25541,"
            "\"tid\":21307,\"process_name\":\"mtk.ape.decoder\",\"binary_path\":\"/vendor/bin/hw/"
            "android.hardware.media.c2@1.2-mediatek\",\"selinux_label\":null,\"uid\":1046,"
            "\"signal_info\":{\"code\":1,\"code_name\":\"SEGV_MAPERR\",\"name\":\"SIGSEGV\","
            "\"number\":11},\"cause\":\"null pointer dereference\",\"causes\":null,"
            "\"abort_message\":null,\"extra\":null}");
    /* the first pid line counts; the abort message is kept */
    const json_t *ss = mt_rec(&r, 1);
    mt_str(ss, "process_name", "android.bg");
    mt_int(ss, "tid", 1590);
    mt_int(ss, "process_uptime", 86412);
    /* strip() then strip("'"): the space inside the quotes stays */
    mt_str(ss, "abort_message", "Check failed: it != handles_.end() ");
    mt_json(json_object_get(ss, "signal_info"),
            "{\"code\":-1,\"code_name\":\"SI_QUEUE\",\"name\":\"SIGABRT\",\"number\":6}");
    mt_str(ss, "timestamp", "2024-02-28 23:11:05.004218");
    /* Android 9: "code around pc:" and "uid_blah:" would make MVT reject it */
    const json_t *ne = mt_rec(&r, 2);
    mt_str(ne, "process_name", "neagentd");
    mt_str(ne, "timestamp", "2019-05-02 03:14:15.000000");
    mt_null(ne, "process_uptime");
    mt_int(ne, "uid", 10234);
    mt_json(mt_rec(&r, 3),
            "{\"file_name\":\"tombstone_03.pb\",\"file_timestamp\":\"2024-03-01 10:02:00.000000\","
            "\"build_fingerprint\":\"google/husky/husky:14/UP1A.231005.007/10754064:user/"
            "release-keys\",\"revision\":\"MP1.0\",\"arch\":\"ARM64\",\"timestamp\":"
            "\"2024-02-29 04:01:59.123456\",\"process_uptime\":12,\"command_line\":["
            "\"/data/local/tmp/launchafd\",\"--daemon\"],\"pid\":8812,\"tid\":8830,"
            "\"process_name\":\"worker\",\"binary_path\":null,\"selinux_label\":\"u:r:shell:s0\","
            "\"uid\":2000,\"signal_info\":{\"code\":1,\"code_name\":\"SEGV_MAPERR\",\"name\":"
            "\"SIGSEGV\",\"number\":11},\"cause\":null,\"causes\":[{\"human_readable\":"
            "\"null pointer dereference\",\"memory_error\":null},{\"human_readable\":"
            "\"use-after-free\",\"memory_error\":{\"tool\":\"SCUDO\",\"type\":"
            "\"USE_AFTER_FREE\"}}],\"abort_message\":\"\",\"extra\":null}");
    /* an empty protobuf timestamp falls back on the file's time */
    const json_t *pb4 = mt_rec(&r, 4);
    mt_str(pb4, "timestamp", "2024-03-01 10:04:00.000000");
    mt_str(pb4, "arch", "X86_64");
    mt_str(pb4, "process_name", "launchafdx");
    mt_json(json_object_get(pb4, "signal_info"),
            "{\"code\":-6,\"code_name\":\"SI_TKILL\",\"name\":\"SIGABRT\",\"number\":6}");
    mt_str(pb4, "abort_message", "launchafdx: fatal");

    /* neagentd by name, launchafd by command line; the decoy launchafdx
     * (uid 0) and system_server (uid 1000) are privileged crashes */
    assert_int_equal(json_array_size(r.alerts), 4);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "MEDIUM");
    assert_string_equal(mh_alert_str(&r, 0, "message"),
                        "Potentially suspicious crash in process 'android.bg' running as UID "
                        "'1000' in tombstone 'tombstone_01' at 2024-02-28 23:11:05.004218");
    assert_string_equal(mh_alert_str(&r, 1, "level"), "CRITICAL");
    assert_string_equal(mt_match(&r, 1, "value"), "neagentd");
    assert_string_equal(mt_match(&r, 1, "type"), "processes");
    assert_string_equal(mh_alert_str(&r, 1, "event_time"), "2019-05-02 03:14:15.000000");
    assert_string_equal(mh_alert_str(&r, 2, "level"), "CRITICAL");
    assert_string_equal(mt_match(&r, 2, "value"), "launchafd");
    assert_string_equal(mh_alert_str(&r, 3, "level"), "MEDIUM");
    assert_non_null(strstr(mh_alert_str(&r, 3, "message"), "'launchafdx' running as UID '0'"));

    assert_int_equal(json_array_size(r.timeline), 5);
    assert_true(mt_timeline_has(&r, "2024-02-29 04:01:59.123456", "Tombstones", "Tombstone",
                                "Crash in 'worker' process running as UID '2000' in file "
                                "'tombstone_03.pb' Crash type 'SIGSEGV' with code "
                                "'SEGV_MAPERR'"));
    mh_result_free(&r);
    free(stix);
}

/* MVT runs the checks only with indicators: no alert at all without. */
static void test_check_iocs(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result direct, clean, c;
    run_zip(stix, &direct);
    run_zip(NULL, &clean);
    assert_int_equal(json_array_size(clean.alerts), 0);
    assert_int_equal(clean.exit_code % 4, 0);
    const spy_module *mods[] = {&spy_mod_tombstones, NULL};
    mh_check_iocs(&spy_cmd_android_check_iocs, mods, clean.out_dir, stix, "tombstones", &c);
    mt_same_alerts(&direct, &c);
    assert_int_equal(c.exit_code, 1);
    mh_result_free(&c);
    mh_result_free(&clean);
    mh_result_free(&direct);
    free(stix);
}

static void test_folder_and_absent(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = af_bugreport_dir(root, "== dumpstate\n");
    const spy_module *mods[] = {&spy_mod_tombstones, NULL};
    mh_result r;
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, NULL, "tombstones", &r);
    assert_null(r.records); /* none: logged, not a failure */
    assert_int_equal(r.exit_code, 0);
    mh_result_free(&r);
    char *t = af_fixture("tombstones", "tombstone_01", NULL);
    af_write_str(dir, "FS/data/tombstones/tombstone_01", t);
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, NULL, "tombstones", &r);
    assert_int_equal(json_array_size(r.records), 1);
    assert_int_equal(strlen(json_string_value(json_object_get(mt_rec(&r, 0), "file_timestamp"))),
                     26);
    mh_result_free(&r);
    free(t);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_readers_direct(void **state)
{
    (void)state;
    json_t *rec = NULL;
    char *why = NULL;
    /* truncated protobuf: a length running past the end */
    size_t n;
    char *pb = af_fixture("tombstones", "tombstone_03.pb", &n);
    assert_int_equal(spy_tomb_pb_parse((unsigned char *)pb, n - 7, "t.pb",
                                       "2024-01-01 00:00:00.000000", &rec, &why),
                     SPY_EFORMAT);
    assert_null(rec);
    assert_non_null(why);
    free(why);
    /* an empty .pb is a tombstone of defaults, as for MVT */
    assert_int_equal(spy_tomb_pb_parse((const unsigned char *)"", 0, "e.pb",
                                       "2024-01-01 00:00:00.000000", &rec, &why),
                     SPY_OK);
    mt_str(rec, "process_name", "Unknown");
    mt_str(rec, "timestamp", "2024-01-01 00:00:00.000000");
    json_decref(rec);
    free(pb);
    /* a text tombstone without a signal line is rejected */
    const char *t = "Build fingerprint: 'a'\nRevision: '0'\nTimestamp: 2024-01-01 00:00:00\n"
                    "pid: 1, tid: 1, name: x\nuid: 0\n";
    assert_int_equal(spy_tomb_text_parse(t, strlen(t), "t", "", &rec, &why), SPY_EFORMAT);
    assert_string_equal(why, "the required field signal_info is missing");
    free(why);
    /* a bad uid rejects the file, naming the line */
    const char *u = "uid: abc\n";
    assert_int_equal(spy_tomb_text_parse(u, strlen(u), "t", "", &rec, &why), SPY_EFORMAT);
    assert_string_equal(why, "Error parsing line 1: invalid literal for int()");
    free(why);
    char iso[32];
    assert_int_equal(spy_tomb_timestamp("2023-04-12 12:32:40.5+02:00", 27, iso), SPY_OK);
    assert_string_equal(iso, "2023-04-12 12:32:40.500000");
    assert_int_equal(spy_tomb_timestamp("2023-02-30 12:32:40", 19, iso), SPY_EFORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_folder_and_absent),
        cmocka_unit_test(test_readers_direct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
