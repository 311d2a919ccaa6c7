/* Run files of timeline rows in the output folder's scratch space (never
 * beside the evidence; timeline_internal.h): a full buffer is sorted and
 * spilled as a run, and when too many runs pile up they are merged into
 * one, so open files stay bounded. */
#include "core/timeline_internal.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *run_name(const spy_timeline *t, unsigned run)
{
    return spy_xasprintf("timeline-%u-%u.run", t->id, run);
}

/* Opens runs [first, first+n); src has room for them (and maybe more). */
int tl_open_sources(spy_timeline *t, size_t first, size_t n, tl_src *src)
{
    int sfd = spy_outdir_scratch_fd(t->d);
    if (sfd < 0)
        return tl_fail(t, SPY_EIO, "use the scratch folder", 0);
    for (size_t i = 0; i < n; i++) {
        char *name = run_name(t, t->runs[first + i].id);
        src[i].fd = openat(sfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        free(name);
        if (src[i].fd < 0)
            return tl_fail(t, SPY_EIO, "open a run file", errno);
        src[i].cap = SPY_TIMELINE_READ_BYTES;
        src[i].buf = spy_xmalloc(src[i].cap);
        src[i].has_last = true; /* for the merge's key prefix */
        memcpy(src[i].last, t->runs[first + i].last, TL_WIN);
    }
    return SPY_OK;
}

void tl_run_mark(tl_run *run, uint64_t off, const tl_row *r)
{
    size_t span = row_span(r->size);
    if (run->n_marks == run->marks_cap) {
        run->marks_cap = run->marks_cap ? run->marks_cap * 2 : 64;
        run->marks = spy_xreallocarray(run->marks, run->marks_cap, sizeof *run->marks);
    }
    if (run->mark_cap - run->mark_len < span) {
        run->mark_cap =
            run->mark_cap * 2 > run->mark_len + span ? run->mark_cap * 2 : run->mark_len + span;
        run->mark_rows = spy_xrealloc(run->mark_rows, run->mark_cap);
    }
    memcpy(run->mark_rows + run->mark_len, r, span);
    run->marks[run->n_marks++] = (tl_mark){off, run->mark_len};
    run->mark_len += span;
}

static void run_free_marks(tl_run *run)
{
    free(run->marks);
    free(run->mark_rows);
    run->marks = NULL;
    run->mark_rows = NULL;
    run->n_marks = run->marks_cap = run->mark_len = run->mark_cap = 0;
}

void tl_remove_runs(spy_timeline *t, size_t first, size_t n)
{
    if (n == 0)
        return;
    int sfd = spy_outdir_scratch_fd(t->d);
    for (size_t i = 0; i < n; i++) {
        if (sfd >= 0) {
            char *name = run_name(t, t->runs[first + i].id);
            unlinkat(sfd, name, 0);
            free(name);
        }
        run_free_marks(&t->runs[first + i]);
    }
    memmove(t->runs + first, t->runs + first + n, (t->n_runs - first - n) * sizeof *t->runs);
    t->n_runs -= n;
}

/* A new run file for a sink; it is appended to t->runs on success. */
static int open_run(spy_timeline *t, int *fd, tl_run *run)
{
    int sfd = spy_outdir_scratch_fd(t->d);
    if (sfd < 0)
        return tl_fail(t, SPY_EIO, "use the scratch folder", 0);
    *run = (tl_run){.id = t->next_run++};
    char *name = run_name(t, run->id);
    *fd = openat(sfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
    free(name);
    if (*fd < 0)
        return tl_fail(t, SPY_EIO, "create a run file", errno);
    return SPY_OK;
}

/* Lists a run written by `sink` (lock held); frees its marks on error. */
static void list_run(spy_timeline *t, tl_sink *sink, tl_run *run)
{
    if (sink->err) {
        run_free_marks(run);
        return;
    }
    run->bytes = sink->flushed;
    t->runs = spy_xreallocarray(t->runs, t->n_runs + 1, sizeof *t->runs);
    t->runs[t->n_runs++] = *run;
}

/* Flushes and closes a run sink; lists the run on success (lock held). */
static int close_run(spy_timeline *t, tl_sink *sink, tl_run *run)
{
    tl_sink_flush(sink);
    if (close(sink->fd) != 0 && !sink->err)
        sink->err = tl_fail(t, SPY_EIO, "close a run file", errno);
    list_run(t, sink, run);
    return sink->err;
}

/* Merges every run so far into one, keeping open files under TL_FANIN. */
static int compact_runs(spy_timeline *t)
{
    size_t n = t->n_runs;
    tl_src *src = tl_new_sources(n);
    tl_sink sink;
    int fd = -1;
    tl_run run;
    int rc = tl_open_sources(t, 0, n, src);
    if (rc == SPY_OK && (rc = open_run(t, &fd, &run)) == SPY_OK) {
        tl_sink_init(&sink, t, fd, false);
        sink.run = &run;
        tl_merge_sources(src, n, &sink);
        rc = close_run(t, &sink, &run);
        tl_sink_free(&sink);
    }
    tl_close_sources(src, n);
    if (rc == SPY_OK)
        tl_remove_runs(t, 0, n);
    return rc;
}

/* Sorts a full buffer of rows and writes it as one run. Called without the
 * lock, so other modules keep adding rows while it sorts and writes; only
 * naming the run and listing it take the lock. Frees the rows. */
int tl_spill(spy_timeline *t, tl_rows *rows)
{
    tl_sort_rows(rows->v, rows->n, rows->has_ref ? rows->diff : NULL);
    int fd = -1;
    tl_run run = {0};
    tl_sink sink;
    memset(&sink, 0, sizeof sink);
    pthread_mutex_lock(&t->lock);
    int rc = tl_err(t);
    if (rc == SPY_OK)
        rc = open_run(t, &fd, &run);
    pthread_mutex_unlock(&t->lock);
    if (rc == SPY_OK) {
        tl_sink_init(&sink, t, fd, false);
        sink.run = &run;
        /* Sorted rows in memory: duplicates are next to each other. Rows
         * are read in sorted order, scattered over the blocks: fetch ahead
         * (a cache miss each otherwise). */
        for (size_t i = 0; i < rows->n && !sink.err; i++) {
            if (i + TL_AHEAD < rows->n)
                row_prefetch(rows->v[i + TL_AHEAD]);
            if (i == 0 || !row_eq(rows->v[i - 1], rows->v[i]))
                tl_sink_row(&sink, rows->v[i]);
        }
        tl_sink_flush(&sink);
        if (rows->n) /* for the final merge's key prefix */
            row_window(rows->v[rows->n - 1], 0, run.last);
        if (close(fd) != 0 && !sink.err)
            sink.err = tl_fail(t, SPY_EIO, "close a run file", errno);
        rc = sink.err;
        tl_sink_free(&sink);
    }
    pthread_mutex_lock(&t->lock);
    tl_pool_put(t, rows);
    if (fd >= 0)
        list_run(t, &sink, &run);
    if (rc == SPY_OK) {
        if (t->n_runs >= TL_FANIN)
            rc = compact_runs(t);
    }
    pthread_mutex_unlock(&t->lock);
    return rc;
}
