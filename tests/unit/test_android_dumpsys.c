/* The dumpstate text of a bug report: how it is located (main_entry.txt,
 * dumpState_*.log, dumpsys.txt), how it is split into "DUMP OF SERVICE"
 * sections and the SYSTEM PROPERTIES block (spec/android.md §1.1, §1.2,
 * §4.7), and that concurrent first calls share one load. */
#include "acquire/android.h"
#include "android_fixture.h"
#include "core/error.h"
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RULE "-------------------------------------------------------------------------------\n"

static char *root;

static int setup(void **state)
{
    (void)state;
    root = tu_mkdtemp();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(root);
    free(root);
    return 0;
}

/* A bug report folder holding text as its main dumpstate file. */
static void open_report(const char *text, spy_acq *acq)
{
    tu_rmtree(root);
    free(root);
    root = tu_mkdtemp();
    char *dir = af_bugreport_dir(root, text);
    assert_int_equal(spy_bugreport_open(dir, acq), SPY_OK);
    free(dir);
}

static void assert_body(const spy_acq *acq, const char *service, const char *want)
{
    const char *body = NULL;
    size_t len = 99;
    assert_int_equal(spy_android_dumpsys(acq, service, &body, &len), SPY_OK);
    assert_non_null(body);
    if (len != strlen(want) || memcmp(body, want, len) != 0)
        fail_msg("section %s: got [%.*s], want [%s]", service, (int)len, body, want);
}

static void test_sections_of_real_layout(void **state)
{
    (void)state;
    const char *pairs[] = {"accessibility",
                           "ACCESSIBILITY MANAGER (dumpsys accessibility)\n"
                           "User state[\n  attributes:{id=0}\n",
                           "package",
                           "Packages:\n  Package [com.example] (1a2b):\n"
                           "    userId=10123\n",
                           "adb",
                           "ADB MANAGER STATE (dumpsys adb):\n{\n}\n",
                           NULL};
    char *text = af_dumpstate(pairs);
    spy_acq acq;
    open_report(text, &acq);
    /* The 9-dash duration line belongs to the body (§1.2). */
    assert_body(&acq, "package",
                "Packages:\n  Package [com.example] (1a2b):\n    userId=10123\n"
                "--------- 0.012s was the duration of dumpsys package, ending at: "
                "2024-03-01 10:00:01");
    assert_body(&acq, "adb",
                "ADB MANAGER STATE (dumpsys adb):\n{\n}\n--------- 0.012s was the duration of "
                "dumpsys adb, ending at: 2024-03-01 10:00:01");
    assert_body(&acq, "accessibility",
                "ACCESSIBILITY MANAGER (dumpsys accessibility)\nUser state[\n  "
                "attributes:{id=0}\n--------- 0.012s was the duration of dumpsys "
                "accessibility, ending at: 2024-03-01 10:00:01");
    /* Absent header: empty body, not an error; names are exact. */
    assert_body(&acq, "appops", "");
    assert_body(&acq, "packag", "");
    assert_body(&acq, "Package", "");
    spy_acq_close(&acq);
    free(text);
}

static void test_first_occurrence_overlap_and_eof(void **state)
{
    (void)state;
    const char *text = "header\n"
                       "  DUMP OF SERVICE dbinfo:  \r\n"
                       "first dbinfo\r\n"
                       "DUMP OF SERVICE appops:\n"
                       "ops line\n" RULE "DUMP OF SERVICE dbinfo:\n"
                       "second dbinfo (ignored)\n" RULE "DUMP OF SERVICE batterystats:\n"
                       "Daily stats:\n"
                       "  no closing rule\n";
    spy_acq acq;
    open_report(text, &acq);
    /* dbinfo had no rule before appops: MVT searches each service on its
     * own, so its body runs across the appops header to the rule. */
    assert_body(&acq, "dbinfo", "first dbinfo\r\nDUMP OF SERVICE appops:\nops line");
    assert_body(&acq, "appops", "ops line");
    /* No closing rule: to the end of the file, less the last line break. */
    assert_body(&acq, "batterystats", "Daily stats:\n  no closing rule");
    spy_acq_close(&acq);
}

static void test_rule_needs_78_dashes(void **state)
{
    (void)state;
    char short_rule[80];
    memset(short_rule, '-', 77);
    memcpy(short_rule + 77, "\n", 2);
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    fprintf(f, "DUMP OF SERVICE package:\nline 1\n%s   %.78s trailing text\nafter\n", short_rule,
            RULE);
    fclose(f);
    spy_acq acq;
    open_report(text, &acq);
    /* 77 dashes do not end it; an indented line starting with 78 does. */
    char want[200];
    snprintf(want, sizeof want, "line 1\n%.77s", short_rule);
    assert_body(&acq, "package", want);
    spy_acq_close(&acq);
    free(text);
}

