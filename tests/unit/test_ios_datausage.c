/* Datausage module (spec/ios.md §5.11): records, the manipulated / missing
 * process heuristics, the process indicator, both schema variants, a WAL
 * and a broken database. */
#include "module_test.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_datausage;

/* "bh" is a Pegasus process name (amnesty-investigations/2021-07-18_nso). */
static const char *const PATTERNS[] = {"[process:name='bh']", NULL};

/* The backup; with split_wal the last usage row exists only in the -wal. */
static char *make_backup(const char *root, const char *variant, bool split_wal)
{
    char *sql = mt_fixture("datausage", variant);
    char *wal = split_wal ? mt_split_wal(sql, "INSERT INTO ZLIVEUSAGE VALUES (4") : NULL;
    char *dir = mt_db_backup(root, "WirelessDomain", "Library/Databases/DataUsage.sqlite", sql, wal,
                             "14.8");
    free(wal);
    free(sql);
    return dir;
}

static void assert_alert(const mh_result *r, size_t i, const char *level, const char *time,
                         const char *msg)
{
    assert_string_equal(mh_alert_str(r, i, "level"), level);
    assert_string_equal(mh_alert_str(r, i, "event_time"), time);
    assert_string_equal(mh_alert_str(r, i, "message"), msg);
}

/* The heuristic alerts, identical with and without indicators. */
static void assert_heuristics(const mh_result *r)
{
    assert_alert(r, 0, "HIGH", "2021-04-13 09:46:40.000000",
                 "Found manipulated process entry 9. Entry on 2021-04-13 09:46:40.000000");
    assert_alert(r, 1, "HIGH", "2021-04-13 09:46:40.000000", "Found manipulated process entry 9/");
    assert_alert(r, 2, "LOW", "2020-12-18 17:00:00.000000",
                 "Missing process 3. Previous process at \"2020-12-18 17:00:00.000000\" (bh)");
}

