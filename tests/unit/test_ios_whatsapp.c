/* Whatsapp (spec/ios.md §5.19) on real-shaped ChatStorage.sqlite and
 * LID.sqlite: message records and links (CDN links dropped, de-duplicated),
 * the batch URL check, urls.json, LID pairs, chat sessions, timeline,
 * WAL, LID pairs from ChatStorage when LID.sqlite is absent, check-iocs. */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_whatsapp;

#define WA_GROUP "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"

/* A Pegasus domain from Amnesty's 2021-07-18 NSO indicators. */
static const char *const PATTERNS[] = {"[domain-name:value='urlpush.net']", NULL};

static char *make_backup(const char *root, const char *name, bool with_lid, const char *wal_sql)
{
    char *dir = tu_join(root, name);
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("whatsapp", "default.sql");
    bf_add_sqlite(b, WA_GROUP, "ChatStorage.sqlite", sql, wal_sql);
    free(sql);
    if (with_lid) {
        sql = mt_fixture("whatsapp", "lid.sql");
        bf_add_sqlite(b, WA_GROUP, "LID.sqlite", sql, NULL);
        free(sql);
    }
    mt_info(b);
    bf_finish(b);
    return dir;
}

static void test_records(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "b", true, NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_whatsapp, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* 4 messages, 2 LID pairs, 3 chat sessions, in that order */
    assert_int_equal(json_array_size(r.records), 9);
    const json_t *m1 = json_array_get(r.records, 0);
    mt_int(m1, "Z_PK", 1);
    mt_str(m1, "isodate", "2023-03-08 20:26:40.000000");
    mt_str(m1, "ZFROMJID", "34612345678@s.whatsapp.net");
    mt_null(m1, "ZMEDIAURL");
    assert_int_equal(json_array_size(json_object_get(m1, "links")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(m1, "links"), 0)),
                        "https://bit.urlpush.net/x7Kd2");
    /* key order: ZWAMESSAGE.*, the joined columns, isodate, links */
    const char *k;
    json_t *v;
    size_t idx = 0, n = json_object_size(m1);
    json_object_foreach((json_t *)m1, k, v)
    {
        (void)v;
        if (idx == n - 10)
            assert_string_equal(k, "ZTOJID");
        if (idx == n - 3)
            assert_string_equal(k, "ZTITLE");
        if (idx == n - 2)
            assert_string_equal(k, "isodate");
        if (idx == n - 1)
            assert_string_equal(k, "links");
        idx++;
    }
    assert_int_equal(n, 34 + 7 + 2);
    /* text, no link: no links key */
    assert_null(json_object_get(json_array_get(r.records, 1), "links"));
    /* media only (NULL text): ZTEXT "", the CDN link dropped, links [] */
    const json_t *m3 = json_array_get(r.records, 2);
    mt_str(m3, "ZTEXT", "");
    mt_str(m3, "ZAUTHORNAME", "Maria");
    assert_true(json_is_array(json_object_get(m3, "links")));
    assert_int_equal(json_array_size(json_object_get(m3, "links")), 0);
    /* preview: the matched text repeats a link of the text; de-duplicated */
    const json_t *l4 = json_object_get(json_array_get(r.records, 3), "links");
    assert_int_equal(json_array_size(l4), 2);
    assert_string_equal(json_string_value(json_array_get(l4, 0)), "https://news.example.org/story");
    assert_string_equal(json_string_value(json_array_get(l4, 1)), "https://myurlpush.net/a");

    mt_equal(json_array_get(r.records, 4),
             "{\"record_type\": \"lid_phone_number_pair\", \"lid\": \"201112223334445@lid\", "
             "\"phone_number\": \"34612345678@s.whatsapp.net\", \"pair_timestamp\": \"2023-03-03 "
             "01:33:20.000000\"}");
    mt_null(json_array_get(r.records, 5), "pair_timestamp");
    mt_equal(json_array_get(r.records, 7),
             "{\"session_pk\": 2, \"contact_jid\": \"120363025246125486@g.us\", \"partner_name\": "
             "\"Family\", "
             "\"session_type\": 1, \"archived\": 0, \"removed\": 0, \"message_counter\": 2, "
             "\"last_message_date\": \"2023-03-14 15:20:00.000000\", "
             "\"group_creation_date\": \"2022-11-13 02:40:00.000000\", "
             "\"first_stored_message_date\": \"2023-03-13 11:33:20.000000\", "
             "\"last_stored_message_date\": \"2023-03-14 15:20:00.000000\", "
             "\"stored_message_count\": 2, "
             "\"record_type\": \"chat_session\", \"partner_resolved_phone_number\": null}");
    const json_t *s3 = json_array_get(r.records, 8);
    mt_str(s3, "partner_resolved_phone_number", "+34612345678");
    mt_null(s3, "last_message_date");
    mt_null(s3, "first_stored_message_date");
    mt_int(s3, "stored_message_count", 0);

    /* one CRITICAL, for the Pegasus sub-domain; the decoy does not match */
    assert_int_equal(json_array_size(r.alerts), 1);
    assert_string_equal(mh_alert_str(&r, 0, "level"), "CRITICAL");
    assert_string_equal(
        mh_alert_str(&r, 0, "message"),
        "Found a sub-domain with a suspicious top level https://bit.urlpush.net/x7Kd2 matching "
        "indicator \"urlpush.net\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2023-03-08 20:26:40.000000");
    assert_string_equal(mt_match(&r, 0, "value"), "urlpush.net");

    assert_int_equal(json_array_size(r.urls), 3);
    const json_t *u = mt_find_str(r.urls, "url", "https://bit.urlpush.net/x7Kd2");
    mt_str(u, "source", "whatsapp");
    mt_str(u, "timestamp", "2023-03-08 20:26:40.000000");

    assert_true(mt_timeline_has(
        &r, "2023-03-08 20:26:40.000000", "Whatsapp", "message",
        "'Check this out https://bit.urlpush.net/x7Kd2\\nand tell me' from "
        "34612345678@s.whatsapp.net - Embedded links: https://bit.urlpush.net/x7Kd2"));
    assert_true(mt_timeline_has(&r, "2023-03-08 20:31:40.000000", "Whatsapp", "message",
                                "'Thanks!' from None"));
    assert_true(mt_timeline_has(&r, "2023-03-03 01:33:20.000000", "Whatsapp", "lid_pair_recorded",
                                "WhatsApp associated LID 201112223334445@lid with phone number "
                                "34612345678@s.whatsapp.net"));
    assert_true(
        mt_timeline_has(&r, "2022-11-13 02:40:00.000000", "Whatsapp", "group_created",
                        "WhatsApp group chat 'Family' (120363025246125486@g.us) was created"));
    assert_true(mt_timeline_has(&r, "2023-03-08 20:26:40.000000", "Whatsapp", "chat_first_message",
                                "First stored message in WhatsApp chat with 'Maria Lopez' "
                                "(34612345678@s.whatsapp.net)"));
    assert_true(mt_timeline_has(
        &r, "2023-03-08 20:31:40.000000", "Whatsapp", "chat_last_message",
        "Last message in WhatsApp chat with 'Maria Lopez' (34612345678@s.whatsapp.net)"));
    /* 4 messages + 1 LID pair + session 1 (2) + session 2 (3) */
    assert_int_equal(json_array_size(r.timeline), 10);

    mh_result plain, c;
    mh_run_backup(&spy_mod_whatsapp, dir, NULL, &plain);
    assert_int_equal(json_array_size(plain.alerts), 0);
    mt_check_iocs(&spy_mod_whatsapp, plain.out_dir, stix, &c);
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

