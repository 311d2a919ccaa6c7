/* core/log.c: text quoted from evidence cannot drive the analyst's
 * terminal or forge a log line; ordinary messages print unchanged. */
#include "core/log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char *console(void (*say)(const char *), const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    spy_log_set_quiet(false);
    spy_log_set_console(f);
    say(text);
    fflush(f);
    spy_log_set_console(NULL);
    fclose(f);
    return buf;
}

static void say_warning(const char *text)
{
    spy_warn("spyscan.acquire.android", "leaving out member '%s': a device", text);
}

static void say_alert(const char *text)
{
    spy_log_alert(SPY_LEVEL_CRITICAL, "spyscan.modules.test", text);
}

static void test_control_bytes_escaped(void **state)
{
    (void)state;
    /* a member name that recolours the terminal and forges an ERROR line */
    char *out = console(say_warning, "x\x1b[31m\nERROR [spyscan.cli] forged\r\x7f\tend");
    assert_string_equal(out,
                        "WARNING        [spyscan.acquire.android] leaving out member "
                        "'x\\x1b[31m\\x0aERROR [spyscan.cli] forged\\x0d\\x7f\tend': a device\n");
    free(out);
    out = console(say_alert, "Found \"com.evil\x1b]0;title\x07\"");
    assert_non_null(strstr(out, "Found \"com.evil\\x1b]0;title\\x07\"\n"));
    free(out);
}

static void test_plain_text_unchanged(void **state)
{
    (void)state;
    /* UTF-8 and printable ASCII pass as they are */
    char *out = console(say_warning, "caf\xc3\xa9/\xe2\x80\x8b[1]");
    assert_string_equal(out, "WARNING        [spyscan.acquire.android] leaving out member "
                             "'caf\xc3\xa9/\xe2\x80\x8b[1]': a device\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_bytes_escaped),
        cmocka_unit_test(test_plain_text_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
