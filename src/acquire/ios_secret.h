/* Where the key of an encrypted backup comes from (design.md §6): a key
 * file from extract-key, or a password from -p, SPYSCAN_BACKUP_PASSWORD,
 * MVT_IOS_BACKUP_PASSWORD or a no-echo prompt on the terminal. Passwords and
 * keys never reach a log line; every copy is wiped after use. */
#ifndef SPY_IOS_SECRET_H
#define SPY_IOS_SECRET_H

#include "acquire/ios_keybag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct spy_secret_opts {
    const char *password; /* -p/--password, or NULL */
    const char *key_file; /* -k/--key-file, or NULL */
    bool non_interactive; /* -n: never prompt */
} spy_secret_opts;

/* The derived key for kb: from the key file when given, else from the first
 * password found (derivation logged before and after: it takes seconds).
 * SPY_EPASSWORD (after one line saying what to give) when there is none;
 * SPY_EFORMAT/SPY_EIO for a key file that is not exactly 64 hex characters
 * or cannot be read. `what` names the backup in messages. */
int spy_secret_key(const spy_secret_opts *o, const spy_keybag *kb, const char *what,
                   uint8_t key[32]);

/* A key file: exactly 64 hex characters, nothing else (MVT's format). */
int spy_keyfile_read(const char *path, uint8_t key[32]);
/* 64 lowercase hex characters and a NUL. */
void spy_key_hex(const uint8_t key[32], char out[65]);

/* Reads a line from /dev/tty with echo off, restoring the terminal on every
 * path (signals included). SPY_ENOTFOUND when there is no terminal. */
int spy_password_prompt(const char *prompt, char *buf, size_t cap, size_t *len);

#endif
