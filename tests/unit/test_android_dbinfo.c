/* DumpsysDBInfo (spec/android.md §4.6): connection pools of a Pixel
 * Android 14 report (no pid, two timestamps on one line, an empty sql) and
 * a Samsung Android 10 one ("[Pid:(n)]", a year-less time, an action glued
 * to "sql=", a quote inside the sql, a malformed pid), also with CRLF line
 * ends; ResidentBat's com.linkedln.service (mvt-indicators/ResidentBat) as
 * a path component, with the real LinkedIn app as the near-miss decoy;
 * check-iocs on saved results; bad input. */
#include "dumpsys_test.h"

#include "modules/android/dumpsys_parse.h"

#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_dbinfo;

static const char *const PATTERNS[] = {"[app:id='com.linkedln.service']", NULL};

static void run(const char *fixture, bool with_crlf, const char *stix, mh_result *r)
{
    char *text = af_fixture("dbinfo", fixture, NULL);
    if (with_crlf) {
        char *c = dt_crlf(text);
        free(text);
        text = c;
    }
    char *root = tu_mkdtemp();
    dt_run(&spy_mod_dbinfo, root, "dbinfo", text, stix, r);
    tu_rmtree(root);
    free(root);
    free(text);
}

#define CACHE "/data/user/0/com.linkedln.service/databases/cache.db"
#define IDM   "/data/user/0/com.wssyncmldm/databases/idmsdk.db"

static void check_pixel(bool with_crlf)
{
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("pixel_u14.txt", with_crlf, stix, &r);
    assert_int_equal(r.exit_code, 1);
    /* the empty sql="" line does not match; the statement cache after the
     * operations is not read */
    dt_expect(r.records, "dbinfo", "pixel_u14.expected.json");
    mt_json(mt_rec(&r, 0), "{\"isodate\":\"2024-02-29 10:01:02.345\",\"action\":"
                           "\"executeForChangedRowCount\",\"sql\":\"INSERT INTO uploads(path, ts) "
                           "VALUES (?, ?)\",\"path\":\"" CACHE "\"}");
    mt_json(mt_rec(&r, 1), "{\"isodate\":\"2024-02-29 10:01:01.002\",\"action\":\"executeForLong\","
                           "\"sql\":\"PRAGMA user_version;\",\"path\":\"" CACHE "\"}");
    /* of two bracketed times the last one is taken (greedy ".*") */
    mt_json(mt_rec(&r, 3), "{\"isodate\":\"2024-02-29 09:58:11.950\",\"action\":\"executeForLong\","
                           "\"sql\":\"SELECT count(*) FROM messages\",\"path\":"
                           "\"/data/user/0/com.linkedin.android/databases/messenger.db\"}");
    assert_int_equal(json_array_size(r.alerts), 2);
    dt_app_alert(&r, 0, "com.linkedln.service");
    dt_app_alert(&r, 1, "com.linkedln.service");
    assert_int_equal(json_array_size(r.timeline), 0);
    mh_result_free(&r);
    free(stix);
}

static void test_pixel(void **state)
{
    (void)state;
    check_pixel(false);
}

static void test_pixel_crlf(void **state)
{
    (void)state;
    check_pixel(true);
}

static void test_samsung(void **state)
{
    (void)state;
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run("samsung_q10.txt", false, stix, &r);
    assert_int_equal(r.exit_code, 1);
    dt_expect(r.records, "dbinfo", "samsung_q10.expected.json");
    mt_json(mt_rec(&r, 0), "{\"isodate\":\"2023-07-27 12:21:44.097\",\"action\":"
                           "\"executeForCursorWindow\",\"sql\":\"PRAGMA database_list;\","
                           "\"path\":\"" IDM "\",\"pid\":\"2977\"}");
    /* the sql ends at its first inner quote, as MVT's lazy match */
    mt_json(mt_rec(&r, 1), "{\"isodate\":\"2023-07-27 12:21:44.090\",\"action\":\"executeForLong\","
                           "\"sql\":\"SELECT value FROM settings WHERE key=\",\"path\":\"" IDM
                           "\",\"pid\":\"0\"}");
    mt_json(mt_rec(&r, 2), "{\"isodate\":\"07-27 12:21:43.500\",\"action\":\"execute\","
                           "\"sql\":\"DELETE FROM log\",\"path\":\"" IDM "\"}");
    /* the action gives its trailing "sql" back to sql=" */
    mt_json(mt_rec(&r, 3), "{\"isodate\":\"2023-07-27 12:21:43.400\",\"action\":\"executeRaw\","
                           "\"sql\":\"VACUUM\",\"path\":\"" IDM "\",\"pid\":\"2977\"}");
    mt_json(mt_rec(&r, 4), "{\"isodate\":\"2023-07-27 12:20:00.000\",\"action\":"
                           "\"executeForChangedRowCount\",\"sql\":\"UPDATE jobs SET state=1\","
                           "\"path\":\"/data/user_de/0/com.linkedln.service/databases/jobs.db\","
                           "\"pid\":\"4100\"}");
    assert_int_equal(json_array_size(r.alerts), 1);
    dt_app_alert(&r, 0, "com.linkedln.service");
    mh_result_free(&r);
    free(stix);
}

static void test_check_iocs(void **state)
{
    (void)state;
    mh_result clean, with;
    run("samsung_q10.txt", false, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    char *stix = mh_stix(PATTERNS);
    run("samsung_q10.txt", false, stix, &with);
    dt_recheck_same(&spy_mod_dbinfo, clean.out_dir, stix, &with);
    mh_result_free(&clean);
    mh_result_free(&with);
    free(stix);
}

static json_t *parse(const char *text, size_t len)
{
    json_t *a = json_array();
    assert_int_equal(spy_parse_dbinfo(text, len, dt_collect, a), 0);
    return a;
}

static void test_bad_input(void **state)
{
    (void)state;
    static const char garbage[] = "\xff\x00[2023-07-27 12:21:44.097] x sql=\"y\"\n";
    json_t *a = parse(garbage, sizeof garbage - 1);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    /* as MVT: a pool line met in operations mode ends the mode and the
     * pool, so the operations under it are not read */
    static const char quirk[] = "Connection pool for /a.db:\n  Most recently executed operations:\n"
                                "        0: [01-02 03:04:05.006] op sql=\"S1\"\n"
                                "Connection pool for /b.db::\n"
                                "  Most recently executed operations:\n"
                                "        0: [01-02 03:04:05.007] op sql=\"S2\"\n";
    a = parse(quirk, strlen(quirk));
    assert_int_equal(json_array_size(a), 1);
    mt_json(json_array_get(a, 0), "{\"isodate\":\"01-02 03:04:05.006\",\"action\":\"op\","
                                  "\"sql\":\"S1\",\"path\":\"/a.db\"}");
    json_decref(a);
    /* cut inside an operation line; a bracket run with no time */
    static const char cut[] = "Connection pool for /c.db:\n  Most recently executed operations:\n"
                              "        0: [[[[[[[[[[ [2023-07-27 12:21:44.0";
    a = parse(cut, strlen(cut));
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    a = parse(NULL, 0);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel),     cmocka_unit_test(test_pixel_crlf),
        cmocka_unit_test(test_samsung),   cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
