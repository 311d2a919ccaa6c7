/* SMS of an Android backup (spec/android.md §4.22): TelephonyBackupAgent's
 * SMS and MMS files (fixtures compressed at test time) in an unpacked
 * backup folder and in .ab twins (plain, compressed, encrypted): exact
 * records (links null / [] / absent, MMS dates as seconds, the message
 * without a body kept), URL-batch alerts with real indicators and decoys,
 * urls.json, check-iocs ≡ check, and damaged files. The parser's own rules:
 * test_android_sms_backup.c. */
#include "aqf_test.h"

#include "ab_fixture.h"
#include "acquire/commands.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const spy_module spy_mod_android_sms;

#define D_F               "apps/com.android.providers.telephony/d_f/"
#define SMS_MEMBER        D_F "000000_sms_backup"
#define MMS_MEMBER        D_F "000000_mms_backup"
#define TEST_PASS         "correct horse battery"
#define N_FIXTURE_RECORDS 11

/* Real indicators: Predator (mvt-indicators/intellexa_predator), Pegasus
 * (investigations/2021-07-18_nso), DarkSword (mvt-indicators, a sub-domain
 * indicator), NoviSpy (investigations/2024-12-16_serbia_novispy, an IPv4
 * address written as a domain-name, as that bundle does). */
static const char *const PATTERNS[] = {
    "[domain-name:value='coazoa.com']",      "[domain-name:value='exclusivo24h.com']",
    "[domain-name:value='14-tracking.com']", "[domain-name:value='e5.malaymoil.com']",
    "[domain-name:value='195.178.51.251']",  NULL};

typedef struct sms_files {
    void *sms, *mms;
    size_t sms_len, mms_len;
} sms_files;

static void files_load(sms_files *f)
{
    size_t n;
    char *text = af_fixture("sms", "sms.json", &n);
    f->sms = abf_zlib(text, n, &f->sms_len);
    free(text);
    text = af_fixture("sms", "mms.json", &n);
    f->mms = abf_zlib(text, n, &f->mms_len);
    free(text);
}

static void files_free(sms_files *f)
{
    free(f->sms);
    free(f->mms);
}

/* The telephony provider's members as adb backup writes them, MMS first
 * in the tar (the module still reads SMS files first), plus members the
 * globs must leave alone. */
static size_t members(const sms_files *f, abf_member *m)
{
    static const char manifest[] = "1\ncom.android.providers.telephony\n";
    static const char junk[] = "not a backup file";
    size_t n = 0;
    m[n++] = (abf_member){.name = "apps/com.android.providers.telephony/_manifest",
                          .data = manifest,
                          .len = sizeof manifest - 1};
    m[n++] = (abf_member){.name = MMS_MEMBER, .data = f->mms, .len = f->mms_len};
    m[n++] = (abf_member){.name = SMS_MEMBER, .data = f->sms, .len = f->sms_len};
    m[n++] =
        (abf_member){.name = D_F "000000_sms_backup.old", .data = junk, .len = sizeof junk - 1};
    m[n++] = (abf_member){.name = "apps/com.android.providers.contacts/d_f/000000_sms_backup_x",
                          .data = junk,
                          .len = sizeof junk - 1};
    return n;
}

static void run(const char *input, const char *stix, mh_result *r)
{
    const spy_module *mods[] = {&spy_mod_android_sms, NULL};
    mh_run(&spy_cmd_android_check_backup, mods, input, stix, "sms", r);
}

static json_t *load_or(const char *dir, const char *name, json_t *fallback)
{
    char *p = tu_join(dir, name);
    json_t *j = json_load_file(p, JSON_PRESERVE_ORDER, NULL);
    free(p);
    if (!j)
        return fallback;
    json_decref(fallback);
    return j;
}

/* As mh_run, with the backup password given as -p would (the harness has
 * no password, and tests may not change the environment). */
