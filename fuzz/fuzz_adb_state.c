/* Fuzz target: the DumpsysADBState parser (indented dump, keystore XML,
 * base64 key fingerprints; spec/android.md §4.11). */
#include "core/error.h"
#include "modules/android/adb_b64.h"
#include "modules/android/adb_state_parse.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *rec = NULL;
    const char *why = NULL;
    if (spy_adb_state_parse((const char *)data, size, &rec, &why) == SPY_OK) {
        char *s = json_dumps(rec, JSON_COMPACT);
        free(s);
        json_decref(rec);
    }
    unsigned char *raw = NULL;
    size_t n = 0;
    if (spy_b64_decode_lenient((const char *)data, size, &raw, &n))
        free(raw);
    (void)spy_b64_strict((const char *)data, size);
    return 0;
}
