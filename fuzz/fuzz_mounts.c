/* mount(8) lines of mounts.json. */
#include "modules/android/mount_lines.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drop(json_t *rec, void *ud)
{
    (*(size_t *)ud)++;
    json_decref(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0;
    spy_mount_lines((const char *)data, size, drop, &n);
    return 0;
}
