/* Evidence SQLite access: every evidence database is opened through the
 * read-only VFS "spyscan-evidence" (design.md §3, docs/formats/evidence-vfs.md).
 *
 * - The database and its -wal are read through a spy_evsrc (a plain file, a
 *   memory buffer, a backup blob, later an AES-CBC decrypting layer), so WAL
 *   content is visible and nothing is ever written beside the evidence.
 * - Everything SQLite wants to write (wal-index, journals, temp files) lives
 *   in heap memory owned by the connection.
 * - Every connection gets SQLite's defensive settings for untrusted files.
 *
 * Owner rules: spy_evdb_open() takes ownership of its sources (also on
 * failure); a connection from spy_evdb_open*() is closed with spy_evdb_close().
 * A connection is used by one thread at a time; opening is thread-safe. */
#ifndef SPY_EVFS_H
#define SPY_EVFS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPY_EVFS_NAME "spyscan-evidence"

/* A random-access byte source of logical (plaintext) size `size`.
 * read() serves n bytes at any offset: *got < n only at EOF; returns a
 * spy_err code (SPY_OK, SPY_EIO...). Reads must not depend on earlier reads:
 * SQLite reads pages in any order, so a decrypting layer serves a read by
 * fetching the covering ciphertext blocks plus the one before (AES-CBC
 * decrypts block i from ciphertext blocks i-1 and i, IV for block 0).
 * release() frees ud (may be NULL). A source may be read from one thread at
 * a time. */
typedef struct spy_evsrc {
    void *ud;
    int (*read)(void *ud, void *buf, size_t n, uint64_t off, size_t *got);
    uint64_t size;
    void (*release)(void *ud);
} spy_evsrc;

/* A file opened O_RDONLY|O_CLOEXEC|O_NOFOLLOW (and O_NOATIME where allowed,
 * so reading does not even change the access time); must be a regular file.
 * SPY_ENOTFOUND when absent, SPY_EIO otherwise. */
int spy_evsrc_from_path(spy_evsrc *out, const char *path);
/* An open file descriptor (e.g. from openat() inside a backup folder);
 * takes ownership of fd: it is closed on failure and when the source is
 * released. Must be a regular file (SPY_EIO otherwise). The size is taken
 * once, at this call. */
int spy_evsrc_from_fd(spy_evsrc *out, int fd);
/* A borrowed buffer: it must outlive the source. */
int spy_evsrc_from_mem(spy_evsrc *out, const void *data, size_t len);
/* An owned buffer (from spy_xmalloc): freed when the source is released. */
int spy_evsrc_from_mem_owned(spy_evsrc *out, void *data, size_t len);
/* Releases a source that was not handed to spy_evdb_open(); zeroes it. */
void spy_evsrc_release(spy_evsrc *src);
/* Reads exactly n bytes at off; SPY_ETRUNCATED if the source ends first. */
int spy_evsrc_pread(const spy_evsrc *src, void *buf, size_t n, uint64_t off);

/* Registers the VFS (idempotent, thread-safe); spy_evdb_open* call it. */
int spy_evfs_register(void);

/* Options of spy_evdb_open_ex(). */
enum {
    /* Allow views from the evidence schema (off by default: a view is code
     * chosen by whoever wrote the file). */
    SPY_EVDB_ALLOW_VIEWS = 1u << 0,
    /* Do not set locking_mode=EXCLUSIVE: the wal-index then lives in the
     * VFS's in-memory shared memory (xShmMap) instead of SQLite's heap.
     * Both work; tests and fuzzing use this to exercise the shm path. */
    SPY_EVDB_SHARED_SHM = 1u << 1
};

/* Opens a database read through `db` and, if non-NULL, its write-ahead log
 * `wal`. `label` names the evidence in messages (e.g.
 * "HomeDomain/Library/SMS/sms.db"). Takes ownership of both sources, also
 * on failure (then *out is NULL). Opening does not read the file yet: call
 * spy_evdb_check() to grade it. */
