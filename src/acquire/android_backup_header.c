/* The .ab header and key material (spec/android.md §1.4): four text lines,
 * five more when encrypted, and the master-key blob they protect. Parsed
 * with MVT's leniency where it is harmless (Python int() around numbers),
 * and refused where MVT would crash (an IV that is not 16 bytes). */
#include "acquire/android_backup_internal.h"

#include "core/error.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

/* The line starting at *pos (up to '\n', excluded); false when there is no
 * '\n' within the buffer. */
static bool next_line(const uint8_t *p, size_t n, size_t *pos, const uint8_t **line, size_t *len)
{
    if (*pos > n)
        return false;
    const uint8_t *nl = memchr(p + *pos, '\n', n - *pos);
    if (!nl)
        return false;
    *line = p + *pos;
    *len = (size_t)(nl - *line);
    *pos += *len + 1;
    return true;
}

static bool is_space(uint8_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Python's int() on a short decimal: spaces around, an optional sign,
 * digits with single '_' between them. */
static bool parse_int(const uint8_t *s, size_t n, long long *out)
{
    while (n && is_space(s[0]))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    bool neg = false;
    if (n && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s++, n--;
    }
    if (!n || s[0] == '_' || s[n - 1] == '_')
        return false;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_' && s[i - 1] != '_')
            continue;
        if (s[i] < '0' || s[i] > '9' || v > (1LL << 40))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = neg ? -v : v;
    return true;
}

/* Whether s is valid UTF-8 (MVT decodes the encryption name). */
static bool valid_utf8(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t k = c < 0x80                ? 0
                   : c >= 0xC2 && c < 0xE0 ? 1
                   : c >= 0xE0 && c < 0xF0 ? 2
                   : c >= 0xF0 && c < 0xF5 ? 3
                                           : 9;
        if (k == 9 || n - i - 1 < k)
            return false;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        else if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        for (size_t j = 1; j <= k; j++, lo = 0x80, hi = 0xBF)
            if (s[i + j] < lo || s[i + j] > hi)
                return false;
        i += k + 1;
    }
    return true;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

/* bytes.fromhex on one line: pairs of hex digits (spaces between pairs
 * allowed, as Python does). */
static bool parse_hex(const uint8_t *s, size_t n, uint8_t *out, size_t cap, size_t *len)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
            i++;
            continue;
        }
        if (i + 1 >= n || o >= cap)
            return false;
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[o++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    *len = o;
    return true;
}

static int parse_encrypted(const uint8_t *p, size_t n, abk_header *h, size_t *pos)
{
    const uint8_t *l[5];
    size_t ll[5];
    for (int i = 0; i < 5; i++)
        if (!next_line(p, n, pos, &l[i], &ll[i]) || ll[i] > ABK_MAX_LINE)
            return SPY_EFORMAT;
    long long iter = 0;
    size_t iv_len = 0;
    if (!parse_hex(l[0], ll[0], h->user_salt, sizeof h->user_salt, &h->user_salt_len) ||
        !parse_hex(l[1], ll[1], h->ck_salt, sizeof h->ck_salt, &h->ck_salt_len) ||
        !parse_int(l[2], ll[2], &iter) || iter < 1 || iter > ABK_MAX_ITER ||
        !parse_hex(l[3], ll[3], h->user_iv, sizeof h->user_iv, &iv_len) || iv_len != 16 ||
        !parse_hex(l[4], ll[4], h->blob, sizeof h->blob, &h->blob_len) || h->blob_len < 16 ||
        h->blob_len % 16)
        return SPY_EFORMAT;
    h->iterations = (unsigned)iter;
    return SPY_OK;
}

int abk_parse_header(const uint8_t *p, size_t n, abk_header *h, const char **why)
{
    memset(h, 0, sizeof *h);
    *why = ABK_NOT_A_BACKUP;
    size_t pos = 0;
    const uint8_t *l[4];
    size_t ll[4];
    if (n < 14 || memcmp(p, "ANDROID BACKUP", 14) != 0)
        return SPY_EFORMAT;
    for (int i = 0; i < 4; i++)
        if (!next_line(p, n, &pos, &l[i], &ll[i]))
            return SPY_EFORMAT;
    long long version = 0, comp = 0;
    if (!parse_int(l[1], ll[1], &version) || version < -(1LL << 31) || version >= (1LL << 31) ||
        !parse_int(l[2], ll[2], &comp) || !valid_utf8(l[3], ll[3]))
        return SPY_EFORMAT;
    h->version = (int)version;
    h->compressed = comp != 0;
    if (ll[3] == 4 && !memcmp(l[3], "none", 4)) {
        h->payload_off = pos;
        return SPY_OK;
    }
    if (!(ll[3] == 7 && !memcmp(l[3], "AES-256", 7))) {
        *why = ABK_NO_ALGO;
        return SPY_EFORMAT;
    }
    h->encrypted = true;
    *why = ABK_BAD_ENC_HEADER;
    if (parse_encrypted(p, n, h, &pos) != SPY_OK)
        return SPY_EFORMAT;
    h->payload_off = pos;
    *why = NULL;
    return SPY_OK;
}

