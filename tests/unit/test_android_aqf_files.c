/* AQFFiles (spec/android.md §4.18): files.json as an array and as one
 * object per line, times converted to the device zone (Europe/Belgrade,
 * summer and winter) or UTC, MACB timeline rows, file-path and hash
 * indicators (mvt-indicators/intellexa_predator, novispy, ResidentBat), the
 * /data/local/tmp heuristic, damaged lines; files.json larger than the
 * stream walk's reads, and a ZIP bomb stopping it. */
#include "aqf_test.h"
#include "zip_fixture.h"

#include "core/error.h"
#include "core/json_emit.h"
#include "modules/android/flat_json.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_aqf_files;

static const char *const PATTERNS[] = {
    "[file:path='/data/local/tmp/wd/fs.db']",
    "[file:path='/data/local/tmp/dropbox']",
    "[file:hashes.sha256='54ee2c4f3e2396b6f92def135d68abd35d63ca7f9c304633a36f705ba4728cb7']",
    "[file:hashes.sha256='820c394b22b950335eb5cf21bc7df5c7a33081169f41440c74d67e7a8f196960']",
    "[file:hashes.md5='d41d8cd98f00b204e9800998ecf8427e']",
    NULL};

#define GETPROP "[ro.build.version.sdk]: [34]\n[persist.sys.timezone]: [Europe/Belgrade]\n"
#define SHELL   " (u:object_r:shell_data_file:s0)"
#define SHA_A   "9d2f6a1c0b7e4d3a8f5c2e1b0a9d8c7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b"
#define SHA_B   "1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c"

static char *qf(const char *root, const char *fixture, bool with_getprop)
{
    char *text = af_fixture("aqf_files", fixture, NULL);
    const char *files[] = {"files.json", text, with_getprop ? "getprop.txt" : NULL, GETPROP, NULL};
    char *dir = at_qf(root, files);
    free(text);
    return dir;
}

