/* Shortcuts module (spec/ios.md §5.21): records with the URLs of action
 * parameters, the URL indicator, timeline, a WAL, a missing table. */
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_shortcuts;

/* A Pegasus domain (amnesty-investigations/2021-07-18_nso/domains.txt). */
static const char *const PATTERNS[] = {"[domain-name:value='123tramites.com']", NULL};

static char *make_backup(const char *root, const char *sql_override, bool split_wal)
{
    char *sql = sql_override ? strdup(sql_override) : mt_fixture("shortcuts", "default.sql");
    assert_non_null(sql);
    char *wal = split_wal ? mt_split_wal(sql, "INSERT INTO ZSHORTCUTACTIONS VALUES (2") : NULL;
    char *dir =
        mt_db_backup(root, "HomeDomain", "Library/Shortcuts/Shortcuts.sqlite", sql, wal, "16.3");
    free(wal);
    free(sql);
    return dir;
}

static void assert_alert(const mh_result *r)
{
    mt_one_alert(r, "CRITICAL", "", "https://x.123tramites.com/c?id=1", "123tramites.com",
                 "domains");
    json_t *a = json_array_get(r->alerts, 0);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(a, "event"), "shortcut_id")), 1);
}

static void check_run(bool split_wal)
{
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL, split_wal);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_shortcuts, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 4);
    /* MVT's regex keeps the "'}" of the Python text form after the last
     * value of a dict: reproduced as is. */
    mt_json(json_array_get(r.records, 0),
            "{\"shortcut_id\":1,\"shortcut_name\":\"Morning\","
            "\"modified_date\":\"2023-03-08 20:31:40.500000\","
            "\"description\":\"Open URL, Get Contents of URL\",\"parsed_actions\":2,"
            "\"action_urls\":[\"https://www.apple.com/'}\",\"https://x.123tramites.com/c?id=1\"],"
            "\"isodate\":\"2023-03-08 20:26:40.000000\"}");
    mt_json(json_object_get(json_array_get(r.records, 1), "action_urls"),
            "[\"https://my123tramites.com/x'}\",\"https://123tramites.com.evil.net/\"]");
    /* no actions row, and an unreadable plist: MVT's "no action data" */
    mt_json(
        json_array_get(r.records, 2),
        "{\"shortcut_id\":3,\"shortcut_name\":\"Empty\","
        "\"modified_date\":\"2023-03-11 04:00:00.000000\",\"description\":null,"
        "\"action_urls\":null,\"parsed_actions\":0,\"isodate\":\"2023-03-11 04:00:00.000000\"}");
    assert_true(json_is_null(json_object_get(json_array_get(r.records, 3), "action_urls")));
    assert_alert(&r);
    assert_int_equal(json_array_size(r.timeline), 8);
    assert_true(
        mt_timeline_has(&r, "2023-03-08 20:26:40.000000", "Shortcuts", "shortcut_created",
                        "iOS Shortcut 'Morning': Open URL, Get Contents of URL - URLs in actions: "
                        "https://www.apple.com/'}, https://x.123tramites.com/c?id=1"));
    assert_true(
        mt_timeline_has(&r, "2023-03-08 20:31:40.500000", "Shortcuts", "shortcut_modified",
                        "iOS Shortcut 'Morning': Open URL, Get Contents of URL - URLs in actions: "
                        "https://www.apple.com/'}, https://x.123tramites.com/c?id=1"));
    assert_true(mt_timeline_has(&r, "2023-03-11 04:00:00.000000", "Shortcuts", "shortcut_created",
                                "iOS Shortcut 'Empty':  "));
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_shortcuts(void **state)
{
    (void)state;
    check_run(false);
}

static void test_shortcuts_wal(void **state)
{
    (void)state;
    check_run(true);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL, false);
    mh_result clean;
    mh_run_backup(&spy_mod_shortcuts, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    mh_result c;
    mt_check_iocs(&spy_mod_shortcuts, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    assert_alert(&c);
    mh_result direct;
    mh_run_backup(&spy_mod_shortcuts, dir, stix, &direct);
    mt_same_alerts(&direct, &c);
    mh_result_free(&direct);
    mh_result_free(&c);
    mh_result_free(&clean);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_no_table(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "CREATE TABLE ZOTHER (Z_PK INTEGER PRIMARY KEY);", false);
    mh_result r;
    mh_run_backup(&spy_mod_shortcuts, dir, NULL, &r);
    /* MVT logs "Invalid shortcut database format" and goes on: not a failure */
    assert_int_equal(r.exit_code, 0);
    assert_true(r.records == NULL || json_array_size(r.records) == 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shortcuts), cmocka_unit_test(test_shortcuts_wal),
        cmocka_unit_test(test_check_iocs), cmocka_unit_test(test_no_table)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
