/* DumpsysPackages (spec/android.md §4.8): the Packages: block of `dumpsys
 * package` in a Pixel (Android 14, per-user firstInstallTime and runtime
 * permissions), a Xiaomi MIUI (blank lines inside blocks, mvt#871) and a
 * Samsung Android 9 layout, also with CRLF line ends; app-id indicators
 * from amnesty-investigations/2024-12-16_serbia_novispy,
 * mvt-indicators/2023-07-25_wyrmspy_dragonegg and
 * mvt-indicators/2022-06-23_rcs_lab with near-miss decoys; the root
 * package alert; check-iocs on saved results; bad input. */
#include "module_test.h"

#include "acquire/commands.h"
#include "android_fixture.h"
#include "modules/android/pkg_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_packages;

static const char *const PATTERNS[] = {"[app:id='com.serv.services']", /* NoviSpy */
                                       "[app:id='com.hx.rootwifi']",   /* WyrmSpy/DragonEgg */
                                       "[app:id='com.vodaservices']",  /* RCS Lab */
                                       NULL};

static void run(const char *section, const char *stix, mh_result *r)
{
    char *root = tu_mkdtemp();
    const char *pairs[] = {"package", section, NULL};
    char *dumpstate = af_dumpstate(pairs);
    char *dir = af_bugreport_dir(root, dumpstate);
    const spy_module *mods[] = {&spy_mod_dumpsys_packages, NULL};
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, stix, "dumpsys_packages", r);
    tu_rmtree(root);
    free(root);
    free(dir);
    free(dumpstate);
}

static char *crlf(const char *text)
{
    size_t n = strlen(text), k = 0;
    char *out = malloc(2 * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n')
            out[k++] = '\r';
        out[k++] = text[i];
    }
    out[k] = '\0';
    return out;
}

static const char YOUTUBE[] =
    "{\"package_name\":\"com.google.android.youtube\",\"uid\":\"\",\"version_name\":\"19.09.37\","
    "\"version_code\":\"1541022144 minSdk=26 targetSdk=34\",\"timestamp\":\"2024-02-27 09:14:02\","
    "\"first_install_time\":\"2023-11-02 18:40:11\",\"last_update_time\":\"2024-02-27 09:14:05\","
    "\"installer\":\"com.android.vending\",\"system\":false,\"permissions\":["
    "{\"name\":\"com.google.android.youtube.permission.C2D_MESSAGE\",\"type\":\"declared\"},"
    "{\"name\":\"android.permission.INTERNET\",\"granted\":true,\"type\":\"install\"},"
    "{\"name\":\"android.permission.ACCESS_NETWORK_STATE\",\"granted\":true,\"type\":\"install\"},"
    "{\"name\":\"android.permission.POST_NOTIFICATIONS\",\"granted\":true,\"type\":\"runtime\"}],"
    "\"requested_permissions\":[\"android.permission.INTERNET\","
    "\"android.permission.ACCESS_NETWORK_STATE\",\"android.permission.POST_NOTIFICATIONS\"]}";

