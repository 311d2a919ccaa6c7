/* The getprop parser (getprop.txt and the bug report's properties block). */
#include "modules/android/getprop.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drop(const char *name, size_t nlen, const char *value, size_t vlen, void *ud)
{
    size_t *n = ud;
    *n += nlen + vlen + (size_t)(name[0] == value[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0;
    spy_getprop_parse((const char *)data, size, drop, &n);
    free(spy_getprop_timezone((const char *)data, size));
    return 0;
}
