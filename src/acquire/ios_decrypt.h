/* decrypt-backup and extract-key (spec/ios.md §3.8): the only places where
 * spyscan writes decrypted data or a key, and only where the analyst says. */
#ifndef SPY_IOS_DECRYPT_H
#define SPY_IOS_DECRYPT_H

#include "acquire/acq.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct spy_decrypt_report {
    size_t files;   /* content files written */
    size_t missing; /* listed in Manifest.db, content absent (partial backup) */
    size_t failed;  /* could not be decrypted or written (each logged) */
    uint64_t bytes; /* plaintext bytes written */
} spy_decrypt_report;

/* Writes a decrypted copy of the open encrypted backup a into dest, laid out
 * as a plain backup: Manifest.db decrypted; every listed content file
 * decrypted to <xx>/<fileID> (0600, mtime from LastModified); the top-level
 * *.plist files copied as they are (as MVT does: Manifest.plist keeps
 * IsEncrypted, which spyscan and MVT read as "decrypted copy" beside a
 * plain Manifest.db). dest: new or empty (unless force), never inside the
 * backup nor containing it (SPY_EUSAGE). SPY_OK with rep->failed possibly
 * non-zero; an error when Manifest.db or dest is unusable. */
int spy_ios_backup_decrypt_to(const spy_acq *a, const char *dest, bool force,
                              spy_decrypt_report *rep);

/* Writes the key as 64 lowercase hex characters, no newline, into a new
 * file (0600), atomically: a temporary file beside it linked into place;
 * an existing file is never replaced (SPY_EEXISTS). */
int spy_keyfile_write(const char *path, const uint8_t key[32]);

#endif
