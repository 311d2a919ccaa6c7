/* An iTunes / Finder / idevicebackup2 backup folder (spec/ios.md §2.1). */
#ifndef SPY_IOS_BACKUP_H
#define SPY_IOS_BACKUP_H

#include "acquire/acq.h"

#include <jansson.h>

/* Opens the backup at path: the backup folder itself (holding Manifest.db
 * and Info.plist) or a folder with exactly one such sub-folder. Returns
 * SPY_OK, or after logging one line naming the path and the problem:
 * SPY_ENOTFOUND (not a backup), SPY_EFORMAT (several backups, Manifest.db
 * or a plist unreadable), SPY_EPASSWORD (encrypted: not supported yet). */
int spy_ios_backup_open(const char *path, spy_acq *out);

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
