/* End to end through the run loop with test modules: records stream to
 * <slug>.json, checks raise alerts, timeline/urls/info are written, output is
 * identical whatever the thread count, failures are graded, and the exit
 * code follows design.md §5. */
#include "testutil.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/session.h"

#include <dirent.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>

#define N_MESSAGES 300

/* A message module: each record has a URL and a sender process. */
static int messages_run(spy_mod_ctx *ctx)
{
    for (int i = 0; i < N_MESSAGES; i++) {
        char url[128], ts[64];
        snprintf(url, sizeof url, "https://%s/page/%d",
                 i == 7 ? "www.spyscan-demo-c2.example.com" : "news.example.org", i);
        snprintf(ts, sizeof ts, "2026-01-%02d 10:00:%02d.000000", 1 + (N_MESSAGES - i) % 28,
                 i % 60);
        json_t *r = json_pack("{s:i, s:s, s:s, s:s}", "id", i, "isodate", ts, "url", url, "process",
                              i == 11 ? "/usr/libexec/demoimplantd" : "MobileSMS");
        spy_url_seen(ctx, url, ts, "sms");
        if (spy_emit(ctx, r) != SPY_OK)
            return SPY_EIO;
    }
    return SPY_OK;
}

static void messages_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *ts = json_string_value(json_object_get(r, "isodate"));
    spy_check_ioc(ctx, SPY_CHECK_URL, json_string_value(json_object_get(r, "url")), ts, NULL);
    spy_check_ioc(ctx, SPY_CHECK_PROCESS, json_string_value(json_object_get(r, "process")), ts,
                  NULL);
}

static void messages_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    spy_timeline_event(ctx, json_string_value(json_object_get(r, "isodate")), "sms_received",
                       json_string_value(json_object_get(r, "url")));
}

static const spy_module mod_messages = {"TestMessages", "test_messages", SPY_ACQ_TEST,     0,
                                        messages_run,   messages_check,  messages_timeline};

/* Reads two records, then meets corruption: the module fails, others go on. */
static int failing_run(spy_mod_ctx *ctx)
{
    spy_emit(ctx, json_pack("{s:i}", "row", 1));
    spy_emit(ctx, json_pack("{s:i}", "row", 2));
    spy_skipped(ctx, 3, "rows 3-5 of table t are malformed");
    return SPY_EFORMAT;
}
static const spy_module mod_failing = {"TestFailing", "test_failing", SPY_ACQ_TEST, 0,
                                       failing_run,   NULL,           NULL};

static int absent_run(spy_mod_ctx *ctx)
{
    (void)ctx;
    return SPY_ENOTFOUND;
}
static const spy_module mod_absent = {"TestAbsent", "test_absent", SPY_ACQ_TEST, 0,
                                      absent_run,   NULL,          NULL};

/* A mapping-shaped result with a heuristic HIGH alert. */
static int info_run(spy_mod_ctx *ctx)
{
    return spy_emit(ctx, json_pack("{s:s, s:b}", "Product Version", "15.0", "Lockdown", 0));
}
static void info_check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", r, "Device runs an outdated version %s",
                    json_string_value(json_object_get(r, "Product Version")));
}
static const spy_module mod_info = {"TestInfo", "test_info", SPY_ACQ_TEST, SPY_MOD_MAPPING,
                                    info_run,   info_check,  NULL};

/* Not for this acquisition kind: must never run. */
static int other_run(spy_mod_ctx *ctx)
{
    (void)ctx;
    fail_msg("a module of another acquisition kind ran");
    return SPY_OK;
}
static const spy_module mod_other = {"OtherKind", "other_kind", SPY_ACQ_IOS_BACKUP, 0, other_run,
                                     NULL,        NULL};

static const spy_module *const test_modules[] = {&mod_messages, &mod_failing, &mod_absent,
                                                 &mod_other,    &mod_info,    NULL};

static int open_test_acq(const char *path, spy_acq *out)
{
    out->kind = SPY_ACQ_TEST;
    out->path = path;
    return SPY_EXIT_CLEAN;
}

