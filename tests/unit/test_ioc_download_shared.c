/* The real mvt-indicators index from ../shared (skipped, exit 77, without it). */
#include "testutil.h"

#include "core/error.h"
#include "core/ioc_download.h"
#include "core/log.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void test_real_index(void **state)
{
    (void)state;
    char *path = tu_shared_path_or_skip("iocs/mvt-indicators/indicators.yaml");
    size_t len = 0;
    char *text = tu_read(path, &len);
    spy_ioc_source *s = NULL;
    size_t n = 0;
    assert_int_equal(spy_ioc_index_parse(text, len, &s, &n), SPY_OK);
    assert_int_equal(n, 15); /* spec/iocs.md §10.1 */
    bool pegasus = false;
    for (size_t i = 0; i < n; i++)
        pegasus |= strcmp(s[i].url, "https://raw.githubusercontent.com/AmnestyTech/investigations/"
                                    "master/2021-07-18_nso/pegasus.stix2") == 0;
    assert_true(pegasus);
    spy_ioc_sources_free(s, n);
    free(text);
    free(path);
}

int main(void)
{
    spy_log_set_quiet(true);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_real_index)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
