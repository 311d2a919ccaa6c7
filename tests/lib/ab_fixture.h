/* Android backups (.ab) for the tests, shaped like `adb backup` output
 * (spec/android.md §1.4): a ustar stream of members, optionally zlib
 * compressed, optionally AES-256 encrypted with a password (random salts,
 * IVs and master key unless given), behind the text header. Also the same
 * members as an unpacked backup folder (§1.5). */
#ifndef SPY_AB_FIXTURE_H
#define SPY_AB_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One tar member. Only name/data/len are needed for a regular file; the
 * other fields default to a regular file dated 2024-03-01 (UTC). */
typedef struct abf_member {
    const char *name;
    const void *data;
    size_t len;
    char type; /* ustar typeflag: 0 or '0' file, '5' folder, '2' symlink, '1' hard link, '3' device
                */
    const char *link; /* link target for '1' / '2' */
    long long mtime;  /* 0: 1709287200 */
} abf_member;

typedef struct abf_opts {
    int version;          /* header format version; 0 means 5 */
    bool compress;        /* zlib stream inside */
    const char *password; /* NULL: no encryption */
    unsigned iterations;  /* PBKDF2 rounds; 0 means 10000 (tests pass ~1000 to stay fast) */
    /* Encrypted only: a fixed 32-byte master key (NULL: random), and a
     * damaged master-key checksum (the file then refuses any password). */
    const uint8_t *master_key;
    bool bad_checksum;
} abf_opts;

/* The tar stream of the members (two zero blocks at the end); malloc'd. */
void *abf_tar(const abf_member *m, size_t n, size_t *len);
/* A whole .ab around an arbitrary payload stream (tar or not): header,
 * then compression and encryption as o says. malloc'd. */
void *abf_wrap(const void *payload, size_t plen, const abf_opts *o, size_t *len);
/* abf_tar + abf_wrap. */
void *abf_build(const abf_member *m, size_t n, const abf_opts *o, size_t *len);
/* abf_build written to dir/file; returns the path (free()). */
char *abf_write(const char *dir, const char *file, const abf_member *m, size_t n,
                const abf_opts *o);
/* Bytes written to dir/file; returns the path (free()). */
char *abf_write_bytes(const char *dir, const char *file, const void *data, size_t len);
/* The regular-file members as files under dir/folder (folders created
 * as needed; others skipped); returns the folder path (free()). */
char *abf_write_folder(const char *dir, const char *folder, const abf_member *m, size_t n);
/* zlib (RFC 1950) compression of data; malloc'd. For SMS backup files. */
void *abf_zlib(const void *data, size_t len, size_t *out_len);

#endif
