/* AES-256-CBC decrypting source for the evidence VFS (core/evfs_aes.h). */
#include "core/evfs_aes.h"

#include "core/error.h"
#include "core/mem.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define BLK 16u
/* One EVP call handles at most this much (its length is an int). */
#define CHUNK (1u << 30)

typedef struct aes_src {
    spy_evsrc inner;
    EVP_CIPHER_CTX *ctx;
    uint64_t size;
} aes_src;

/* In-place CBC decryption of len bytes (a multiple of 16) after iv. */
static int cbc_in_place(EVP_CIPHER_CTX *ctx, const uint8_t iv[BLK], uint8_t *buf, size_t len)
{
    uint8_t cur[BLK], next[BLK];
    memcpy(cur, iv, BLK);
    for (size_t done = 0; done < len;) {
        size_t k = len - done > CHUNK ? CHUNK : len - done;
        int outl = 0;
        /* The next chunk's IV is ciphertext about to be overwritten. */
        memcpy(next, buf + done + k - BLK, BLK);
        if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, cur) != 1 ||
            EVP_DecryptUpdate(ctx, buf + done, &outl, buf + done, (int)k) != 1 || (size_t)outl != k)
            return SPY_EINTERNAL;
        memcpy(cur, next, BLK);
        done += k;
    }
    return SPY_OK;
}

/* Decrypts ciphertext [coff, coff+len) into dst (coff and len multiples of
 * 16): the block before is the IV (the zero IV for block 0). */
static int decrypt_range(aes_src *a, uint64_t coff, uint8_t *dst, size_t len)
{
    uint8_t iv[BLK] = {0};
    int err;
    if (coff && (err = spy_evsrc_pread(&a->inner, iv, BLK, coff - BLK)) != SPY_OK)
        return err == SPY_ETRUNCATED ? SPY_EFORMAT : err;
    if ((err = spy_evsrc_pread(&a->inner, dst, len, coff)) != SPY_OK)
        return err == SPY_ETRUNCATED ? SPY_EFORMAT : err;
    return cbc_in_place(a->ctx, iv, dst, len);
}

/* Plaintext [off, off+n) of one block into out (n ≤ 16, same block). */
static int read_partial(aes_src *a, uint64_t off, uint8_t *out, size_t n)
{
    uint8_t blk[BLK];
    uint64_t b = off - off % BLK;
    int err = decrypt_range(a, b, blk, BLK);
    if (err == SPY_OK)
        memcpy(out, blk + (off - b), n);
    OPENSSL_cleanse(blk, sizeof blk);
    return err;
}

static int aes_read(void *ud, void *buf, size_t n, uint64_t off, size_t *got)
{
    aes_src *a = ud;
    uint8_t *dst = buf;
    *got = 0;
    if (off >= a->size)
        return SPY_OK;
    if (n > a->size - off)
        n = (size_t)(a->size - off);
    uint64_t end = off + n;
    /* Head: up to the first block boundary. */
    if (off % BLK) {
        size_t k = BLK - (size_t)(off % BLK);
        if (k > n)
            k = n;
        int err = read_partial(a, off, dst, k);
        if (err != SPY_OK)
            return err;
        dst += k, off += k;
    }
    /* Middle: whole blocks, decrypted straight into the caller's buffer. */
    uint64_t mid_end = end - end % BLK;
    if (mid_end > off) {
        int err = decrypt_range(a, off, dst, (size_t)(mid_end - off));
        if (err != SPY_OK)
            return err;
        dst += mid_end - off;
        off = mid_end;
    }
    /* Tail: a partial last block (the end of the read or of the file). */
    if (end > off) {
        int err = read_partial(a, off, dst, (size_t)(end - off));
        if (err != SPY_OK)
            return err;
    }
    *got = n;
    return SPY_OK;
}

static void aes_release(void *ud)
{
    aes_src *a = ud;
    if (!a)
        return;
    EVP_CIPHER_CTX_free(a->ctx); /* cleanses the key schedule */
    spy_evsrc_release(&a->inner);
    free(a);
}

/* Checks the PKCS#7 tail of the last block. */
static int check_padding(aes_src *a, spy_aes_info *info)
{
    uint8_t blk[BLK];
    info->padding_ok = false;
    info->unpadded_size = info->cipher_size;
    if (info->cipher_size == 0)
        return SPY_OK;
    int err = decrypt_range(a, info->cipher_size - BLK, blk, BLK);
    if (err != SPY_OK)
        return err;
    unsigned p = blk[BLK - 1];
    bool ok = p >= 1 && p <= BLK;
    for (unsigned i = 0; ok && i < p; i++)
        ok = blk[BLK - 1 - i] == p;
    OPENSSL_cleanse(blk, sizeof blk);
    if (ok) {
        info->padding_ok = true;
        info->unpadded_size = info->cipher_size - p;
    }
    return SPY_OK;
}

int spy_evsrc_aes_cbc(spy_evsrc *out, spy_evsrc *inner, const uint8_t key[32],
                      int64_t declared_size, spy_aes_info *info)
{
    spy_aes_info tmp;
    if (!info)
        info = &tmp;
    aes_src *a = spy_xcalloc(1, sizeof *a);
    a->inner = *inner; /* first: out may be inner (wrapping in place) */
    memset(inner, 0, sizeof *inner);
    memset(out, 0, sizeof *out);
    memset(info, 0, sizeof *info);
    info->cipher_size = a->inner.size;
    int err = SPY_OK;
    if (!(a->ctx = EVP_CIPHER_CTX_new()))
        err = SPY_ENOMEM;
    else if (EVP_DecryptInit_ex(a->ctx, EVP_aes_256_cbc(), NULL, key, NULL) != 1 ||
             EVP_CIPHER_CTX_set_padding(a->ctx, 0) != 1)
        err = SPY_EINTERNAL;
    else if (info->cipher_size % BLK)
        err = SPY_EFORMAT;
    else
        err = check_padding(a, info);
    if (err == SPY_OK) {
        if (declared_size >= 0 && (uint64_t)declared_size <= info->cipher_size)
            info->size = (uint64_t)declared_size;
        else if (declared_size < 0 && info->padding_ok)
            info->size = info->unpadded_size;
        else
            err = SPY_EFORMAT;
    }
    if (err != SPY_OK) {
        aes_release(a);
        return err;
    }
    a->size = info->size;
    *out = (spy_evsrc){.ud = a, .read = aes_read, .size = a->size, .release = aes_release};
    return SPY_OK;
}

int spy_aes_cbc_decrypt(const uint8_t key[32], const uint8_t iv[16], uint8_t *buf, size_t len)
{
    if (len % BLK)
        return SPY_EUSAGE;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx)
        return SPY_ENOMEM;
    int err = SPY_EINTERNAL;
    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, NULL) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, 0) == 1)
        err = cbc_in_place(ctx, iv, buf, len);
    EVP_CIPHER_CTX_free(ctx);
    return err;
}