static const spy_check_cmd test_cmd = {.platform = "ios",
                                       .command = "check-test",
                                       .what = "test acquisition",
                                       .acq_kinds = SPY_ACQ_TEST,
                                       .open_acq = open_test_acq};
static const spy_check_cmd test_iocs_cmd = {.platform = "ios",
                                            .command = "check-iocs",
                                            .what = "saved results",
                                            .acq_kinds = SPY_ACQ_TEST,
                                            .saved_results = true};

static const char stix[] = "{\"type\":\"bundle\",\"objects\":["
                           "{\"type\":\"malware\",\"id\":\"malware--1\",\"name\":\"SpyscanDemo\"},"
                           "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"pattern\":\"[domain-"
                           "name:value='spyscan-demo-c2.example.com']\"},"
                           "{\"type\":\"indicator\",\"id\":\"indicator--2\",\"pattern\":\"[process:"
                           "name='demoimplantd']\"},"
                           "{\"type\":\"relationship\",\"id\":\"relationship--1\",\"source_ref\":"
                           "\"indicator--1\",\"target_ref\":\"malware--1\"},"
                           "{\"type\":\"relationship\",\"id\":\"relationship--2\",\"source_ref\":"
                           "\"indicator--2\",\"target_ref\":\"malware--1\"}]}";

typedef struct fixture {
    char *root, *input, *iocs;
    const char *ioc_paths[1];
} fixture;

static int setup(void **state)
{
    fixture *f = spy_xcalloc(1, sizeof *f);
    f->root = tu_mkdtemp();
    f->input = tu_join(f->root, "input");
    mkdir(f->input, 0700);
    char *evidence = tu_join(f->input, "evidence.txt");
    tu_write_str(evidence, "evidence bytes\n");
    free(evidence);
    f->iocs = tu_join(f->root, "demo.stix2");
    tu_write_str(f->iocs, stix);
    f->ioc_paths[0] = f->iocs;
    spy_log_set_quiet(true);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tu_rmtree(f->root);
    free(f->root);
    free(f->input);
    free(f->iocs);
    free(f);
    return 0;
}

static int run_check(fixture *f, const char *out, unsigned threads, const char *module)
{
    spy_check_opts o = {.input = f->input,
                        .output = out,
                        .threads = threads,
                        .module = module,
                        .modules = test_modules};
    o.iocs.paths = f->ioc_paths;
    o.iocs.n_paths = 1;
    o.iocs.no_defaults = true;
    return spy_session_check(&test_cmd, &o);
}

static json_t *load_json(const char *dir, const char *name)
{
    char *p = tu_join(dir, name);
    json_error_t err;
    json_t *j = json_load_file(p, 0, &err);
    free(p);
    return j;
}

static char *read_out(const char *dir, const char *name)
{
    char *p = tu_join(dir, name);
    char *s = tu_read(p, NULL);
    free(p);
    return s;
}

