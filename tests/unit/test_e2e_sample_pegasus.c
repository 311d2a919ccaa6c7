/* End to end on the bundled sample backup with Amnesty's real NSO Pegasus
 * indicators (../shared/iocs/amnesty-investigations/2021-07-18_nso): exactly
 * the planted Pegasus values are found (samples/ios-backup/PLANTED.md), none of
 * the decoys, exit 1, evidence untouched. Skipped (77) without ../shared. */
#include "e2e_sample_helpers.h"

static const e2e_expect pegasus_expect[] = {
    {"sms", "free247downloads.com"},
    {"safari_history", "free247downloads.com"},
    {"datausage", "roleaccountd"},
};

static char *stix_path;

static void test_pegasus_indicators_found_and_evidence_untouched(void **state)
{
    (void)state;
    e2e_check_sample(stix_path, pegasus_expect, sizeof pegasus_expect / sizeof pegasus_expect[0]);
}

int main(void)
{
    stix_path = tu_shared_path_or_skip("iocs/amnesty-investigations/2021-07-18_nso/pegasus.stix2");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pegasus_indicators_found_and_evidence_untouched),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(stix_path);
    return rc;
}
