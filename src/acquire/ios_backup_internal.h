/* Shared by the files of the iOS backup reader. */
#ifndef SPY_IOS_BACKUP_INTERNAL_H
#define SPY_IOS_BACKUP_INTERNAL_H

#include "acquire/acq.h"
#include "acquire/ios_keybag.h"
#include "acquire/ios_secret.h"
#include "core/evfs.h"

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>

struct ios_backup {
    char *dir; /* the resolved backup folder */
    int dirfd; /* O_DIRECTORY fd: every file is opened relative to it */
    json_t *info_plist, *manifest_plist, *status_plist;
    sqlite3 *manifest; /* lookups; guarded by lock (modules run on several threads) */
    pthread_mutex_t lock;
    struct ios_crypt *crypt; /* keys of an encrypted backup; NULL when files are plain */
};

/* Keys of an encrypted backup (ios_backup_crypt.c); wiped when freed. */
struct ios_crypt {
    spy_ios_keys keys;
    uint8_t derived[32];     /* the password-derived key (extract-key) */
    bool manifest_encrypted; /* iOS 10.2+: Manifest.db itself is encrypted */
    uint8_t manifest_key[32];
    bool files_encrypted; /* false for a decrypted copy that kept IsEncrypted */
};

extern const spy_acq_ops spy_ios_backup_ops;

/* Opens <xx>/<fileID> without following links, so a blob can never resolve
 * outside the backup folder. SPY_ENOTFOUND when absent. */
int spy_backup_open_blob(const struct ios_backup *b, const char *file_id, int *fd);
/* Reads a whole file of at most max bytes (NUL-terminated copy). */
int spy_backup_read_fd(int fd, const char *label, size_t max, void **buf, size_t *len);
void spy_ios_backup_free_impl(void *impl);

/* Opens Manifest.db whatever the encryption state (ios_backup_crypt.c):
 * plain; encrypted (keys from so); plain Manifest.db with encrypted files
 * (iOS < 10.2); or a decrypted copy that kept IsEncrypted (MVT's output).
 * with_key: derive the key whenever the backup says it is encrypted
 * (extract-key), even for a decrypted copy. */
int spy_backup_open_manifest_db(struct ios_backup *b, const spy_secret_opts *so, bool with_key);
/* Opens a plain Manifest.db and grades it (ios_backup.c). */
int spy_backup_open_manifest_plain(struct ios_backup *b);
/* A source serving Manifest.db's plaintext. */
int spy_backup_manifest_src(const struct ios_backup *b, spy_evsrc *out);
/* Turns src, the content file of file_id, into its plaintext when the
 * backup's files are encrypted (no-op otherwise, or for a row without an
 * EncryptionKey). On failure src is released and one line names label. */
int spy_backup_plain_src(struct ios_backup *b, const char *file_id, const char *label,
                         spy_evsrc *src);
void spy_backup_crypt_free(struct ios_crypt *c);

#endif
