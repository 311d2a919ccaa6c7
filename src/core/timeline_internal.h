/* Private to src/core/timeline*.c: the row layout, the shared buffer and
 * the pieces of timeline.csv (design.md §6). The public contract is
 * core/writers.h.
 *   timeline.c        the public API: shared buffer, batches, final write
 *   timeline_rows.c   rows packed into arena blocks, the block pool
 *   timeline_sort.c   the radix sort of a buffer of rows
 *   timeline_merge.c  output sinks, merge sources and the loser-tree merge
 *   timeline_runs.c   run files in scratch: spill, open, compact, remove
 *   timeline_par.c    the final merge split by key range over threads
 * Row helpers used on every row by several files are static inline here so
 * they stay inlined. */
#ifndef SPY_TIMELINE_INTERNAL_H
#define SPY_TIMELINE_INTERNAL_H

#include "core/writers.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TL_FANIN 64u /* runs merged at once; 64 open run files at most */
#define TL_AHEAD 16u /* rows prefetched ahead when walking rows in sorted order */
/* The sort keys rows on the bytes of their first TL_WIN that vary. */
#define TL_WIN 32u
/* A run file notes one row every TL_MARK_BYTES of it (its offset and a
 * copy), so the final merge can split runs by key range reading little of
 * them. Rows larger than TL_MARK_ROW_MAX are not copied: the marks stay a
 * small fraction of the runs (under 1%) whatever the rows. */
#define TL_MARK_BYTES   (16u * 1024u)
#define TL_MARK_ROW_MAX 1024u
/* The final merge uses threads from this many bytes of rows (below, the
 * split costs more than it saves), and at most TL_PAR_MAX_THREADS. It cuts
 * the rows into key ranges of about TL_PAR_CHUNK_BYTES, each formatted into
 * a buffer of TL_PAR_BUF_BYTES (a range that outgrows it waits for its turn
 * and streams into the file); at most two buffers a thread. */
#define TL_PAR_MIN_BYTES   (4u * 1024u * 1024u)
#define TL_PAR_MAX_THREADS 8u
#define TL_PAR_CHUNK_BYTES (1u * 1024u * 1024u)
#define TL_PAR_BUF_BYTES   (2u * 1024u * 1024u)
#define TL_PAR_MAX_RANGES  4096u

/* One row: the four fields packed NUL-terminated one after the other (NULL
 * is stored as "": it sorts and prints as the empty string), padded to 4
 * bytes. Run files hold rows in exactly this layout. */
typedef struct tl_row {
    uint32_t size; /* bytes of data[], the four NULs included */
    char data[];
} tl_row;

/* Arena blocks: a batch fills one, then hands it to the timeline whole. */
typedef struct tl_block {
    struct tl_block *next;
    size_t used, cap;
    char data[];
} tl_block;

/* Rows and the blocks holding them. */
typedef struct tl_rows {
    tl_block *blocks;
    tl_row **v;
    size_t n, cap;
    size_t bytes; /* memory held: blocks and row pointers */
    /* Which bits of the first TL_WIN bytes differ from ref's in some row,
     * gathered as rows are packed (while they are in cache) so the sort
     * need not read every row once more for it. */
    bool has_ref;
    unsigned char ref[TL_WIN];
    uint64_t diff[TL_WIN / 8];
} tl_rows;

/* A noted row of a run file: where it starts and where its copy is. */
typedef struct tl_mark {
    uint64_t off;
    size_t at; /* in mark_rows */
} tl_mark;

/* A run file in scratch. */
typedef struct tl_run {
    unsigned id;
    uint64_t bytes;
    tl_mark *marks; /* in file order, so sorted by row too */
    size_t n_marks, marks_cap;
    char *mark_rows; /* the noted rows, one after the other */
    size_t mark_len, mark_cap;
    unsigned char last[TL_WIN]; /* its last row's first bytes (row_window) */
} tl_run;

static inline const tl_row *run_mark_row(const tl_run *run, size_t i)
{
    return (const tl_row *)(const void *)(run->mark_rows + run->marks[i].at);
}