static void test_full_run(void **state)
{
    fixture *f = *state;
    char *out = tu_join(f->root, "out");
    /* findings (1) + a failed module (4) */
    assert_int_equal(run_check(f, out, 2, NULL), 5);

    json_t *msgs = load_json(out, "test_messages.json");
    assert_non_null(msgs);
    assert_int_equal(json_array_size(msgs), N_MESSAGES);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(msgs, 42), "id")), 42);
    json_decref(msgs);

    json_t *alerts = load_json(out, "alerts.json");
    assert_non_null(alerts);
    /* URL match, process match (TestMessages), then TestInfo's heuristic. */
    assert_int_equal(json_array_size(alerts), 3);
    json_t *a0 = json_array_get(alerts, 0);
    assert_string_equal(json_string_value(json_object_get(a0, "level")), "CRITICAL");
    assert_string_equal(json_string_value(json_object_get(a0, "module")), "test_messages");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(a0, "event"), "id")), 7);
    json_t *mi = json_object_get(a0, "matched_indicator");
    assert_string_equal(json_string_value(json_object_get(mi, "value")),
                        "spyscan-demo-c2.example.com");
    assert_string_equal(json_string_value(json_object_get(mi, "type")), "domains");
    assert_string_equal(json_string_value(json_object_get(mi, "name")), "SpyscanDemo");
    assert_string_equal(json_string_value(json_object_get(mi, "stix2_file_name")), "demo.stix2");
    json_t *a1 = json_array_get(alerts, 1);
    assert_string_equal(json_string_value(json_object_get(a1, "message")),
                        "Found a known suspicious process name \"/usr/libexec/demoimplantd\" "
                        "matching indicators from \"SpyscanDemo\"");
    json_t *a2 = json_array_get(alerts, 2);
    assert_string_equal(json_string_value(json_object_get(a2, "level")), "HIGH");
    assert_true(json_is_null(json_object_get(a2, "matched_indicator")));
    json_decref(alerts);

    json_t *det = load_json(out, "test_messages_detected.json");
    assert_int_equal(json_array_size(det), 2);
    json_decref(det);
    json_t *info_rec = load_json(out, "test_info.json");
    assert_true(json_is_object(info_rec)); /* mapping-shaped result */
    json_decref(info_rec);
    json_t *failing = load_json(out, "test_failing.json");
    assert_int_equal(json_array_size(failing), 2); /* partial records kept */
    json_decref(failing);
    json_t *absent = load_json(out, "test_absent.json");
    assert_null(absent); /* no records, no file */

    json_t *urls = load_json(out, "urls.json");
    assert_int_equal(json_array_size(urls), N_MESSAGES);
    json_decref(urls);
    json_t *info = load_json(out, "info.json");
    assert_non_null(json_object_get(info, "spyscan_version"));
    assert_string_equal(json_string_value(json_array_get(json_object_get(info, "ioc_files"), 0)),
                        f->iocs);
    json_decref(info);

    char *tl = read_out(out, "timeline.csv");
    assert_non_null(tl);
    assert_memory_equal(tl, "\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n", 47);
    /* sorted by timestamp: the earliest day comes first */
    assert_non_null(strstr(tl, "\r\n\"2026-01-01 "));
    assert_true(strstr(tl, "2026-01-01 ") < strstr(tl, "2026-01-28 "));
    free(tl);
    char *atl = read_out(out, "alerts_timeline.csv");
    assert_non_null(atl);
    free(atl);
    char *log = read_out(out, "command.log");
    assert_non_null(strstr(log, "Running module TestMessages..."));
    assert_non_null(strstr(log, "Module TestFailing failed"));
    assert_true(strstr(log, "Running module TestMessages") <
                strstr(log, "Running module TestFailing"));
    free(log);

    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    char *p = tu_join(out, "alerts.json");
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(p);
    free(out);
}

