/* Opening an Android acquisition path (folder or ZIP) and recognising what
 * it holds; shared by the bug report and AndroidQF readers. */
#ifndef SPY_ANDROID_OPEN_H
#define SPY_ANDROID_OPEN_H

#include "acquire/android_internal.h"

typedef struct andr_open_opts {
    const char *folder_prefix;   /* before every path of a folder ("" or "<name>/") */
    const char *zip_root_prefix; /* virtual top folder for root-level ZIP members, or NULL */
    const char *invalid_zip;     /* message for a corrupt ZIP: "Invalid bugreport archive" */
} andr_open_opts;

/* SPY_OK, or after one logged line naming the path and the problem:
 * SPY_ENOTFOUND (missing), SPY_EFORMAT (not a ZIP or folder, corrupt ZIP),
 * SPY_EIO, SPY_ELIMIT. */
int andr_open_path(spy_acq_kind kind, const char *path, const andr_open_opts *o, android_acq **out);
/* Whether some member's last path component is name. */
bool andr_has_basename(const android_acq *a, const char *name);
/* Manifest.db and Info.plist at the top: an iTunes backup. */
bool andr_is_ios_backup(const android_acq *a);

#endif
