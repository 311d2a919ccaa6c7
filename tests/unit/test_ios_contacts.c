/* Contacts module (spec/ios.md §5.4): one record per value, no check, no
 * timeline; missing tables are not a failure. */
#include "testutil.h"

#include "backup_fixture.h"
#include "module_harness.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_contacts;

static char *make_backup(const char *root, const char *sql_override, bool split_wal)
{
    char *path = tu_join(tu_source_dir(), "tests/fixtures/ios/contacts/default.sql");
    char *sql = sql_override ? strdup(sql_override) : tu_read(path, NULL);
    assert_non_null(sql);
    char *wal = NULL;
    if (split_wal) {
        char *cut = strstr(sql, "INSERT INTO ABMultiValue VALUES (5");
        assert_non_null(cut);
        wal = strdup(cut);
        *cut = '\0';
    }
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(b, "HomeDomain", "Library/AddressBook/AddressBook.sqlitedb", sql, wal);
    json_t *info = json_pack("{s:s}", "Product Version", "15.7");
    bf_set_plists(b, info, NULL, NULL);
    json_decref(info);
    bf_finish(b);
    free(wal);
    free(sql);
    free(path);
    return dir;
}

static void check_run(bool split_wal)
{
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL, split_wal);
    const char *pats[] = {"[email-addr:value='ada@example.org']", NULL};
    char *stix = mh_stix(pats);
    mh_result r;
    mh_run_backup(&spy_mod_contacts, dir, stix, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.alerts), 0); /* no check */
    assert_int_equal(json_array_size(r.timeline), 0);
    /* the NULL value of person 2 is left out */
    assert_int_equal(json_array_size(r.records), 4);
    char *got = json_dumps(json_array_get(r.records, 1), JSON_PRESERVE_ORDER | JSON_COMPACT);
    assert_string_equal(got, "{\"value\":\"ada@example.org\",\"first\":\"Ada\",\"middle\":\"King\","
                             "\"last\":\"Lovelace\",\"organization\":\"Analytical Engines Ltd\"}");
    free(got);
    got = json_dumps(json_array_get(r.records, 3), JSON_PRESERVE_ORDER | JSON_COMPACT);
    assert_string_equal(got, "{\"value\":\"+15555550100\",\"first\":null,\"middle\":null,"
                             "\"last\":null,\"organization\":\"Pizza Place\"}");
    free(got);
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_contacts(void **state)
{
    (void)state;
    check_run(false);
}

static void test_contacts_wal(void **state)
{
    (void)state;
    check_run(true);
}

static void test_missing_tables(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir =
        make_backup(root, "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT);", false);
    mh_result r;
    mh_run_backup(&spy_mod_contacts, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_true(r.records == NULL || json_array_size(r.records) == 0);
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_contacts),
                                       cmocka_unit_test(test_contacts_wal),
                                       cmocka_unit_test(test_missing_tables)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
