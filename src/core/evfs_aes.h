/* AES-256-CBC decrypting byte source (design.md §3): wraps an inner
 * spy_evsrc holding ciphertext (zero IV, PKCS#7 padding, as iOS backups
 * store files) and serves plaintext at any offset, so SQLite reads an
 * encrypted database page by page and nothing is decrypted to disk.
 * A read fetches the covering ciphertext blocks plus the one before (CBC
 * decrypts block i from ciphertext i-1 and i; the IV stands in for block
 * -1) and decrypts them straight into the caller's buffer. */
#ifndef SPY_EVFS_AES_H
#define SPY_EVFS_AES_H

#include "core/evfs.h"

#include <stdint.h>

typedef struct spy_aes_info {
    uint64_t cipher_size;   /* bytes of ciphertext */
    bool padding_ok;        /* the last block ends in valid PKCS#7 padding */
    uint64_t unpadded_size; /* cipher_size minus the padding (when padding_ok) */
    uint64_t size;          /* the plaintext size the source serves */
} spy_aes_info;

/* Builds the source. Takes ownership of *inner (released on failure too); out may be inner.
 * declared_size: the plaintext size when known (MBFile Size), or -1 to take
 * it from the padding. Errors (SPY_EFORMAT): ciphertext length not a
 * multiple of 16, declared size beyond the ciphertext (truncated file),
 * invalid padding when no size is declared. A declared size that differs
 * from the padding is served as declared (iOSbackup's behaviour); the
 * caller reads *info (optional) to report it. SPY_EIO: the inner read
 * failed. The key is copied into an OpenSSL context, cleansed on release. */
int spy_evsrc_aes_cbc(spy_evsrc *out, spy_evsrc *inner, const uint8_t key[32],
                      int64_t declared_size, spy_aes_info *info);

/* One-shot in-place AES-256-CBC decryption of whole blocks with an IV
 * (len a multiple of 16); for benches and writers. */
int spy_aes_cbc_decrypt(const uint8_t key[32], const uint8_t iv[16], uint8_t *buf, size_t len);

#endif
