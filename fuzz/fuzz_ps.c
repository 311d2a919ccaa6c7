/* ps.txt / processes.txt (`ps -A` text). */
#include "modules/android/ps_text.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drop(json_t *rec, void *ud)
{
    (*(size_t *)ud)++;
    json_decref(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0, bad = 0;
    spy_ps_parse((const char *)data, size, drop, &n, &bad);
    return 0;
}
