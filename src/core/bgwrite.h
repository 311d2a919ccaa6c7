/* A file's full buffers written by a thread of its own, in order, so the
 * thread filling them does not wait in write(2): a large check writes
 * hundreds of MB of results, and on the busiest worker that copying into
 * the page cache was a fifth of its time. A few buffers are in flight at
 * most, so memory stays bounded. */
#ifndef SPY_BGWRITE_H
#define SPY_BGWRITE_H

#include <stddef.h>

typedef struct spy_bgw spy_bgw;

/* Starts the writer of fd (writeback hints included, as spy_write_all's
 * callers give them); NULL when no thread can start (write in place then). */
spy_bgw *spy_bgw_start(int fd);
/* Hands over *buf (len bytes to write after those handed over before) and
 * puts in *buf and *cap a buffer to fill next, waiting for one when too
 * many are in flight. Returns SPY_OK, or SPY_EIO once a write failed. */
int spy_bgw_put(spy_bgw *b, char **buf, size_t *cap, size_t len);
/* Waits until everything handed over is written and ends the thread; the
 * fd is then the caller's alone. Returns SPY_OK or SPY_EIO, with the errno
 * of the failed write in *err_no. Frees b. */
int spy_bgw_finish(spy_bgw *b, int *err_no);

#endif