static void run_pw(const char *input, const char *password, const char *stix, mh_result *r)
{
    memset(r, 0, sizeof *r);
    char *scratch = tu_mkdtemp();
    r->out_dir = tu_join(scratch, "out");
    char *ioc = tu_join(scratch, "indicators.stix2");
    tu_write_str(ioc, stix);
    const char *paths[] = {ioc};
    const spy_module *mods[] = {&spy_mod_android_sms, NULL};
    spy_check_opts o = {.input = input,
                        .output = r->out_dir,
                        .modules = mods,
                        .threads = 2,
                        .password = password,
                        .non_interactive = true};
    o.iocs.paths = paths;
    o.iocs.n_paths = 1;
    o.iocs.no_defaults = true;
    spy_log_set_quiet(true);
    FILE *devnull = fopen("/dev/null", "w");
    FILE *saved = stdout;
    stdout = devnull;
    r->exit_code = spy_session_check(&spy_cmd_android_check_backup, &o);
    stdout = saved;
    fclose(devnull);
    r->records = load_or(r->out_dir, "sms.json", NULL);
    r->alerts = load_or(r->out_dir, "sms_detected.json", json_array());
    r->urls = load_or(r->out_dir, "urls.json", json_array());
    r->timeline = json_array();
    free(ioc);
    free(scratch);
}

/* command.log of a run contains this text. */
static void logged(const mh_result *r, const char *text)
{
    char *p = tu_join(r->out_dir, "command.log");
    char *log = tu_read(p, NULL);
    free(p);
    if (!log || !strstr(log, text))
        fail_msg("command.log lacks: %s", text);
    free(log);
}

/* Records as MVT writes them (the fixture objects plus isodate, direction
 * and links by the body rules); MMS dates are seconds (spyscan's fix). */
static const char EXPECTED_SMS_0[] =
    "{\"self_phone\": \"+381601234567\", \"address\": \"+381641112233\", \"body\": \"Your parcel "
    "is waiting: https://coazoa.com/t/8f3a2c?id=77 confirm within 24h\", \"date\": "
    "\"1709287200123\", \"date_sent\": \"0\", \"status\": \"-1\", \"type\": \"1\", "
    "\"recipients\": [\"+381641112233\"], \"archived\": false, \"read\": \"1\", \"isodate\": "
    "\"2024-03-01 10:00:00.123000\", \"direction\": \"received\", \"links\": "
    "[\"https://coazoa.com/t/8f3a2c?id=77\"]}";
static const char EXPECTED_EMPTY[] =
    "{\"address\": \"+381641112233\", \"body\": \"\", \"date\": \"1709388000000\", \"date_sent\": "
    "\"0\", \"status\": \"-1\", \"type\": \"1\", \"recipients\": [\"+381641112233\"], \"read\": "
    "\"1\", \"isodate\": \"2024-03-02 14:00:00.000000\", \"direction\": \"received\", "
    "\"links\": null}";
static const char EXPECTED_BLANK[] =
    "{\"address\": \"+381641112233\", \"body\": \" \\n\\t \", \"date\": \"1709388060000\", "
    "\"date_sent\": \"1709388059000\", \"status\": \"-1\", \"type\": \"2\", \"recipients\": "
    "[\"+381641112233\"], \"read\": \"1\", \"isodate\": \"2024-03-02 14:01:00.000000\", "
    "\"direction\": \"sent\", \"links\": []}";
static const char EXPECTED_NO_LINK[] =
    "{\"address\": \"+381641112233\", \"body\": \"Hello, no links here: coazoa.com is only "
    "text\", \"date\": \"1709388120000\", \"date_sent\": \"0\", \"status\": \"-1\", \"type\": "
    "\"1\", \"recipients\": [\"+381641112233\"], \"read\": \"1\", \"isodate\": \"2024-03-02 "
    "14:02:00.000000\", \"direction\": \"received\"}";
static const char EXPECTED_NO_BODY[] =
    "{\"address\": \"+381641112233\", \"date\": \"1709388180000\", \"date_sent\": \"0\", "
    "\"status\": \"-1\", \"type\": \"1\", \"recipients\": [\"+381641112233\"], \"read\": \"1\", "
    "\"isodate\": \"2024-03-02 14:03:00.000000\", \"direction\": \"received\"}";
static const char EXPECTED_MMS_0[] =
    "{\"self_phone\": \"+381601234567\", \"date\": \"1709391600\", \"date_sent\": \"0\", "
    "\"m_type\": \"132\", \"v\": \"18\", \"msg_box\": \"1\", \"tr_id\": \"T18e0f3c2a1\", "
    "\"read\": \"1\", \"mms_addresses\": [{\"type\": 137, \"address\": \"+381655554444\", "
    "\"charset\": 106}, {\"type\": 151, \"address\": \"+381601234567\", \"charset\": 106}], "
    "\"mms_charset\": 106, \"recipients\": [\"+381655554444\"], \"archived\": false, \"body\": "
    "\"Photos from the event: https://exclusivo24h.com/gal/5\", \"isodate\": \"2024-03-02 "
    "15:00:00.000000\", \"direction\": \"received\", \"links\": "
    "[\"https://exclusivo24h.com/gal/5\"]}";
