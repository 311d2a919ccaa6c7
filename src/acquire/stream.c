/* Member streams (acq.h): the wrappers every reader's stream goes through,
 * the memory stream, and the fallback for readers without a stream op. */
#include "acquire/stream.h"

#include "core/error.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct mem_stream {
    spy_stream base;
    unsigned char *buf;
    size_t len, off;
    bool owned;
} mem_stream;

static int mem_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    mem_stream *m = (mem_stream *)s;
    size_t n = m->len - m->off < cap ? m->len - m->off : cap;
    if (n)
        memcpy(buf, m->buf + m->off, n);
    m->off += n;
    *got = n;
    return SPY_OK;
}

static void mem_close(spy_stream *s)
{
    mem_stream *m = (mem_stream *)s;
    if (m->owned)
        free(m->buf);
    free(m);
}

spy_stream *spy_stream_mem(void *buf, size_t len, bool owned)
{
    mem_stream *m = spy_xcalloc(1, sizeof *m);
    m->base.read = mem_read;
    m->base.close = mem_close;
    m->buf = buf;
    m->len = len;
    m->owned = owned;
    return &m->base;
}

int spy_acq_open_stream(const spy_acq *a, const spy_artifact *art, uint64_t max, spy_stream **s)
{
    *s = NULL;
    if (!a->ops)
        return SPY_EUNSUPPORTED;
    if (a->ops->open_stream)
        return a->ops->open_stream(a, art, max, s);
    if (!a->ops->read)
        return SPY_EUNSUPPORTED;
    /* No stream op: the whole member, served from memory. */
    void *buf = NULL;
    size_t len = 0;
    int err = a->ops->read(a, art, max > SIZE_MAX ? SIZE_MAX : (size_t)max, &buf, &len);
    if (err != SPY_OK) {
        free(buf);
        return err;
    }
    *s = spy_stream_mem(buf, len, true);
    return SPY_OK;
}

int spy_stream_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (s->err != SPY_OK || cap == 0)
        return s->err;
    int err = s->read(s, buf, cap, got);
    if (err != SPY_OK) {
        *got = 0;
        s->err = err;
    }
    return err;
}

void spy_stream_close(spy_stream *s)
{
    if (s)
        s->close(s);
}
