/* Android acquisitions (spec/android.md §1.1–§1.3): a bug report and an
 * AndroidQF acquisition, each a folder or a ZIP file read through
 * libarchive without extracting anything to disk.
 *
 * Both implement the spy_acq ops:
 * - find(): q->globs (NULL-terminated) are matched with Python fnmatch
 *   semantics ('*' also crosses '/', '?', '[...]', case-sensitive) against
 *   every member's relative path, in enumeration order (folder walk or ZIP
 *   central directory). Bug report paths are relative to the report folder
 *   ("main_entry.txt", "FS/data/tombstones/tombstone_00"). AndroidQF paths
 *   are relative to the acquisition folder's parent ("<uuid>/getprop.txt"),
 *   and members of a ZIP stored at its root are listed under one virtual top
 *   folder, so "*\/getprop.txt" finds them too (an extension over MVT). Each
 *   artifact has path (that relative path), label and mtime set.
 * - read(): the member's whole content, bounded by max (SPY_ELIMIT beyond),
 *   decompressed into memory; never a file.
 * - open_db(): unsupported (Android acquisitions hold no databases MVT reads).
 *
 * Member names with "..", absolute paths, links, devices and anything but
 * regular files are refused (logged once, then left out of the list). */
#ifndef SPY_ANDROID_H
#define SPY_ANDROID_H

#include "acquire/acq.h"

#include <jansson.h>
#include <stddef.h>

/* Opens a bug report (ZIP file or unpacked folder). SPY_OK, or after one
 * logged line naming the path and the problem: SPY_ENOTFOUND (missing),
 * SPY_EFORMAT (not a ZIP or folder, corrupt ZIP, wrong kind of input). */
int spy_bugreport_open(const char *path, spy_acq *out);
/* Opens an AndroidQF acquisition (folder or ZIP); same results. */
int spy_androidqf_open(const char *path, spy_acq *out);

/* The body of "DUMP OF SERVICE <service>:" in the acquisition's dumpstate
 * file (§1.1 how it is located, §1.2 how sections are delimited). The
 * dumpstate file is read once and split into sections in one pass, the first
 * time any module asks; calls are thread-safe. *body stays valid until the
 * acquisition is closed; it is not NUL-terminated. A header that is absent
 * gives SPY_OK with *len 0. SPY_ENOTFOUND: there is no dumpstate file (the
 * module logs MVT's "Unable to find dumpstate file" error and emits
 * nothing); another error: the file could not be read. */
int spy_android_dumpsys(const spy_acq *a, const char *service, const char **body, size_t *len);
/* The lines after "------ SYSTEM PROPERTIES" up to the next line starting
 * with "------" (§4.7), as above. */
int spy_android_properties(const spy_acq *a, const char **body, size_t *len);

/* AndroidQF acquisition context (§1.3.4): {"started": ..., "adb_host_public_key":
 * ...} or {}. NULL for a stand-alone bug report; the bug report nested in
 * an AndroidQF acquisition answers with its parent's context. Borrowed. */
const json_t *spy_android_context(const spy_acq *a);

/* For check-androidqf (src/acquire/commands.c). The bug report nested in an
 * AndroidQF acquisition (§1.3.3 step 3): the first member whose path ends
 * with "bugreport.zip", opened from the folder or read from the outer ZIP
 * into memory; without one, the acquisition's own dumpsys.txt as a one-file
 * bug report (extension, spec §6). SPY_OK; SPY_ENOTFOUND after MVT's
 * "Skipping bugreport modules" warning; another error after a line saying
 * why the bug report is unusable. */
int spy_androidqf_open_nested_bugreport(const spy_acq *parent, spy_acq *out);
/* Logs the device line: model, Android version, security patch (getprop.txt
 * or the SYSTEM PROPERTIES block). */
void spy_android_describe(const spy_acq *acq);

#endif
