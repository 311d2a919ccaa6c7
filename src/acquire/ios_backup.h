/* An iTunes / Finder / idevicebackup2 backup folder (spec/ios.md §2.1). */
#ifndef SPY_IOS_BACKUP_H
#define SPY_IOS_BACKUP_H

#include "acquire/acq.h"
#include "acquire/ios_secret.h"
#include "core/evfs.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Opens the backup at path: the backup folder itself (holding Manifest.db
 * and Info.plist) or a folder with exactly one such sub-folder. Returns
 * SPY_OK, or after logging one line naming the path and the problem:
 * SPY_ENOTFOUND (not a backup), SPY_EFORMAT (several backups, Manifest.db
 * or a plist unreadable), SPY_EPASSWORD (encrypted: spy_ios_backup_open_ex). */
int spy_ios_backup_open(const char *path, spy_acq *out);

/* Options of spy_ios_backup_open_ex(). */
enum {
    /* Derive and check the key whenever Manifest.plist says encrypted, even
     * when Manifest.db and the files are plain (extract-key). */
    SPY_IOS_BACKUP_NEED_KEY = 1u << 0
};

/* Same, for a backup that may be encrypted (spec/ios.md §3): its key comes
 * from so (key file, password, environment, prompt: acquire/ios_secret.h;
 * NULL: no key source, an encrypted backup is then SPY_EPASSWORD). Manifest.db
 * and the files are decrypted in memory as modules read them. More errors:
 * SPY_EPASSWORD (no password, or a wrong one: said plainly), SPY_EFORMAT
 * (keybag, ManifestKey or Manifest.db unusable; Manifest.plist and
 * Manifest.db disagree). */
int spy_ios_backup_open_ex(const char *path, const spy_secret_opts *so, unsigned flags,
                           spy_acq *out);
/* True when the backup's content files are encrypted (read decrypted). */
bool spy_ios_backup_is_encrypted(const spy_acq *a);
/* The password-derived key (SPY_ENOTFOUND when no key was derived). */
int spy_ios_backup_derived_key(const spy_acq *a, uint8_t key[32]);
/* The plaintext of one content file as a random-access source (decrypted as
 * read when the backup is encrypted); label names it in messages. */
int spy_ios_backup_open_content(const spy_acq *a, const char *file_id, const char *label,
                                spy_evsrc *out);

/* The resolved backup folder. */
const char *spy_ios_backup_dir(const spy_acq *a);
/* Info.plist, Manifest.plist and Status.plist as parsed (NULL when absent;
 * borrowed references). */
const json_t *spy_ios_backup_info_plist(const spy_acq *a);
const json_t *spy_ios_backup_manifest_plist(const spy_acq *a);
const json_t *spy_ios_backup_status_plist(const spy_acq *a);
/* A new connection to Manifest.db through the evidence VFS, for a module
 * that scans it whole (the Manifest module); close with spy_evdb_close(). */
int spy_ios_backup_open_manifest(const spy_acq *a, sqlite3 **db);

/* true for 40 lowercase hex characters: the only fileIDs turned into paths. */
bool spy_ios_file_id_valid(const char *id);

#endif
