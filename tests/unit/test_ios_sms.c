/* SMS (spec/ios.md §5.15) on a real-shaped iOS 17 sms.db inside a fixture
 * backup: exact records, links, urls.json, the Apple threat-notification
 * heuristic, timeline rows, WAL, damaged database, check-iocs. */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_sms;

/* A Pegasus domain from Amnesty's 2021-07-18 NSO indicators. */
static const char *const PATTERNS[] = {"[domain-name:value='free247downloads.com']", NULL};

/* Message 1 as MVT writes it (computed from the fixture with MVT's rules). */
static const char EXPECTED_1[] =
    "{\"ROWID\": 1, \"guid\": \"6C4E1A7B-1F2A-4C55-9E0B-21D2B7C0A001\", \"text\": \"Hey, are we "
    "still on"
    " for lunch?\", \"replace\": 0, \"service_center\": null, \"handle_id\": 1, \"subject\": null, "
    "\"country\": null, \"attributedBody\": \"BAtzdHJlYW10eXBlZIHoAw==\", \"version\": 0, "
    "\"type\": 0, "
    "\"service\": \"iMessage\", \"account\": \"E:me@icloud.example\", \"account_guid\": "
    "\"A1B2C3D4-0000-4000-8000-000000000001\", \"error\": 0, \"date\": 647600000000000000, "
    "\"date_read\": 647600120000000000, \"date_delivered\": 0, \"is_delivered\": 1, "
    "\"is_finished\": 1,"
    " \"is_emote\": 0, \"is_from_me\": 0, \"is_empty\": 0, \"is_delayed\": 0, \"is_auto_reply\": "
    "0, "
    "\"is_prepared\": 0, \"is_read\": 1, \"is_system_message\": 0, \"is_sent\": 0, "
    "\"has_dd_results\": 0,"
    " \"is_service_message\": 0, \"is_forward\": 0, \"was_downgraded\": 0, \"is_archive\": 0, "
    "\"cache_has_attachments\": 0, \"cache_roomnames\": null, \"was_data_detected\": 0, "
    "\"was_deduplicated\": 0, \"is_audio_message\": 0, \"is_played\": 0, \"date_played\": null, "
    "\"item_type\": 0, \"other_handle\": 0, \"group_title\": null, \"group_action_type\": 0, "
    "\"share_status\": 0, \"share_direction\": 0, \"is_expirable\": 0, \"expire_state\": 0, "
    "\"message_action_type\": 0, \"message_source\": 0, \"associated_message_guid\": null, "
    "\"associated_message_type\": 0, \"balloon_bundle_id\": null, \"payload_data\": null, "
    "\"expressive_send_style_id\": null, \"associated_message_range_location\": 0, "
    "\"associated_message_range_length\": 0, \"time_expressive_send_played\": null, "
    "\"message_summary_info\": null, \"ck_sync_state\": 0, \"ck_record_id\": null, "
    "\"ck_record_change_tag\": null, \"destination_caller_id\": \"me@icloud.example\", "
    "\"is_corrupt\": "
    "0, \"reply_to_guid\": null, \"sort_id\": 1, \"is_spam\": 0, \"has_unseen_mention\": 0, "
    "\"thread_originator_guid\": null, \"thread_originator_part\": null, \"syndication_ranges\": "
    "null, \"synced_syndication_ranges\": null, \"was_delivered_quietly\": 0, "
    "\"did_notify_recipient\": 0, \"date_retracted\": 0, \"date_edited\": 0, \"was_detonated\": 0, "
    "\"part_count\": 1, \"is_stewie\": 0, \"is_kt_verified\": 0, \"is_sos\": 0, \"is_critical\": "
    "0, "
    "\"bia_reference_id\": null, \"fallback_hash\": null, \"phone_number\": \"+14155550123\", "
    "\"isodate\": \"2021-07-10 08:53:20.000000\", \"isodate_read\": \"2021-07-10 "
    "08:55:20.000000\", "
    "\"direction\": \"received\", \"links\": []}";

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