int abk_user_key(const abk_header *h, const char *pw, size_t len, uint8_t key[32])
{
    if (len > 0x7fffffff || PKCS5_PBKDF2_HMAC(pw, (int)len, h->user_salt, (int)h->user_salt_len,
                                              (int)h->iterations, EVP_sha1(), 32, key) != 1)
        return SPY_EINTERNAL;
    return SPY_OK;
}

int abk_unwrap_blob(const abk_header *h, const uint8_t user_key[32], abk_keys *k, uint8_t ck[32])
{
    uint8_t plain[ABK_MAX_BLOB];
    int outl = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    bool ok = c && EVP_DecryptInit_ex(c, EVP_aes_256_cbc(), NULL, user_key, h->user_iv) == 1 &&
              EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
              EVP_DecryptUpdate(c, plain, &outl, h->blob, (int)h->blob_len) == 1 &&
              (size_t)outl == h->blob_len;
    EVP_CIPHER_CTX_free(c);
    if (!ok) {
        OPENSSL_cleanse(plain, sizeof plain);
        return SPY_EINTERNAL;
    }
    /* n1 IV bytes, n2 key bytes, n3 checksum bytes, each length-prefixed;
     * the padding is left (MVT reads the fields only). Lengths other than
     * Android's 16/32/32 are what a wrong password gives. */
    size_t at = 0, n = h->blob_len;
    static const size_t want[3] = {16, 32, 32};
    uint8_t *dst[3] = {k->iv, k->key, ck};
    int err = SPY_OK;
    for (int i = 0; i < 3 && err == SPY_OK; i++) {
        if (at >= n || plain[at] != want[i] || n - at - 1 < want[i])
            err = SPY_EPASSWORD;
        else
            memcpy(dst[i], plain + at + 1, want[i]);
        at += 1 + want[i];
    }
    OPENSSL_cleanse(plain, sizeof plain);
    if (err != SPY_OK)
        OPENSSL_cleanse(k, sizeof *k);
    return err;
}

size_t abk_checksum_input(const uint8_t mk[32], int version, uint8_t out[96])
{
    if (version <= 1) {
        memcpy(out, mk, 32);
        return 32;
    }
    /* Java turned each byte into a signed char, then a UTF-16 code unit
     * 0xFF80-0xFFFF for the negative ones, then UTF-8 (three bytes). */
    size_t o = 0;
    for (size_t i = 0; i < 32; i++) {
        if (mk[i] < 0x80) {
            out[o++] = mk[i];
        } else {
            out[o++] = 0xEF;
            out[o++] = (uint8_t)(0xBC | ((mk[i] >> 6) & 0x3F));
            out[o++] = (uint8_t)(0x80 | (mk[i] & 0x3F));
        }
    }
    return o;
}

int abk_master_key(const abk_header *h, const uint8_t user_key[32], abk_keys *k)
{
    uint8_t ck[32], in[96], calc[32];
    int err = abk_unwrap_blob(h, user_key, k, ck);
    if (err == SPY_OK) {
        size_t n = abk_checksum_input(k->key, h->version, in);
        if (PKCS5_PBKDF2_HMAC((const char *)in, (int)n, h->ck_salt, (int)h->ck_salt_len,
                              (int)h->iterations, EVP_sha1(), 32, calc) != 1)
            err = SPY_EINTERNAL;
        else if (CRYPTO_memcmp(calc, ck, 32) != 0)
            err = SPY_EPASSWORD;
    }
    OPENSSL_cleanse(in, sizeof in);
    OPENSSL_cleanse(calc, sizeof calc);
    OPENSSL_cleanse(ck, sizeof ck);
    if (err != SPY_OK)
        OPENSSL_cleanse(k, sizeof *k);
    return err;
}
