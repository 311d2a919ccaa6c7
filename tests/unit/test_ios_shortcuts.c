/* Shortcuts module (spec/ios.md §5.21): records with the URLs of action
 * parameters, the URL indicator, timeline, a WAL, a missing table. */
#include "testutil.h"

#include "acquire/commands.h"
#include "backup_fixture.h"
#include "module_harness.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_shortcuts;

/* A Pegasus domain (amnesty-investigations/2021-07-18_nso/domains.txt). */
static const char *const PATTERNS[] = {"[domain-name:value='123tramites.com']", NULL};

static char *make_backup(const char *root, const char *sql_override, bool split_wal)
{
    char *path = tu_join(tu_source_dir(), "tests/fixtures/ios/shortcuts/default.sql");
    char *sql = sql_override ? strdup(sql_override) : tu_read(path, NULL);
    assert_non_null(sql);
    char *wal = NULL;
    if (split_wal) {
        char *cut = strstr(sql, "INSERT INTO ZSHORTCUTACTIONS VALUES (2");
        assert_non_null(cut);
        wal = strdup(cut);
        *cut = '\0';
    }
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(b, "HomeDomain", "Library/Shortcuts/Shortcuts.sqlite", sql, wal);
    json_t *info = json_pack("{s:s}", "Product Version", "16.3");
    bf_set_plists(b, info, NULL, NULL);
    json_decref(info);
    bf_finish(b);
    free(wal);
    free(sql);
    free(path);
    return dir;
}

static void assert_json(const json_t *v, const char *want)
{
    char *got = json_dumps(v, JSON_PRESERVE_ORDER | JSON_COMPACT);
    assert_string_equal(got, want);
    free(got);
}

static void assert_alert(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 1);
    assert_string_equal(mh_alert_str(r, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(r, 0, "event_time"), "");
    assert_non_null(strstr(mh_alert_str(r, 0, "message"), "https://x.123tramites.com/c?id=1"));
    json_t *a = json_array_get(r->alerts, 0);
    json_t *mi = json_object_get(a, "matched_indicator");
    assert_string_equal(json_string_value(json_object_get(mi, "value")), "123tramites.com");
    assert_string_equal(json_string_value(json_object_get(mi, "type")), "domains");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(a, "event"), "shortcut_id")), 1);
}

static bool has_row(const json_t *tl, const char *ts, const char *ev, const char *data)
{
    size_t i;
    json_t *row;
    json_array_foreach(tl, i, row)
    {
        if (strcmp(json_string_value(json_array_get(row, 0)), ts) == 0 &&
            strcmp(json_string_value(json_array_get(row, 1)), "Shortcuts") == 0 &&
            strcmp(json_string_value(json_array_get(row, 2)), ev) == 0 &&
            strcmp(json_string_value(json_array_get(row, 3)), data) == 0)
            return true;
    }
    return false;
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
    assert_json(
        json_array_get(r.records, 0),
        "{\"shortcut_id\":1,\"shortcut_name\":\"Morning\","
        "\"modified_date\":\"2023-03-08 20:31:40.500000\","
        "\"description\":\"Open URL, Get Contents of URL\",\"parsed_actions\":2,"
        "\"action_urls\":[\"https://www.apple.com/'}\",\"https://x.123tramites.com/c?id=1\"],"
        "\"isodate\":\"2023-03-08 20:26:40.000000\"}");
    assert_json(json_object_get(json_array_get(r.records, 1), "action_urls"),
                "[\"https://my123tramites.com/x'}\",\"https://123tramites.com.evil.net/\"]");
    /* no actions row, and an unreadable plist: MVT's "no action data" */
    assert_json(
        json_array_get(r.records, 2),
        "{\"shortcut_id\":3,\"shortcut_name\":\"Empty\","
        "\"modified_date\":\"2023-03-11 04:00:00.000000\",\"description\":null,"
        "\"action_urls\":null,\"parsed_actions\":0,\"isodate\":\"2023-03-11 04:00:00.000000\"}");
    assert_true(json_is_null(json_object_get(json_array_get(r.records, 3), "action_urls")));
    assert_alert(&r);
    assert_int_equal(json_array_size(r.timeline), 8);
    assert_true(has_row(r.timeline, "2023-03-08 20:26:40.000000", "shortcut_created",
                        "iOS Shortcut 'Morning': Open URL, Get Contents of URL - URLs in actions: "
                        "https://www.apple.com/'}, https://x.123tramites.com/c?id=1"));
    assert_true(has_row(r.timeline, "2023-03-08 20:31:40.500000", "shortcut_modified",
                        "iOS Shortcut 'Morning': Open URL, Get Contents of URL - URLs in actions: "
                        "https://www.apple.com/'}, https://x.123tramites.com/c?id=1"));
    assert_true(has_row(r.timeline, "2023-03-11 04:00:00.000000", "shortcut_created",
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
    const spy_module *mods[] = {&spy_mod_shortcuts, NULL};
    mh_result c;
    mh_check_iocs(&spy_cmd_ios_check_iocs, mods, clean.out_dir, stix, "shortcuts", &c);
    assert_int_equal(c.exit_code, 1);
    assert_alert(&c);
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
