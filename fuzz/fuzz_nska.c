/* Fuzz target: NSKeyedArchiver decoding, generic and the MBFile fast path. */
#include "core/error.h"
#include "core/nska.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *out = NULL;
    char *why = NULL;
    spy_mbfile f;
    if (spy_nska_mbfile(data, size, &f, &why) == SPY_OK)
        spy_mbfile_clear(&f);
    free(why);
    why = NULL;
    if (spy_nska_decode_bytes(data, size, &out, &why) == SPY_OK) {
        char *s = json_dumps(out, JSON_COMPACT);
        free(s);
        json_decref(out);
    }
    free(why);
    return 0;
}
