/* DumpsysActivities (spec/android.md §4.2): the Activity Resolver Table of
 * a Pixel Android 13 report ("hash component" and "(2 filters)" entries)
 * and a Xiaomi Android 10 one ("filter <hash>" suffixes, a header indented
 * 15 spaces, a header indented 4, a lone hash), also with CRLF line ends;
 * the NoviSpy app id (amnesty-investigations/2024-12-16_serbia_novispy)
 * with decoys: a near-miss package and the same package in other tables
 * and other parts of this table; check-iocs on saved results; bad input. */
#include "dumpsys_test.h"

#include "modules/android/resolver_table.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dumpsys_activities;

static const char *const PATTERNS[] = {"[app:id='com.serv.services']", NULL};

static void run(const char *fixture, bool with_crlf, const char *stix, mh_result *r)
{
    char *text = af_fixture("dumpsys_activities", fixture, NULL);
    if (with_crlf) {
        char *c = dt_crlf(text);
        free(text);
        text = c;
    }
    char *root = tu_mkdtemp();
    dt_run(&spy_mod_dumpsys_activities, root, "package", text, stix, r);
    tu_rmtree(root);
    free(root);
    free(text);
}

#define ACT(intent, pkg, activity)                                                                 \
    "{\"intent\":\"" intent "\",\"package_name\":\"" pkg "\",\"activity\":\"" activity "\"}"

