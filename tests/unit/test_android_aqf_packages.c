/* AQFPackages (spec/android.md §4.14): packages.json kept as it is; root,
 * installer and disabled-package heuristics; app id, APK SHA-256 and
 * signing-certificate indicators from amnesty-investigations/2024-12-16_serbia_novispy
 * and mvt-indicators/ResidentBat, with near-miss decoys; a 160-bit
 * certificate serial number; damaged files. */
#include "aqf_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_aqf_packages;

static const char *const PATTERNS[] = {
    "[app:id='com.serv.services']",
    "[app:id='com.google.bat']",
    "[file:hashes.sha256='54ee2c4f3e2396b6f92def135d68abd35d63ca7f9c304633a36f705ba4728cb7']",
    "[file:hashes.sha256='820c394b22b950335eb5cf21bc7df5c7a33081169f41440c74d67e7a8f196960']",
    "[app:cert.sha256='3ac97735164824657b683e805133b1274b2dedabf9fdd6aa9aca31089d501e64']",
    "[app:cert.sha256='18afc5c6bfaee504a26291f6bf3e6f823dbedd54bba0c4acac2e7c2414b3e24d']",
    NULL};

static char *qf(const char *root, const char *packages)
{
    const char *files[] = {"packages.json", packages, NULL};
    return at_qf(root, files);
}

static void assert_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 11);
    at_alert(r, 0, "MEDIUM",
             "Found a non-system package installed via adb or another method: "
             "\"com.serv.services\"");
    at_alert(r, 1, "CRITICAL",
             "Found a known suspicious app with ID \"com.serv.services\" matching indicators from "
             "\"TestMalware\"");
    at_alert(r, 2, "CRITICAL",
             "Found a known suspicious file with hash "
             "\"54ee2c4f3e2396b6f92def135d68abd35d63ca7f9c304633a36f705ba4728cb7\" matching "
             "indicators from \"TestMalware\"");
    at_alert(r, 3, "CRITICAL",
             "Found a known suspicious app certfificate with hash "
             "\"3ac97735164824657b683e805133b1274b2dedabf9fdd6aa9aca31089d501e64\" matching "
             "indicators from \"TestMalware\"");
    assert_string_equal(mt_match(r, 3, "type"), "app_cert_hashes");
    at_alert(r, 4, "MEDIUM",
             "Found a package installed via a browser "
             "(installer=\"com.google.android.packageinstaller\"): \"org.fdroid.fdroid\"");
    at_alert(r, 5, "INFORMATIONAL",
             "Found a package installed via a third party store (installer=\"org.fdroid.fdroid\"): "
             "\"org.nuclearfog.apollo\"");
    /* the root package carries an indicator hash, but MVT skips its other checks */
    at_alert(
        r, 6, "MEDIUM",
        "Found an installed package related to rooting/jailbreaking: \"com.topjohnwu.magisk\"");
    at_alert(r, 7, "MEDIUM", "System OTA update package \"com.wssyncmldm\" disabled on the phone");
    at_alert(r, 8, "MEDIUM",
             "Security package \"com.samsung.android.securitylogagent\" disabled on the phone");
    at_alert(r, 9, "CRITICAL",
             "Found a known suspicious app with ID \"com.google.bat\" matching indicators from "
             "\"TestMalware\"");
    /* certificate hashes compare case-insensitively */
    at_alert(r, 10, "CRITICAL",
             "Found a known suspicious app certfificate with hash "
             "\"18AFC5C6BFAEE504A26291F6BF3E6F823DBEDD54BBA0C4ACAC2E7C2414B3E24D\" matching "
             "indicators from \"TestMalware\"");
}

static void test_packages(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *text = af_fixture("aqf_packages", "packages.json", NULL);
    char *dir = qf(root, text);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    at_run(&spy_mod_aqf_packages, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 9);
    /* records are the packages as written (plus the indicator MVT stores) */
    json_t *input = json_loads(text, 0, NULL);
    assert_null(input); /* jansson alone cannot read the 160-bit serial number */
    const json_t *wa = mt_rec(&r, 0);
    mt_keys(wa, "name,files,installer,uid,disabled,system,third_party");
    mt_keys(json_array_get(json_object_get(wa, "files"), 0),
            "path,local_name,md5,sha1,sha256,sha512,error,verified_certificate,certificate,"
            "certificate_error,trusted_certificate");
    const json_t *bat = mt_rec(&r, 8);
    const json_t *cert =
        json_object_get(json_array_get(json_object_get(bat, "files"), 0), "certificate");
    assert_string_equal(json_string_value(json_object_get(cert, "SerialNumber")),
                        "955466096586930338769951715633687128507538251257");
    assert_int_equal(
        json_integer_value(json_object_get(
            json_object_get(json_array_get(json_object_get(wa, "files"), 0), "certificate"),
            "SerialNumber")),
        1277507236);
    assert_null(json_object_get(mt_rec(&r, 2), "matched_indicator")); /* the decoy */
    assert_null(json_object_get(mt_rec(&r, 5), "matched_indicator")); /* the root package */
    assert_non_null(json_object_get(mt_rec(&r, 1), "matched_indicator"));
    assert_alerts(&r);
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
    free(text);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_without_indicators_and_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *text = af_fixture("aqf_packages", "packages.json", NULL);
    char *dir = qf(root, text);
    char *stix = mh_stix(PATTERNS);
    mh_result clean, again, with;
    at_run(&spy_mod_aqf_packages, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0); /* heuristics only, none HIGH */
    assert_int_equal(json_array_size(clean.alerts), 6);
    at_alert(&clean, 0, "MEDIUM",
             "Found a non-system package installed via adb or another method: "
             "\"com.serv.services\"");
    at_recheck(&spy_mod_aqf_packages, clean.out_dir, stix, &again);
    at_run(&spy_mod_aqf_packages, dir, stix, &with);
    mt_same_alerts(&with, &again);
    mh_result_free(&clean);
    mh_result_free(&again);
    mh_result_free(&with);
    free(stix);
    free(text);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void run_text(const char *text, mh_result *r)
{
    char *root = tu_mkdtemp();
    char *dir = qf(root, text);
    at_run(&spy_mod_aqf_packages, dir, NULL, r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_bad_input(void **state)
{
    (void)state;
    mh_result r;
    /* truncated after the second package: the two complete ones are kept */
    char *text = af_fixture("aqf_packages", "packages.json", NULL);
    char *cut = strstr(text, "\"name\": \"com.serv.service\"");
    assert_non_null(cut);
    cut[10] = '\0';
    run_text(text, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 2);
    mh_result_free(&r);
    free(text);
    /* not JSON, an object, an empty file: the module fails (exit 4) */
    run_text("\x89PNG\r\n\x1a\n\x00\x00", &r);
    assert_int_equal(r.exit_code, 4);
    assert_null(r.records);
    mh_result_free(&r);
    run_text("{\"name\": \"com.whatsapp\"}", &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    run_text("", &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    /* invalid UTF-8 in a name is dropped; non-object entries are skipped */
    run_text("[{\"name\": \"com.ex\xff"
             "ample\", \"installer\": \"com.android.vending\"}, 7, null]",
             &r);
    assert_int_equal(json_array_size(r.records), 1);
    mt_str(mt_rec(&r, 0), "name", "com.example");
    mh_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packages),
        cmocka_unit_test(test_without_indicators_and_check_iocs),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
