/* The BackupKeyBag of an encrypted iOS backup (spec/ios.md §3.3-3.5,
 * docs/formats/encrypted-backup.md): parsing the TLV, deriving the key from
 * the password, and unwrapping the class keys with it.
 *
 * Secrets: spy_ios_keys holds unwrapped keys; spy_ios_keys_wipe() clears
 * it (OPENSSL_cleanse). Derived keys and passwords are never logged. */
#ifndef SPY_IOS_KEYBAG_H
#define SPY_IOS_KEYBAG_H

#include "core/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct spy_keybag_class {
    uint32_t wrap, ktyp;
    bool has_wrap;
    bool has_wpky;
    uint8_t wpky[40]; /* RFC 3394-wrapped 32-byte class key */
} spy_keybag_class;

typedef struct spy_keybag {
    uint32_t vers, type, wrap, iter, dpic;
    bool has_vers, has_type, has_iter, has_dpic;
    uint8_t uuid[16];
    uint8_t salt[SPY_KEYBAG_MAX_SALT], dpsl[SPY_KEYBAG_MAX_SALT];
    size_t salt_len, dpsl_len; /* 0: absent */
    /* Indexed by protection class (CLAS); present[c] says the record exists. */
    spy_keybag_class cls[SPY_KEYBAG_MAX_CLASS + 1];
    bool present[SPY_KEYBAG_MAX_CLASS + 1];
    unsigned n_classes;
} spy_keybag;

/* Parses and validates a keybag: header tags VERS/TYPE/UUID/WRAP/SALT/ITER
 * (+ DPSL/DPIC from iOS 10.2), class records that each start with a UUID.
 * Refused (SPY_EFORMAT, *why names the problem; free()): truncated records,
 * a missing SALT or ITER, counts of 0 or above the limits.h ceilings, a DPSL
 * without DPIC (or the reverse), a class record without CLAS, a CLAS out of
 * range or repeated, a WPKY that is not 40 bytes, no class key at all. */
int spy_keybag_parse(const void *buf, size_t len, spy_keybag *out, char **why);

/* True when the keybag has the iOS 10.2+ SHA-256 stage. */
bool spy_keybag_has_dp(const spy_keybag *kb);

/* Two-stage PBKDF2 (spec §3.4): SHA-256 with DPSL/DPIC when present, then
 * SHA-1 with SALT/ITER. Takes seconds with real counts. */
int spy_keybag_derive(const spy_keybag *kb, const char *password, size_t password_len,
                      uint8_t key[32]);

typedef struct spy_ios_keys {
    uint8_t key[SPY_KEYBAG_MAX_CLASS + 1][32];
    bool have[SPY_KEYBAG_MAX_CLASS + 1];
} spy_ios_keys;

/* Unwraps every class key wrapped with the password key (WRAP bit 0x2).
 * SPY_EPASSWORD when the integrity check fails (a wrong password or key);
 * classes wrapped with the device UID only are skipped (not needed). */
int spy_keybag_unlock(const spy_keybag *kb, const uint8_t key[32], spy_ios_keys *out);
void spy_ios_keys_wipe(spy_ios_keys *k);

/* RFC 3394 unwrap of a 40-byte wrapped key with a 32-byte KEK
 * (EVP_aes_256_wrap). SPY_EPASSWORD when the integrity check fails. */
int spy_aes_unwrap40(const uint8_t kek[32], const uint8_t wrapped[40], uint8_t out[32]);

/* A 44-byte per-file key or ManifestKey (4-byte little-endian class +
 * 40-byte wrapped key) → the 32-byte key. SPY_ENOTFOUND (*cls set) when the
 * class key is missing, SPY_EFORMAT for a bad length, SPY_EPASSWORD when
 * the unwrap fails. */
int spy_ios_unwrap_file_key(const spy_ios_keys *k, const uint8_t *blob, size_t len, uint32_t *cls,
                            uint8_t out[32]);

#endif