static void run_variant(const char *variant, bool wifi, bool split_wal)
{
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, variant, split_wal);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_datausage, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* 4 usage rows + process 5 without usage + the placeholder for 3 */
    assert_int_equal(json_array_size(r.records), 6);

    char *got =
        json_dumps(mt_find_str(r.records, "proc_name", "bh"), JSON_PRESERVE_ORDER | JSON_COMPACT);
    /* MVT writes the match into the record: "matched_indicator" comes last. */
    json_t *expect = json_pack(
        "{s:s, s:s, s:s, s:n, s:i, s:o, s:o, s:f, s:f, s:i, s:i, s:s, s:{s:s, s:s, s:s, s:s}}",
        "first_isodate", "2020-12-18 17:00:00.000000", "isodate", "2021-08-07 03:35:00.000000",
        "proc_name", "bh", "bundle_id", "proc_id", 2, "wifi_in", wifi ? json_real(0) : json_null(),
        "wifi_out", wifi ? json_real(0) : json_null(), "wwan_in", 10.0, "wwan_out", 20.0, "live_id",
        2, "live_proc_id", 2, "live_isodate", "2021-11-30 21:20:00.000000", "matched_indicator",
        "value", "bh", "type", "processes", "name", "TestMalware", "stix2_file_name",
        "indicators.stix2");
    char *want = json_dumps(expect, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(expect);
    assert_string_equal(got, want);
    free(got);
    free(want);

    /* The deleted process row: placeholder with every key, most null. */
    mt_json(mt_find_str(r.records, "proc_name", "MISSING [follows bh]"),
            "{\"first_isodate\":\"2020-12-18 17:00:00.000000\","
            "\"isodate\":\"2020-12-18 17:00:00.000000\","
            "\"proc_name\":\"MISSING [follows bh]\",\"bundle_id\":null,"
            "\"proc_id\":3,\"wifi_in\":null,\"wifi_out\":null,\"wwan_in\":null,"
            "\"wwan_out\":null,\"live_id\":null,\"live_proc_id\":3,"
            "\"live_isodate\":\"2020-12-18 17:00:00.000000\"}");
    const json_t *m = mt_find_str(r.records, "proc_name", "MANIPULATED [process record deleted]");
    assert_true(json_is_null(json_object_get(m, "proc_id")));
    assert_int_equal(json_integer_value(json_object_get(m, "live_proc_id")), 9);
    assert_string_equal(json_string_value(json_object_get(m, "first_isodate")),
                        "2021-04-13 09:46:40.000000");
    /* process 5 has no usage row: live_isodate falls back to first_isodate */
    const json_t *p5 = mt_find_str(r.records, "proc_name", "bhx/com.example.bhx");
    assert_true(json_is_null(json_object_get(p5, "live_id")));
    assert_string_equal(json_string_value(json_object_get(p5, "live_isodate")),
                        "2021-11-30 21:20:00.000000");

    /* Sorted by first_isodate (MVT's final order). */
    const char *prev = "";
    size_t i;
    json_t *rec;
    json_array_foreach(r.records, i, rec)
    {
        const char *f = json_string_value(json_object_get(rec, "first_isodate"));
        assert_true(strcmp(prev, f) <= 0);
        prev = f;
    }

    /* Alerts: heuristics, then the indicator (decoys mybh, bhx/... quiet). */
    assert_int_equal(json_array_size(r.alerts), 4);
    assert_heuristics(&r);
    assert_string_equal(mh_alert_str(&r, 3, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, 3, "event_time"), "2020-12-18 17:00:00.000000");
    assert_non_null(strstr(mh_alert_str(&r, 3, "message"), "bh"));
    json_t *mi = json_object_get(json_array_get(r.alerts, 3), "matched_indicator");
    assert_string_equal(json_string_value(json_object_get(mi, "value")), "bh");
    assert_string_equal(json_string_value(json_object_get(mi, "type")), "processes");

    /* Timeline */
    assert_true(mt_timeline_has(&r, "2021-11-30 21:20:00.000000", "Datausage", "live_usage",
                                "bh (Bundle ID: None, ID: 2) WWAN IN: 10.0, WWAN OUT: 20.0"));
    assert_true(mt_timeline_has(&r, "2020-12-18 17:00:00.000000", "Datausage", "first_usage",
                                "bh (Bundle ID: None, ID: 2)"));
    assert_true(mt_timeline_has(&r, "2021-08-07 03:35:00.000000", "Datausage", "current_usage",
                                "bh (Bundle ID: None, ID: 2)"));
    assert_true(mt_timeline_has(
        &r, "2020-12-18 17:00:00.000000", "Datausage", "live_usage",
        "MISSING [follows bh] (Bundle ID: None, ID: 3) WWAN IN: None, WWAN OUT: None"));
    assert_true(mt_timeline_has(&r, "2021-04-13 09:46:40.000000", "Datausage", "live_usage",
                                "MANIPULATED [process record deleted] (Bundle ID: None, ID: None) "
                                "WWAN IN: 4096.0, WWAN OUT: 512.0"));
    assert_true(mt_timeline_has(
        &r, "2020-12-18 16:00:00.500000", "Datausage", "first_usage",
        "MobileSafari/com.apple.mobilesafari (Bundle ID: com.apple.mobilesafari, ID: 1)"));
    /* usage rows: 3 rows each for processes 1, 2, 4; one for 5 (no live
     * process id), for the manipulated row and for the placeholder */
    assert_int_equal(json_array_size(r.timeline), 3 * 3 + 3);
    mh_result_free(&r);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static void test_ios14(void **state)
{
    (void)state;
    run_variant("ios14.sql", true, false);
}

static void test_ios17_no_wifi_columns(void **state)
{
    (void)state;
    run_variant("ios17.sql", false, false);
}

static void test_wal(void **state)
{
    (void)state;
    /* the manipulated row lives only in the -wal */
    run_variant("ios14.sql", true, true);
}

static void test_check_iocs(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, "ios14.sql", false);
    mh_result clean;
    mh_run_backup(&spy_mod_datausage, dir, NULL, &clean);
    /* the heuristics need no indicators: HIGH alerts -> findings */
    assert_int_equal(clean.exit_code, 1);
    assert_int_equal(json_array_size(clean.alerts), 3);
    assert_heuristics(&clean);
    char *stix = mh_stix(PATTERNS);
    mh_result c;
    mt_check_iocs(&spy_mod_datausage, clean.out_dir, stix, &c);
    /* the indicator alert of the direct run; the heuristics were computed
     * during extraction and are not repeated (spec §1.2) */
    assert_int_equal(json_array_size(c.alerts), 1);
    assert_string_equal(mh_alert_str(&c, 0, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&c, 0, "event_time"), "2020-12-18 17:00:00.000000");
    mh_result direct;
    mh_run_backup(&spy_mod_datausage, dir, stix, &direct);
    assert_int_equal(json_array_size(direct.alerts), 4); /* 3 heuristics + the match */
    mt_same_match_alerts(&direct, &c);
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
    char *dir = mt_db_backup(root, "WirelessDomain", "Library/Databases/DataUsage.sqlite",
                             "CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, ZPROCNAME VARCHAR);",
                             NULL, "14.8");
    mh_result r;
    mh_run_backup(&spy_mod_datausage, dir, NULL, &r);
    assert_int_equal(r.exit_code, 4); /* module failed, reported, no crash */
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

/* Beyond MVT: a gap of more than 50000 ids (a hostile or damaged
 * database) stops after 50000 placeholders instead of running on. */
static void test_missing_cap(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = mt_db_backup(
        root, "WirelessDomain", "Library/Databases/DataUsage.sqlite",
        "CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,"
        " ZFIRSTTIMESTAMP TIMESTAMP, ZTIMESTAMP TIMESTAMP, ZBUNDLENAME VARCHAR, ZPROCNAME VARCHAR);"
        "CREATE TABLE ZLIVEUSAGE (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,"
        " ZHASPROCESS INTEGER, ZTIMESTAMP TIMESTAMP, ZWWANIN FLOAT, ZWWANOUT FLOAT);"
        "INSERT INTO ZPROCESS VALUES (1, 2, 1, 630000000.0, 630000001.0, NULL, 'a');"
        "INSERT INTO ZPROCESS VALUES (4611686018427387904, 2, 1, 630000002.0, 630000003.0, NULL, "
        "'b');",
        NULL, "17.1");
    mh_result r;
    mh_run_backup(&spy_mod_datausage, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0); /* LOW alerts only */
    assert_int_equal(json_array_size(r.alerts), 50000);
    assert_int_equal(json_array_size(r.records), 2 + 50000);
    assert_string_equal(
        mh_alert_str(&r, 49999, "message"),
        "Missing process 50001. Previous process at \"2020-12-18 16:00:00.000000\" (a)");
    mh_result_free(&r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ios14),        cmocka_unit_test(test_ios17_no_wifi_columns),
        cmocka_unit_test(test_wal),          cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_wrong_schema), cmocka_unit_test(test_missing_cap)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
