/* Shared by the files of the Android backup reader (android_backup.h) and
 * its fuzz targets: the .ab header and key material (android_backup_header.c),
 * the decrypt -> inflate stream (android_backup_stream.c). */
#ifndef SPY_ANDROID_BACKUP_INTERNAL_H
#define SPY_ANDROID_BACKUP_INTERNAL_H

#include "core/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Ceilings of the .ab reader (kept here, beside the only code using them).
 * Header lines: salts are 64 bytes (128 hex), the master-key blob 96 bytes
 * (192 hex) on every Android; a line 16x longer is not a backup header. */
#define ABK_MAX_SALT         1024u
#define ABK_MAX_BLOB         1024u
#define ABK_MAX_LINE         4096u
#define ABK_MAX_HEADER_BYTES (9u * ABK_MAX_LINE)
/* Android writes 10000 PBKDF2 rounds; a hostile header must not make us
 * spin for hours. */
#define ABK_MAX_ITER (1000u * 1000u)
/* Bytes of tar stream inflated in one pass, and the expansion ratio of the
 * zlib layer beyond SPY_ANDROID_ZIP_RATIO_FLOOR (zlib tops out near 1032:1:
 * only degenerate data comes close). */
#define ABK_MAX_STREAM_BYTES SPY_ANDROID_ZIP_MAX_TOTAL
#define ABK_MAX_RATIO        SPY_ANDROID_ZIP_MAX_RATIO
/* A backup.ab inside an AndroidQF ZIP is read into memory (as MVT does). */
#define ABK_MAX_NESTED_BYTES SPY_ANDROID_MAX_NESTED_ZIP_BYTES

/* MVT's texts (spec/android.md §1.4). */
#define ABK_NOT_A_BACKUP   "Invalid backup format, file should be in .ab format"
#define ABK_BAD_ENC_HEADER "Invalid encrypted backup header"
#define ABK_NO_ALGO        "Encryption Algorithm not implemented"
#define ABK_NO_INFLATE     "Impossible to decompress the backup file"
#define ABK_BAD_PASSWORD   "Invalid backup password"

typedef struct abk_header {
    int version;
    bool compressed;
    bool encrypted;
    size_t payload_off; /* where the (encrypted) data stream starts */
    /* Encrypted only. */
    uint8_t user_salt[ABK_MAX_SALT], ck_salt[ABK_MAX_SALT];
    size_t user_salt_len, ck_salt_len;
    unsigned iterations;
    uint8_t user_iv[16];
    uint8_t blob[ABK_MAX_BLOB];
    size_t blob_len;
} abk_header;

/* The key and IV of the data stream. */
typedef struct abk_keys {
    uint8_t key[32];
    uint8_t iv[16];
} abk_keys;

/* Parses the header from the first n bytes of a file (the whole file, or
 * at least ABK_MAX_HEADER_BYTES of it). SPY_OK, or SPY_EFORMAT with *why one of
 * ABK_NOT_A_BACKUP, ABK_NO_ALGO, ABK_BAD_ENC_HEADER. */
int abk_parse_header(const uint8_t *p, size_t n, abk_header *h, const char **why);

/* PBKDF2-HMAC-SHA1 of the password with the user salt (step 1). */
int abk_user_key(const abk_header *h, const char *pw, size_t len, uint8_t key[32]);
/* Decrypts the master-key blob with the user key and reads its three
 * length-prefixed fields (step 2). SPY_EPASSWORD when they do not fit
 * (a wrong password); *ck is the stored checksum (32 bytes). */
int abk_unwrap_blob(const abk_header *h, const uint8_t user_key[32], abk_keys *k, uint8_t ck[32]);
/* The bytes the checksum is computed over (step 3): the master key as is
 * for version 1, else with Java's signed-char UTF-8 quirk. out holds 3*32. */
size_t abk_checksum_input(const uint8_t mk[32], int version, uint8_t out[96]);
/* Steps 2 and 3: SPY_OK with k filled, or SPY_EPASSWORD (k wiped). */
int abk_master_key(const abk_header *h, const uint8_t user_key[32], abk_keys *k);

/* Where the bytes come from: a file (fd, read with pread) or memory. */
typedef struct abk_src {
    int fd; /* -1 for memory */
    const uint8_t *mem;
    uint64_t size;
} abk_src;

/* Reads up to len bytes at off; the count, or -1. */
ssize_t abk_src_pread(const abk_src *s, void *buf, size_t len, uint64_t off);

typedef struct abk_stream abk_stream;

/* The data stream after the header: AES-256-CBC (when keys is not NULL,
 * PKCS#7 removed at the end), then zlib (when compressed). */
abk_stream *abk_stream_new(const abk_src *src, const abk_header *h, const abk_keys *keys);
/* The next bytes of the tar stream: > 0, 0 at its end, -1 on error. */
ssize_t abk_stream_pull(abk_stream *s, const void **out);
/* Reads what is left (the end of the zlib stream, the padding) so that a
 * damaged end is found; SPY_OK or the stream's error. */
int abk_stream_finish(abk_stream *s);
/* The error of a failed pull: SPY_EFORMAT/SPY_EIO/SPY_ELIMIT, and why. */
int abk_stream_error(const abk_stream *s, const char **why);
void abk_stream_free(abk_stream *s);

#endif
