/* The run-level output files of spec/outputs.md §3 (alerts.json,
 * <slug>_detected.json, alerts_timeline.csv, timeline.csv, urls.json,
 * info.json). Module result files (<slug>.json) use results_file.h. */
#ifndef SPY_WRITERS_H
#define SPY_WRITERS_H

#include "core/alert.h"
#include "core/json_emit.h"
#include "core/outdir.h"

#include <stdbool.h>
#include <stddef.h>

/* Writes <name> atomically as one JSON document (indent 4) produced by
 * emit(w, ctx); logs any failure once, naming the file. */
typedef int (*spy_json_emit_fn)(spy_jw *w, void *ctx);
int spy_write_json_file(spy_outdir *d, const char *name, spy_json_emit_fn emit, void *ctx);

/* alerts.json or <slug>_detected.json: the array of §3.2. */
int spy_alerts_write_json(spy_outdir *d, const char *file_name, const spy_alert *alerts, size_t n);
/* alerts_timeline.csv (always written; header only when no timed alert).
 * The Event column is the event as compact JSON (design.md §1). */
int spy_alerts_write_timeline_csv(spy_outdir *d, const spy_alert *alerts, size_t n);

/* timeline.csv, sorted by (timestamp, plugin, event, description), exact
 * duplicate rows dropped; memory bounded by spilling sorted runs into the
 * output folder's scratch space. spy_timeline_add is thread-safe. */
typedef struct spy_timeline spy_timeline;
int spy_timeline_new(spy_timeline **out, spy_outdir *d, bool android);
int spy_timeline_add(spy_timeline *t, const char *timestamp, const char *plugin, const char *event,
                     const char *description);
size_t spy_timeline_rows(const spy_timeline *t);
/* A module's rows staged without the lock and handed to the timeline in
 * batches (one thread per batch object). _free flushes what is left. */
typedef struct spy_timeline_batch spy_timeline_batch;
spy_timeline_batch *spy_timeline_batch_new(spy_timeline *t);
int spy_timeline_batch_add(spy_timeline_batch *b, const char *timestamp, const char *plugin,
                           const char *event, const char *description);
/* The same with the fields (timestamp, plugin, event, description; NULL is
 * "") and their lengths known: a large check adds a million rows. */
int spy_timeline_batch_add_n(spy_timeline_batch *b, const char *const f[4], const size_t len[4]);
int spy_timeline_batch_flush(spy_timeline_batch *b);
int spy_timeline_batch_free(spy_timeline_batch *b);
/* Writes timeline.csv when at least one row was added. */
int spy_timeline_write(spy_timeline *t);
void spy_timeline_free(spy_timeline *t);
/* Tests and benchmarks: spill sorted runs once this many bytes of rows are
 * held (default SPY_TIMELINE_RUN_BYTES). Call before adding rows. */
int spy_timeline_set_run_bytes(spy_timeline *t, size_t bytes);
/* Threads for the final merge of a large timeline (the run's -j; 0: one
 * per core). The file is the same whatever the count. */
void spy_timeline_set_threads(spy_timeline *t, unsigned threads);

/* urls.json: per-module sinks written in module order (design.md §6).
 * Each module index is used by one thread at a time. */
typedef struct spy_urls spy_urls;
int spy_urls_new(spy_urls **out, spy_outdir *d, size_t n_modules);
int spy_urls_add(spy_urls *u, size_t module_index, const char *url, const char *expanded_url,
                 const char *timestamp, const char *source);
size_t spy_urls_count(const spy_urls *u);
int spy_urls_write(spy_urls *u); /* urls.json when at least one URL */
void spy_urls_free(spy_urls *u);

/* info.json (spec/outputs.md §3.5, design.md §6). */
typedef struct spy_hash_entry {
    char *file_path;
    char sha256[65];
} spy_hash_entry;

/* SHA-256 of a file, or of every regular file under a folder (paths joined
 * as MVT does), on up to `threads` threads; sorted by path. */
int spy_hash_inputs(const char *path, unsigned threads, spy_hash_entry **out, size_t *n);
void spy_hash_entries_free(spy_hash_entry *e, size_t n);

typedef struct spy_info {
    const char *target_path;
    const char *version;
    const char *date;
    const char *const *ioc_files;
    const char *const *ioc_files_sha256;
    size_t n_ioc_files;
    const spy_hash_entry *hashes;
    size_t n_hashes;
} spy_info;
int spy_info_write(spy_outdir *d, const spy_info *info);

/* Formats a CSV row in MVT's dialect (every field quoted, '"' doubled,
 * '\\' escaped as "\\\\", rows end "\r\n") onto a growing buffer. */
typedef struct spy_buf {
    char *p;
    size_t len, cap;
} spy_buf;
void spy_buf_put(spy_buf *b, const char *s, size_t n);
void spy_buf_free(spy_buf *b);
void spy_csv_row(spy_buf *b, const char *const *fields, size_t n);
/* The same for a row whose fields are packed one after the other, each
 * NUL-terminated (size bytes, the last one a NUL; size 0 writes nothing).
 * out must hold 2 * size + n_fields + 1 bytes; returns the bytes written. */
size_t spy_csv_packed_row(char *out, const char *packed, size_t size);

#endif
