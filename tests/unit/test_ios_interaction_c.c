/* InteractionC (spec/ios.md §5.8) on a real-shaped interactionC.db, with
 * WhatsApp identifiers resolved from ContactsV2.sqlite, which the module
 * reads itself (modules share no results in spyscan). */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_interaction_c;

#define WA_GROUP "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
#define IC_PATH  "Library/CoreDuet/People/interactionC.db"

static char *make_backup(const char *root, const char *name, const char *ic_sql, bool contacts)
{
    char *dir = tu_join(root, name);
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(b, "HomeDomain", IC_PATH, ic_sql, NULL);
    if (contacts) {
        char *sql = mt_fixture("whatsapp_contacts", "default.sql");
        bf_add_sqlite(b, WA_GROUP, "ContactsV2.sqlite", sql, NULL);
        free(sql);
    }
    mt_info(b);
    bf_finish(b);
    return dir;
}

static const char EXPECTED_1[] =
    "{\"start_date\": \"2023-03-08 20:26:40.000000\", \"end_date\": \"2023-03-08 "
    "20:26:40.000000\", "
    "\"bundle_id\": \"net.whatsapp.WhatsApp\", \"account\": null, "
    "\"target_bundle_id\": \"net.whatsapp.WhatsApp.Intents\", \"direction\": \"INCOMING\", "
    "\"sender_display_name\": null, \"sender_identifier\": \"201112223334445@lid\", "
    "\"sender_personid\": null, "
    "\"recipient_display_name\": null, \"recipient_identifier\": null, \"recipient_personid\": "
    "null, "
    "\"recipient_count\": 1, \"domain_identifier\": \"201112223334445@lid\", \"is_response\": 0, "
    "\"content\": null, \"uti\": null, \"attachment_content_url\": null, \"size\": null, "
    "\"photo_local_id\": null, \"attachment_id\": \"\", \"cloud_id\": null, "
    "\"incoming_recipient_count\": 0, "
    "\"incoming_sender_count\": 4, \"outgoing_recipient_count\": 0, "
    "\"interactions_creation_date\": \"2023-03-08 20:26:40.500000\", "
    "\"contacts_creation_date\": \"2023-02-25 06:40:00.000000\", "
    "\"first_incoming_recipient_date\": null, "
    "\"first_incoming_sender_date\": \"2023-02-25 06:40:00.000000\", "
    "\"first_outgoing_recipient_date\": null, "
    "\"last_incoming_sender_date\": \"2023-03-08 20:26:40.000000\", "
    "\"last_incoming_recipient_date\": \"\", "
    "\"last_outgoing_recipient_date\": null, \"custom_id\": null, \"interaction_content_url\": "
    "null, "
    "\"location_uuid\": null, \"group_name\": null, \"derivied_intent_id\": \"SendMessageIntent\", "
    "\"table_id\": 1, \"sender_resolved_phone_number\": \"+34612345678\", "
    "\"sender_resolved_name\": \"Maria Lopez\", \"recipient_resolved_phone_number\": null, "
    "\"recipient_resolved_name\": null, \"domain_resolved_phone_number\": \"+34612345678\", "
    "\"domain_resolved_name\": \"Maria Lopez\"}";

