/* Calls module (spec/ios.md §5.1): records, timeline, a WAL, a wrong
 * schema, and no indicator check at all. */
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_calls;

static char *make_backup(const char *root, const char *sql_override, bool split_wal)
{
    char *sql = sql_override ? strdup(sql_override) : mt_fixture("calls", "default.sql");
    assert_non_null(sql);
    char *wal = split_wal ? mt_split_wal(sql, "INSERT INTO ZCALLRECORD VALUES (3") : NULL;
    char *dir = mt_db_backup(root, "HomeDomain", "Library/CallHistoryDB/CallHistory.storedata", sql,
                             wal, "16.3");
    free(wal);
    free(sql);
    return dir;
}

static void check_run(bool split_wal)
{
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL, split_wal);
    /* an indicator equal to a number and a provider: Calls has no check */
    const char *pats[] = {"[process:name='com.apple.Telephony']",
                          "[email-addr:value='someone@example.org']", NULL};
    char *stix = mh_stix(pats);
    mh_result r;
    mh_run_backup(&spy_mod_calls, dir, stix, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.alerts), 0);
    assert_int_equal(json_array_size(r.records), 3);
    mt_json(json_array_get(r.records, 0),
            "{\"isodate\":\"2022-11-13 02:40:00.250000\",\"duration\":62.0,"
            "\"location\":\"United States\",\"number\":\"+15555550123\","
            "\"provider\":\"com.apple.Telephony\"}");
    const json_t *r2 = json_array_get(r.records, 1);
    assert_true(json_is_null(json_object_get(r2, "location")));
    assert_string_equal(json_string_value(json_object_get(r2, "number")), "someone@example.org");
    assert_int_equal(json_array_size(r.timeline), 3);
    json_t *row = json_array_get(r.timeline, 0);
    assert_string_equal(json_string_value(json_array_get(row, 0)), "2022-11-13 02:40:00.250000");
    assert_string_equal(json_string_value(json_array_get(row, 1)), "Calls");
    assert_string_equal(json_string_value(json_array_get(row, 2)), "call");
    assert_string_equal(json_string_value(json_array_get(row, 3)),
                        "From +15555550123 using com.apple.Telephony during 62.0 seconds");
    row = json_array_get(r.timeline, 2);
    assert_string_equal(json_string_value(json_array_get(row, 3)),
                        "From +447700900123 using net.whatsapp.WhatsApp during 15.5 seconds");
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_calls(void **state)
{
    (void)state;
    check_run(false);
}

static void test_calls_wal(void **state)
{
    (void)state;
    check_run(true);
}

static void test_wrong_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(
        root, "CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, ZDATE TIMESTAMP);", false);
    mh_result r;
    mh_run_backup(&spy_mod_calls, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* check-iocs of saved results re-reads them cleanly and, as the direct run,
 * raises nothing for indicators equal to a provider and a number. */
static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL, false);
    const char *pats[] = {"[process:name='com.apple.Telephony']",
                          "[email-addr:value='someone@example.org']", NULL};
    char *stix = mh_stix(pats);
    assert_int_equal(mt_check_iocs_same(&spy_mod_calls, dir, stix), 0);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calls), cmocka_unit_test(test_calls_wal),
        cmocka_unit_test(test_wrong_schema), cmocka_unit_test(test_check_iocs)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
