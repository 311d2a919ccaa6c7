/* Android backups (spec/android.md §1.4-§1.5): an `adb backup` file (.ab:
 * header, optional AES-256 encryption, optional zlib compression, then a
 * tar stream), or a folder holding an unpacked one (the folder with apps/).
 *
 * The .ab is streamed: header, PBKDF2 on the small key material, then
 * AES-CBC -> inflate -> tar, never written anywhere. Member paths are the tar
 * names ("apps/com.android.providers.telephony/d_f/000000_sms_backup");
 * find() matches q->globs with fnmatch semantics as on the other Android
 * acquisitions; read() gives a member's whole content, bounded by max.
 * Names with "..", absolute names, links and devices are refused. */
#ifndef SPY_ANDROID_BACKUP_H
#define SPY_ANDROID_BACKUP_H

#include "acquire/acq.h"
#include "acquire/ios_secret.h"

/* Opens a .ab file or an unpacked backup folder. Password sources as for
 * iOS (design.md §6): so->password, then SPYSCAN_BACKUP_PASSWORD /
 * MVT_ANDROID_BACKUP_PASSWORD, then the prompt unless so->non_interactive.
 * SPY_OK, or after one line naming the path and the problem:
 * SPY_ENOTFOUND (missing), SPY_EFORMAT (not a backup, corrupt header,
 * zlib or tar stream), SPY_EPASSWORD (wrong password, or none available). */
int spy_android_backup_open(const char *path, const spy_secret_opts *so, spy_acq *out);

/* The backup.ab of an AndroidQF acquisition (§1.3.3 step 4): the first
 * member whose path ends with "backup.ab". SPY_OK; SPY_ENOTFOUND after
 * MVT's "Skipping backup modules as no backup.ab found" warning; SPY_EFORMAT
 * after "Skipping backup modules as backup.ab is malformed: <reason>";
 * SPY_EPASSWORD (wrong or missing password: the run ends). out borrows from
 * parent, which must stay open. */
int spy_androidqf_open_nested_backup(const spy_acq *parent, const spy_secret_opts *so,
                                     spy_acq *out);

#endif
