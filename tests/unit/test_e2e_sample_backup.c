/* End to end on the bundled sample backup (samples/ios-backup, PLANTED.md):
 * the real `spyscan ios check-backup` with samples/demo-indicators.stix2
 * raises exactly the planted demo alerts of the registered modules, exits 1,
 * and leaves the backup and the folder beside it untouched. */
#include "e2e_sample_helpers.h"

/* samples/ios-backup/PLANTED.md, "Demo indicators". */
static const e2e_expect demo_expect[] = {
    {"sms", "spyscan-demo-c2.example.com"},
    {"safari_history", "weather-demo-spyware.example.net"},
    {"safari_history", "192.0.2.66"},
    {"datausage", "demoimplantd"},
    {"tcc", "demoimplantd"},
    {"whatsapp", "https://links.example.org/demo-exploit?id=42"},
    {"manifest", "demo_implant.plist"},
};

static void test_demo_indicators_found_and_evidence_untouched(void **state)
{
    (void)state;
    char *stix = tu_join(tu_source_dir(), "samples/demo-indicators.stix2");
    e2e_check_sample(stix, demo_expect, sizeof demo_expect / sizeof demo_expect[0]);
    free(stix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_indicators_found_and_evidence_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
