/* WebkitResourceLoadStatistics (spec/ios.md §5.17) on real-shaped
 * observations.db files of two apps (iOS 17 and iOS 14 schemas). */
#include "module_test.h"

#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_webkit_resource_load_statistics;

#define RELPATH "Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db"
#define SAFARI  "AppDomain-com.apple.mobilesafari"
#define READER  "AppDomain-com.example.reader"

static const char *const PATTERNS[] = {"[domain-name:value='free247downloads.com']",
                                       "[domain-name:value='urlpush.net']", NULL};

static char *make_backup(const char *root, const char *wal_sql)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    char *sql = mt_fixture("webkit_resource_load_statistics", "ios17.sql");
    bf_add_sqlite(b, SAFARI, RELPATH, sql, wal_sql);
    free(sql);
    sql = mt_fixture("webkit_resource_load_statistics", "ios14.sql");
    bf_add_sqlite(b, READER, RELPATH, sql, NULL);
    free(sql);
    mt_info(b);
    bf_finish(b);
    return dir;
}

static const json_t *find(const mh_result *r, const char *rd)
{
    for (size_t i = 0; i < json_array_size(r->records); i++)
        if (!strcmp(json_string_value(json_object_get(mt_rec(r, i), "registrable_domain")), rd))
            return mt_rec(r, i);
    fail_msg("no record for %s", rd);
    return NULL;
}

static void test_records_alerts_timeline(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir = make_backup(root, NULL);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    mh_run_backup(&spy_mod_webkit_resource_load_statistics, dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.records), 6);

    const json_t *rec = find(&r, "example.org");
    mt_keys(rec,
            "domain_id,registrable_domain,last_seen,had_user_interaction,last_seen_isodate,domain,"
            "path,most_recent_user_interaction_time,most_recent_user_interaction_time_isodate,"
            "most_recent_web_push_interaction_time,most_recent_web_push_interaction_time_isodate");
    mt_int(rec, "domain_id", 4);
    assert_true(json_real_value(json_object_get(rec, "last_seen")) == 1626609600.0);
    assert_true(json_is_true(json_object_get(rec, "had_user_interaction")));
    mt_str(rec, "last_seen_isodate", "2021-07-18 12:00:00.000000");
    mt_str(rec, "domain", SAFARI);
    mt_str(rec, "path", RELPATH);
    mt_str(rec, "most_recent_user_interaction_time_isodate", "2021-07-18 12:00:00.000000");
    mt_str(rec, "most_recent_web_push_interaction_time_isodate", "2021-07-18 12:00:50.000000");

    /* -1 = never: the raw value but no isodate key */
    rec = find(&r, "free247downloads.com");
    mt_keys(rec,
            "domain_id,registrable_domain,last_seen,had_user_interaction,last_seen_isodate,domain,"
            "path,most_recent_user_interaction_time,most_recent_web_push_interaction_time");
    assert_true(json_is_false(json_object_get(rec, "had_user_interaction")));
    mt_str(rec, "last_seen_isodate", "2021-07-18 12:00:01.250000");

    /* the iOS 14 schema has no web-push column */
    rec = find(&r, "wikipedia.org");
    mt_keys(rec,
            "domain_id,registrable_domain,last_seen,had_user_interaction,last_seen_isodate,domain,"
            "path,most_recent_user_interaction_time,most_recent_user_interaction_time_isodate");
    mt_str(rec, "domain", READER);

    assert_int_equal(json_array_size(r.alerts), 2);
    size_t a = strstr(mh_alert_str(&r, 0, "message"), "free247") ? 0 : 1;
    assert_string_equal(mh_alert_str(&r, a, "message"),
                        "Found a known suspicious domain free247downloads.com matching indicator "
                        "\"free247downloads.com\" from \"TestMalware\"");
    assert_string_equal(mh_alert_str(&r, a, "level"), "CRITICAL");
    assert_string_equal(mh_alert_str(&r, a, "event_time"), "");
    assert_string_equal(mt_match(&r, a, "type"), "domains");
    assert_string_equal(
        mh_alert_str(&r, 1 - a, "message"),
        "Found a known suspicious domain urlpush.net matching indicator \"urlpush.net\" "
        "from \"TestMalware\"");

    assert_true(mt_timeline_has(&r, "2021-07-18 12:00:01.250000", "WebkitResourceLoadStatistics",
                                "visit",
                                "Webkit resource loaded from free247downloads.com by app in domain "
                                "AppDomain-com.apple.mobilesafari"));

    mh_result clean, c;
    mh_run_backup(&spy_mod_webkit_resource_load_statistics, dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    mt_check_iocs(&spy_mod_webkit_resource_load_statistics, clean.out_dir, stix, &c);
    assert_int_equal(c.exit_code, 1);
    mt_same_alerts(&r, &c);
    mh_result_free(&c);
    mh_result_free(&clean);
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
}

static void test_wal_and_schema_variants(void **state)
{
    (void)state;
    char *root = tu_mkdtemp();
    char *dir =
        make_backup(root, "INSERT INTO ObservedDomains VALUES (5, 'baramije.net', 1626610000.0, 0, "
                          "-1.0, 0, 0, 0, 0, 0, 0, 0, -1.0);");
    mh_result r;
    mh_run_backup(&spy_mod_webkit_resource_load_statistics, dir, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 7);
    mt_str(find(&r, "baramije.net"), "last_seen_isodate", "2021-07-18 12:06:40.000000");
    mh_result_free(&r);
    free(dir);

    /* a database without the required columns is skipped, not a failure */
    dir = tu_join(root, "backup2");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(
        b, SAFARI, RELPATH,
        "CREATE TABLE ObservedDomains (domainID INTEGER PRIMARY KEY, registrableDomain TEXT);"
        "INSERT INTO ObservedDomains VALUES (1, 'urlpush.net');",
        NULL);
    static const char junk[] = "not a database";
    bf_add_file(b, READER, RELPATH, junk, sizeof junk);
    mt_info(b);
    bf_finish(b);
    mh_run_backup(&spy_mod_webkit_resource_load_statistics, dir, NULL, &r);
    /* both databases are skipped (one reported as unreadable), the module goes on */
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(json_array_size(r.records), 0);
    mh_result_free(&r);
    free(dir);
    tu_rmtree(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_alerts_timeline),
        cmocka_unit_test(test_wal_and_schema_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