static const char EXPECTED_MMS_1[] =
    "{\"date\": \"1709395200\", \"date_sent\": \"1709395199\", \"m_type\": \"128\", \"v\": "
    "\"18\", \"msg_box\": \"2\", \"tr_id\": \"T18e0f3c2a2\", \"read\": \"1\", \"mms_addresses\": "
    "[{\"type\": 151, \"address\": \"+381655554444\", \"charset\": 106}, {\"type\": 137, "
    "\"address\": \"+381601234567\", \"charset\": 106}], \"recipients\": [\"+381655554444\"], "
    "\"archived\": false, \"isodate\": \"2024-03-02 16:00:00.000000\", \"direction\": \"sent\"}";

static void assert_records(const mh_result *r)
{
    assert_int_equal(json_array_size(r->records), N_FIXTURE_RECORDS);
    mt_equal(mt_rec(r, 0), EXPECTED_SMS_0);
    mt_str(mt_rec(r, 1), "direction", "sent");
    mt_json(json_object_get(mt_rec(r, 1), "links"),
            "[\"https://coazoa.com.example.net/x\",\"https://notcoazoa.com/\","
            "\"https://malaymoil.com/\"]");
    mt_json(json_object_get(mt_rec(r, 2), "links"),
            "[\"https://www.wikipedia.org/wiki/SMS\",\"https://login.14-tracking.com/a?b=1\","
            "\"https://coazoa.com/second\"]");
    mt_str(mt_rec(r, 2), "isodate", "2024-03-02 10:00:00.999000");
    /* the closing parenthesis belongs to the link, as with MVT's regex */
    mt_json(json_object_get(mt_rec(r, 4), "links"),
            "[\"http://195.178.51.251:8080/app.apk\",\"http://195.178.51.25/app.apk)\"]");
    mt_equal(mt_rec(r, 5), EXPECTED_EMPTY);
    mt_equal(mt_rec(r, 6), EXPECTED_BLANK);
    mt_equal(mt_rec(r, 7), EXPECTED_NO_LINK);
    mt_equal(mt_rec(r, 8), EXPECTED_NO_BODY);
    mt_equal(mt_rec(r, 9), EXPECTED_MMS_0);
    mt_equal(mt_rec(r, 10), EXPECTED_MMS_1);
}

static void alert(const mh_result *r, size_t i, const char *message, const char *time,
                  const char *value)
{
    at_alert(r, i, "CRITICAL", message);
    assert_string_equal(mh_alert_str(r, i, "event_time"), time);
    assert_string_equal(mt_match(r, i, "value"), value);
    assert_string_equal(mt_match(r, i, "type"), "domains");
}

/* One alert per message, on its first matching link; the decoys
 * (coazoa.com.example.net, notcoazoa.com, malaymoil.com above the
 * sub-domain indicator, 195.178.51.25, a domain in plain text) none. */
static void assert_alerts(const mh_result *r)
{
    assert_int_equal(json_array_size(r->alerts), 5);
    alert(r, 0,
          "Found a known suspicious domain https://coazoa.com/t/8f3a2c?id=77 matching indicator "
          "\"coazoa.com\" from \"TestMalware\"",
          "2024-03-01 10:00:00.123000", "coazoa.com");
    mt_equal(json_object_get(json_array_get(r->alerts, 0), "event"), EXPECTED_SMS_0);
    alert(r, 1,
          "Found a sub-domain with a suspicious top level https://login.14-tracking.com/a?b=1 "
          "matching indicator \"14-tracking.com\" from \"TestMalware\"",
          "2024-03-02 10:00:00.999000", "14-tracking.com");
    alert(r, 2,
          "Found a known suspicious domain HTTPS://E5.MALAYMOIL.COM/watch?v=xyz matching "
          "indicator \"e5.malaymoil.com\" from \"TestMalware\"",
          "2024-03-02 12:00:00.500000", "e5.malaymoil.com");
    alert(r, 3,
          "Maybe found a known suspicious domain http://195.178.51.251:8080/app.apk matching "
          "indicator \"195.178.51.251\" from \"TestMalware\"",
          "2024-03-02 13:00:00.000000", "195.178.51.251");
    alert(r, 4,
          "Found a known suspicious domain https://exclusivo24h.com/gal/5 matching indicator "
          "\"exclusivo24h.com\" from \"TestMalware\"",
          "2024-03-02 15:00:00.000000", "exclusivo24h.com");
    mt_equal(json_object_get(json_array_get(r->alerts, 4), "event"), EXPECTED_MMS_0);
}

