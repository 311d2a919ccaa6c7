/* The saved-results reader (check-iocs input: files of unknown origin). */
#include "core/saved_results.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int drop(json_t *rec, void *ud)
{
    size_t *n = ud;
    (*n)++;
    json_decref(rec);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0, off = 0;
    const char *why = NULL;
    spy_saved_foreach_mem((const char *)data, size, drop, &n, &why, &off);
    return 0;
}
