/* Encrypts a plain test backup into its encrypted twin, written the way iOS
 * writes one (spec/ios.md §3): a BackupKeyBag with RFC 3394-wrapped class
 * keys, Manifest.db encrypted with ManifestKey (iOS 10.2+), per-file keys in
 * each MBFile's EncryptionKey (4-byte little-endian class + wrapped key),
 * files in AES-256-CBC with PKCS#7 padding and a zero IV. Written with
 * OpenSSL directly, independently of spyscan's reader, so the tests check
 * one against the other. For tests and benches only. */
#ifndef SPY_BACKUP_CRYPT_H
#define SPY_BACKUP_CRYPT_H

#include <stddef.h>
#include <stdint.h>

typedef struct bc_opts {
    const char *password;
    unsigned iter; /* ITER, the SHA-1 stage (iOS: 10 000) */
    /* DPIC, the SHA-256 stage (iOS: 10 000 000); 0 makes an iOS < 10.2
     * backup: no DPSL/DPIC and Manifest.db left plain. */
    unsigned dpic;
} bc_opts;

/* Writes the encrypted twin of plain_dir into enc_dir (which must not
 * exist); derived (optional) gets the password-derived key. */
void bc_encrypt_backup(const char *plain_dir, const char *enc_dir, const bc_opts *o,
                       uint8_t derived[32]);

/* AES-256-CBC, zero IV, PKCS#7 padding: *out (malloc) of *out_len bytes. */
void bc_cbc_encrypt(const uint8_t key[32], const void *in, size_t len, uint8_t **out,
                    size_t *out_len);
/* RFC 3394 wrap of a 32-byte key: 40 bytes. */
void bc_wrap(const uint8_t kek[32], const uint8_t key[32], uint8_t out[40]);
/* The key derivation, written again from the spec. */
void bc_derive(const char *password, const uint8_t *dpsl, unsigned dpic, const uint8_t *salt,
               unsigned iter, uint8_t out[32]);

/* Appends one TLV record (4-byte tag, big-endian length, value) to buf. */
void bc_tlv(uint8_t **buf, size_t *len, const char *tag, const void *v, uint32_t n);
void bc_tlv_u32(uint8_t **buf, size_t *len, const char *tag, uint32_t v);

#endif