/* Every link of every message, in order, with the message's isodate. */
static void assert_urls(const mh_result *r)
{
    assert_int_equal(json_array_size(r->urls), 11);
    mt_json(json_array_get(r->urls, 0),
            "{\"url\":\"https://coazoa.com/t/8f3a2c?id=77\",\"expanded_url\":null,"
            "\"timestamp\":\"2024-03-01 10:00:00.123000\",\"source\":\"sms\"}");
    mt_json(json_array_get(r->urls, 3),
            "{\"url\":\"https://malaymoil.com/\",\"expanded_url\":null,"
            "\"timestamp\":\"2024-03-01 10:01:00.000000\",\"source\":\"sms\"}");
    mt_str(json_array_get(r->urls, 7), "url", "HTTPS://E5.MALAYMOIL.COM/watch?v=xyz");
    mt_json(json_array_get(r->urls, 10),
            "{\"url\":\"https://exclusivo24h.com/gal/5\",\"expanded_url\":null,"
            "\"timestamp\":\"2024-03-02 15:00:00.000000\",\"source\":\"sms\"}");
}

static void test_folder(void **state)
{
    (void)state;
    sms_files f;
    files_load(&f);
    abf_member m[8];
    size_t n = members(&f, m);
    char *root = tu_mkdtemp();
    char *dir = abf_write_folder(root, "backup", m, n);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run(dir, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_records(&r);
    assert_alerts(&r);
    assert_urls(&r);
    assert_int_equal(json_array_size(r.timeline), 0); /* no timeline in MVT */
    logged(&r, "Processing SMS backup file at " SMS_MEMBER);
    logged(&r, "Extracted a total of 11 SMS & MMS messages");
    mh_result_free(&r);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
    files_free(&f);
}

/* The same members in .ab files: uncompressed v1, compressed v5, and
 * encrypted + compressed v5 give the folder's records, alerts and URLs. */
static void test_ab_twins(void **state)
{
    (void)state;
    sms_files f;
    files_load(&f);
    abf_member m[8];
    size_t n = members(&f, m);
    char *root = tu_mkdtemp();
    char *stix = mh_stix(PATTERNS);
    const abf_opts variants[] = {
        {.version = 1},
        {.version = 5, .compress = true},
        {.version = 5, .compress = true, .password = TEST_PASS, .iterations = 1000},
    };
    mh_result base;
    char *dir = abf_write_folder(root, "backup", m, n);
    run(dir, stix, &base);
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "backup%zu.ab", i);
        char *ab = abf_write(root, name, m, n, &variants[i]);
        mh_result r;
        run_pw(ab, variants[i].password, stix, &r);
        assert_int_equal(r.exit_code, 1);
        assert_true(json_equal(r.records, base.records));
        assert_records(&r);
        assert_alerts(&r);
        mt_same_alerts(&r, &base);
        assert_true(json_equal(r.urls, base.urls));
        mh_result_free(&r);
        if (variants[i].password) { /* a wrong password: input unusable, nothing read */
            run_pw(ab, "wrong", stix, &r);
            assert_int_equal(r.exit_code, 3);
            assert_null(r.records);
            mh_result_free(&r);
        }
        free(ab);
    }
    mh_result_free(&base);
    free(dir);
    free(stix);
    tu_rmtree(root);
    free(root);
    files_free(&f);
}

/* check-androidqf runs the module on the acquisition's backup.ab into the
 * same outputs (spec/android.md §1.3.3 step 4). */
