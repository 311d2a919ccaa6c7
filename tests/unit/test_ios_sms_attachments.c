/* SMSAttachments (spec/ios.md §5.16) on the iOS 17 sms.db fixture: exact
 * records, the file indicator (HIGH), the /var/tmp/…-1 heuristic (MEDIUM),
 * timeline rows, WAL, check-iocs. */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_sms_attachments;

/* A file name from Amnesty's 2021-07-18 NSO indicators (files.txt). */
static const char *const PATTERNS[] = {"[file:name='roleaccountd.plist']", NULL};

/* Attachment 1 as MVT writes it (computed from the fixture with MVT's rules). */
static const char EXPECTED_1[] =
    "{\"attachment_id\": 1, \"ROWID\": 1, \"guid\": \"at_0_6C4E1A7B-0004\", \"created_date\": "
    "647683260, "
    "\"start_date\": \"\", \"filename\": \"~/Library/SMS/Attachments/3a/10/IMG_4471.HEIC\", "
    "\"uti\": "
    "\"public.heic\", \"mime_type\": \"image/heic\", \"transfer_state\": 5, \"is_outgoing\": 0, "
    "\"user_info\": \"YnBsaXN0MDBfEA8=\", \"transfer_name\": \"IMG_4471.HEIC\", \"total_bytes\": "
    "1843221,"
    " \"is_sticker\": 0, \"sticker_user_info\": null, \"attribution_info\": null, "
    "\"hide_attachment\": "
    "0, \"ck_sync_state\": 0, \"ck_server_change_token_blob\": null, \"ck_record_id\": null, "
    "\"original_guid\": \"at_0_6C4E1A7B-0004\", \"sr_ck_sync_state\": 0, "
    "\"sr_ck_server_change_token_blob\": null, \"sr_ck_record_id\": null, "
    "\"is_commsafety_sensitive\": 0, \"service\": \"SMS\", \"phone_number\": \"+447700900123\", "
    "\"isodate\": \"2021-07-11 08:01:00.000000\", \"direction\": \"received\", \"has_user_info\": "
    "true}";

static char *make_backup(const char *root, const char *wal_sql)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("sms", "ios17.sql");
    bf_add_sqlite(b, "HomeDomain", "Library/SMS/sms.db", sql, wal_sql);
    free(sql);
    mt_info(b);
    bf_finish(b);
    return dir;
}

static size_t alert_at(const mh_result *r, const char *level)
{
    for (size_t i = 0; i < json_array_size(r->alerts); i++)
        if (strcmp(mh_alert_str(r, i, "level"), level) == 0)
            return i;
    fail_msg("no %s alert", level);
    return 0;
}

static void test_records(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_sms_attachments, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 3);
    mt_equal(mt_find(r.records, "attachment_id", 1), EXPECTED_1);
    const json_t *a2 = mt_find(r.records, "attachment_id", 2);
    mt_str(a2, "direction", "sent");
    mt_str(a2, "start_date", "2021-07-10 08:58:21.000000");
    assert_true(json_is_false(json_object_get(a2, "has_user_info")));
    mt_str(a2, "phone_number", "+14155550123");

    assert_int_equal(json_array_size(r.alerts), 2);
    size_t hi = alert_at(&r, "HIGH"), med = alert_at(&r, "MEDIUM");
    assert_string_equal(
        mh_alert_str(&r, hi, "message"),
        "Found a known suspicious file name \"roleaccountd.plist\" matching indicators "
        "from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, hi, "event_time"), "2021-07-10 08:58:20.000000");
    json_t *mi = json_object_get(json_array_get(r.alerts, hi), "matched_indicator");
    assert_string_equal(json_string_value(json_object_get(mi, "value")), "roleaccountd.plist");
    assert_string_equal(json_string_value(json_object_get(mi, "type")), "file_names");
    assert_true(json_is_null(json_object_get(json_array_get(r.alerts, med), "matched_indicator")));
    assert_string_equal(mh_alert_str(&r, med, "message"),
                        "Suspicious iMessage attachment "
                        "/var/tmp/com.apple.messages/DD1F72B1-6E0A-4C85-8A2D-1E7D2F6B0C11-1 on "
                        "2021-07-11 12:40:00.000000");
    assert_string_equal(mh_alert_str(&r, med, "event_time"), "2021-07-11 12:40:00.000000");
    mt_int(json_object_get(json_array_get(r.alerts, med), "event"), "attachment_id", 3);

    assert_int_equal(json_array_size(r.timeline), 3);
    assert_true(mt_timeline_has(&r, "2021-07-11 08:01:00.000000", "SMSAttachments",
                                "sms_attachment",
                                "SMS: Attachment 'IMG_4471.HEIC' received from +447700900123 with "
                                "1843221 bytes (is_sticker: 0, has_user_info: True)"));
    assert_true(
        mt_timeline_has(&r, "2021-07-10 08:58:20.000000", "SMSAttachments", "sms_attachment",
                        "iMessage: Attachment 'roleaccountd.plist' sent from +14155550123 with "
                        "412 bytes (is_sticker: 0, has_user_info: False)"));

    /* Without indicators only the heuristic; check-iocs then adds the match. */
    mh_result plain, c;
    mh_run_backup(&spy_mod_sms_attachments, dir, NULL, &plain);
    assert_int_equal(json_array_size(plain.alerts), 1);
    assert_string_equal(mh_alert_str(&plain, 0, "level"), "MEDIUM");
    mt_check_iocs(&spy_mod_sms_attachments, plain.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    mt_same_alerts(&r, &c);
    mh_result_free(&c);
    mh_result_free(&plain);
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* An attachment only in the -wal, with no message: service "Unknown",
 * filename "NULL", phone_number null; a sent /var/tmp/…-1 file is not
 * suspicious (direction must be "received"). */
static void test_wal_and_defaults(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(
        root, "INSERT INTO attachment (ROWID, guid, created_date, filename, is_outgoing, "
              "transfer_name, total_bytes, original_guid) VALUES (4, 'at_wal', 647800000, NULL, "
              "0, NULL, 0, 'at_wal');"
              "INSERT INTO attachment (ROWID, guid, created_date, filename, is_outgoing, "
              "transfer_name, total_bytes, original_guid) VALUES (5, 'at_wal5', 647800000, "
              "'/var/tmp/x-1', 1, 'x', 1, 'at_wal5');");
    mh_result r;
    mh_run_backup(&spy_mod_sms_attachments, dir, NULL, &r);
    assert_int_equal(json_array_size(r.records), 5);
    const json_t *a4 = mt_find(r.records, "attachment_id", 4);
    mt_str(a4, "service", "Unknown");
    mt_str(a4, "filename", "NULL");
    mt_null(a4, "phone_number");
    mt_str(a4, "isodate", "2021-07-12 16:26:40.000000");
    assert_true(mt_timeline_has(
        &r, "2021-07-12 16:26:40.000000", "SMSAttachments", "sms_attachment",
        "Unknown: Attachment 'None' received from None with 0 bytes (is_sticker: 0, "
        "has_user_info: False)"));
    assert_int_equal(json_array_size(r.alerts), 1); /* only attachment 3 */
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* Not an sms.db (no attachment table): nothing, no failure. */
static void test_wrong_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "b");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(b, "HomeDomain", "Library/SMS/sms.db",
                  "CREATE TABLE message (ROWID INTEGER PRIMARY KEY);", NULL);
    mt_info(b);
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_sms_attachments, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 0);
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_records),
                                       cmocka_unit_test(test_wal_and_defaults),
                                       cmocka_unit_test(test_wrong_schema)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
