/* The indicator index parser and MVT's local file names (spec/iocs.md §10). */
#include "testutil.h"

#include "core/error.h"
#include "core/ioc_download.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>

static void test_inline_index(void **state)
{
    (void)state;
    static const char y[] =
        "indicators:\n"
        "  -\n    type: github\n    name: Pegasus\n    github:\n"
        "      owner: AmnestyTech\n      repo: investigations\n"
        "      branch: master\n      path: 2021-07-18_nso/pegasus.stix2\n"
        "  -\n    type: github\n    name: NoBranch\n    github:\n"
        "      owner: mvt-project\n      repo: mvt-indicators\n      path: a/b.stix2\n"
        "  -\n    type: download\n    name: Direct\n"
        "    download_url: https://example.org/x.stix2\n"
        "  -\n    type: github\n    name: Broken\n";
    spy_ioc_source *s = NULL;
    size_t n = 0;
    assert_int_equal(spy_ioc_index_parse(y, strlen(y), &s, &n), SPY_OK);
    assert_int_equal(n, 3);
    assert_string_equal(s[0].url, "https://raw.githubusercontent.com/AmnestyTech/investigations/"
                                  "master/2021-07-18_nso/pegasus.stix2");
    assert_string_equal(
        s[1].url, "https://raw.githubusercontent.com/mvt-project/mvt-indicators/main/a/b.stix2");
    assert_string_equal(s[2].name, "Direct");
    assert_string_equal(s[2].url, "https://example.org/x.stix2");
    spy_ioc_sources_free(s, n);
}

static void test_not_an_index(void **state)
{
    (void)state;
    const char *bad[] = {"",      "just text", "indicators: 3",
                         "[1, 2", "{a: b}",    "indicators:\n  - [x\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        spy_ioc_source *s = NULL;
        size_t n = 0;
        assert_int_equal(spy_ioc_index_parse(bad[i], strlen(bad[i]), &s, &n), SPY_EFORMAT);
        spy_ioc_sources_free(s, n);
    }
}

static void test_download_names(void **state)
{
    (void)state;
    char *n = spy_ioc_download_name("https://raw.githubusercontent.com/AmnestyTech/investigations/"
                                    "master/2021-07-18_nso/pegasus.stix2");
    assert_string_equal(n, "raw.githubusercontent.com_AmnestyTech_investigations_master_2021-07-18_"
                           "nso_pegasus.stix2");
    free(n);
    assert_null(spy_ioc_download_name("https://"));
    assert_null(spy_ioc_download_name("https://.hidden"));
}

int main(void)
{
    spy_log_set_quiet(true);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_inline_index),
                                       cmocka_unit_test(test_not_an_index),
                                       cmocka_unit_test(test_download_names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