static void test_androidqf_nested(void **state)
{
    (void)state;
    sms_files f;
    files_load(&f);
    abf_member m[8];
    size_t n = members(&f, m);
    char *root = tu_mkdtemp();
    char *qf = af_androidqf_dir(root);
    const abf_opts o = {.compress = true};
    free(abf_write(qf, "backup.ab", m, n, &o));
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    at_run(&spy_mod_android_sms, qf, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_records(&r);
    assert_alerts(&r);
    assert_urls(&r);
    mh_result_free(&r);
    free(stix);
    free(qf);
    tu_rmtree(root);
    free(root);
    files_free(&f);
}

/* check-iocs re-checks sms.json (MVT's module ignores the saved results):
 * a run without indicators saved records and URLs, and their re-check
 * raises the alerts of a run with indicators. */
static void test_check_iocs(void **state)
{
    (void)state;
    sms_files f;
    files_load(&f);
    abf_member m[8];
    size_t n = members(&f, m);
    char *root = tu_mkdtemp();
    char *dir = abf_write_folder(root, "backup", m, n);
    char *stix = mh_stix(PATTERNS);
    mh_result clean, with, again;
    run(dir, NULL, &clean);
    assert_int_equal(clean.exit_code, 0);
    assert_records(&clean);
    assert_urls(&clean); /* URLs are listed without indicators too */
    assert_int_equal(json_array_size(clean.alerts), 0);
    run(dir, stix, &with);
    at_recheck(&spy_mod_android_sms, clean.out_dir, stix, &again);
    assert_int_equal(again.exit_code, 1);
    mt_same_alerts(&with, &again);
    assert_alerts(&again);
    mh_result_free(&clean);
    mh_result_free(&with);
    mh_result_free(&again);
    free(stix);
    free(dir);
    tu_rmtree(root);
    free(root);
    files_free(&f);
}

/* Results saved by MVT: 4-space JSON; a message without a body is not
 * checked even if it has links; an empty links list falls back to a text
 * field; links null is no URL, whatever the text says. */
static void test_check_iocs_mvt_json(void **state)
{
    (void)state;
    static const char saved[] =
        "[\n    {\n        \"address\": \"+381641112233\",\n        \"body\": \"x "
        "https://coazoa.com/a\",\n        \"date\": \"1709287200123\",\n        \"date_sent\": "
        "\"0\",\n        \"isodate\": \"2024-03-01 10:00:00.123000\",\n        \"direction\": "
        "\"received\",\n        \"links\": [\n            \"https://coazoa.com/a\"\n        ]\n    "
        "},\n    {\"address\": \"1\", \"isodate\": \"2024-03-01 10:00:01.000000\", \"links\": "
        "[\"https://coazoa.com/b\"]},\n    {\"body\": \" \", \"text\": \"see "
        "https://exclusivo24h.com/t\", \"isodate\": \"2024-03-01 10:00:02.000000\", \"links\": "
        "[]},\n    {\"body\": \"\", \"text\": \"https://coazoa.com/c\", \"isodate\": "
        "\"2024-03-01 10:00:03.000000\", \"links\": null}\n"
        "]";
    char *root = tu_mkdtemp();
    char *p = tu_join(root, "sms.json");
    tu_write_str(p, saved);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    at_recheck(&spy_mod_android_sms, root, stix, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(json_array_size(r.alerts), 2);
    assert_string_equal(mt_match(&r, 0, "value"), "coazoa.com");
    assert_string_equal(mh_alert_str(&r, 0, "event_time"), "2024-03-01 10:00:00.123000");
    assert_string_equal(mt_match(&r, 1, "value"), "exclusivo24h.com");
    mh_result_free(&r);
    free(stix);
    free(p);
    tu_rmtree(root);
    free(root);
}

static void *zlib_str(const char *s, size_t *len)
{
    return abf_zlib(s, strlen(s), len);
}

/* Damaged files: each is skipped with a warning naming it, the others go
 * on; elements that are not objects are skipped one by one. */
static void test_bad_files(void **state)
{
    (void)state;
    sms_files f;
    files_load(&f);
    size_t l_obj, l_text, l_mixed, l_cut, l_empty;
    void *obj = zlib_str("{\"body\": \"not a list\"}", &l_obj);
    void *text = zlib_str("this is not json", &l_text);
    void *mixed = zlib_str("[1, \"x\", {\"body\": \"hi https://coazoa.com/z\", \"date\": "
                           "\"1000\", \"date_sent\": \"0\"}, null, [], {}]",
                           &l_mixed);
    /* a valid stream cut short: zlib fails, the file is skipped */
    void *cut = zlib_str("[{\"body\": \"a\", \"date\": \"1\", \"date_sent\": \"0\"}]", &l_cut);
    void *empty = zlib_str("[]", &l_empty);
    static const char garbage[] = "\x01\x02garbage, not zlib";
    static const char RAW[] = " [{\"body\": \"raw\", \"date\": \"2000\", \"date_sent\": \"1\"}]";
    const abf_member m[] = {
        {.name = D_F "000000_sms_backup", .data = garbage, .len = sizeof garbage - 1},
        {.name = D_F "000001_sms_backup", .data = obj, .len = l_obj},
        {.name = D_F "000002_sms_backup", .data = text, .len = l_text},
        {.name = D_F "000003_sms_backup", .data = mixed, .len = l_mixed},
        {.name = D_F "000004_sms_backup", .data = cut, .len = l_cut - 6},
        {.name = D_F "000005_sms_backup", .data = empty, .len = l_empty},
        {.name = D_F "000006_sms_backup", .data = "", .len = 0},
        /* already inflated JSON (an extension: MVT reads zlib only) */
        {.name = D_F "000007_sms_backup", .data = RAW, .len = sizeof RAW - 1},
        {.name = MMS_MEMBER, .data = f.mms, .len = f.mms_len},
    };
    char *root = tu_mkdtemp();
    char *dir = abf_write_folder(root, "backup", m, sizeof m / sizeof m[0]);
    char *stix = mh_stix(PATTERNS);
    mh_result r;
    run(dir, stix, &r);
    assert_int_equal(r.exit_code, 1); /* found, and no module failure */
    assert_int_equal(json_array_size(r.records), 5);
    mt_json(mt_rec(&r, 0), "{\"body\":\"hi https://coazoa.com/z\",\"date\":\"1000\","
                           "\"date_sent\":\"0\",\"isodate\":\"1970-01-01 00:00:01.000000\","
                           "\"direction\":\"received\",\"links\":[\"https://coazoa.com/z\"]}");
    mt_json(mt_rec(&r, 1), "{\"isodate\":\"\",\"direction\":\"received\"}");
    mt_json(mt_rec(&r, 2), "{\"body\":\"raw\",\"date\":\"2000\",\"date_sent\":\"1\","
                           "\"isodate\":\"1970-01-01 00:00:02.000000\",\"direction\":\"sent\"}");
    mt_str(mt_rec(&r, 3), "tr_id", "T18e0f3c2a1");
    assert_int_equal(json_array_size(r.alerts), 2);
    assert_string_equal(mt_match(&r, 0, "value"), "coazoa.com");
    assert_string_equal(mt_match(&r, 1, "value"), "exclusivo24h.com");
    logged(&r, "Skipped 1 unreadable entry: SMS backup file " D_F
               "000000_sms_backup: not a zlib stream, or a corrupt one");
    logged(&r, "Skipped 1 unreadable entry: SMS backup file " D_F
               "000001_sms_backup: not a JSON array");
    logged(&r, "Skipped 1 unreadable entry: SMS backup file " D_F "000002_sms_backup: ");
    logged(&r, "Skipped 4 unreadable entries: SMS backup file " D_F
               "000003_sms_backup: array elements that are not objects");
    logged(&r, "Skipped 1 unreadable entry: SMS backup file " D_F
               "000004_sms_backup: truncated zlib stream");
    logged(&r, "Skipped 1 unreadable entry: SMS backup file " D_F
               "000006_sms_backup: truncated zlib stream");
    mh_result_free(&r);

    /* only unusable files: the module failed (exit 4), nothing hides it */
    const abf_member bad[] = {
        {.name = D_F "000000_sms_backup", .data = garbage, .len = sizeof garbage - 1},
        {.name = D_F "000000_mms_backup", .data = text, .len = l_text},
    };
    char *dir2 = abf_write_folder(root, "bad", bad, 2);
    run(dir2, NULL, &r);
    assert_int_equal(r.exit_code, 4);
    assert_null(r.records);
    mh_result_free(&r);

    /* no SMS files at all: not a failure */
    const abf_member none[] = {{.name = "apps/com.example/_manifest", .data = "x", .len = 1}};
    char *dir3 = abf_write_folder(root, "none", none, 1);
    run(dir3, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(r.records);
    logged(&r, "No SMS or MMS backup files found");
    mh_result_free(&r);

    free(dir3);
    free(dir2);
    free(dir);
    free(stix);
    tu_rmtree(root);
    free(root);
    free(obj);
    free(text);
    free(mixed);
    free(cut);
    free(empty);
    files_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folder),
        cmocka_unit_test(test_ab_twins),
        cmocka_unit_test(test_androidqf_nested),
        cmocka_unit_test(test_check_iocs),
        cmocka_unit_test(test_check_iocs_mvt_json),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
