/* WhatsappContacts (spec/ios.md §5.20) on a real-shaped ContactsV2.sqlite:
 * column discovery, blob decoding, dates, disappearing-mode labels,
 * timeline rows, WAL, older schema without the duration column. */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_whatsapp_contacts;

#define WA_GROUP "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"

static char *make_backup(const char *root, const char *sql, const char *wal_sql)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(b, WA_GROUP, "ContactsV2.sqlite", sql, wal_sql);
    mt_info(b);
    bf_finish(b);
    return dir;
}

static void test_records_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *sql = mt_fixture("whatsapp_contacts", "default.sql");
    char *dir =
        make_backup(root, sql,
                    "INSERT INTO ZWAADDRESSBOOKCONTACT (Z_PK, Z_ENT, Z_OPT, ZWHATSAPPID, "
                    "ZDISAPPEARINGMODEDURATION) VALUES (5, 1, 1, '447700900123@s.whatsapp.net', "
                    "7776000);");
    free(sql);
    mh_result r;
    mh_run_backup(&spy_mod_whatsapp_contacts, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 5);
    mt_equal(
        mt_find_str(r.records, "whatsapp_id", "34612345678@s.whatsapp.net"),
        "{\"whatsapp_id\": \"34612345678@s.whatsapp.net\", \"lid\": \"201112223334445@lid\", "
        "\"phone_number\": \"+34612345678\", \"localized_phone_number\": \"+34 612 34 56 78\", "
        "\"full_name\": \"Maria Lopez\", \"given_name\": \"Maria\", \"last_name\": \"Lopez\", "
        "\"user_name\": null, \"business_name\": null, \"about_text\": \"Busy\", \"about_emoji\": "
        "null, "
        "\"notes\": null, \"disappearing_mode_duration\": 604800, \"disappearing_mode_is_on\": "
        "true, "
        "\"disappearing_mode_label\": \"7 days\", "
        "\"disappearing_mode_timestamp\": \"2023-03-08 20:26:40.000000\", "
        "\"about_timestamp\": \"2023-02-25 06:40:00.500000\", \"about_expiration_timestamp\": "
        "null, "
        "\"last_updated\": \"2023-03-10 00:13:20.000000\", \"phone_status\": 1, \"sync_policy\": "
        "0}");
    const json_t *acme = mt_find_str(r.records, "lid", "301112223334446@lid");
    mt_str(acme, "about_text",
           "Be right back \xf0\x9f\x9a\x80\xef\xbf\xbd"); /* blob, invalid byte replaced */
    mt_str(acme, "disappearing_mode_label", "24 hours");
    mt_null(acme, "last_updated"); /* 0 -> null */
    const json_t *tom = mt_find_str(r.records, "phone_number", "+14155550123");
    mt_str(tom, "disappearing_mode_label", "off");
    assert_true(json_is_false(json_object_get(tom, "disappearing_mode_is_on")));
    mt_str(mt_find(r.records, "disappearing_mode_duration", 123), "disappearing_mode_label",
           "123 seconds");
    mt_str(mt_find(r.records, "disappearing_mode_duration", 7776000), "disappearing_mode_label",
           "90 days");

    assert_true(mt_timeline_has(&r, "2023-03-08 20:26:40.000000", "WhatsappContacts",
                                "disappearing_mode_set",
                                "WhatsApp disappearing messages timer set to '7 days' for "
                                "34612345678@s.whatsapp.net (Maria Lopez)"));
    assert_true(mt_timeline_has(
        &r, "2023-02-25 06:40:00.500000", "WhatsappContacts", "about_changed",
        "WhatsApp about text of 34612345678@s.whatsapp.net (Maria Lopez) changed to "
        "\"Busy\""));
    assert_true(mt_timeline_has(
        &r, "2023-03-19 06:26:40.000000", "WhatsappContacts", "about_expiration",
        "WhatsApp about text of 301112223334446@lid (Acme Travel Desk) scheduled to "
        "expire"));
    assert_true(mt_timeline_has(&r, "2023-03-11 04:00:00.000000", "WhatsappContacts",
                                "contact_last_updated",
                                "WhatsApp contact record for 14155550123@s.whatsapp.net updated"));
    assert_int_equal(json_array_size(r.timeline), 7);
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* An older ContactsV2 without the disappearing-mode columns: the three
 * disappearing keys are null; ZPHONESTATUS is the phone_status candidate. */
static void test_old_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(
        root,
        "CREATE TABLE ZWAADDRESSBOOKCONTACT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT "
        "INTEGER, ZPHONESTATUS INTEGER, ZFULLNAME VARCHAR, ZPHONENUMBER VARCHAR, ZWHATSAPPID "
        "VARCHAR);"
        "INSERT INTO ZWAADDRESSBOOKCONTACT VALUES (1, 1, 1, 3, 'Ana', '+351912345678', "
        "'351912345678@s.whatsapp.net');",
        NULL);
    mh_result r;
    mh_run_backup(&spy_mod_whatsapp_contacts, dir, NULL, &r);
    assert_int_equal(json_array_size(r.records), 1);
    const json_t *a = json_array_get(r.records, 0);
    mt_null(a, "disappearing_mode_duration");
    mt_null(a, "disappearing_mode_is_on");
    mt_null(a, "disappearing_mode_label");
    mt_null(a, "lid");
    mt_int(a, "phone_status", 3);
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* Missing database: not an error; damaged database: the module fails. */
static void test_missing_and_damaged(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "empty");
    bf_backup *b = bf_new(dir);
    mt_info(b);
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_whatsapp_contacts, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    mh_result_free(&r);
    char *dir2 = tu_join(root, "bad");
    b = bf_new(dir2);
    static const char junk[] =
        "not a database, just some text that is long enough to look like a file";
    bf_add_file(b, WA_GROUP, "ContactsV2.sqlite", junk, sizeof junk);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_whatsapp_contacts, dir2, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    free(dir);
    free(dir2);
    tu_rmtree(root);
    free(root);
}

/* check-iocs ≡ check: indicators equal to a saved business name and
 * phone number raise nothing either way (WhatsappContacts has no check). */
static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *sql = mt_fixture("whatsapp_contacts", "default.sql");
    char *dir = make_backup(root, sql, NULL);
    const char *pats[] = {"[process:name='acmetravel']", "[domain-name:value='whatsapp.net']",
                          NULL};
    char *stix = mh_stix(pats);
    assert_int_equal(mt_check_iocs_same(&spy_mod_whatsapp_contacts, dir, stix), 0);
    free(stix);
    free(sql);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_timeline), cmocka_unit_test(test_old_schema),
        cmocka_unit_test(test_missing_and_damaged), cmocka_unit_test(test_check_iocs)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
