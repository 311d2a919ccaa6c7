/* mount(8) output lines as AndroidQF's mounts.json holds them
 * (spec/android.md §4.21): "<device> on <mount point> type <fs> (<opts>)". */
#ifndef SPY_MOUNT_LINES_H
#define SPY_MOUNT_LINES_H

#include <jansson.h>
#include <stddef.h>

/* The Mounts record of one line, or NULL for a line in another format
 * (the /proc/mounts lines AndroidQF appends) or lacking a part. */
json_t *spy_mount_line(const char *line, size_t len);

/* Every line of text (lines split at '\n'), records handed to cb (which
 * owns them); returns how many. */
size_t spy_mount_lines(const char *text, size_t len, void (*cb)(json_t *rec, void *ud), void *ud);

#endif
