/* DumpsysADBState (spec/android.md §4.11): a Pixel dump with user keys and
 * an XML keystore, a Samsung one with a binary ("ABX") keystore and CRLF
 * line ends; the trusted-host-key alerts of an AndroidQF acquisition
 * (foreign, invalid, unverifiable, stale key) against its
 * acquisition.json; no alert for a plain bug report; bad sections. */
#include "module_test.h"

#include "acquire/commands.h"
#include "android_fixture.h"
#include "zip_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_adb_state;

/* keys.txt: "<name> <value>" lines (the fixture keys and fingerprints). */
static char *key_of(const char *name)
{
    char *text = af_fixture("dumpsys_adb_state", "keys.txt", NULL);
    size_t n = strlen(name);
    char *out = NULL;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, name, n) == 0 && line[n] == ' ')
            out = strdup(line + n + 1);
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    assert_non_null(out);
    return out;
}

static char *dumpstate_with(const char *adb)
{
    const char *pairs[] = {"adb", adb, NULL};
    return af_dumpstate(pairs);
}

static void run_bugreport(const char *adb, mh_result *r)
{
    char *root = tu_mkdtemp();
    char *ds = dumpstate_with(adb);
    char *dir = af_bugreport_dir(root, ds);
    const spy_module *mods[] = {&spy_mod_dumpsys_adb_state, NULL};
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, NULL, "dumpsys_adb_state", r);
    tu_rmtree(root);
    free(root);
    free(dir);
    free(ds);
}

/* An AndroidQF folder with acquisition.json (NULL: none) and a
 * bugreport.zip holding the adb section. */
static void run_androidqf(const char *adb, const char *acquisition_json, mh_result *r)
{
    char *root = tu_mkdtemp();
    char *dir = af_androidqf_dir(root);
    if (acquisition_json)
        af_write_str(dir, "acquisition.json", acquisition_json);
    af_write_str(dir, "getprop.txt", "[ro.build.version.release]: [14]\n");
    char *ds = dumpstate_with(adb);
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "bugreport-husky-UP1A.txt\n");
    zf_add_str(z, "bugreport-husky-UP1A.txt", ds);
    char *zpath = tu_join(dir, "bugreport.zip");
    zf_finish_to(z, zpath);
    const spy_module *mods[] = {&spy_mod_dumpsys_adb_state, NULL};
    mh_run(&spy_cmd_android_check_androidqf, mods, dir, NULL, "dumpsys_adb_state", r);
    tu_rmtree(root);
    free(root);
    free(dir);
    free(ds);
    free(zpath);
}

static void test_pixel_record(void **state)
{
    (void)state;
    char *adb = af_fixture("dumpsys_adb_state", "pixel_xml.txt", NULL);
    char *lab = key_of("lab"), *lab_fp = key_of("lab_fp");
    char *other = key_of("other"), *other_fp = key_of("other_fp");
    mh_result r;
    run_bugreport(adb, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 1);
    const json_t *rec = mt_rec(&r, 0);
    mt_keys(rec, "connected_to_adb,last_key_received,user_keys,keystore,adb_wifi");
    mt_str(rec, "connected_to_adb", "true");
    mt_str(rec, "last_key_received", lab_fp);
    const json_t *uk = json_object_get(rec, "user_keys");
    assert_int_equal(json_array_size(uk), 3);
    mt_keys(json_array_get(uk, 0), "user,fingerprint,key");
    mt_str(json_array_get(uk, 0), "user", "analyst@forensic-lab");
    mt_str(json_array_get(uk, 0), "fingerprint", lab_fp);
    mt_str(json_array_get(uk, 0), "key", lab);
    mt_str(json_array_get(uk, 1), "user", "builder@kiosk-pc");
    mt_str(json_array_get(uk, 1), "fingerprint", other_fp);
    const json_t *ks = json_object_get(rec, "keystore");
    assert_int_equal(json_array_size(ks), 3);
    mt_keys(json_array_get(ks, 0), "user,fingerprint,key,last_connected");
    mt_str(json_array_get(ks, 0), "key", other);
    mt_str(json_array_get(ks, 0), "last_connected", "1709200000000");
    mt_str(json_array_get(ks, 1), "fingerprint", lab_fp);
    /* entities decoded; an undecodable key has an empty fingerprint */
    mt_json(json_array_get(ks, 2), "{\"user\":\"mallory@&host\",\"fingerprint\":\"\","
                                   "\"key\":\"not!base64\",\"last_connected\":\"1709100000000\"}");
    mt_json(json_object_get(rec, "adb_wifi"), "{\"enabled\":\"false\",\"paired_devices\":{}}");
    /* a plain bug report: debug lines only */
    assert_int_equal(json_array_size(r.alerts), 0);
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(adb);
    free(lab);
    free(lab_fp);
    free(other);
    free(other_fp);
}

