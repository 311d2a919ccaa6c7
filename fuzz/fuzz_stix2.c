/* Fuzz target: the STIX2 bundle loader, then every check against the
 * resulting set (values taken from the input, so matches happen). */
#include "core/iocs.h"
#include "core/iocs_internal.h"
#include "core/log.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void quiet_logs(void)
{
    static int done;
    if (!done) {
        FILE *null = fopen("/dev/null", "w");
        if (null)
            spy_log_set_console(null);
        done = 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quiet_logs();
    spy_iocs *set;
    if (spy_iocs_new(&set) != 0)
        return 0;
    spy_iocs_load_stix2_buffer(set, "fuzz.stix2", data, size);
    spy_iocs_finalize(set);
    spy_ioc_scratch *sc = spy_ioc_scratch_new(set);
    static const char *const probes[] = {"example.com", "https://www.a.example.com:8080/x?y",
                                         "198.51.100.1", "/private/var/tmp/x", "abc"};
    for (size_t i = 0; i < set->nentries + sizeof probes / sizeof *probes; i++) {
        const char *v = i < set->nentries ? set->entries[i].value : probes[i - set->nentries];
        spy_ioc_scratch_reset(sc);
        for (int k = 0; k < SPY_CHECK_KIND_COUNT; k++) {
            spy_ioc_match m;
            if (spy_iocs_check(set, sc, (spy_check_kind)k, v, &m))
                spy_ioc_match_clear(&m);
        }
        spy_ioc_match m;
        while (spy_ioc_scratch_next_compound(sc, &m))
            spy_ioc_match_clear(&m);
        if (i > 64)
            break;
    }
    for (size_t i = 0; i < spy_iocs_collection_count(set); i++)
        (void)spy_iocs_collection(set, i)->name;
    spy_ioc_scratch_free(sc);
    spy_iocs_free(set);
    return 0;
}
