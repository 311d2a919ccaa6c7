/* Small helpers shared by the unit tests. */
#ifndef SPY_TESTUTIL_H
#define SPY_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* The team's ../shared folder, or exit(77) (CTest: skipped) when absent. */
const char *tu_shared_dir_or_skip(void);
/* A path under ../shared, or exit(77) when it does not exist. */
char *tu_shared_path_or_skip(const char *rel);
/* A fresh empty folder under $TMPDIR; removed recursively by tu_rmtree(). */
char *tu_mkdtemp(void);
void tu_rmtree(const char *path);
/* Joins a folder and a name into a fresh string. */
char *tu_join(const char *dir, const char *name);
/* Writes/reads a whole file; tu_read returns NULL when missing. */
void tu_write(const char *path, const char *data, size_t len);
void tu_write_str(const char *path, const char *s);
char *tu_read(const char *path, size_t *len);
/* The project's source folder (for fixtures). */
const char *tu_source_dir(void);

#endif