static bool has_bytes(const json_t *s, const char *needle)
{
    const char *h = json_string_value(s);
    size_t n = json_string_length(s), k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(h + i, needle, k) == 0)
            return true;
    return false;
}

/* The binary keystore holds NUL bytes: the dumpstate file is written here
 * byte for byte, with CRLF line ends. */
static void test_samsung_abx(void **state)
{
    (void)state;
    size_t n;
    char *raw = af_fixture("dumpsys_adb_state", "samsung_abx.txt", &n);
    char *old_fp = key_of("old_fp");
    static const char head[] = "== dumpstate: 2024-03-01 10:00:00\n"
                               "-------------------------------------------------------------------"
                               "------------\nDUMP OF SERVICE adb:\n";
    static const char tail[] = "--------- 0.004s was the duration of dumpsys adb\n"
                               "-------------------------------------------------------------------"
                               "------------\n";
    size_t cap = 2 * (sizeof head + n + sizeof tail), k = 0;
    char *file = malloc(cap);
    assert_non_null(file);
    const char *parts[3] = {head, raw, tail};
    size_t lens[3] = {sizeof head - 1, n, sizeof tail - 1};
    for (size_t p = 0; p < 3; p++)
        for (size_t i = 0; i < lens[p]; i++) {
            if (parts[p][i] == '\n')
                file[k++] = '\r';
            file[k++] = parts[p][i];
        }
    char *root = tu_mkdtemp();
    char *dir = af_bugreport_dir(root, NULL);
    af_write_str(dir, "main_entry.txt", "dumpstate-samsung.txt\n");
    af_write(dir, "dumpstate-samsung.txt", file, k);
    const spy_module *mods[] = {&spy_mod_dumpsys_adb_state, NULL};
    mh_result r;
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, NULL, "dumpsys_adb_state", &r);
    assert_int_equal(json_array_size(r.records), 1);
    const json_t *rec = mt_rec(&r, 0);
    mt_keys(rec, "connected_to_adb,user_keys,keystore");
    mt_str(rec, "connected_to_adb", "false");
    mt_str(json_array_get(json_object_get(rec, "user_keys"), 0), "fingerprint", old_fp);
    mt_str(json_array_get(json_object_get(rec, "user_keys"), 0), "user", "old@laptop");
    /* not decoded (ABX): kept raw, NUL bytes and invalid UTF-8 included */
    const json_t *ks = json_object_get(rec, "keystore");
    assert_true(json_is_string(ks));
    assert_memory_equal(json_string_value(ks), "ABX\0\x01\x1a\0\x08keyStore/", 16);
    assert_true(has_bytes(ks, "adbKey/\n\x03key"));
    /* the emitter wrote the byte 0x85 as the text \x85 (MVT's bytes) */
    assert_true(has_bytes(ks, "lastConnection\\x85"));
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
    free(file);
    free(raw);
    free(old_fp);
}

static const char STARTED_JSON[] =
    "{\"uuid\":\"" AF_QF_UUID "\",\"androidqf_version\":\"1.8.0\",\"started\":\"%s\","
    "\"completed\":\"2024-03-01T10:20:00Z\"%s}";

static char *acquisition(const char *started, const char *host_key_line)
{
    char *extra = NULL;
    if (host_key_line) {
        size_t n = strlen(host_key_line) + 40;
        extra = malloc(n);
        assert_non_null(extra);
        snprintf(extra, n, ",\"adb_host_public_key\":\"%s\\n\"", host_key_line);
    }
    size_t n = sizeof STARTED_JSON + strlen(started) + (extra ? strlen(extra) : 0);
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, STARTED_JSON, started, extra ? extra : "");
    free(extra);
    return out;
}

