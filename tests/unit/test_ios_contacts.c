/* Contacts module (spec/ios.md §5.4): one record per value, no check, no
 * timeline; missing tables are not a failure. */
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_contacts;

static char *make_backup(const char *root, const char *sql_override, bool split_wal)
{
    char *sql = sql_override ? strdup(sql_override) : mt_fixture("contacts", "default.sql");
    assert_non_null(sql);
    char *wal = split_wal ? mt_split_wal(sql, "INSERT INTO ABMultiValue VALUES (5") : NULL;
    char *dir = mt_db_backup(root, "HomeDomain", "Library/AddressBook/AddressBook.sqlitedb", sql,
                             wal, "15.7");
    free(wal);
    free(sql);
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
    mt_json(json_array_get(r.records, 1),
            "{\"value\":\"ada@example.org\",\"first\":\"Ada\",\"middle\":\"King\","
            "\"last\":\"Lovelace\",\"organization\":\"Analytical Engines Ltd\"}");
    mt_json(json_array_get(r.records, 3),
            "{\"value\":\"+15555550100\",\"first\":null,\"middle\":null,"
            "\"last\":null,\"organization\":\"Pizza Place\"}");
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

/* check-iocs ≡ check: an e-mail indicator equal to a saved value raises
 * nothing either way (Contacts has no check). */
static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL, false);
    const char *pats[] = {"[email-addr:value='ada@example.org']", NULL};
    char *stix = mh_stix(pats);
    assert_int_equal(mt_check_iocs_same(&spy_mod_contacts, dir, stix), 0);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contacts), cmocka_unit_test(test_contacts_wal),
        cmocka_unit_test(test_missing_tables), cmocka_unit_test(test_check_iocs)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