static void test_same_output_any_thread_count(void **state)
{
    fixture *f = *state;
    char *o1 = tu_join(f->root, "o1"), *o4 = tu_join(f->root, "o4");
    assert_int_equal(run_check(f, o1, 1, NULL), 5);
    assert_int_equal(run_check(f, o4, 4, NULL), 5);
    const char *files[] = {"alerts.json",
                           "timeline.csv",
                           "urls.json",
                           "test_messages.json",
                           "test_messages_detected.json",
                           "alerts_timeline.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *a = read_out(o1, files[i]), *b = read_out(o4, files[i]);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    free(o1);
    free(o4);
}

static void test_no_output_writes_nothing(void **state)
{
    fixture *f = *state;
    assert_int_equal(run_check(f, NULL, 2, NULL), 5);
    DIR *d = opendir(f->input);
    int entries = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        entries += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(entries, 1); /* only the evidence file */
}

static void test_module_filter(void **state)
{
    fixture *f = *state;
    char *out = tu_join(f->root, "only-info");
    assert_int_equal(run_check(f, out, 2, "TestInfo"), 1); /* HIGH alert, no failure */
    json_t *msgs = load_json(out, "test_messages.json");
    assert_null(msgs);
    free(out);
    assert_int_equal(run_check(f, NULL, 2, "NoSuchModule"), SPY_EXIT_USAGE);
}

static void test_output_inside_input_refused(void **state)
{
    fixture *f = *state;
    char *out = tu_join(f->input, "results");
    assert_int_equal(run_check(f, out, 2, NULL), SPY_EXIT_USAGE);
    struct stat st;
    assert_int_not_equal(stat(out, &st), 0); /* nothing created inside the evidence */
    free(out);
}

static void test_missing_input(void **state)
{
    fixture *f = *state;
    spy_check_opts o = {.input = "/nonexistent/spyscan/input", .modules = test_modules};
    o.iocs.no_defaults = true;
    (void)f;
    assert_int_equal(spy_session_check(&test_cmd, &o), SPY_EXIT_INPUT);
}

/* check-iocs on the output of a run without indicators, given the
 * indicators afterwards, writes the alerts the run with them wrote. */
static void test_check_iocs_equals_check(void **state)
{
    fixture *f = *state;
    char *with = tu_join(f->root, "with"), *without = tu_join(f->root, "without");
    char *rechecked = tu_join(f->root, "rechecked");
    assert_int_equal(run_check(f, with, 2, NULL), 5);
    spy_check_opts o = {.input = f->input, .output = without, .modules = test_modules};
    o.iocs.no_defaults = true;
    assert_int_equal(spy_session_check(&test_cmd, &o), 1 + 4); /* HIGH heuristic + failure */

    spy_check_opts c = {.input = without, .output = rechecked, .modules = test_modules};
    c.iocs.paths = f->ioc_paths;
    c.iocs.n_paths = 1;
    c.iocs.no_defaults = true;
    assert_int_equal(spy_session_check_iocs(&test_iocs_cmd, &c), 1);
    const char *files[] = {"alerts.json", "test_messages_detected.json", "test_info_detected.json",
                           "alerts_timeline.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *a = read_out(with, files[i]), *b = read_out(rechecked, files[i]);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    /* the saved folder is only read */
    char *again = read_out(without, "alerts.json");
    json_t *j = json_loads(again, 0, NULL);
    assert_int_equal(json_array_size(j), 1);
    json_decref(j);
    free(again);
    free(with);
    free(without);
    free(rechecked);
}

static void test_check_iocs_truncated_results(void **state)
{
    fixture *f = *state;
    char *saved = tu_join(f->root, "saved"), *p = NULL;
    mkdir(saved, 0700);
    p = tu_join(saved, "test_messages.json");
    /* two complete records, then the file ends inside the third */
    tu_write_str(p, "[{\"id\": 1, \"url\": \"https://spyscan-demo-c2.example.com/\"}, "
                    "{\"id\": 2, \"url\": \"https://ok.example.org/\"}, {\"id\": 3, \"url");
    spy_check_opts c = {.input = saved, .modules = test_modules};
    c.iocs.paths = f->ioc_paths;
    c.iocs.n_paths = 1;
    c.iocs.no_defaults = true;
    /* the match before the damage is reported, and the module failed */
    assert_int_equal(spy_session_check_iocs(&test_iocs_cmd, &c), 5);
    free(p);
    free(saved);
}

static void test_slugify(void **state)
{
    (void)state;
    const char *cases[][2] = {{"AQFPackages", "aqf_packages"},
                              {"DumpsysADBState", "dumpsys_adb_state"},
                              {"IDStatusCache", "id_status_cache"},
                              {"AQFGetProp", "aqf_get_prop"},
                              {"SMS", "sms"},
                              {"SafariHistory", "safari_history"},
                              {"OSAnalyticsADDaily", "os_analytics_ad_daily"},
                              {"TCC", "tcc"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = spy_slugify(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
}

int main(void)
{
    json_object_seed(0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_output_any_thread_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_output_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_module_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_inside_input_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_iocs_equals_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_iocs_truncated_results, setup, teardown),
        cmocka_unit_test(test_slugify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
