/* ZIP archives for the Android tests, written in memory with libarchive:
 * regular members (deflated or stored), folders, links, and hostile names
 * a real writer would never produce. */
#ifndef SPY_ZIP_FIXTURE_H
#define SPY_ZIP_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct zf_zip zf_zip;

zf_zip *zf_new(void);
/* A regular file; mtime 0 means 2024-03-01 10:00:00 local. */
void zf_add(zf_zip *z, const char *name, const void *data, size_t len, time_t mtime);
void zf_add_str(zf_zip *z, const char *name, const char *text);
/* The same, stored without compression. */
void zf_add_stored(zf_zip *z, const char *name, const void *data, size_t len);
void zf_add_dir(zf_zip *z, const char *name);
void zf_add_symlink(zf_zip *z, const char *name, const char *target);
/* A member libarchive's writer cannot make (it writes regular files,
 * folders and links only): written as a regular file holding data, then
 * its central directory entry gets "made by Unix" and mode (S_IFCHR,
 * S_IFBLK, S_IFIFO, S_IFLNK, S_IFSOCK | permissions) in the high half of
 * its external attributes, where Info-ZIP keeps it and libarchive's
 * seekable reader takes the entry's type from. */
void zf_add_mode(zf_zip *z, const char *name, const void *data, size_t len, unsigned mode);
/* A stored text member whose central directory DOS date and time are zero
 * (month 0: Python's zipfile, hence MVT, cannot make a time of it). */
void zf_add_no_time(zf_zip *z, const char *name, const char *text);
/* The archive bytes (malloc'd, *len set); frees z. */
void *zf_finish(zf_zip *z, size_t *len);
/* zf_finish() written to path. */
void zf_finish_to(zf_zip *z, const char *path);
/* 2024-03-01 10:00:00 in the local time zone. */
time_t zf_default_mtime(void);

#endif
