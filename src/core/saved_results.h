/* Reading a saved <slug>.json (spyscan's or MVT's) one record at a time, so
 * a manifest.json of hundreds of MB never sits in memory whole. */
#ifndef SPY_SAVED_RESULTS_H
#define SPY_SAVED_RESULTS_H

#include <jansson.h>
#include <stddef.h>

/* Called with each record (the callback owns the reference); a non-zero
 * return stops the walk and is returned. */
typedef int (*spy_saved_cb)(json_t *record, void *ud);

/* A JSON array: each element in turn. A JSON object (mapping-shaped
 * results): the object once. SPY_EFORMAT (with *why set to a static
 * description and *offset to the byte offset) for anything else, including
 * a truncated array, after the records before the damage were delivered. */
int spy_saved_foreach_fd(int fd, spy_saved_cb cb, void *ud, const char **why, size_t *offset);
/* Same over a memory buffer (tests, fuzzing). */
int spy_saved_foreach_mem(const char *data, size_t len, spy_saved_cb cb, void *ud, const char **why,
                          size_t *offset);

#endif
