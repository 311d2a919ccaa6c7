/* The indicator index parser on arbitrary bytes (it reads a file fetched
 * from the network). */
#include "core/ioc_download.h"
#include "core/log.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!devnull) {
        devnull = fopen("/dev/null", "w");
        spy_log_set_console(devnull); /* errors for bad entries are expected here */
    }
    spy_ioc_source *s = NULL;
    size_t n = 0;
    spy_ioc_index_parse((const char *)data, size, &s, &n);
    spy_ioc_sources_free(s, n);
    return 0;
}
