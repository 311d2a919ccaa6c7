/* AES-256-CBC decryption throughput (encrypted backups, core/evfs_aes.h):
 * one core, best of 5 runs over MiB of ciphertext (default 256: larger than
 * any cache, so memory bandwidth counts; 1 shows the cipher alone) of
 *   - in-place decryption (EVP, AES-NI when the CPU has it): the ceiling;
 *   - the decrypting source reading 1 MiB at a time from a memory source
 *     (what reading a big encrypted file costs, minus the disk);
 *   - the source serving 4 KiB pages at random offsets (SQLite's pattern).
 * Usage: bench_aes [MiB]   (target ≥ 3 GB/s in place with AES-NI). */
#include "core/error.h"
#include "core/evfs.h"
#include "core/evfs_aes.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void must(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "bench_aes: %s failed\n", what);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 256;
    size_t n = mib << 20;
    uint8_t key[32], iv[16] = {0};
    uint8_t *plain = malloc(n), *ct = malloc(n + 16), *work = malloc(n + 16);
    must(plain && ct && work, "malloc");
    RAND_bytes(key, sizeof key);
    RAND_bytes(plain, (int)(n > (1u << 20) ? 1u << 20 : n));
    for (size_t off = 1u << 20; off < n; off += 1u << 20)
        memcpy(plain + off, plain, n - off < (1u << 20) ? n - off : 1u << 20);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int a = 0, b = 0;
    must(EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, key, iv) == 1 &&
             EVP_EncryptUpdate(c, ct, &a, plain, (int)n) == 1 &&
             EVP_EncryptFinal_ex(c, ct + a, &b) == 1,
         "encrypt");
    EVP_CIPHER_CTX_free(c);
    size_t ctlen = (size_t)(a + b);

    memcpy(work, ct, ctlen);
    must(spy_aes_cbc_decrypt(key, iv, work, ctlen) == SPY_OK, "decrypt");
    must(memcmp(work, plain, n) == 0, "round trip");
    /* Small sizes repeat so every measurement covers at least 256 MiB; the
     * bytes decrypted after the first pass are garbage, the cost is not. */
    size_t reps = mib >= 256 ? 1 : 256 / (mib ? mib : 1);
    double best = 1e9;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (size_t k = 0; k < reps; k++)
            must(spy_aes_cbc_decrypt(key, iv, work, ctlen) == SPY_OK, "decrypt");
        double t = (now() - t0) / (double)reps;
        best = t < best ? t : best;
    }
    printf("%zu MiB: in-place AES-256-CBC decrypt:      %6.2f GB/s\n", mib,
           (double)ctlen / best / 1e9);

    spy_evsrc in, src;
    spy_evsrc_from_mem(&in, ct, ctlen);
    must(spy_evsrc_aes_cbc(&src, &in, key, (int64_t)n, NULL) == SPY_OK, "source");
    best = 1e9;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (size_t k = 0; k < reps; k++)
            for (uint64_t off = 0; off < n; off += 1u << 20)
                must(spy_evsrc_pread(&src, work, n - off < (1u << 20) ? n - off : 1u << 20, off) ==
                         SPY_OK,
                     "read");
        double t = (now() - t0) / (double)reps;
        best = t < best ? t : best;
    }
    printf("%zu MiB: source, 1 MiB sequential reads:    %6.2f GB/s\n", mib, (double)n / best / 1e9);

    best = 1e9;
    size_t pages = n / 4096;
    for (int r = 0; r < 5; r++) {
        uint64_t x = 0x9e3779b97f4a7c15ULL;
        double t0 = now();
        for (size_t i = 0; i < pages; i++) {
            x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
            uint64_t off = (x * 2685821657736338717ULL) % pages * 4096;
            must(spy_evsrc_pread(&src, work, 4096, off) == SPY_OK, "page read");
        }
        double t = now() - t0;
        best = t < best ? t : best;
    }
    printf("%zu MiB: source, 4 KiB pages, random order: %6.2f GB/s (%.0f k pages/s)\n", mib,
           (double)pages * 4096 / best / 1e9, (double)pages / best / 1e3);
    spy_evsrc_release(&src);
    free(plain), free(ct), free(work);
    return 0;
}
