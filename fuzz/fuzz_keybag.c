/* Fuzz target: the BackupKeyBag TLV parser (acquire/ios_keybag.c), then the
 * class-key unwrap and a per-file key unwrap with a fixed key, as an
 * encrypted backup's open does after the derivation. No PBKDF2 here: the
 * counts are the parser's business (bounded), and the derivation would make
 * each input take seconds. Input: the keybag bytes; the last 44 bytes also
 * serve as a per-file key blob. */
#include "acquire/ios_keybag.h"
#include "core/error.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spy_keybag kb;
    char *why = NULL;
    int err = spy_keybag_parse(data, size, &kb, &why);
    if (err != SPY_OK) {
        if (!why)
            __builtin_trap(); /* every refusal gives a reason */
        free(why);
        return 0;
    }
    if (kb.iter == 0 || kb.iter > SPY_KEYBAG_MAX_ITER || kb.salt_len == 0 ||
        (kb.has_dpic && (kb.dpic == 0 || kb.dpic > SPY_KEYBAG_MAX_DPIC)))
        __builtin_trap(); /* the bounds promised to the derivation */
    static const uint8_t key[32] = "fuzzing key, not a derived one.";
    spy_ios_keys keys;
    if (spy_keybag_unlock(&kb, key, &keys) == SPY_OK && size >= 44) {
        uint8_t fkey[32];
        uint32_t cls = 0;
        spy_ios_unwrap_file_key(&keys, data + size - 44, 44, &cls, fkey);
    }
    spy_ios_keys_wipe(&keys);
    return 0;
}
