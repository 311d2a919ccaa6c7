/* Fuzz target: the AES-CBC decrypting layer of the evidence VFS
 * (core/evfs_aes.c) under SQLite. The input is plaintext (a database image,
 * like the evfs corpus); the harness encrypts it as iOS does (AES-256-CBC,
 * zero IV, PKCS#7) with a fixed key, optionally damages the ciphertext, and
 * serves it through spy_evsrc_aes_cbc: reads at input-chosen offsets must
 * give back the plaintext exactly (a differential check), and SQLite then
 * reads the database through the layer with the production settings.
 * Input: byte 0 = flags (bit 0: declare the size, as the MBFile Size does;
 * bit 1: cut the ciphertext short by byte 1 % 33; bit 2: flip a bit of the
 * ciphertext at offset bytes 2-3; bit 3: skip SQLite), bytes 4.. plaintext. */
#include "core/error.h"
#include "core/evfs.h"
#include "core/evfs_aes.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t KEY[32] = "fixed fuzzing key for AES-256!!";

static int budget(void *ud)
{
    unsigned *n = ud;
    return ++*n > 20000;
}

static uint8_t *encrypt(const uint8_t *p, size_t n, size_t *out_len)
{
    uint8_t iv[16] = {0};
    uint8_t *ct = malloc(n + 16);
    int a = 0, b = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!ct || !c || EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, KEY, iv) != 1 ||
        EVP_EncryptUpdate(c, ct, &a, p, (int)n) != 1 || EVP_EncryptFinal_ex(c, ct + a, &b) != 1)
        abort();
    EVP_CIPHER_CTX_free(c);
    *out_len = (size_t)(a + b);
    return ct;
}

static void read_all(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    unsigned steps = 0;
    sqlite3_progress_handler(db, 100, budget, &steps);
    char *why = NULL;
    spy_evdb_check(db, true, NULL, &why);
    free(why);
    steps = 0;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 8", -1,
                           &st, NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char *q = sqlite3_mprintf("SELECT * FROM \"%w\" LIMIT 50", sqlite3_column_text(st, 0));
        sqlite3_stmt *r = NULL;
        if (sqlite3_prepare_v2(db, q, -1, &r, NULL) == SQLITE_OK)
            while (sqlite3_step(r) == SQLITE_ROW)
                for (int c = 0; c < sqlite3_column_count(r); c++)
                    (void)sqlite3_column_blob(r, c);
        sqlite3_finalize(r);
        sqlite3_free(q);
    }
    sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || size > (1u << 20))
        return 0;
    uint8_t flags = data[0];
    const uint8_t *plain = data + 4;
    size_t n = size - 4, ctlen = 0;
    uint8_t *ct = encrypt(plain, n, &ctlen);
    bool damaged = false;
    if ((flags & 2) && data[1] % 33) {
        size_t cut = data[1] % 33;
        ctlen = cut < ctlen ? ctlen - cut : 0;
        damaged = true;
    }
    if ((flags & 4) && ctlen) {
        size_t at = ((size_t)data[2] | (size_t)data[3] << 8) % ctlen;
        ct[at] ^= 0x10;
        damaged = true;
    }
    spy_evsrc in, src;
    spy_evsrc_from_mem_owned(&in, ct, ctlen);
    spy_aes_info info;
    if (spy_evsrc_aes_cbc(&src, &in, KEY, (flags & 1) ? (int64_t)n : -1, &info) != SPY_OK) {
        if (!damaged)
            __builtin_trap(); /* intact ciphertext always opens */
        return 0;
    }
    if (!damaged) {
        if (src.size != n || !info.padding_ok)
            __builtin_trap();
        /* Reads at offsets and lengths taken from the plaintext itself. */
        uint8_t buf[300];
        for (size_t i = 0; i + 1 < n && i < 64; i += 2) {
            uint64_t off = (uint64_t)plain[i] * 7 % (n + 1);
            size_t len = plain[i + 1] + 44u;
            size_t got = 0;
            if (src.read(src.ud, buf, len, off, &got) != SPY_OK)
                __builtin_trap();
            size_t want = off >= n ? 0 : (len < n - off ? len : (size_t)(n - off));
            if (got != want || memcmp(buf, plain + off, got) != 0)
                __builtin_trap();
        }
    }
    if (flags & 8) {
        spy_evsrc_release(&src);
        return 0;
    }
    sqlite3 *db = NULL;
    if (spy_evdb_open(&db, "fuzz-aes", &src, NULL) != SPY_OK)
        return 0;
    read_all(db);
    spy_evdb_close(db);
    return 0;
}
