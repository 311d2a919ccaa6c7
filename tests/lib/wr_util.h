/* Helpers for the output-side tests (test_outdir, test_timeline, ...). */
#ifndef SPY_WR_UTIL_H
#define SPY_WR_UTIL_H

#include "core/outdir.h"

#include <stdbool.h>
#include <stddef.h>

/* A fresh temp folder (*tmp, for tu_rmtree) and an output folder
 * "<tmp>/out" opened in it. */
spy_outdir *wr_outdir_new(char **tmp);
/* Reads <dir>/<name>; NULL when missing. */
char *wr_read_in(const char *dir, const char *name, size_t *len);
/* Entries of a folder, "." and ".." excluded. */
size_t wr_count_entries(const char *dir);
/* Whether any entry of dir starts with prefix. */
bool wr_has_entry_prefix(const char *dir, const char *prefix);
/* Permission bits of a path (lstat), or -1. */
int wr_mode(const char *path);

#endif