static void test_pixel(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("package_pixel_t13.txt", false, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* only Non-Data Actions, up to its blank line: not the installer
     * activity of Full MIME Types, the share activity of MIME Typed Actions
     * nor the receiver; "(2 filters)" is not part of the component */
    dt_expect(r.records, "dumpsys_activities", "package_pixel_t13.expected.json");
    mt_json(mt_rec(&r, 0),
            ACT("android.intent.action.MAIN", "com.google.android.apps.nexuslauncher",
                "com.google.android.apps.nexuslauncher/.NexusLauncherActivity"));
    mt_json(mt_rec(&r, 1), ACT("android.intent.action.MAIN", "com.android.settings",
                               "com.android.settings/.Settings"));
    mt_json(mt_rec(&r, 2), ACT("android.intent.action.MAIN", "com.serv.services",
                               "com.serv.services/.MainActivity"));
    mt_json(mt_rec(&r, 3), ACT("android.settings.ACCESSIBILITY_SETTINGS", "com.android.settings",
                               "com.android.settings/.Settings$AccessibilitySettingsActivity"));
    mt_json(mt_rec(&r, 4), ACT("com.serv.services.action.START", "com.serv.services",
                               "com.serv.services/.ui.StartActivity"));
    mt_json(mt_rec(&r, 5), ACT("com.serv.services.action.START", "com.serv.service",
                               "com.serv.service/.DecoyActivity"));
    assert_int_equal(json_array_size(r.alerts), 2);
    dt_app_alert(&r, 0, "com.serv.services");
    mt_str(json_object_get(json_array_get(r.alerts, 0), "event"), "activity",
           "com.serv.services/.MainActivity");
    dt_app_alert(&r, 1, "com.serv.services");
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
}

static void check_xiaomi(bool with_crlf)
{
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("package_xiaomi_q10.txt", with_crlf, stix, &r);
    assert_int_equal(r.exit_code, 1);
    dt_expect(r.records, "dumpsys_activities", "package_xiaomi_q10.expected.json");
    mt_json(mt_rec(&r, 0),
            ACT("android.intent.action.MAIN", "com.miui.home", "com.miui.home/.launcher.Launcher"));
    /* a header indented 15 spaces where an entry was expected (MVT stops
     * with an error there) opens its action */
    mt_json(mt_rec(&r, 2), ACT("com.serv.services.action.HIDDEN", "com.serv.services",
                               "com.serv.services/.HiddenActivity"));
    mt_json(mt_rec(&r, 3), ACT("android.intent.action.VIEW", "com.android.browser",
                               "com.android.browser/.BrowserActivity"));
    /* a header indented 4 spaces closes VIEW, as in MVT: the search
     * activity under it is not read */
    mt_json(mt_rec(&r, 4), ACT("com.miui.securitycenter.action.SCAN", "com.miui.securitycenter",
                               "com.miui.securitycenter/com.miui.antivirus.activity.MainActivity"));
    mt_json(mt_rec(&r, 5), ACT("com.miui.securitycenter.action.SCAN", "COM.SERV.SERVICES",
                               "COM.SERV.SERVICES/.UpperCaseActivity"));
    /* app ids compare case-insensitively */
    assert_int_equal(json_array_size(r.alerts), 2);
    dt_alert(&r, 0, "CRITICAL", "",
             "Found a known suspicious app with ID \"com.serv.services\" matching indicators "
             "from \"TestMalware\"");
    dt_alert(&r, 1, "CRITICAL", "",
             "Found a known suspicious app with ID \"COM.SERV.SERVICES\" matching indicators "
             "from \"TestMalware\"");
    assert_string_equal(mt_match(&r, 1, "value"), "com.serv.services");
    mh_result_free(&r);
    free(stix);
}

static void test_xiaomi(void **state)
{
    (void)state;
    check_xiaomi(false);
}

static void test_xiaomi_crlf(void **state)
{
    (void)state;
    check_xiaomi(true);
}

static void test_check_iocs(void **state)
{
    (void)state;
    mh_result clean, with;
    run("package_pixel_t13.txt", false, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    run("package_pixel_t13.txt", false, stix, &with);
    dt_recheck_same(&spy_mod_dumpsys_activities, clean.out_dir, stix, &with);
    assert_int_equal(json_array_size(with.alerts), 2);
    mh_result_free(&clean);
    mh_result_free(&with);
    free(stix);
}

static int count_entry(void *ud, const char *intent, spy_text component, spy_text package)
{
    (void)intent, (void)component, (void)package;
    (*(size_t *)ud)++;
    return 0;
}

static size_t count(const char *text, size_t len)
{
    size_t n = 0;
    spy_resolver_cbs cbs = {NULL, count_entry, false};
    assert_int_equal(spy_resolver_table_parse(text, len, "Activity", &cbs, &n), 0);
    return n;
}

static void test_bad_input(void **state)
{
    (void)state;
    static const char garbage[] = "\xff\x00Activity Resolver Table\n  Non-Data Actions:\n\x01";
    assert_int_equal(count(garbage, sizeof garbage - 1), 0);
    /* the table without its Non-Data part, or cut inside it */
    static const char no_part[] = "Activity Resolver Table:\n  Full MIME Types:\n      a/b:\n"
                                  "        1 com.x/.A\n";
    assert_int_equal(count(no_part, strlen(no_part)), 0);
    static const char cut[] = "Activity Resolver Table:\n  Non-Data Actions:\n      a.B:\n"
                              "        1 com.x/.A\n        2 com.y/";
    assert_int_equal(count(cut, strlen(cut)), 2);
    /* an entry before any header, a double space (the second token is then
     * empty, as with Python's split(" ")) */
    static const char odd[] = "Activity Resolver Table:\n  Non-Data Actions:\n"
                              "        0 com.early/.A\n      a.B:\n        1  com.x/.A\n";
    assert_int_equal(count(odd, strlen(odd)), 1);
    assert_int_equal(count(NULL, 0), 0);
    /* no Activity table: nothing, whatever the other tables hold */
    char *root = tu_mkdtemp();
    mh_result r;
    dt_run(&spy_mod_dumpsys_activities, root, "package",
           "Receiver Resolver Table:\n  Non-Data Actions:\n      a.B:\n        1 com.x/.R\n", NULL,
           &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel),       cmocka_unit_test(test_xiaomi),
        cmocka_unit_test(test_xiaomi_crlf), cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
