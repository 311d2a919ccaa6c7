/* packages.json (and the other AndroidQF JSON arrays): UTF-8 cleaning,
 * oversized integers, the streaming array walk. */
#include "fuzz_aqf_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_walk(data, size, false);
    return 0;
}