static void test_records(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_sms, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* message 6 has no handle: MVT's inner join leaves it out */
    assert_int_equal(json_array_size(r.records), 5);
    mt_equal(mt_find(r.records, "ROWID", 1), EXPECTED_1);

    const json_t *m2 = mt_find(r.records, "ROWID", 2);
    mt_str(m2, "direction", "sent");
    mt_str(m2, "isodate_read", ""); /* date_read 0 */
    mt_str(m2, "message_summary_info", "YnBsaXN0MDDQCAAAAAAAAAEB");
    const json_t *m3 = mt_find(r.records, "ROWID", 3);
    const json_t *links = json_object_get(m3, "links");
    assert_int_equal(json_array_size(links), 3);
    assert_string_equal(json_string_value(json_array_get(links, 0)),
                        "https://myfree247downloads.com/track");
    assert_string_equal(json_string_value(json_array_get(links, 1)),
                        "HTTPS://free247downloads.com/s/8812?c=1");
    assert_string_equal(json_string_value(json_array_get(links, 2)),
                        "https://free247downloads.com.evil.net/x");
    const json_t *m4 = mt_find(r.records, "ROWID", 4);
    mt_str(m4, "text", ""); /* NULL text */
    assert_int_equal(json_array_size(json_object_get(m4, "links")), 0);

    /* The Pegasus link (second of three) raises the one CRITICAL of its
     * message; the decoys before and after it do not match. The Apple
     * notification raises HIGH. */
    assert_int_equal(json_array_size(r.alerts), 2);
    size_t crit = strcmp(mh_alert_str(&r, 0, "level"), "CRITICAL") == 0 ? 0 : 1;
    assert_string_equal(mh_alert_str(&r, crit, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, crit, "message"),
                        "Found a known suspicious domain HTTPS://free247downloads.com/s/8812?c=1 "
                        "matching indicator \"free247downloads.com\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, crit, "event_time"), "2021-07-11 08:00:00.000000");
    assert_string_equal(mt_match(&r, crit, "value"), "free247downloads.com");
    assert_string_equal(mt_match(&r, crit, "type"), "domains");
    mt_int(json_object_get(json_array_get(r.alerts, crit), "event"), "ROWID", 3);
    assert_string_equal(mh_alert_str(&r, 1 - crit, "level"), "HIGH");
    assert_string_equal(
        mh_alert_str(&r, 1 - crit, "message"),
        "Apple warning about state-sponsored attack received on 2023-03-08 20:26:40.000000");
    assert_string_equal(mh_alert_str(&r, 1 - crit, "event_time"), "2023-03-08 20:26:40.000000");

    /* every link of every message, source "sms" */
    assert_int_equal(json_array_size(r.urls), 4);
    const json_t *u = mt_find_str(r.urls, "url", "HTTPS://free247downloads.com/s/8812?c=1");
    mt_str(u, "timestamp", "2021-07-11 08:00:00.000000");
    mt_str(u, "source", "sms");
    mt_null(u, "expanded_url");
    mt_find_str(r.urls, "url", "https://support.apple.com/en-us/102174");

    /* 5 received rows + 2 read rows (messages 1 and 3) */
    assert_int_equal(json_array_size(r.timeline), 7);
    assert_true(
        mt_timeline_has(&r, "2021-07-10 08:58:20.000000", "SMS", "sms_received",
                        "iMessage: 6C4E1A7B-1F2A-4C55-9E0B-21D2B7C0A002 \"Yes! See you at 1pm\\nat "
                        "the usual place\" from +14155550123 (E:me@icloud.example)"));
    assert_true(
        mt_timeline_has(&r, "2021-07-11 08:05:00.000000", "SMS", "sms_read",
                        "SMS: 6C4E1A7B-1F2A-4C55-9E0B-21D2B7C0A003 \"Your parcel is held at the "
                        "depot. Confirm delivery: https://myfree247downloads.com/track then "
                        "HTTPS://free247downloads.com/s/8812?c=1 or "
                        "https://free247downloads.com.evil.net/x\" from +447700900123 "
                        "(P:+14155550199)"));

    /* check-iocs on the results saved without indicators: same alerts */
    mh_result plain, c;
    mh_run_backup(&spy_mod_sms, dir, NULL, &plain);
    assert_int_equal(json_array_size(plain.alerts), 1); /* the heuristic needs no indicator */
    assert_string_equal(mh_alert_str(&plain, 0, "level"), "HIGH");
    mt_check_iocs(&spy_mod_sms, plain.out_dir, stix, &c);
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

/* The newest message exists only in sms.db-wal: it is read. */
static void test_wal(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(
        root, "INSERT INTO message (ROWID, guid, text, handle_id, service, account, date, "
              "is_from_me) VALUES (7, 'WAL-7', 'Click http://x.free247downloads.com', 2, "
              "'SMS', 'P:+14155550199', 647800000000000000, 0);");
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_sms, dir, stix, &r);
    assert_int_equal(json_array_size(r.records), 6);
    const json_t *m7 = mt_find(r.records, "ROWID", 7);
    mt_str(m7, "isodate", "2021-07-12 16:26:40.000000");
    mt_str(m7, "phone_number", "+447700900123");
    assert_int_equal(json_array_size(r.alerts), 3);
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* A damaged sms.db fails the module (exit code + 4) without a crash; an
 * sms.db without the message table produces nothing and no failure. */
static void test_damaged_and_wrong_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "bad");
    bf_backup *b = bf_new(dir);
    static const char junk[] =
        "SQLite format 3\0this is not really a database page at all..........";
    bf_add_file(b, "HomeDomain", "Library/SMS/sms.db", junk, sizeof junk);
    mt_info(b);
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_sms, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    assert_int_equal(json_array_size(r.alerts), 0);
    mh_result_free(&r);

    char *dir2 = tu_join(root, "other");
    b = bf_new(dir2);
    bf_add_sqlite(b, "HomeDomain", "Library/SMS/sms.db",
                  "CREATE TABLE chat (ROWID INTEGER PRIMARY KEY, guid TEXT);", NULL);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_sms, dir2, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 0);
    mh_result_free(&r);
    free(dir);
    free(dir2);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_records), cmocka_unit_test(test_wal),
                                       cmocka_unit_test(test_damaged_and_wrong_schema)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