static void test_records_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *sql = mt_fixture("interaction_c", "default.sql");
    char *dir = make_backup(root, "b", sql, true);
    mh_result r;
    mh_run_backup(&spy_mod_interaction_c, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 4);
    mt_equal(mt_find(r.records, "table_id", 1), EXPECTED_1);
    const json_t *i2 = mt_find(r.records, "table_id", 2);
    mt_str(i2, "direction", "OUTGOING");
    mt_str(i2, "recipient_resolved_phone_number", "+14155550123");
    mt_str(i2, "recipient_resolved_name", "Tom"); /* given_name when no full_name */
    mt_null(i2, "domain_resolved_phone_number");  /* @g.us is never resolved */
    const json_t *i3 = mt_find(r.records, "table_id", 3);
    mt_str(i3, "content", "Lunch?");
    mt_str(i3, "attachment_id", "0A0B0C0D");
    assert_null(json_object_get(i3, "sender_resolved_name")); /* not WhatsApp */
    const json_t *i4 = mt_find(r.records, "table_id", 4);
    mt_str(i4, "sender_resolved_phone_number", "+447700900123"); /* default +<digits> */
    mt_null(i4, "sender_resolved_name");

    static const char D1[] =
        "[net.whatsapp.WhatsApp] INCOMING from Maria Lopez (+34612345678) to Maria Lopez "
        "(+34612345678)";
    assert_true(
        mt_timeline_has(&r, "2023-03-08 20:26:40.000000", "InteractionC", "start_date", D1));
    assert_true(
        mt_timeline_has(&r, "2023-02-25 06:40:00.000000", "InteractionC", "contacts_creation_date",
                        "Contact Maria Lopez (+34612345678) first recorded in interactionC"));
    assert_true(mt_timeline_has(&r, "2023-02-25 06:40:00.000000", "InteractionC",
                                "first_incoming_sender_date",
                                "First incoming interaction from Maria Lopez (+34612345678)"));
    assert_true(mt_timeline_has(&r, "2023-03-08 20:26:40.000000", "InteractionC",
                                "last_incoming_sender_date",
                                "Last incoming interaction from Maria Lopez (+34612345678)"));
    assert_true(mt_timeline_has(
        &r, "2023-03-12 00:13:20.000000", "InteractionC", "interactions_creation_date",
        "Interaction record created 2 days after the event: [net.whatsapp.WhatsApp] "
        "OUTGOING from local user to Tom (+14155550123) (group: Family)"));
    assert_true(
        mt_timeline_has(&r, "2023-03-11 04:01:00.000000", "InteractionC", "end_date",
                        "[com.apple.MobileSMS] E:me@icloud.example INCOMING from Alex Rivera "
                        "(alex.rivera@example.org) to iMessage;-;alex.rivera@example.org: Lunch?"));
    assert_true(
        mt_timeline_has(&r, "2023-03-12 07:46:40.000000", "InteractionC", "start_date",
                        "[net.whatsapp.WhatsApp] INCOMING from +447700900123 to local user"));
    /* i1: start, contacts_creation, first_in_sender, last_in_sender (4);
     * i2: start, creation (2); i3 and i4: start, end, contacts_creation,
     * first_in_sender, last_in_sender (5 each) */
    assert_int_equal(json_array_size(r.timeline), 16);
    mh_result_free(&r);

    /* Without ContactsV2.sqlite the identifiers stay unresolved (null). */
    char *dir2 = make_backup(root, "nocontacts", sql, false);
    mh_run_backup(&spy_mod_interaction_c, dir2, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    const json_t *n1 = mt_find(r.records, "table_id", 1);
    mt_null(n1, "sender_resolved_phone_number");
    mt_null(n1, "sender_resolved_name");
    assert_true(mt_timeline_has(&r, "2023-03-08 20:26:40.000000", "InteractionC", "start_date",
                                "[net.whatsapp.WhatsApp] INCOMING from 201112223334445@lid to "
                                "201112223334445@lid"));
    mh_result_free(&r);
    free(dir2);
    free(sql);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* An old schema (no attachment/recipient tables, ZMECHANISM): Q3 runs;
 * direction comes raw and is mapped; a zero last-incoming-recipient date
 * comes back as the text '0' and stays '0'. */
static void test_old_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(
        root, "b",
        "CREATE TABLE ZCONTACTS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
        "ZINCOMINGRECIPIENTCOUNT "
        "INTEGER, ZINCOMINGSENDERCOUNT INTEGER, ZOUTGOINGRECIPIENTCOUNT INTEGER, ZCREATIONDATE "
        "TIMESTAMP, "
        "ZFIRSTINCOMINGRECIPIENTDATE TIMESTAMP, ZFIRSTINCOMINGSENDERDATE TIMESTAMP, "
        "ZFIRSTOUTGOINGRECIPIENTDATE "
        "TIMESTAMP, ZLASTINCOMINGRECIPIENTDATE TIMESTAMP, ZLASTINCOMINGSENDERDATE TIMESTAMP, "
        "ZLASTOUTGOINGRECIPIENTDATE TIMESTAMP, ZCUSTOMIDENTIFIER VARCHAR, ZDISPLAYNAME VARCHAR, "
        "ZIDENTIFIER "
        "VARCHAR, ZPERSONID VARCHAR);"
        "CREATE TABLE ZINTERACTIONS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
        "ZDIRECTION INTEGER, "
        "ZISRESPONSE INTEGER, ZMECHANISM INTEGER, ZRECIPIENTCOUNT INTEGER, ZSENDER INTEGER, "
        "ZCREATIONDATE "
        "TIMESTAMP, ZENDDATE TIMESTAMP, ZSTARTDATE TIMESTAMP, ZACCOUNT VARCHAR, ZBUNDLEID VARCHAR, "
        "ZCONTENTURL "
        "VARCHAR, ZDOMAINIDENTIFIER VARCHAR, ZLOCATIONUUID VARCHAR);"
        "INSERT INTO ZCONTACTS VALUES (1, 2, 1, 0, 1, 0, 600000000.0, NULL, 600000000.0, NULL, 0, "
        "600000000.0, "
        "NULL, NULL, 'Sam', 'sam@example.org', NULL);"
        "INSERT INTO ZINTERACTIONS VALUES (1, 3, 1, 0, 0, 4, 1, 1, 600000000.0, 600000000.0, "
        "600000000.0, NULL, "
        "'com.apple.MobileSMS', NULL, NULL, NULL);",
        false);
    mh_result r;
    mh_run_backup(&spy_mod_interaction_c, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 1);
    const json_t *rec = json_array_get(r.records, 0);
    mt_str(rec, "direction", "INCOMING");
    mt_int(rec, "mechanism", 4);
    mt_str(rec, "last_incoming_recipient_date", "0");
    mt_str(rec, "start_date", "2020-01-06 10:40:00.000000");
    assert_null(json_object_get(rec, "target_bundle_id"));
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* No ZINTERACTIONS at all: every query fails, the module fails. */
static void test_wrong_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "b", "CREATE TABLE ZCONTACTS (Z_PK INTEGER PRIMARY KEY);", true);
    mh_result r;
    mh_run_backup(&spy_mod_interaction_c, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* check-iocs ≡ check: indicators equal to a saved bundle id and sender
 * raise nothing either way (InteractionC has no check). */
static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *sql = mt_fixture("interaction_c", "default.sql");
    char *dir = make_backup(root, "b", sql, true);
    const char *pats[] = {"[process:name='net.whatsapp.WhatsApp']",
                          "[app:id='net.whatsapp.WhatsApp.Intents']", NULL};
    char *stix = mh_stix(pats);
    assert_int_equal(mt_check_iocs_same(&spy_mod_interaction_c, dir, stix), 0);
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
        cmocka_unit_test(test_wrong_schema), cmocka_unit_test(test_check_iocs)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