static void test_array_device_zone(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = qf(root, "files.json", true);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    at_run(&spy_mod_aqf_files, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 7);
    mt_equal(mt_rec(&r, 0),
             "{\"path\": \"/data/local/tmp/wd/fs.db\", \"size\": 1024, \"mode\": \"-rw-------\", "
             "\"user_id\": 2000, \"user_name\": \"shell\", \"group_id\": 2000, \"group_name\": "
             "\"shell\", \"changed_time\": \"2024-07-01 14:00:00.000000\", \"modified_time\": "
             "\"2024-03-01 12:00:00.000000\", \"access_time\": \"2024-03-01 12:00:00.000000\", "
             "\"error\": \"\", \"context\": \"u:object_r:shell_data_file:s0\", \"sha1\": \"\", "
             "\"sha256\": \"\", \"sha512\": \"\", \"md5\": \"\"}");
    assert_int_equal(json_array_size(r.alerts), 5);
    at_alert(&r, 0, "CRITICAL",
             "Found a known suspicious file path \"/data/local/tmp/wd/fs.db\" matching indicators "
             "form \"TestMalware\"");
    assert_string_equal(mt_match(&r, 0, "type"), "file_paths");
    /* the collector itself is skipped; the decoy /data/local/tmpx/ is not suspicious */
    at_alert(&r, 1, "HIGH",
             "Found executable file at suspicious path \"/data/local/tmp/frida-server\"");
    at_alert(&r, 2, "HIGH", "Found file at suspicious path \"/data/local/tmp/notes.txt\"");
    at_alert(&r, 3, "CRITICAL",
             "Found a known suspicious file with hash "
             "\"54ee2c4f3e2396b6f92def135d68abd35d63ca7f9c304633a36f705ba4728cb7\" matching "
             "indicators from \"TestMalware\"");
    /* SHA-256 first: the MD5 indicator of the same file is not reported */
    at_alert(&r, 4, "CRITICAL",
             "Found a known suspicious file with hash "
             "\"820c394b22b950335eb5cf21bc7df5c7a33081169f41440c74d67e7a8f196960\" matching "
             "indicators from \"TestMalware\"");
    assert_int_equal(json_array_size(r.timeline), 11);
    assert_true(mt_timeline_has(&r, "2024-03-01 12:00:00.000000", "AQFFiles", "MA--",
                                "/data/local/tmp/wd/fs.db" SHELL));
    assert_true(mt_timeline_has(&r, "2024-07-01 14:00:00.000000", "AQFFiles", "--C-",
                                "/data/local/tmp/wd/fs.db" SHELL));
    assert_true(mt_timeline_has(&r, "2024-03-01 12:01:00.000000", "AQFFiles", "M-C-",
                                "/data/local/tmp/frida-server"));
    assert_true(mt_timeline_has(&r, "2024-03-01 12:02:00.000000", "AQFFiles", "-A--",
                                "/data/local/tmp/frida-server"));
    assert_true(mt_timeline_has(&r, "2024-07-01 15:00:00.000000", "AQFFiles", "-A--",
                                "/sdcard/Download/update.apk (u:object_r:fuse:s0)"));
    assert_true(mt_timeline_has(&r, "2024-07-01 14:00:00.000000", "AQFFiles", "MAC-",
                                "/data/local/tmp/notes.txt" SHELL));
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_lines_utc(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = qf(root, "files_lines.json", false); /* no getprop.txt: UTC */
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    at_run(&spy_mod_aqf_files, dir, stix, &r);
    assert_int_equal(json_array_size(r.records), 4);
    mt_keys(mt_rec(&r, 0), "path,size,mode,user_id,group_id,changed_time,modified_time,"
                           "access_time,error,context,sha1,sha256,sha512,md5,mime_type");
    mt_str(mt_rec(&r, 0), "changed_time", "2024-07-01 12:00:00.000000");
    mt_str(mt_rec(&r, 0), "access_time", "2024-03-01 11:00:00.000000");
    assert_int_equal(json_array_size(r.alerts), 4);
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_no_indicators_and_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = qf(root, "files.json", true);
    char *stix = mh_stix(PATTERNS);
    mh_result clean, with, again;
    at_run(&spy_mod_aqf_files, dir, NULL, &clean);
    /* MVT runs even the /data/local/tmp heuristic only with indicators */
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    assert_int_equal(json_array_size(clean.timeline), 11);
    at_run(&spy_mod_aqf_files, dir, stix, &with);
    at_recheck(&spy_mod_aqf_files, clean.out_dir, stix, &again);
    assert_int_equal(again.exit_code, 1);
    mt_same_alerts(&with, &again);
    mh_result_free(&clean);
    mh_result_free(&with);
    mh_result_free(&again);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* AQFFiles over a folder holding files_json (and getprop, unless NULL),
 * with the indicators of stix (or none). */
static void run_text(const char *files_json, const char *getprop, const char *stix, mh_result *r)
{
    char *root = tu_mkdtemp();
    const char *files[] = {"files.json", files_json, getprop ? "getprop.txt" : NULL, getprop, NULL};
    char *dir = at_qf(root, files);
    at_run(&spy_mod_aqf_files, dir, stix, r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_bad_input(void **state)
{
    (void)state;
    mh_result r;
    /* a broken line is skipped, the others kept; a time that is not a
     * number stays as found; a fraction is kept to the microsecond; an
     * unknown zone name falls back to UTC */
    run_text("{\"path\":\"/a\",\"modified_time\":1709290800.25}\n{\"path\":\"/b\",\"modi\n"
             "\n{\"path\":\"/c\xff\",\"modified_time\":\"yesterday\",\"access_time\":null}\n[1]\n",
             "[persist.sys.timezone]: [../../etc/passwd]\n", NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 2);
    mt_str(mt_rec(&r, 0), "modified_time", "2024-03-01 11:00:00.250000");
    mt_str(mt_rec(&r, 1), "path", "/c");
    mt_str(mt_rec(&r, 1), "modified_time", "yesterday");
    mt_null(mt_rec(&r, 1), "access_time");
    assert_int_equal(json_array_size(r.timeline), 2);
    mh_result_free(&r);
    /* garbage and an empty file: the module fails, nothing crashes */
    run_text("\x1f\x8b\x08\x00garbage", GETPROP, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    run_text("\xEF\xBB\xBF[{\"path\":\"/x\"},{\"path\":", GETPROP, NULL, &r); /* BOM, truncated */
    assert_int_equal(json_array_size(r.records), 1);
    assert_int_equal(r.exit_code, 0);
    mh_result_free(&r);
}

/* A ZIP with its files at the archive root (read as if under one folder,
 * an extension over MVT) and the collector's one-object-per-line form. */
static void test_zip_root_level(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *zip = tu_join(root, AF_QF_UUID ".zip");
    char *text = af_fixture("aqf_files", "files_lines.json", NULL);
    zf_zip *z = zf_new();
    zf_add_str(z, "getprop.txt", GETPROP);
    zf_add_str(z, "files.json", text);
    zf_finish_to(z, zip);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    at_run(&spy_mod_aqf_files, zip, stix, &r);
    assert_int_equal(json_array_size(r.records), 4);
    mt_str(mt_rec(&r, 0), "changed_time", "2024-07-01 14:00:00.000000");
    assert_int_equal(json_array_size(r.alerts), 4);
    mh_result_free(&r);
    free(stix);
    free(text);
    tu_rmtree(root);
    free(root);
    free(zip);
}

/* files.json larger than the stream walk's read size (256 KiB), in a folder
 * and in a ZIP: every entry, the indicator planted in the last one. */
static char *many_entries(size_t n, bool lines)
{
    size_t cap = n * 200 + 256, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len, "%s", lines ? "" : "[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(t + len, cap - len,
                                "%s{\"path\": \"/sdcard/DCIM/Camera/IMG_%06zu.jpg\", \"size\": "
                                "%zu, \"modified_time\": 1709290800, \"sha256\": \"\"}%s",
                                i && !lines ? ", " : "", i, i * 7, lines ? "\n" : "");
    len +=
        (size_t)snprintf(t + len, cap - len,
                         "%s{\"path\": \"/data/local/tmp/wd/fs.db\", \"mode\": \"-rw-------\"}%s",
                         lines ? "" : ", ", lines ? "\n" : "]");
    return t;
}

static void test_large_streamed(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    for (int zip = 0; zip < 2; zip++) {
        char *text = many_entries(6000, zip);
        assert_true(strlen(text) > 2 * 256 * 1024);
        char *root = tu_mkdtemp(), *input;
        if (zip) {
            input = tu_join(root, AF_QF_UUID ".zip");
            zf_zip *z = zf_new();
            zf_add_str(z, "getprop.txt", GETPROP);
            zf_add_str(z, "files.json", text);
            zf_finish_to(z, input);
        } else {
            const char *files[] = {"files.json", text, "getprop.txt", GETPROP, NULL};
            input = at_qf(root, files);
        }
        mh_result r;
        at_run(&spy_mod_aqf_files, input, stix, &r);
        assert_int_equal(r.exit_code, 1);
        assert_int_equal(json_array_size(r.records), 6001);
        mt_str(mt_rec(&r, 5999), "path", "/sdcard/DCIM/Camera/IMG_005999.jpg");
        mt_str(mt_rec(&r, 5999), "modified_time", "2024-03-01 12:00:00.000000");
        mt_str(mt_rec(&r, 6000), "path", "/data/local/tmp/wd/fs.db");
        assert_int_equal(json_array_size(r.alerts), 1);
        assert_string_equal(mt_match(&r, 0, "type"), "file_paths");
        mh_result_free(&r);
        free(text);
        tu_rmtree(root);
        free(root);
        free(input);
    }
    free(stix);
}

/* A ZIP bomb in files.json: the entries before it are kept, the module
 * fails (exit 4) when the stream stops. */
static void test_bomb_stops_the_walk(void **state)
{
    (void)state;
    size_t big = 64u * 1024u * 1024u;
    char *text = malloc(big);
    memset(text, ' ', big);
    static const char head[] = "[{\"path\": \"/a\"}, ";
    memcpy(text, head, sizeof head - 1);
    char *root = tu_mkdtemp(), *zip = tu_join(root, AF_QF_UUID ".zip");
    zf_zip *z = zf_new();
    zf_add_str(z, "getprop.txt", GETPROP);
    zf_add(z, "files.json", text, big, 0);
    zf_finish_to(z, zip);
    free(text);
    mh_result r;
    at_run(&spy_mod_aqf_files, zip, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    assert_int_equal(json_array_size(r.records), 1);
    mt_str(mt_rec(&r, 0), "path", "/a");
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(zip);
}

/* The fast reader of flat entries gives what jansson gives, or declines. */
static void test_flat_reader(void **state)
{
    (void)state;
    static const char *const lines[] = {
        ("{\"path\":\"/a\\\"b\\\\c\\/d\\n\\t\",\"size\":9223372036854775807,\"n\":-12,"
         "\"t\":true,\"f\":false,\"x\":null}"),
        "{\"p\":\"\\ud83d\\ude00 \\u00e9 \\u0000.\",\"p\":\"dup\",\"q\":\"caf\xc3\xa9\"}",
        "{ \"k\" : \"v\" , \"k2\":\"\" }",
        "{}",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t used = 0;
        json_t *fast = spy_flat_json_object(lines[i], strlen(lines[i]), &used);
        assert_non_null(fast);
        assert_int_equal(used, strlen(lines[i]));
        json_t *ref = json_loads(lines[i], JSON_ALLOW_NUL, NULL);
        assert_non_null(ref);
        char *a = json_dumps(fast, JSON_COMPACT), *b = json_dumps(ref, JSON_COMPACT);
        assert_string_equal(a, b);
        free(a);
        free(b);
        /* written from the parsed record, the bytes are those of the value */
        spy_flat r = {0};
        assert_true(spy_flat_parse(&r, lines[i], strlen(lines[i]), &used));
        assert_int_equal(spy_flat_keys_unique(&r), i != 1); /* line 1 repeats "p" */
        spy_jw *wf = spy_jw_new_mem(4), *wj = spy_jw_new_mem(4);
        assert_int_equal(spy_jw_flat(wf, &r), SPY_OK);
        assert_int_equal(spy_jw_value(wj, ref), SPY_OK);
        if (i != 1)
            assert_string_equal(spy_jw_mem(wf, NULL), spy_jw_mem(wj, NULL));
        else
            assert_string_not_equal(spy_jw_mem(wf, NULL), spy_jw_mem(wj, NULL));
        spy_jw_free(wf);
        spy_jw_free(wj);
        spy_flat_free(&r);
        json_decref(fast);
        json_decref(ref);
    }
    /* declined: nesting, reals, overflow, leading zeros, lone surrogates,
     * raw control characters, NUL in a key, invalid UTF-8 */
    static const char *const declined[] = {
        "{\"a\":{}}",
        "{\"a\":[1]}",
        "{\"a\":1.5}",
        "{\"a\":1e3}",
        "{\"a\":92233720368547758070}",
        "{\"a\":01}",
        "{\"a\":\"\\udc00\"}",
        "{\"a\":\"x\ty\"}",
        "{\"a\\u0000\":1}",
        "{\"a\":\"\xff\"}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "[{\"a\":1}]",
        "{\"a\":tru}",
        "{\"a\":\"unterminated}",
    };
    for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++) {
        size_t used = 0;
        assert_null(spy_flat_json_object(declined[i], strlen(declined[i]), &used));
    }
}

/* Entries the flat reader takes and entries it leaves to jansson (a real
 * time, a nested value, a repeated key), in one file: all come out in
 * order, as jansson alone would give them, and an alert raised on a flat
 * entry carries the whole entry as its event. */
static void test_flat_and_jansson_entries(void **state)
{
    (void)state;
    static const char text[] =
        "{\"path\": \"/sdcard/a.txt\", \"modified_time\": 1709294400, \"context\": \"\"}\n"
        "{\"path\": \"/sdcard/b.txt\", \"modified_time\": 1709294400.5}\n"
        "{\"path\": \"/sdcard/c.txt\", \"extra\": {\"k\": [1]}, \"access_time\": 1709294400}\n"
        "{\"path\": \"/sdcard/d.txt\", \"size\": 1, \"size\": 2}\n"
        "{\"path\": \"/data/local/tmp/x\", \"mode\": \"-rwxr-xr-x\", \"n\": null, "
        "\"b\": true, \"changed_time\": 1709294400}\n";
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_text(text, GETPROP, stix, &r);
    assert_int_equal(json_array_size(r.records), 5);
    mt_json(mt_rec(&r, 0), "{\"path\":\"/sdcard/a.txt\",\"modified_time\":\"2024-03-01 "
                           "13:00:00.000000\",\"context\":\"\"}");
    mt_json(mt_rec(&r, 1), "{\"path\":\"/sdcard/b.txt\",\"modified_time\":\"2024-03-01 "
                           "13:00:00.500000\"}");
    mt_json(mt_rec(&r, 2), "{\"path\":\"/sdcard/c.txt\",\"extra\":{\"k\":[1]},"
                           "\"access_time\":\"2024-03-01 13:00:00.000000\"}");
    mt_json(mt_rec(&r, 3), "{\"path\":\"/sdcard/d.txt\",\"size\":2}");
    const char *last = "{\"path\":\"/data/local/tmp/x\",\"mode\":\"-rwxr-xr-x\",\"n\":null,"
                       "\"b\":true,\"changed_time\":\"2024-03-01 13:00:00.000000\"}";
    mt_json(mt_rec(&r, 4), last);
    assert_int_equal(json_array_size(r.alerts), 1);
    at_alert(&r, 0, "HIGH", "Found executable file at suspicious path \"/data/local/tmp/x\"");
    mt_json(json_object_get(json_array_get(r.alerts, 0), "event"), last);
    assert_int_equal(json_array_size(r.timeline), 4);
    assert_true(
        mt_timeline_has(&r, "2024-03-01 13:00:00.500000", "AQFFiles", "M---", "/sdcard/b.txt"));
    assert_true(
        mt_timeline_has(&r, "2024-03-01 13:00:00.000000", "AQFFiles", "--C-", "/data/local/tmp/x"));
    mh_result_free(&r);
    free(stix);
}

/* Entries whose key layout changes midway: the same keys in another
 * order, fewer keys, a line left to jansson, the first layout again. The
 * reader numbers each layout and AQFFiles keeps key indices per number:
 * every entry must still have its own keys converted, checked and put on
 * the timeline. */
static void test_layout_changes(void **state)
{
    (void)state;
    static const char text[] =
        "{\"path\": \"/sdcard/a\", \"size\": 1, \"mode\": \"-rw\", \"access_time\": 1709294400, "
        "\"changed_time\": 1709294460, \"modified_time\": 1709294520, \"context\": \"u:a\"}\n"
        "{\"path\": \"/data/local/tmp/b\", \"size\": 2, \"mode\": \"-rwx\", \"access_time\": "
        "1709294401, \"changed_time\": 1709294401, \"modified_time\": 1709294402, "
        "\"context\": \"u:b\"}\n"
        "{\"modified_time\": 1709294403, \"context\": \"\", \"mode\": \"-rw\", \"size\": 3, "
        "\"access_time\": \"later\", \"path\": \"/data/local/tmp/c\", \"changed_time\": "
        "1709294404}\n"
        "{\"path\": \"/data/local/tmp/d\", \"changed_time\": 1709294405}\n"
        "{\"path\": \"/sdcard/e\", \"size\": 1, \"size\": 5, \"access_time\": 1709294406}\n"
        "{\"path\": \"/data/local/tmp/f\", \"size\": 6, \"mode\": \"x\", \"access_time\": "
        "1709294407, \"changed_time\": null, \"modified_time\": 1709294408, \"context\": "
        "\"u:f\"}\n";
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run_text(text, GETPROP, stix, &r);
    assert_int_equal(json_array_size(r.records), 6);
    mt_json(mt_rec(&r, 0),
            "{\"path\":\"/sdcard/a\",\"size\":1,\"mode\":\"-rw\",\"access_time\":\"2024-03-01 "
            "13:00:00.000000\",\"changed_time\":\"2024-03-01 13:01:00.000000\",\"modified_time\":"
            "\"2024-03-01 13:02:00.000000\",\"context\":\"u:a\"}");
    mt_json(mt_rec(&r, 1),
            "{\"path\":\"/data/local/tmp/b\",\"size\":2,\"mode\":\"-rwx\",\"access_time\":"
            "\"2024-03-01 13:00:01.000000\",\"changed_time\":\"2024-03-01 13:00:01.000000\","
            "\"modified_time\":\"2024-03-01 13:00:02.000000\",\"context\":\"u:b\"}");
    mt_json(mt_rec(&r, 2),
            "{\"modified_time\":\"2024-03-01 13:00:03.000000\",\"context\":\"\",\"mode\":\"-rw\","
            "\"size\":3,\"access_time\":\"later\",\"path\":\"/data/local/tmp/c\","
            "\"changed_time\":\"2024-03-01 13:00:04.000000\"}");
    mt_json(mt_rec(&r, 3), "{\"path\":\"/data/local/tmp/d\",\"changed_time\":\"2024-03-01 "
                           "13:00:05.000000\"}");
    mt_json(mt_rec(&r, 4), "{\"path\":\"/sdcard/e\",\"size\":5,\"access_time\":\"2024-03-01 "
                           "13:00:06.000000\"}");
    mt_json(mt_rec(&r, 5),
            "{\"path\":\"/data/local/tmp/f\",\"size\":6,\"mode\":\"x\",\"access_time\":"
            "\"2024-03-01 13:00:07.000000\",\"changed_time\":null,\"modified_time\":"
            "\"2024-03-01 13:00:08.000000\",\"context\":\"u:f\"}");
    assert_int_equal(json_array_size(r.alerts), 4);
    at_alert(&r, 0, "HIGH", "Found executable file at suspicious path \"/data/local/tmp/b\"");
    at_alert(&r, 1, "HIGH", "Found file at suspicious path \"/data/local/tmp/c\"");
    at_alert(&r, 2, "HIGH", "Found file at suspicious path \"/data/local/tmp/d\"");
    at_alert(&r, 3, "HIGH", "Found executable file at suspicious path \"/data/local/tmp/f\"");
    for (size_t i = 0; i < 4; i++)
        assert_true(json_equal(json_object_get(json_array_get(r.alerts, i), "event"),
                               mt_rec(&r, i == 0 ? 1 : i + 1 + (i == 3))));
    /* a 3, b 2 (access = changed), c 3 ("later" too, as found), d 1, e 1, f 2 */
    assert_int_equal(json_array_size(r.timeline), 12);
    assert_true(
        mt_timeline_has(&r, "2024-03-01 13:00:00.000000", "AQFFiles", "-A--", "/sdcard/a (u:a)"));
    assert_true(
        mt_timeline_has(&r, "2024-03-01 13:01:00.000000", "AQFFiles", "--C-", "/sdcard/a (u:a)"));
    assert_true(mt_timeline_has(&r, "2024-03-01 13:00:01.000000", "AQFFiles", "-AC-",
                                "/data/local/tmp/b (u:b)"));
    assert_true(mt_timeline_has(&r, "later", "AQFFiles", "-A--", "/data/local/tmp/c"));
    assert_true(
        mt_timeline_has(&r, "2024-03-01 13:00:03.000000", "AQFFiles", "M---", "/data/local/tmp/c"));
    assert_true(
        mt_timeline_has(&r, "2024-03-01 13:00:05.000000", "AQFFiles", "--C-", "/data/local/tmp/d"));
    assert_true(mt_timeline_has(&r, "2024-03-01 13:00:08.000000", "AQFFiles", "M---",
                                "/data/local/tmp/f (u:f)"));
    mh_result_free(&r);
    free(stix);
}

/* An AND indicator matches only an entry holding both of its terms, on
 * the flat path and on jansson's (the real size sends the second entry
 * there), with the entry as the alert's event. */
static void test_compound_indicator(void **state)
{
    (void)state;
    static const char text[] =
        "{\"path\": \"/sdcard/Download/a.apk\", \"sha256\": \"" SHA_A "\"}\n"
        "{\"path\": \"/sdcard/Download/a.apk\", \"size\": 1.5, \"sha256\": \"" SHA_A "\"}\n"
        "{\"path\": \"/sdcard/Download/a.apk\", \"sha256\": \"" SHA_B "\"}\n"
        "{\"path\": \"/sdcard/Download/b.apk\", \"sha256\": \"" SHA_A "\"}\n";
    static const char *const and_pattern[] = {
        "[file:path = '/sdcard/Download/a.apk' AND file:hashes.sha256 = '" SHA_A "']", NULL};
    char *stix = mh_stix(and_pattern);
    mh_result r;
    run_text(text, GETPROP, stix, &r);
    assert_int_equal(json_array_size(r.records), 4);
    assert_int_equal(json_array_size(r.alerts), 2);
    for (size_t i = 0; i < 2; i++) {
        at_alert(&r, i, "CRITICAL",
                 "Found a known suspicious record matching compound indicator \"[file:path = "
                 "'/sdcard/Download/a.apk' AND file:hashes.sha256 = '" SHA_A "']\" from "
                 "\"TestMalware\"");
        assert_true(
            json_equal(json_object_get(json_array_get(r.alerts, i), "event"), mt_rec(&r, i)));
    }
    mh_result_free(&r);
    free(stix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_device_zone),
        cmocka_unit_test(test_flat_and_jansson_entries),
        cmocka_unit_test(test_compound_indicator),
        cmocka_unit_test(test_layout_changes),
        cmocka_unit_test(test_lines_utc),
        cmocka_unit_test(test_no_indicators_and_check_iocs),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_flat_reader),
        cmocka_unit_test(test_zip_root_level),
        cmocka_unit_test(test_large_streamed),
        cmocka_unit_test(test_bomb_stops_the_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