int spy_evdb_open(sqlite3 **out, const char *label, spy_evsrc *db, spy_evsrc *wal);
int spy_evdb_open_ex(sqlite3 **out, const char *label, spy_evsrc *db, spy_evsrc *wal,
                     unsigned flags);
/* A database file and "<path>-wal" beside it when that exists. A -journal
 * or -shm beside it is ignored (a hot journal cannot be rolled back without
 * changing the evidence; the wal-index is rebuilt from the -wal). */
int spy_evdb_open_path(sqlite3 **out, const char *path);
/* Closes a connection from spy_evdb_open*() (NULL is fine). Unfinalized
 * statements keep it alive until they are finalized (sqlite3_close_v2). */
void spy_evdb_close(sqlite3 *db);
/* The label given at open time ("" for a connection not opened here). */
const char *spy_evdb_label(sqlite3 *db);

/* Reads the first n bytes of the connection's database source (header
 * checks, hashing); *got < n when the source is shorter; *size (optional)
 * gets the source's logical size. */
int spy_evdb_peek(sqlite3 *db, void *buf, size_t n, size_t *got, uint64_t *size);

/* Graded outcome of a whole database (design.md §3). */
typedef enum spy_evdb_status {
    SPY_EVDB_OK = 0,
    SPY_EVDB_EMPTY,      /* 0 bytes: SQLite would treat it as a new, empty db */
    SPY_EVDB_TRUNCATED,  /* shorter than the 100-byte header */
    SPY_EVDB_ENCRYPTED,  /* no "SQLite format 3\0" header, bytes look random */
    SPY_EVDB_NOT_SQLITE, /* no header, not random either */
    SPY_EVDB_MALFORMED   /* header fine, PRAGMA quick_check fails */
} spy_evdb_status;

/* Grades a connection from spy_evdb_open*(): reads the header through the
 * source and runs PRAGMA quick_check (O(file size); skip it with
 * run_quick_check=false to check only the header and the schema). Returns SPY_OK or
 * SPY_EFORMAT; *st (optional) gets the grade and *why (optional, free())
 * a sentence such as "file is not a database: header is not \"SQLite format
 * 3\\0\" and the bytes look random (encrypted?)". Never repairs anything. */
int spy_evdb_check(sqlite3 *db, bool run_quick_check, spy_evdb_status *st, char **why);
const char *spy_evdb_status_str(spy_evdb_status st);

/* Graded row scan: tells "rows skipped" (the scan hit a damaged page after
 * some rows: the rest of the table is lost) from "table unreadable" (the
 * statement failed before the first row). */
typedef enum spy_evscan_grade {
    SPY_EVSCAN_COMPLETE = 0,
    SPY_EVSCAN_ROWS_SKIPPED,
    SPY_EVSCAN_UNREADABLE
} spy_evscan_grade;

typedef struct spy_evscan {
    sqlite3_stmt *stmt;     /* bind parameters after prepare; read columns per row */
    uint64_t rows;          /* rows returned so far */
    spy_evscan_grade grade; /* final once spy_evscan_step() returned false */
    int sqlite_rc;          /* extended code of the failure, or SQLITE_OK/DONE */
    char *why;              /* message of the failure (heap), or NULL */
} spy_evscan;

/* Prepares sql. On failure (no such table, corrupt schema, ...) returns
 * SPY_EFORMAT with grade UNREADABLE and why set; spy_evscan_finish() is
 * needed in every case. */
int spy_evscan_prepare(spy_evscan *s, sqlite3 *db, const char *sql);
/* true: a row is ready in s->stmt. false: done; read s->grade. */
bool spy_evscan_step(spy_evscan *s);
void spy_evscan_finish(spy_evscan *s);
const char *spy_evscan_grade_str(spy_evscan_grade g);

#endif