struct spy_timeline {
    spy_outdir *d;
    bool android;
    pthread_mutex_t lock;
    tl_rows rows;
    tl_block *pool; /* free blocks of SPY_TIMELINE_BLOCK_BYTES for batches */
    size_t n_pool;
    size_t run_bytes;
    size_t total; /* rows ever added */
    tl_run *runs; /* the run files in scratch */
    size_t n_runs;
    unsigned id, next_run;
    unsigned threads; /* for the final merge; 0: one per core */
    /* TL_PAR_MIN_BYTES, TL_PAR_CHUNK_BYTES, TL_PAR_BUF_BYTES (tests lower
     * them to split small timelines). */
    size_t par_min_bytes, par_chunk_bytes, par_buf_bytes;
    bool written; /* spy_timeline_write ran: rows are gone */
    int err;      /* sticky, logged where it happened */
};

/* ---- rows ------------------------------------------------------------- */

/* Starts fetching a row read soon in an order unrelated to memory: its
 * first lines (a typical row spans two or three; prefetches never fault). */
static inline void row_prefetch(const tl_row *r)
{
    const char *p = (const char *)r;
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
    __builtin_prefetch(p + 128);
}

static inline size_t row_span(uint32_t size)
{
    return (sizeof(tl_row) + size + 3u) & ~(size_t)3u;
}

/* Bytes [start, start+TL_WIN) of a row, zeros past its end. */
static inline void row_window(const tl_row *r, size_t start, unsigned char w[TL_WIN])
{
    if (r->size >= start + TL_WIN) {
        memcpy(w, r->data + start, TL_WIN);
    } else {
        memset(w, 0, TL_WIN);
        if (r->size > start)
            memcpy(w, r->data + start, r->size - start);
    }
}

/* The four fields are packed NUL-terminated and NUL sorts before every
 * other byte, so memcmp of the packed bytes orders rows exactly as
 * comparing (timestamp, plugin, event, description) field by field with
 * strcmp would. Rows have exactly four NULs, so when two rows agree on
 * their first `off` bytes (reading past a row's end as zeros) and one of
 * them ends within those bytes, they are equal rows: compare from off. */
static inline int row_cmp_from(const tl_row *a, const tl_row *b, size_t off)
{
    if (a->size > off && b->size > off) {
        uint32_t n = a->size < b->size ? a->size : b->size;
        int c = memcmp(a->data + off, b->data + off, n - off);
        if (c)
            return c;
    }
    return (a->size > b->size) - (a->size < b->size);
}

