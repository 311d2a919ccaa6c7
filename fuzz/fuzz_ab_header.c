/* The .ab header, the five lines of an encrypted one, and the master-key
 * blob with a FIXED user key (0x42 x 32; no password PBKDF2 in the loop).
 * The checksum PBKDF2 runs only for tiny iteration counts, so the loop
 * stays fast; the seeds use 1. */
#include "acquire/android_backup_internal.h"

#include "core/error.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static abk_header h;
    const char *why = NULL;
    if (abk_parse_header(data, size, &h, &why) != SPY_OK) {
        if (!why)
            __builtin_trap(); /* every refusal says why */
        return 0;
    }
    if (h.payload_off > size)
        __builtin_trap();
    if (!h.encrypted)
        return 0;
    uint8_t user_key[32], ck[32], in[96];
    memset(user_key, 0x42, sizeof user_key);
    abk_keys k;
    if (abk_unwrap_blob(&h, user_key, &k, ck) == SPY_OK) {
        size_t n = abk_checksum_input(k.key, h.version, in);
        if (n < 32 || n > 96)
            __builtin_trap();
    }
    if (h.iterations <= 4)
        abk_master_key(&h, user_key, &k);
    return 0;
}
