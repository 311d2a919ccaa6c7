/* Calendar module (spec/ios.md §5.23): records with the organizer, the
 * e-mail indicator on the organizer, the QuaDream invitation heuristic,
 * timeline, a WAL and a wrong schema. */
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_calendar;

/* A Pegasus account (amnesty-investigations/2021-07-18_nso/emails.txt);
 * the fixture writes it in mixed case, e-mail matching ignores case. */
static const char *const PATTERNS[] = {"[email-addr:value='ameliehaggart@gmail.com']", NULL};

static char *make_backup(const char *root, bool split_wal)
{
    char *sql = mt_fixture("calendar", "default.sql");
    char *wal = split_wal
                    ? mt_split_wal(
                          sql, "INSERT INTO CalendarItem (ROWID, summary, description, start_date, "
                               "end_date, all_day, calendar_id, organizer_id, url, last_modified, "
                               "external_id, external_mod_tag, unique_identifier, hidden, UUID, "
                               "creation_date, action, created_by_id, entity_type, has_attendees)\n"
                               "  VALUES (3")
                    : NULL;
    char *dir =
        mt_db_backup(root, "HomeDomain", "Library/Calendar/Calendar.sqlitedb", sql, wal, "16.1");
    free(wal);
    free(sql);
    return dir;
}

static void assert_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 2);
    assert_string_equal(mh_alert_str(r, 0, "level"), "HIGH");
    assert_string_equal(mh_alert_str(r, 0, "message"),
                        "Potential Quadream exploit event identified: "
                        "9D2A47B4-3B3E-4C7B-8F4E-6A1D2C3B4A59");
    assert_string_equal(mh_alert_str(r, 0, "event_time"), "");
    assert_string_equal(mh_alert_str(r, 1, "level"), "CRITICAL");
    assert_non_null(strstr(mh_alert_str(r, 1, "message"), "AmelieHaggart@gmail.com"));
    json_t *mi = json_object_get(json_array_get(r->alerts, 1), "matched_indicator");
    assert_string_equal(json_string_value(json_object_get(mi, "value")), "ameliehaggart@gmail.com");
    assert_string_equal(json_string_value(json_object_get(mi, "type")), "emails");
}

static void check_run(bool split_wal)
{
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, split_wal);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_calendar, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 4);
    mt_json(
        json_array_get(r.records, 2),
        "{\"id\":3,\"summary\":\"Lunch\",\"description\":\"Bring documents\","
        "\"start_date\":\"2022-11-16 14:00:00.000000\",\"end_date\":\"2022-11-16 15:00:00.000000\","
        "\"all_day\":0,\"calendar_id\":1,\"organizer_id\":2,\"url\":\"https://example.org/lunch\","
        "\"last_modified\":\"2022-11-13 02:48:20.000000\","
        "\"external_id\":\"invite-2@example.invalid\",\"external_mod_tag\":\"2\","
        "\"unique_identifier\":\"invite-2@example.invalid\",\"hidden\":0,"
        "\"uuid\":\"AB6E1C2D-0F3E-4A5B-9C8D-7E6F5A4B3C2D\","
        "\"creation_date\":\"2022-11-13 02:46:40.000000\",\"action\":null,\"created_by_id\":null,"
        "\"participant_uuid\":\"D4E5F6A7-1B2C-4D3E-8F90-1A2B3C4D5E6F\","
        "\"participant_email\":\"AmelieHaggart@gmail.com\",\"participant_phone\":\"+15555550100\","
        "\"participant_comment\":\"see you\","
        "\"participant_last_modified\":\"2022-11-13 02:48:20.500000\"}");
    /* no organizer: participant fields null, NULL dates stay null */
    const json_t *r1 = json_array_get(r.records, 0);
    assert_true(json_is_null(json_object_get(r1, "participant_email")));
    assert_true(json_is_null(json_object_get(json_array_get(r.records, 3), "end_date")));
    assert_alerts(&r);
    assert_int_equal(json_array_size(r.timeline), 4 + 5 + 5 + 1);
    assert_true(mt_timeline_has(&r, "2022-11-14 06:26:40.000000", "Calendar", "start_date",
                                "Calendar event Dentist (None) (invitation by None)"));
    assert_true(mt_timeline_has(
        &r, "2022-11-13 02:48:20.500000", "Calendar", "participant_last_modified",
        "Calendar event Lunch (Bring documents) (invitation by AmelieHaggart@gmail.com)"));
    assert_true(mt_timeline_has(
        &r, "2022-11-15 10:13:20.000000", "Calendar", "end_date",
        "Calendar event Meeting (Notes) (invitation by organizer@quadream-test.invalid)"));
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_calendar(void **state)
{
    (void)state;
    check_run(false);
}

static void test_calendar_wal(void **state)
{
    (void)state;
    check_run(true);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, false);
    mh_result clean;
    mh_run_backup(&spy_mod_calendar, dir, NULL, &clean);
    /* the QuaDream heuristic needs no indicator */
    assert_int_equal(clean.exit_code, 1);
    assert_int_equal(json_array_size(clean.alerts), 1);
    assert_string_equal(mh_alert_str(&clean, 0, "level"), "HIGH");
    char *stix = mh_stix(PATTERNS);
    mh_result c;
    mt_check_iocs(&spy_mod_calendar, clean.out_dir, stix, &c);
    assert_alerts(&c);
    mh_result direct;
    mh_run_backup(&spy_mod_calendar, dir, stix, &direct);
    mt_same_alerts(&direct, &c);
    mh_result_free(&direct);
    mh_result_free(&c);
    mh_result_free(&clean);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_wrong_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = mt_db_backup(root, "HomeDomain", "Library/Calendar/Calendar.sqlitedb",
                             "CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT);",
                             NULL, "16.1");
    mh_result r;
    mh_run_backup(&spy_mod_calendar, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar), cmocka_unit_test(test_calendar_wal),
        cmocka_unit_test(test_check_iocs), cmocka_unit_test(test_wrong_schema)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