static inline bool row_eq(const tl_row *a, const tl_row *b)
{
    return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/* ---- timeline_rows.c -------------------------------------------------- */

/* Packs a row into `r`; false when a field is too large for the format.
 * With block_full, a row that would start a new normal block is not added
 * and *block_full is set (the caller hands the full block over first). */
bool tl_row_add(tl_rows *r, const char *const f[4], const size_t len[4], size_t block_bytes,
                bool *block_full);
/* The lengths of the four fields (NULL is ""). */
static inline void tl_field_lens(const char *const f[4], size_t len[4])
{
    for (int i = 0; i < 4; i++)
        len[i] = f[i] ? strlen(f[i]) : 0;
}
/* Moves every row and block of `from` to the end of `to`. */
void tl_rows_move(tl_rows *to, tl_rows *from);
void tl_rows_free(tl_rows *r);
/* Frees r's rows, keeping some of its blocks in t's pool (lock held). */
void tl_pool_put(spy_timeline *t, tl_rows *r);
/* Gives an empty batch a block from the pool, if any (lock held). */
void tl_pool_get(spy_timeline *t, tl_rows *r);

/* ---- timeline_sort.c -------------------------------------------------- */

/* known: the varying bits of the rows' first TL_WIN bytes (or NULL). */
void tl_sort_rows(tl_row **rows, size_t n, const uint64_t *known);

/* ---- timeline_merge.c ------------------------------------------------- */

/* Writes rows to a run file (in row layout) or to timeline.csv. */
typedef struct tl_sink {
    spy_timeline *t;
    int fd;
    bool csv;
    char *buf;
    size_t len, cap;
    uint64_t flushed; /* bytes written to fd */
    tl_run *run;      /* run file: marks noted here (or NULL) */
    uint64_t next_mark;
    /* A key range of the threaded merge: its first write waits until the
     * ranges before it are in the file. */
    struct tl_par *par;
    size_t range;
    bool turn;
    size_t unsynced; /* timeline.csv bytes since the last writeback request */
    int err;
} tl_sink;

void tl_sink_init(tl_sink *s, spy_timeline *t, int fd, bool csv);
void tl_sink_bytes(tl_sink *s, const char *p, size_t n);
/* Writes a row (duplicates are the caller's business). */
void tl_sink_row(tl_sink *s, const tl_row *r);
void tl_sink_flush(tl_sink *s);
void tl_sink_free(tl_sink *s);
/* csv.c: spy_csv_packed_row into a buffer with room to spare, so its
 * stores need no bound: out holds TL_CSV_ROOM(size) bytes. */
#define TL_CSV_ROOM(size) (3u * (size_t)(size) + 64u)
size_t spy_csv_packed_row_wide(char *out, const char *packed, size_t size);

/* A merge source: a run file, or sorted rows in memory. */
typedef struct tl_src {
    /* Bytes [koff, koff+16) of cur, big-endian, zero-padded: every row of
     * a merge shares its first koff bytes, so they decide nothing. */
    uint64_t k0, k1;
    size_t koff;
    const tl_row *cur;  /* NULL when exhausted */
    const tl_row *prev; /* the row before cur, still readable (or NULL) */
    tl_row *const *mem;
    size_t mem_i, mem_n;
    int fd; /* -1 for rows in memory */
    char *buf;
    size_t pos, len, cap;
    /* File bytes [off, end) are still to be read (pread: several sources
     * of one run, each its own key range, share its fd). */
    uint64_t off, end;
    const tl_row *hi; /* a file source ends before this row (NULL: none) */
    uint64_t h0, h1;  /* its key */
    bool has_last;    /* a run: last[] is its last row's first bytes */
    unsigned char last[TL_WIN];
} tl_src;

/* n sources, none open yet (fd -1, no rows). */
tl_src *tl_new_sources(size_t n);
void tl_close_sources(tl_src *src, size_t n);
/* Moves a file source on to its first row >= key; the next row read is
 * that one. */
int tl_src_seek(tl_src *s, const tl_row *key);
/* Makes a file source end before its first row >= hi. */
void tl_src_set_hi(tl_src *s, const tl_row *hi);
/* Writes the rows of every source in order, each distinct row once, then
 * flushes the sink (but for a key range of the threaded merge). */
int tl_merge_sources(tl_src *src, size_t n, tl_sink *sink);

/* ---- timeline_runs.c -------------------------------------------------- */

/* Opens runs [first, first+n); src has room for them (and maybe more). */
int tl_open_sources(spy_timeline *t, size_t first, size_t n, tl_src *src);
/* Notes row r at run offset off. */
void tl_run_mark(tl_run *run, uint64_t off, const tl_row *r);
/* Deletes runs [first, first+n) and unlists them. */
void tl_remove_runs(spy_timeline *t, size_t first, size_t n);
/* Sorts a full buffer of rows and writes it as one run, without the lock
 * (taken only to name and list the run). Frees the rows. */
int tl_spill(spy_timeline *t, tl_rows *rows);

/* ---- timeline_par.c --------------------------------------------------- */

/* The merge threads for this timeline: 1 keeps the one-thread merge. */
unsigned tl_par_threads(const spy_timeline *t);
/* Writes the rows of the open sources src[0..n) (runs, then the sorted
 * memory rows) to timeline.csv after what `sink` holds (the header), on
 * `threads` threads. */
int tl_par_merge(spy_timeline *t, tl_src *src, size_t n, tl_sink *sink, unsigned threads);
/* Waits until the ranges before s->range are written, then writes the
 * range from there on; false on an error elsewhere (then it must not). */
bool tl_par_wait_turn(tl_sink *s);

/* ---- timeline.c ------------------------------------------------------- */

/* Keeps the first error (logged once) and returns it. e: an errno or 0. */
int tl_fail(spy_timeline *t, int rc, const char *what, int e);

static inline int tl_err(spy_timeline *t)
{
    return __atomic_load_n(&t->err, __ATOMIC_SEQ_CST);
}

#endif
