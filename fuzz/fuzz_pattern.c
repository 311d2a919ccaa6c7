/* Fuzz target: the STIX pattern parser (and MVT's lax fallback). */
#include "core/error.h"
#include "core/iocs_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spy_ioc_pattern p;
    const char *why;
    if (spy_ioc_pattern_parse((const char *)data, size, &p, &why) != SPY_OK) {
        if (!why)
            abort(); /* a failure always says why */
        return 0;
    }
    for (size_t i = 0; i < p.nclauses; i++) {
        if (p.clauses[i].n == 0 || p.clauses[i].n > 64)
            abort();
        for (size_t j = 0; j < p.clauses[i].n; j++) {
            const spy_ioc_cmp *c = &p.cmps[p.clauses[i].terms[j]];
            if (p.clauses[i].terms[j] >= p.ncmps || !c->key || !c->value)
                abort();
            (void)spy_ioc_key_from_name(c->key);
        }
    }
    spy_ioc_pattern_clear(&p);
    char *k = spy_ioc_key_normalise((const char *)data, strnlen((const char *)data, size));
    free(k);
    return 0;
}
