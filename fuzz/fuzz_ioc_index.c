/* The indicator index parser on arbitrary bytes (it reads a file fetched
 * from the network). */
#include "core/ioc_download.h"
#include "core/log.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spy_log_set_quiet(true);
    spy_ioc_source *s = NULL;
    size_t n = 0;
    spy_ioc_index_parse((const char *)data, size, &s, &n);
    spy_ioc_sources_free(s, n);
    return 0;
}
