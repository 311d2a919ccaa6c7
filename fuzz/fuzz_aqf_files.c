/* files.json: a JSON array or one object per line. */
#include "fuzz_aqf_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_walk(data, size, true);
    return 0;
}
