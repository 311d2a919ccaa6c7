/* An acquisition: what a check command was pointed at. Modules never build
 * paths; they ask the acquisition for artifacts by backup domain and
 * relative path, fixed backup fileID, or filesystem glob (design.md §2), and
 * get a SQLite handle (through the evidence VFS) or bounded bytes. Each
 * reader of src/acquire/ implements the ops. */
#ifndef SPY_ACQ_H
#define SPY_ACQ_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum spy_acq_kind {
    SPY_ACQ_IOS_BACKUP = 1u << 0,
    SPY_ACQ_IOS_FS = 1u << 1,
    SPY_ACQ_IOS_SYSDIAGNOSE = 1u << 2,
    SPY_ACQ_ANDROID_BUGREPORT = 1u << 3,
    SPY_ACQ_ANDROIDQF = 1u << 4,
    SPY_ACQ_ANDROID_BACKUP = 1u << 5,
    SPY_ACQ_ANDROID_INTRUSION_LOGS = 1u << 6,
    SPY_ACQ_TEST = 1u << 15 /* the test suite's own acquisitions */
} spy_acq_kind;

#define SPY_ACQ_IOS_ANY (SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS | SPY_ACQ_IOS_SYSDIAGNOSE)

/* One file (or folder) of an acquisition. */
typedef struct spy_artifact {
    char *domain;  /* backup domain; NULL elsewhere */
    char *path;    /* backup relativePath, or the path under the acquisition root */
    char *file_id; /* backup fileID (40 lowercase hex); NULL elsewhere */
    int flags;     /* backup Files.flags (1 file, 2 folder, 4 link); 0 elsewhere */
    char *label;   /* how messages name it: "<domain>/<path>" or "<path>" */
    /* Android members: modification time as a naive local ISO time (ZIP
     * DOS time, or a folder file's mtime in the analyst's time zone,
     * spec/android.md §1.1); NULL when unknown or not applicable. */
    char *mtime;
} spy_artifact;

typedef struct spy_artifacts {
    spy_artifact *v;
    size_t n, cap;
} spy_artifacts;

void spy_artifacts_add(spy_artifacts *l, const char *domain, const char *path, const char *file_id,
                       int flags);
void spy_artifacts_free(spy_artifacts *l);

/* What a module looks for; the fields that apply to the acquisition's kind
 * are used, the others ignored (spec/ios.md §1.4). */
typedef struct spy_query {
    const char *const *file_ids; /* backup: fixed fileIDs, tried first (NULL-terminated) */
    const char *domain;          /* backup: exact domain, NULL for any */
    const char *path;            /* backup: relativePath; '*' matches any run of characters */
    const char *const *globs;    /* filesystem: globs under the root (NULL-terminated) */
    bool first_only;             /* single-database modules: stop at the first match */
} spy_query;

typedef struct spy_acq spy_acq;

/* A member read in pieces (acquire/stream.h), so a file of hundreds of MB
 * never has to sit in memory whole. */
typedef struct spy_stream spy_stream;

typedef struct spy_acq_ops {
    int (*find)(const spy_acq *a, const spy_query *q, spy_artifacts *out);
    /* The database and its -wal, read through the evidence VFS. */
    int (*open_db)(const spy_acq *a, const spy_artifact *art, sqlite3 **db);
    /* The whole content, at most max bytes (SPY_ELIMIT beyond). */
    int (*read)(const spy_acq *a, const spy_artifact *art, size_t max, void **buf, size_t *len);
    void (*close)(spy_acq *a);
    /* Optional: the content as a stream, at most max bytes (SPY_ELIMIT,
     * logged, beyond). Without it spy_acq_open_stream serves ->read's
     * buffer from memory. */
    int (*open_stream)(const spy_acq *a, const spy_artifact *art, uint64_t max, spy_stream **s);
} spy_acq_ops;

struct spy_acq {
    spy_acq_kind kind;
    const char *path; /* as given on the command line */
    void *impl;       /* the reader's own state */
    const spy_acq_ops *ops;
};

/* Artifacts matching q: SPY_OK with out->n possibly 0; an error when the
 * acquisition could not be searched. */
int spy_acq_find(const spy_acq *a, const spy_query *q, spy_artifacts *out);
int spy_acq_open_db(const spy_acq *a, const spy_artifact *art, sqlite3 **db);
int spy_acq_read(const spy_acq *a, const spy_artifact *art, size_t max, void **buf, size_t *len);
void spy_acq_close(spy_acq *a);

/* The artifact's content as a stream (spy_stream_close() it before the
 * acquisition is closed). Errors are logged by the reader, as for read. */
int spy_acq_open_stream(const spy_acq *a, const spy_artifact *art, uint64_t max, spy_stream **s);
/* Up to cap bytes into buf: SPY_OK with *got > 0, or *got == 0 at the end
 * (fewer than cap bytes does not mean the end). An error is logged by the
 * reader once and returned again by every later read. */
int spy_stream_read(spy_stream *s, void *buf, size_t cap, size_t *got);
void spy_stream_close(spy_stream *s);
/* A stream over len bytes at buf; owned buffers are free()d at close. */
spy_stream *spy_stream_mem(void *buf, size_t len, bool owned);

#endif