/* No LID.sqlite: pairs come from ChatStorage; a message only in the -wal is read. */
static void test_wal_and_lid_fallback(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(
        root, "b", false,
        "INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZISFROMME, ZCHATSESSION, ZMESSAGEDATE, "
        "ZFROMJID, ZTEXT) VALUES (5, 4, 1, 0, 1, 700600000.0, '34612345678@s.whatsapp.net', "
        "'again: http://urlpush.net/z');"
        "INSERT INTO ZWAPHONENUMBERLIDPAIR VALUES (1, 6, 1, 0, '401112223334447@lid', "
        "'+4915112345678@s.whatsapp.net');");
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_whatsapp, dir, stix, &r);
    assert_int_equal(json_array_size(r.records), 5 + 1 + 3);
    mt_str(mt_find(r.records, "Z_PK", 5), "isodate", "2023-03-15 19:06:40.000000");
    const json_t *pair = json_array_get(r.records, 5);
    mt_str(pair, "lid", "401112223334447@lid");
    mt_null(pair, "pair_timestamp"); /* 0 -> null */
    /* the @lid session is not resolvable from this pair */
    mt_null(json_array_get(r.records, 8), "partner_resolved_phone_number");
    assert_int_equal(json_array_size(r.alerts), 2);
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

/* ChatStorage without ZWAMESSAGE: the module fails, the process goes on. */
static void test_wrong_schema(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "b");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(b, WA_GROUP, "ChatStorage.sqlite",
                  "CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY);", NULL);
    mt_info(b);
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_whatsapp, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_records),
                                       cmocka_unit_test(test_wal_and_lid_fallback),
                                       cmocka_unit_test(test_wrong_schema)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
