/* What a reader implementing spy_acq_ops.open_stream provides: its stream
 * object starts with this struct (acq.h has the calls modules make). */
#ifndef SPY_STREAM_H
#define SPY_STREAM_H

#include "acquire/acq.h"

struct spy_stream {
    /* Up to cap (> 0) bytes; *got == 0 only at the end. An error is
     * logged by the reader; spy_stream_read() keeps it sticky. */
    int (*read)(spy_stream *s, void *buf, size_t cap, size_t *got);
    /* Frees the stream and everything it holds. */
    void (*close)(spy_stream *s);
    int err; /* the first error, returned by every later read */
};

#endif