static void test_system_properties_block(void **state)
{
    (void)state;
    const char *text = "== dumpstate\n"
                       "------ SYSTEM PROPERTIES (getprop) ------\n"
                       "[ro.build.version.release]: [14]\n"
                       "[ro.product.model]: [Pixel 7]\n"
                       "------ 0.019s was the duration of 'SYSTEM PROPERTIES' ------\n"
                       "[not.a.prop]: [after the block]\n" RULE "DUMP OF SERVICE package:\nx\n";
    spy_acq acq;
    open_report(text, &acq);
    const char *body = NULL;
    size_t len = 0;
    assert_int_equal(spy_android_properties(&acq, &body, &len), SPY_OK);
    const char *want = "[ro.build.version.release]: [14]\n[ro.product.model]: [Pixel 7]";
    assert_int_equal(len, strlen(want));
    assert_memory_equal(body, want, len);
    assert_body(&acq, "package", "x");
    spy_acq_close(&acq);

    open_report("no properties here\n", &acq);
    assert_int_equal(spy_android_properties(&acq, &body, &len), SPY_OK);
    assert_int_equal(len, 0);
    spy_acq_close(&acq);
}

static void test_locating_the_dumpstate_file(void **state)
{
    (void)state;
    spy_acq acq;
    const char *body;
    size_t len;
    /* main_entry.txt names a file that is not there: absent. */
    char *dir = af_bugreport_dir(root, NULL);
    af_write_str(dir, "FS/data/anr/anr_1", "x");
    assert_int_equal(spy_bugreport_open(dir, &acq), SPY_OK);
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_ENOTFOUND);
    assert_int_equal(spy_android_properties(&acq, &body, &len), SPY_ENOTFOUND);
    spy_acq_close(&acq);
    free(dir);

    /* No main_entry.txt: dumpState_*.log first, then any dumpsys.txt below
     * the top (a top-level dumpsys.txt does not match "* /dumpsys.txt"). */
    char *other = tu_join(root, "plain");
    af_write_str(other, "dumpsys.txt", "DUMP OF SERVICE package:\ntop level\n");
    af_write_str(other, "FS/proc/dumpsys.txt", "DUMP OF SERVICE package:\nbelow\n");
    assert_int_equal(spy_bugreport_open(other, &acq), SPY_OK);
    assert_body(&acq, "package", "below");
    spy_acq_close(&acq);
    af_write_str(other, "dumpState_2024.log", "DUMP OF SERVICE package:\nfrom the log\n");
    assert_int_equal(spy_bugreport_open(other, &acq), SPY_OK);
    assert_body(&acq, "package", "from the log");
    spy_acq_close(&acq);
    free(other);

    /* main_entry.txt content is trimmed. */
    char *third = tu_join(root, "third");
    af_write_str(third, "main_entry.txt", "  dumpstate-main.txt \r\n");
    af_write_str(third, "dumpstate-main.txt", "DUMP OF SERVICE adb:\nmain\n");
    af_write_str(third, "dumpState_x.log", "DUMP OF SERVICE adb:\nnot this\n");
    assert_int_equal(spy_bugreport_open(third, &acq), SPY_OK);
    assert_body(&acq, "adb", "main");
    spy_acq_close(&acq);
    free(third);
}

static void test_binary_garbage_is_no_crash(void **state)
{
    (void)state;
    unsigned char junk[4096];
    unsigned v = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        v = v * 1103515245u + 12345u;
        junk[i] = (unsigned char)(v >> 16);
    }
    memcpy(junk + 1000, "\nDUMP OF SERVICE package:\n\x01\x02\xff\n", 31);
    char *dir = af_bugreport_dir(root, NULL);
    af_write(dir, "bugreport-test_device-UP1A.231005.007-2024-03-01-10-00-00.txt", junk,
             sizeof junk);
    spy_acq acq;
    assert_int_equal(spy_bugreport_open(dir, &acq), SPY_OK);
    const char *body;
    size_t len;
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_OK);
    /* The bytes after the header up to the end (no rule follows). */
    assert_true(len > 0 && len <= sizeof junk - 1026);
    assert_memory_equal(body, "\x01\x02\xff", 3);
    spy_acq_close(&acq);
    free(dir);
}

static void *ask(void *arg)
{
    const char *body = NULL;
    size_t len = 0;
    spy_android_dumpsys(arg, "package", &body, &len);
    return (void *)body;
}

static void test_one_load_shared_by_threads(void **state)
{
    (void)state;
    const char *pairs[] = {"package", "Packages:\n", NULL};
    char *text = af_dumpstate(pairs);
    spy_acq acq;
    open_report(text, &acq);
    pthread_t t[4];
    void *got[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, ask, &acq), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], &got[i]);
    assert_non_null(got[0]);
    for (int i = 1; i < 4; i++)
        assert_ptr_equal(got[i], got[0]); /* one copy of the text */
    spy_acq_close(&acq);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sections_of_real_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_occurrence_overlap_and_eof, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_needs_78_dashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_system_properties_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locating_the_dumpstate_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_binary_garbage_is_no_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_load_shared_by_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