static void check_pixel(const char *section)
{
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run(section, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* the hidden system copy of YouTube after the blank line is not read */
    assert_int_equal(json_array_size(r.records), 5);
    mt_json(mt_rec(&r, 0), YOUTUBE);
    const json_t *serv = mt_rec(&r, 1);
    mt_str(serv, "package_name", "com.serv.services");
    mt_str(serv, "installer", "null");
    mt_str(serv, "first_install_time", "2024-02-20 22:03:52");
    assert_int_equal(json_array_size(json_object_get(serv, "permissions")), 11);
    assert_int_equal(json_array_size(json_object_get(serv, "requested_permissions")), 11);
    assert_int_equal(spy_pkg_dangerous_count(serv), 10);
    mt_str(mt_rec(&r, 2), "package_name", "com.serv.servicesx");
    assert_true(json_is_true(json_object_get(mt_rec(&r, 4), "system")));
    mt_str(mt_rec(&r, 4), "version_code", "34 minSdk=34 targetSdk=34");

    assert_int_equal(json_array_size(r.alerts), 2);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2024-02-20 22:03:51");
    assert_string_equal(mt_match(&r, 0, "value"), "com.serv.services");
    assert_string_equal(mt_match(&r, 0, "type"), "app_ids");
    assert_string_equal(mh_alert_str(&r, 1, "level"), "MEDIUM");
    assert_string_equal(
        mh_alert_str(&r, 1, "message"),
        "Found an installed package related to rooting/jailbreaking: \"com.topjohnwu.magisk\"");
    assert_string_equal(mh_alert_str(&r, 1, "event_time"), "2024-01-05 12:00:00");
    assert_null(mt_match(&r, 1, "value"));

    assert_int_equal(json_array_size(r.timeline), 15);
    assert_true(mt_timeline_has(&r, "2023-11-02 18:40:11", "DumpsysPackages",
                                "package_first_install",
                                "Install or update of package com.google.android.youtube"));
    assert_true(mt_timeline_has(&r, "2024-02-27 09:14:02", "DumpsysPackages", "package_install",
                                "Install or update of package com.google.android.youtube"));
    assert_true(mt_timeline_has(&r, "2024-02-27 09:14:05", "DumpsysPackages", "package_last_update",
                                "Install or update of package com.google.android.youtube"));
    mh_result_free(&r);
    free(stix);
}

static void test_pixel(void **state)
{
    (void)state;
    char *text = af_fixture("dumpsys_packages", "pixel_android14.txt", NULL);
    check_pixel(text);
    free(text);
}

static void test_pixel_crlf(void **state)
{
    (void)state;
    char *text = af_fixture("dumpsys_packages", "pixel_android14.txt", NULL);
    char *dos = crlf(text);
    check_pixel(dos);
    free(dos);
    free(text);
}

/* MIUI prints "<pkg> overlay paths:" unindented and a blank line inside
 * package blocks: MVT stops at the first blank line (1 package here);
 * spyscan reads on to the next section (pkg_parse.c), so 3 packages. */
static void test_xiaomi(void **state)
{
    (void)state;
    char *text = af_fixture("dumpsys_packages", "xiaomi_miui12.txt", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run(text, stix, &r);
    assert_int_equal(json_array_size(r.records), 3);
    mt_json(mt_rec(&r, 0),
            "{\"package_name\":\"com.miui.securitycenter\",\"uid\":\"1000\","
            "\"version_name\":\"7.4.2-220616.0.2\",\"version_code\":\"40000742 minSdk=29 "
            "targetSdk=30\",\"timestamp\":\"2009-01-01 08:00:00\",\"first_install_time\":"
            "\"2009-01-01 08:00:00\",\"last_update_time\":\"2022-07-01 10:11:12\","
            "\"installer\":\"com.xiaomi.market\",\"system\":true,\"permissions\":["
            "{\"name\":\"android.permission.READ_SMS\",\"granted\":true,\"type\":\"install\"},"
            "{\"name\":\"android.permission.CAMERA\",\"granted\":true,\"type\":\"install\"}],"
            "\"requested_permissions\":[\"android.permission.READ_SMS\","
            "\"android.permission.CAMERA\"]}");
    /* user 0's runtime grant, not user 999's; firstInstallTime before User */
    mt_json(mt_rec(&r, 1),
            "{\"package_name\":\"com.hx.rootwifi\",\"uid\":\"10188\",\"version_name\":\"1.3\","
            "\"version_code\":\"3 minSdk=19 targetSdk=29\",\"timestamp\":\"2023-05-17 03:22:10\","
            "\"first_install_time\":\"2023-05-17 03:22:11\",\"last_update_time\":\"2023-05-17 "
            "03:22:11\",\"installer\":\"com.google.android.packageinstaller\",\"system\":false,"
            "\"permissions\":[{\"name\":\"android.permission.ACCESS_FINE_LOCATION\","
            "\"granted\":true,\"type\":\"runtime\"}],\"requested_permissions\":["
            "\"android.permission.ACCESS_FINE_LOCATION\"]}");
    /* bytes that are not UTF-8 are kept as literal "\xNN" text in the
     * record (docs/differences-from-mvt.md; MVT drops or replaces them) */
    mt_str(mt_rec(&r, 2), "package_name", "com.xiaomi.\\xff\\xfeweird");
    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(mt_match(&r, 0, "value"), "com.hx.rootwifi");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2023-05-17 03:22:10");
    mh_result_free(&r);
    free(stix);
    free(text);
}

/* Android 9: userId=, firstInstallTime at package level, a blank line after
 * versionCode=; an install permission without ": granted=". */
static void test_samsung_android9(void **state)
{
    (void)state;
    char *text = af_fixture("dumpsys_packages", "samsung_android9.txt", NULL);
    char *dos = crlf(text);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run(dos, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 2);
    const json_t *msg = mt_rec(&r, 0);
    mt_str(msg, "uid", "10087");
    mt_str(msg, "version_name", "11.0.00.145");
    mt_str(msg, "first_install_time", "2019-03-05 11:00:00");
    mt_str(msg, "installer", "com.sec.android.app.samsungapps");
    assert_true(json_is_true(json_object_get(msg, "system")));
    mt_json(json_object_get(msg, "permissions"),
            "[{\"name\":\"android.permission.RECEIVE_BOOT_COMPLETED\",\"granted\":true,"
            "\"type\":\"install\"},{\"name\":\"com.samsung.android.messaging.permission.C2D_"
            "MESSAGE\",\"granted\":true,\"type\":\"install\"},{\"name\":\"android.permission."
            "READ_SMS\",\"granted\":true,\"type\":\"runtime\"},{\"name\":\"android.permission."
            "SEND_SMS\",\"granted\":true,\"type\":\"runtime\"}]");
    const json_t *voda = mt_rec(&r, 1);
    mt_json(json_object_get(voda, "permissions"),
            "[{\"name\":\"android.permission.READ_SMS\",\"granted\":true,\"type\":\"install\"},"
            "{\"name\":\"android.permission.RECEIVE_SMS\",\"granted\":null,\"type\":\"install\"}]");
    mt_one_alert(&r, "CRITICAL", "2020-11-02 16:45:03", "com.vodaservices", "com.vodaservices",
                 "app_ids");
    mh_result_free(&r);
    free(stix);
    free(dos);
    free(text);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *text = af_fixture("dumpsys_packages", "pixel_android14.txt", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result direct, clean, c;
    run(text, stix, &direct);
    run(text, NULL, &clean);
    /* without indicators only the root package alert */
    assert_int_equal(json_array_size(clean.alerts), 1);
    assert_int_equal(clean.exit_code, 0);
    const spy_module *mods[] = {&spy_mod_dumpsys_packages, NULL};
    mh_check_iocs(&spy_cmd_android_check_iocs, mods, clean.out_dir, stix, "dumpsys_packages", &c);
    mt_same_alerts(&direct, &c);
    assert_int_equal(c.exit_code, 1);
    mh_result_free(&c);
    mh_result_free(&clean);
    mh_result_free(&direct);
    free(stix);
    free(text);
}

static void test_bad_input(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    /* garbage where text is expected */
    run("\x01\x02Packages:\n\xff\xfe\x00garbage", stix, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    /* an empty section */
    run("", stix, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    /* truncated in the middle of a block: what was read is kept */
    char *text = af_fixture("dumpsys_packages", "pixel_android14.txt", NULL);
    char *cut = strstr(text, "    requested permissions:\n      android.permission.READ_SMS");
    assert_non_null(cut);
    cut[30] = '\0';
    run(text, stix, &r);
    assert_int_equal(json_array_size(r.records), 2);
    mt_str(mt_rec(&r, 1), "package_name", "com.serv.services");
    assert_int_equal(r.exit_code, 1);
    mh_result_free(&r);
    /* a header without a name is skipped, the next package is read */
    run("Packages:\n  Package [\n    userId=1\n  Package [a.b] (1):\n    userId=2\n", stix, &r);
    assert_int_equal(json_array_size(r.records), 1);
    mt_str(mt_rec(&r, 0), "uid", "2");
    mh_result_free(&r);
    free(text);
    free(stix);
}

/* A vendor layout indented two more spaces throughout (lists are read
 * relative to the package header); a package installed only for user 10
 * takes that user's firstInstallTime and runtime permissions. */
static void test_shifted_indentation(void **state)
{
    (void)state;
    static const char text[] =
        "Packages:\n"
        "    Package [com.li.activity] (4e5f6a7):\n"
        "      userId=10301\n"
        "      versionName=5.2\n"
        "      timeStamp=2024-02-02 02:02:02\n"
        "      lastUpdateTime=2024-02-02 02:02:03\n"
        "      requested permissions:\n"
        "        android.permission.READ_CONTACTS\n"
        "      install permissions:\n"
        "        android.permission.INTERNET: granted=true\n"
        "      User 10: ceDataInode=0 installed=true\n"
        "        firstInstallTime=2024-02-02 02:02:04\n"
        "        runtime permissions:\n"
        "          android.permission.READ_CONTACTS: granted=false, flags=[ USER_SET ]\n"
        "    Package [com.li.activityx] (4e5f6a8):\n"
        "      userId=10302\n";
    static const char *const li[] = {"[app:id='com.li.activity']", NULL}; /* NoviSpy */
    char *stix_li = mh_stix(li);
    mh_result r;
    run(text, stix_li, &r);
    assert_int_equal(json_array_size(r.records), 2);
    mt_json(mt_rec(&r, 0),
            "{\"package_name\":\"com.li.activity\",\"uid\":\"10301\",\"version_name\":\"5.2\","
            "\"version_code\":\"\",\"timestamp\":\"2024-02-02 02:02:02\",\"first_install_time\":"
            "\"2024-02-02 02:02:04\",\"last_update_time\":\"2024-02-02 02:02:03\",\"installer\":"
            "\"\",\"system\":false,\"permissions\":[{\"name\":\"android.permission.INTERNET\","
            "\"granted\":true,\"type\":\"install\"},{\"name\":\"android.permission.READ_CONTACTS\","
            "\"granted\":false,\"type\":\"runtime\"}],\"requested_permissions\":["
            "\"android.permission.READ_CONTACTS\"]}");
    mt_one_alert(&r, "CRITICAL", "2024-02-02 02:02:02", "com.li.activity", "com.li.activity",
                 "app_ids");
    mh_result_free(&r);
    free(stix_li);
}

static void test_no_dumpstate(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = af_bugreport_dir(root, NULL);
    const spy_module *mods[] = {&spy_mod_dumpsys_packages, NULL};
    mh_result r;
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, NULL, "dumpsys_packages", &r);
    assert_null(r.records);
    assert_int_equal(r.exit_code % 4, 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* Timeline descriptions around the module's 512-byte stack buffer (a
 * package name of 482 bytes just fits with its NUL, 483 goes to the heap)
 * are whole; a record keeps MVT's key order, the lists last. */
static void test_long_names(void **state)
{
    (void)state;
    for (size_t len = 482; len <= 483; len++) {
        char name[600], text[900], want[700];
        memset(name, 'a', len);
        memcpy(name, "com.", 4);
        name[len] = '\0';
        snprintf(text, sizeof text,
                 "Packages:\n  Package [%s] (1a2b):\n    userId=10123\n"
                 "    timeStamp=2024-02-27 09:14:02\n    lastUpdateTime=2024-02-27 09:14:05\n"
                 "    installerPackageName=com.android.vending\n",
                 name);
        snprintf(want, sizeof want, "Install or update of package %s", name);
        mh_result r;
        run(text, NULL, &r);
        assert_int_equal(json_array_size(r.records), 1);
        assert_int_equal(json_array_size(r.timeline), 3);
        assert_true(
            mt_timeline_has(&r, "2024-02-27 09:14:02", "DumpsysPackages", "package_install", want));
        assert_true(mt_timeline_has(&r, "2024-02-27 09:14:05", "DumpsysPackages",
                                    "package_last_update", want));
        const char *keys[] = {"package_name",
                              "uid",
                              "version_name",
                              "version_code",
                              "timestamp",
                              "first_install_time",
                              "last_update_time",
                              "installer",
                              "system",
                              "permissions",
                              "requested_permissions"};
        size_t i = 0;
        const char *key;
        json_t *v;
        json_t *rec = (json_t *)mt_rec(&r, 0);
        json_object_foreach(rec, key, v)
        {
            assert_true(i < sizeof keys / sizeof keys[0]);
            assert_string_equal(key, keys[i++]);
        }
        assert_int_equal(i, sizeof keys / sizeof keys[0]);
        mh_result_free(&r);
    }
}

/* spec §4.8: the root-package alert is raised once per package name; a
 * repeat raises nothing (no alert, no indicator check), as in MVT, while
 * both records are kept. */
static void test_root_alert_once(void **state)
{
    (void)state;
    static const char text[] = "Packages:\n"
                               "  Package [com.topjohnwu.magisk] (77ab0e4):\n"
                               "    userId=10240\n"
                               "    timeStamp=2024-01-05 12:00:00\n"
                               "  Package [com.serv.services] (5d1e2f3):\n"
                               "    userId=10188\n"
                               "    timeStamp=2024-02-20 22:03:51\n"
                               "  Package [com.topjohnwu.magisk] (88bc1f5):\n"
                               "    userId=10241\n"
                               "    timeStamp=2024-03-01 08:00:00\n";
    static const char *const magisk[] = {"[app:id='com.topjohnwu.magisk']", NULL};
    char *stix = mh_stix(magisk);
    mh_result r;
    run(text, stix, &r);
    assert_int_equal(json_array_size(r.records), 3);
    mt_str(mt_rec(&r, 2), "timestamp", "2024-03-01 08:00:00");
    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "MEDIUM");
    assert_string_equal(
        mh_alert_str(&r, 0, "message"),
        "Found an installed package related to rooting/jailbreaking: \"com.topjohnwu.magisk\"");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2024-01-05 12:00:00");
    assert_null(mt_match(&r, 0, "value")); /* a root package is not checked */
    /* check-iocs on the saved records: the same single alert */
    mh_result clean, c;
    run(text, NULL, &clean);
    const spy_module *mods[] = {&spy_mod_dumpsys_packages, NULL};
    mh_check_iocs(&spy_cmd_android_check_iocs, mods, clean.out_dir, stix, "dumpsys_packages", &c);
    mt_same_alerts(&r, &c);
    mh_result_free(&c);
    mh_result_free(&clean);
    mh_result_free(&r);
    free(stix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel),        cmocka_unit_test(test_pixel_crlf),
        cmocka_unit_test(test_xiaomi),       cmocka_unit_test(test_samsung_android9),
        cmocka_unit_test(test_check_iocs),   cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_no_dumpstate), cmocka_unit_test(test_shifted_indentation),
        cmocka_unit_test(test_long_names),   cmocka_unit_test(test_root_alert_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
