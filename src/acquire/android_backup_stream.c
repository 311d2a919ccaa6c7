/* The data stream of an .ab (spec/android.md §1.4): the bytes after the
 * header, decrypted with AES-256-CBC when encrypted (PKCS#7 checked at the
 * end), inflated when compressed, in 64 KiB steps, so the whole backup is
 * never in memory. Output is bounded in total and in expansion ratio. */
#include "acquire/android_backup_internal.h"

#include "core/error.h"
#include "core/mem.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define BLOCK (64u * 1024u)

struct abk_stream {
    abk_src src;
    uint64_t off; /* next source byte */
    uint64_t in;  /* source bytes consumed */
    uint64_t out; /* stream bytes handed out */
    EVP_CIPHER_CTX *aes;
    bool compressed, z_init, z_end, src_end;
    z_stream z;
    uint8_t raw[BLOCK];
    uint8_t plain[BLOCK + 32]; /* the decryption layer's output */
    size_t plain_len;
    uint8_t inflated[BLOCK];
    int err;
    const char *why;
};

ssize_t abk_src_pread(const abk_src *s, void *buf, size_t len, uint64_t off)
{
    if (off >= s->size)
        return 0;
    if (len > s->size - off)
        len = (size_t)(s->size - off);
    if (s->fd < 0) {
        memcpy(buf, s->mem + off, len);
        return (ssize_t)len;
    }
    ssize_t r;
    do
        r = pread(s->fd, buf, len, (off_t)off);
    while (r < 0 && errno == EINTR);
    return r;
}

static ssize_t fail(abk_stream *s, int err, const char *why)
{
    if (s->err == SPY_OK) {
        s->err = err;
        s->why = why;
    }
    return -1;
}

abk_stream *abk_stream_new(const abk_src *src, const abk_header *h, const abk_keys *keys)
{
    abk_stream *s = spy_xcalloc(1, sizeof *s);
    s->src = *src;
    s->off = h->payload_off;
    s->compressed = h->compressed;
    if (keys) {
        s->aes = EVP_CIPHER_CTX_new();
        if (!s->aes ||
            EVP_DecryptInit_ex(s->aes, EVP_aes_256_cbc(), NULL, keys->key, keys->iv) != 1)
            fail(s, SPY_EINTERNAL, "the decryption could not start");
    }
    if (s->compressed) {
        if (inflateInit(&s->z) != Z_OK)
            fail(s, SPY_ENOMEM, "the decompression could not start");
        else
            s->z_init = true;
    }
    return s;
}

void abk_stream_free(abk_stream *s)
{
    if (!s)
        return;
    if (s->z_init)
        inflateEnd(&s->z);
    EVP_CIPHER_CTX_free(s->aes); /* wipes the key schedule */
    OPENSSL_cleanse(s->plain, sizeof s->plain);
    OPENSSL_cleanse(s->inflated, sizeof s->inflated);
    free(s);
}

int abk_stream_error(const abk_stream *s, const char **why)
{
    *why = s->why ? s->why : "damaged stream";
    return s->err;
}

/* Refills s->plain from the source: the decryption layer's next bytes
 * (possibly none while more input is needed). Sets src_end at the end. */
static int fill_plain(abk_stream *s)
{
    s->plain_len = 0;
    ssize_t r = abk_src_pread(&s->src, s->raw, BLOCK, s->off);
    if (r < 0)
        return (int)fail(s, SPY_EIO, "the backup file could not be read");
    s->off += (uint64_t)r;
    s->in += (uint64_t)r;
    if (!s->aes) {
        memcpy(s->plain, s->raw, (size_t)r);
        s->plain_len = (size_t)r;
        s->src_end = r == 0;
        return 0;
    }
    int outl = 0;
    if (r > 0) {
        if (EVP_DecryptUpdate(s->aes, s->plain, &outl, s->raw, (int)r) != 1)
            return (int)fail(s, SPY_EINTERNAL, "decryption failed");
    } else {
        s->src_end = true;
        /* MVT's PKCS#7 unpadding: a wrong last block is a damaged file. */
        if (EVP_DecryptFinal_ex(s->aes, s->plain, &outl) != 1)
            return (int)fail(s, SPY_EFORMAT,
                             "the encrypted data is damaged (truncated, or bad padding)");
    }
    s->plain_len = (size_t)outl;
    return 0;
}

static ssize_t give(abk_stream *s, const void *p, size_t n, const void **out)
{
    s->out += n;
    /* Without zlib the stream is no longer than the file: no bomb. */
    if (s->compressed && s->out > ABK_MAX_STREAM_BYTES)
        return fail(s, SPY_ELIMIT, "the backup expands beyond the bytes spyscan reads (a bomb?)");
    if (s->compressed && s->out > SPY_ANDROID_ZIP_RATIO_FLOOR &&
        s->out / (s->in + 1) > ABK_MAX_RATIO)
        return fail(s, SPY_ELIMIT, "the backup expands more than 1000:1 (a zlib bomb?)");
    *out = p;
    return (ssize_t)n;
}

static ssize_t pull_inflated(abk_stream *s, const void **out)
{
    for (;;) {
        if (s->z_end)
            return 0;
        if (s->z.avail_in == 0) {
            if (s->src_end)
                return fail(s, SPY_EFORMAT, ABK_NO_INFLATE);
            if (fill_plain(s) < 0)
                return -1;
            s->z.next_in = s->plain;
            s->z.avail_in = (uInt)s->plain_len;
            if (!s->plain_len)
                continue;
        }
        s->z.next_out = s->inflated;
        s->z.avail_out = BLOCK;
        int zr = inflate(&s->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END)
            s->z_end = true;
        else if (zr != Z_OK && zr != Z_BUF_ERROR)
            return fail(s, SPY_EFORMAT, ABK_NO_INFLATE);
        size_t n = BLOCK - s->z.avail_out;
        if (n)
            return give(s, s->inflated, n, out);
    }
}

ssize_t abk_stream_pull(abk_stream *s, const void **out)
{
    if (s->err != SPY_OK)
        return -1;
    if (s->compressed)
        return pull_inflated(s, out);
    for (;;) {
        if (s->src_end)
            return 0;
        if (fill_plain(s) < 0)
            return -1;
        if (s->plain_len)
            return give(s, s->plain, s->plain_len, out);
    }
}

int abk_stream_finish(abk_stream *s)
{
    const void *p;
    ssize_t r;
    while ((r = abk_stream_pull(s, &p)) > 0)
        ;
    /* After the zlib end, Python ignores trailing bytes, but the padding of
     * the encryption layer is still checked (the whole file is decrypted). */
    while (r == 0 && s->compressed && !s->src_end && s->err == SPY_OK)
        if (fill_plain(s) < 0)
            r = -1;
    return s->err;
}
