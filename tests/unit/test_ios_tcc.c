/* TCC module (spec/ios.md §5.14): the three schema variants, the process
 * indicator on the client, a WAL and a corrupt database. */
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_tcc;

/* "bh" is a Pegasus process name (amnesty-investigations/2021-07-18_nso). */
static const char *const PATTERNS[] = {"[process:name='bh']", NULL};
#define BH_PATH "/private/var/db/com.apple.xpc.roleaccountd.staging/bh"

static char *make_backup(const char *root, const char *variant, const char *wal_from)
{
    char *sql = mt_fixture("tcc", variant);
    char *wal = wal_from ? mt_split_wal(sql, wal_from) : NULL;
    char *dir = mt_db_backup(root, "HomeDomain", "Library/TCC/TCC.db", sql, wal, "15.1");
    free(wal);
    free(sql);
    return dir;
}

static void assert_bh_alert(const mh_result *r)
{
    mt_one_alert(r, "CRITICAL", "", "bh", "bh", "processes");
    json_t *a = json_array_get(r->alerts, 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(a, "event"), "client")),
                        BH_PATH);
}

static void check_v3(const char *wal_from)
{
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "ios15.sql", wal_from);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_tcc, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 4);
    mt_json(json_array_get(r.records, 0),
            "{\"service\":\"kTCCServiceCamera\",\"client\":\"net.whatsapp.WhatsApp\","
            "\"client_type\":\"bundle_id\",\"auth_value\":\"allowed\","
            "\"auth_reason_desc\":\"user_consent\","
            "\"last_modified\":\"2022-04-15 05:20:00.000000\"}");
    mt_json(json_array_get(r.records, 1),
            "{\"service\":\"kTCCServiceMicrophone\",\"client\":\"" BH_PATH "\","
            "\"client_type\":\"absolute_path\",\"auth_value\":\"allowed\","
            "\"auth_reason_desc\":\"system_set\","
            "\"last_modified\":\"2022-04-15 05:21:40.000000\"}");
    /* value 3 = limited, unknown reason 99; value 7 unknown -> "" */
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(r.records, 2), "auth_value")), "limited");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(r.records, 2), "auth_reason_desc")),
        "unknown");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(r.records, 3), "auth_value")), "");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(r.records, 3), "auth_reason_desc")),
        "service_policy");
    assert_bh_alert(&r);
    assert_int_equal(json_array_size(r.timeline), 4);
    mt_row(&r, 0, "2022-04-15 05:20:00.000000", "TCC", "AccessRequest",
           "Access to kTCCServiceCamera by net.whatsapp.WhatsApp allowed");
    mt_row(&r, 1, "2022-04-15 05:21:40.000000", "TCC", "AccessRequest",
           "Access to kTCCServiceMicrophone by " BH_PATH " allowed");
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_v3(void **state)
{
    (void)state;
    check_v3(NULL);
}

static void test_v3_wal(void **state)
{
    (void)state;
    /* the two newest grants only in the -wal */
    check_v3("INSERT INTO access VALUES ('kTCCServicePhotos'");
}

static void test_v2(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "ios13.sql", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_tcc, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 3);
    mt_json(json_array_get(r.records, 0),
            "{\"service\":\"kTCCServiceCamera\",\"client\":\"net.whatsapp.WhatsApp\","
            "\"client_type\":\"bundle_id\",\"allowed_value\":\"allowed\",\"prompt_count\":1,"
            "\"last_modified\":\"2020-01-26 00:53:20.000000\"}");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(r.records, 2), "allowed_value")),
        "denied");
    assert_bh_alert(&r);
    assert_int_equal(json_array_size(r.timeline), 3);
    mt_row(&r, 0, "2020-01-26 00:53:20.000000", "TCC", "AccessRequest",
           "Access to kTCCServiceCamera by net.whatsapp.WhatsApp allowed");
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_v1(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "ios11.sql", NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_tcc, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 2);
    mt_json(json_array_get(r.records, 1),
            "{\"service\":\"kTCCServiceMicrophone\",\"client\":\"" BH_PATH "\","
            "\"client_type\":\"absolute_path\",\"allowed_value\":\"allowed\",\"prompt_count\":0}");
    assert_bh_alert(&r);
    assert_int_equal(json_array_size(r.timeline), 0); /* no last_modified */
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "ios15.sql", NULL);
    mh_result clean;
    mh_run_backup(&spy_mod_tcc, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_int_equal(json_array_size(clean.alerts), 0);
    char *stix = mh_stix(PATTERNS);
    mh_result c;
    mt_check_iocs(&spy_mod_tcc, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    assert_bh_alert(&c);
    mh_result direct;
    mh_run_backup(&spy_mod_tcc, dir, stix, &direct);
    mt_same_alerts(&direct, &c);
    mh_result_free(&direct);
    mh_result_free(&c);
    mh_result_free(&clean);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_corrupt(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char junk[4096];
    memcpy(junk, "SQLite format 3", 16); /* a header, then garbage pages */
    for (size_t i = 16; i < sizeof junk; i++)
        junk[i] = (char)(i * 7);
    bf_add_file(b, "HomeDomain", "Library/TCC/TCC.db", junk, sizeof junk);
    mt_info_version(b, "15.1");
    bf_finish(b);
    mh_result r;
    mh_run_backup(&spy_mod_tcc, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4); /* module failed, reported */
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v3),         cmocka_unit_test(test_v3_wal),
        cmocka_unit_test(test_v2),         cmocka_unit_test(test_v1),
        cmocka_unit_test(test_check_iocs), cmocka_unit_test(test_corrupt)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
