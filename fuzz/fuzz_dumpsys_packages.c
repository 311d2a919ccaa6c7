/* Fuzz target: the DumpsysPackages parser (spec/android.md §4.8). */
#include "core/error.h"
#include "modules/android/pkg_parse.h"

#include <stdint.h>
#include <stdlib.h>

static int sink(json_t *rec, void *ud)
{
    (void)ud;
    (void)spy_pkg_dangerous_count(rec);
    char *s = json_dumps(rec, JSON_COMPACT);
    free(s);
    json_decref(rec);
    return SPY_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t skipped;
    spy_pkg_parse((const char *)data, size, sink, NULL, &skipped);
    return 0;
}
