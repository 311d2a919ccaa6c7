/* Keys of an encrypted backup (spec/ios.md §3.4-3.7): the two-stage PBKDF2,
 * RFC 3394 unwrap through EVP_aes_256_wrap (never the deprecated
 * AES_unwrap_key), and per-file keys. Every intermediate secret is wiped. */
#include "acquire/ios_keybag.h"

#include "core/error.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

int spy_keybag_derive(const spy_keybag *kb, const char *password, size_t password_len,
                      uint8_t key[32])
{
    uint8_t k1[32];
    const char *pass = password;
    size_t plen = password_len;
    if (password_len > SPY_MAX_PASSWORD_BYTES || kb->iter == 0)
        return SPY_EUSAGE;
    if (spy_keybag_has_dp(kb)) {
        if (!PKCS5_PBKDF2_HMAC(password, (int)password_len, kb->dpsl, (int)kb->dpsl_len,
                               (int)kb->dpic, EVP_sha256(), sizeof k1, k1))
            return SPY_EINTERNAL;
        pass = (const char *)k1;
        plen = sizeof k1;
    }
    int ok = PKCS5_PBKDF2_HMAC(pass, (int)plen, kb->salt, (int)kb->salt_len, (int)kb->iter,
                               EVP_sha1(), 32, key);
    OPENSSL_cleanse(k1, sizeof k1);
    return ok ? SPY_OK : SPY_EINTERNAL;
}

int spy_aes_unwrap40(const uint8_t kek[32], const uint8_t wrapped[40], uint8_t out[32])
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t buf[40]; /* unwrap may write up to the input length */
    int n = 0, m = 0, err = SPY_EPASSWORD;
    if (!ctx)
        return SPY_ENOMEM;
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_wrap(), NULL, kek, NULL) == 1 &&
        EVP_DecryptUpdate(ctx, buf, &n, wrapped, 40) == 1 && n == 32 &&
        EVP_DecryptFinal_ex(ctx, buf + n, &m) == 1 && m == 0) {
        memcpy(out, buf, 32);
        err = SPY_OK;
    }
    OPENSSL_cleanse(buf, sizeof buf);
    EVP_CIPHER_CTX_free(ctx);
    return err;
}

int spy_keybag_unlock(const spy_keybag *kb, const uint8_t key[32], spy_ios_keys *out)
{
    memset(out, 0, sizeof *out);
    unsigned opened = 0;
    for (unsigned c = 1; c <= SPY_KEYBAG_MAX_CLASS; c++) {
        const spy_keybag_class *k = &kb->cls[c];
        /* Keys wrapped with the device UID only cannot be opened off the
         * device; backups do not use them for files. */
        if (!kb->present[c] || !k->has_wpky || (k->has_wrap && !(k->wrap & 2)))
            continue;
        /* One damaged record does not hide the others: a wrong password
         * fails them all, and files of a class left closed are reported
         * one by one. */
        if (spy_aes_unwrap40(key, k->wpky, out->key[c]) == SPY_OK) {
            out->have[c] = true;
            opened++;
        }
    }
    if (!opened)
        spy_ios_keys_wipe(out);
    return opened ? SPY_OK : SPY_EPASSWORD;
}

void spy_ios_keys_wipe(spy_ios_keys *k)
{
    if (k)
        OPENSSL_cleanse(k, sizeof *k);
}

int spy_ios_unwrap_file_key(const spy_ios_keys *k, const uint8_t *blob, size_t len, uint32_t *cls,
                            uint8_t out[32])
{
    if (!blob || len != 44)
        return SPY_EFORMAT;
    *cls = (uint32_t)blob[0] | (uint32_t)blob[1] << 8 | (uint32_t)blob[2] << 16 |
           (uint32_t)blob[3] << 24;
    if (*cls == 0 || *cls > SPY_KEYBAG_MAX_CLASS || !k->have[*cls])
        return SPY_ENOTFOUND;
    return spy_aes_unwrap40(k->key[*cls], blob + 4, out);
}