static void test_androidqf_foreign_keys(void **state)
{
    (void)state;
    char *adb = af_fixture("dumpsys_adb_state", "pixel_xml.txt", NULL);
    char *lab = key_of("lab"), *other_fp = key_of("other_fp");
    char line[2048];
    snprintf(line, sizeof line, "%s analyst@forensic-lab", lab);
    char *acq = acquisition("2024-03-01T10:00:00Z", line);
    mh_result r;
    run_androidqf(adb, acq, &r);
    assert_int_equal(json_array_size(r.records), 1);
    /* lab key (recent) silent; the kiosk key and the invalid one: LOW;
     * user keys repeating keystore keys are not reported twice */
    assert_int_equal(json_array_size(r.alerts), 2);
    char want[256];
    snprintf(want, sizeof want,
             "Found a trusted ADB host key different from the AndroidQF acquisition host: %s "
             "(builder@kiosk-pc)",
             other_fp);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "LOW");
    assert_string_equal(mh_alert_str(&r, 0, "message"), want);
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2024-02-29 09:46:40.000000");
    assert_string_equal(mh_alert_str(&r, 1, "level"), "LOW");
    assert_string_equal(mh_alert_str(&r, 1, "message"),
                        "Found an invalid trusted ADB host key: <unknown key> (mallory@&host)");
    assert_string_equal(mh_alert_str(&r, 1, "event_time"), "2024-02-28 06:00:00.000000");
    assert_int_equal(r.exit_code, 0); /* LOW alerts do not make findings */
    mh_result_free(&r);
    free(acq);
    /* four days later the lab key is stale: INFORMATIONAL */
    acq = acquisition("2024-03-05T10:00:00+00:00", line);
    run_androidqf(adb, acq, &r);
    assert_int_equal(json_array_size(r.alerts), 3);
    assert_string_equal(mh_alert_str(&r, 1, "level"), "INFORMATIONAL");
    assert_non_null(strstr(mh_alert_str(&r, 1, "message"),
                           "last connected at least one day before the AndroidQF acquisition"));
    mh_result_free(&r);
    free(acq);
    free(adb);
    free(lab);
    free(other_fp);
}

static void test_androidqf_without_host_key(void **state)
{
    (void)state;
    char *adb = af_fixture("dumpsys_adb_state", "pixel_xml.txt", NULL);
    char *acq = acquisition("2024-03-01T10:00:00Z", NULL);
    mh_result r;
    run_androidqf(adb, acq, &r);
    assert_int_equal(json_array_size(r.alerts), 3);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(mh_alert_str(&r, i, "level"), "LOW");
        assert_non_null(strstr(mh_alert_str(&r, i, "message"),
                               "but the AndroidQF acquisition does not include its host key"));
    }
    assert_non_null(strstr(mh_alert_str(&r, 2, "message"), "invalid trusted ADB host key"));
    mh_result_free(&r);
    /* no acquisition.json at all: the context is {} and the same holds */
    run_androidqf(adb, NULL, &r);
    assert_int_equal(json_array_size(r.alerts), 3);
    mh_result_free(&r);
    free(acq);
    free(adb);
}

static void test_bad_sections(void **state)
{
    (void)state;
    mh_result r;
    run_bugreport("Can't find service: adb\n", &r);
    assert_null(r.records);
    assert_int_equal(r.exit_code, 0);
    mh_result_free(&r);
    run_bugreport("\x01\x02 garbage {\n}}}\n=\n", &r);
    assert_null(r.records);
    mh_result_free(&r);
    /* truncated before the keystore ends: the keys read so far are kept */
    run_bugreport("ADB MANAGER STATE (dumpsys adb):\n{\n  debugging_manager={\n"
                  "    connected_to_adb=true\n    keystore=<?xml version='1.0' ?>\n"
                  "    <keyStore version=\"1\">\n    <adbKey key=\"QUJD x@y\" last",
                  &r);
    assert_null(r.records); /* no closing brace: MVT's extraction finds nothing */
    mh_result_free(&r);
    run_bugreport("ADB MANAGER STATE (dumpsys adb):\n{\n  debugging_manager={\n"
                  "    connected_to_adb=true\n    keystore=<?xml version='1.0' ?>\n"
                  "    <keyStore version=\"1\">\n    <adbKey key=\"QUJD x@y\" last\n  }\n}\n",
                  &r);
    assert_int_equal(json_array_size(r.records), 1);
    assert_int_equal(json_array_size(json_object_get(mt_rec(&r, 0), "keystore")), 0);
    mh_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel_record),
        cmocka_unit_test(test_samsung_abx),
        cmocka_unit_test(test_androidqf_foreign_keys),
        cmocka_unit_test(test_androidqf_without_host_key),
        cmocka_unit_test(test_bad_sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
