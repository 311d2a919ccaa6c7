/* The module test harness itself: a module reading a fixture backup through
 * the acquisition, with its outputs parsed back. */
#include "testutil.h"

#include "acquire/commands.h"
#include "backup_fixture.h"
#include "core/error.h"
#include "module_harness.h"
#include "modules/module_kit.h"

#include <string.h>

static int notes_run(spy_mod_ctx *ctx)
{
    spy_query q = {.domain = "HomeDomain", .path = "Library/Notes/notes.db"};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    spy_evscan s;
    spy_evscan_prepare(&s, db, "SELECT id, url, ts FROM notes ORDER BY id");
    while (spy_evscan_step(&s))
        spy_emit(ctx, spy_kit_row(s.stmt));
    err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    spy_evdb_close(db);
    free(label);
    return err;
}

static void notes_check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_check_ioc(ctx, SPY_CHECK_URL, spy_kit_str(r, "url"), spy_kit_str(r, "ts"), NULL);
}

static void notes_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    spy_timeline_event(ctx, spy_kit_str(r, "ts"), "note", spy_kit_str(r, "url"));
}

static const spy_module notes = {"TestNotes", "test_notes", SPY_ACQ_IOS_BACKUP, 0,
                                 notes_run,   notes_check,  notes_timeline};

static void test_harness(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(
        b, "HomeDomain", "Library/Notes/notes.db",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, url TEXT, ts TEXT);"
        "INSERT INTO notes VALUES (1, 'https://example.org/a', '2021-01-01 00:00:00.000000');"
        "INSERT INTO notes VALUES (2, 'https://x.weather4free.com/b', '2021-01-02 "
        "00:00:00.000000');",
        NULL);
    json_t *info = json_pack("{s:s}", "Product Version", "15.1");
    bf_set_plists(b, info, NULL, NULL);
    json_decref(info);
    bf_finish(b);

    const char *pats[] = {"[domain-name:value='weather4free.com']", NULL};
    char *stix = mh_stix(pats);
    mh_result r;
    mh_run_backup(&notes, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 2);
    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(
        mh_alert_str(&r, 0, "message"),
        "Found a sub-domain with a suspicious top level https://x.weather4free.com/b "
        "matching indicator \"weather4free.com\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2021-01-02 00:00:00.000000");
    assert_int_equal(json_array_size(r.timeline), 2);
    json_t *row = json_array_get(r.timeline, 1);
    assert_string_equal(json_string_value(json_array_get(row, 1)), "TestNotes");
    assert_string_equal(json_string_value(json_array_get(row, 3)), "https://x.weather4free.com/b");

    /* re-check the saved records */
    const spy_module *mods[] = {&notes, NULL};
    mh_result c;
    mh_check_iocs(&spy_cmd_ios_check_iocs, mods, r.out_dir, stix, "test_notes", &c);
    assert_int_equal(c.exit_code, 1);
    assert_int_equal(json_array_size(c.alerts), 1);
    mh_result_free(&c);
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_harness)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
