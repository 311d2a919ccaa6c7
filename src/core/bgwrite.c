/* Background writer of one file (bgwrite.h). The filling thread queues a
 * full buffer and takes back one already written; the writer thread
 * writes the queue in order. BGW_QUEUE buffers wait at most, plus the one
 * being filled: the file's memory is bounded whatever its size. */
#include "core/bgwrite.h"

#include "core/error.h"
#include "core/mem.h"
#include "core/outdir.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#define BGW_QUEUE 2u
#define BGW_BUF   (1024u * 1024u) /* a handover per MB: little locking */

typedef struct bgw_buf {
    char *p;
    size_t len, cap;
} bgw_buf;

struct spy_bgw {
    int fd;
    pthread_t th;
    pthread_mutex_t lock;
    pthread_cond_t work; /* a buffer was queued, or stop */
    pthread_cond_t room; /* a buffer was written */
    bgw_buf q[BGW_QUEUE];
    size_t head, n;
    bgw_buf spare[BGW_QUEUE + 1]; /* written, free to fill again */
    size_t n_spare, n_bufs;       /* buffers owned here or queued */
    bool stop;
    int err, err_no;
    size_t unsynced; /* the writer thread's */
};

static void *bgw_main(void *arg)
{
    spy_bgw *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        while (b->n == 0 && !b->stop)
            pthread_cond_wait(&b->work, &b->lock);
        if (b->n == 0)
            break;
        bgw_buf x = b->q[b->head];
        b->head = (b->head + 1) % BGW_QUEUE;
        b->n--;
        bool failed = b->err != SPY_OK;
        pthread_mutex_unlock(&b->lock);
        int e = 0;
        if (!failed) { /* after a failure the rest is dropped, not written */
            if (spy_write_all(b->fd, x.p, x.len) == SPY_OK)
                spy_writeback_note(b->fd, &b->unsynced, x.len);
            else
                e = errno ? errno : EIO;
        }
        pthread_mutex_lock(&b->lock);
        if (e && b->err == SPY_OK) {
            b->err = SPY_EIO;
            b->err_no = e;
        }
        b->spare[b->n_spare++] = (bgw_buf){x.p, 0, x.cap};
        pthread_cond_signal(&b->room);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

spy_bgw *spy_bgw_start(int fd)
{
    spy_bgw *b = spy_xcalloc(1, sizeof *b);
    b->fd = fd;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->work, NULL);
    pthread_cond_init(&b->room, NULL);
    if (pthread_create(&b->th, NULL, bgw_main, b) != 0) {
        pthread_cond_destroy(&b->room);
        pthread_cond_destroy(&b->work);
        pthread_mutex_destroy(&b->lock);
        free(b);
        return NULL;
    }
    return b;
}

int spy_bgw_put(spy_bgw *b, char **buf, size_t *cap, size_t len)
{
    pthread_mutex_lock(&b->lock);
    while (b->n == BGW_QUEUE && b->err == SPY_OK)
        pthread_cond_wait(&b->room, &b->lock);
    if (b->err != SPY_OK) { /* the caller keeps its buffer; nothing more is written */
        pthread_mutex_unlock(&b->lock);
        return SPY_EIO;
    }
    b->q[(b->head + b->n) % BGW_QUEUE] = (bgw_buf){*buf, len, *cap};
    b->n++;
    b->n_bufs++;
    pthread_cond_signal(&b->work);
    /* the next buffer: a written one, a new one while few exist, or a
     * written one waited for */
    bgw_buf next = {NULL, 0, 0};
    if (b->n_spare == 0 && b->n_bufs <= BGW_QUEUE) {
        pthread_mutex_unlock(&b->lock);
        *buf = spy_xmalloc(BGW_BUF);
        *cap = BGW_BUF;
        return SPY_OK;
    }
    while (b->n_spare == 0)
        pthread_cond_wait(&b->room, &b->lock);
    next = b->spare[--b->n_spare];
    b->n_bufs--;
    int rc = b->err;
    pthread_mutex_unlock(&b->lock);
    *buf = next.p;
    *cap = next.cap;
    return rc == SPY_OK ? SPY_OK : SPY_EIO;
}

int spy_bgw_finish(spy_bgw *b, int *err_no)
{
    pthread_mutex_lock(&b->lock);
    b->stop = true;
    pthread_cond_signal(&b->work);
    pthread_mutex_unlock(&b->lock);
    pthread_join(b->th, NULL);
    for (size_t i = 0; i < b->n_spare; i++)
        free(b->spare[i].p);
    int rc = b->err;
    if (err_no)
        *err_no = b->err_no;
    pthread_cond_destroy(&b->room);
    pthread_cond_destroy(&b->work);
    pthread_mutex_destroy(&b->lock);
    free(b);
    return rc == SPY_OK ? SPY_OK : SPY_EIO;
}
