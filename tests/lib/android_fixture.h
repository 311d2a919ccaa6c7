/* Android acquisitions for tests: bug report and AndroidQF folders laid out
 * as the real tools write them, built from fixture text kept in
 * tests/fixtures/android/<slug>/. */
#ifndef SPY_ANDROID_FIXTURE_H
#define SPY_ANDROID_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

/* tests/fixtures/android/<slug>/<file> read whole (free()); fails when
 * missing. *len (optional) gets the length (binary fixtures). */
char *af_fixture(const char *slug, const char *file, size_t *len);
/* Writes dir/relpath, creating the folders on the way. */
void af_write(const char *dir, const char *relpath, const void *data, size_t len);
void af_write_str(const char *dir, const char *relpath, const char *text);
/* <root>/bugreport: main_entry.txt naming bugreport-test_device-UP1A.txt,
 * which holds dumpstate (may be NULL: no main file). Returns the folder
 * (free()); add FS/ members with af_write(). */
char *af_bugreport_dir(const char *root, const char *dumpstate);
/* <root>/<AF_QF_UUID>: an empty AndroidQF acquisition folder (free()). */
#define AF_QF_UUID "0b5c4a66-2a5e-4c5e-9d1a-3f7f1c2e9a10"
char *af_androidqf_dir(const char *root);
/* The text of a dumpstate file: a header, then "DUMP OF SERVICE <name>:"
 * sections for each (name, body) pair, NULL-terminated, each closed by the
 * 79-dash rule and MVT's duration line, as real reports are (free()). */
char *af_dumpstate(const char *const *name_body_pairs);

/* Console lines, warnings included, captured from af_log_begin() until
 * af_log_end(), which returns them (malloc'd) and makes logging quiet. */
void af_log_begin(void);
char *af_log_end(void);
/* A character device (/dev/zero's numbers) at path; false, with a note,
 * when this process may not make one (not root, or a container refusing
 * it): the caller skips that part. */
bool af_make_device(const char *path);

#endif
