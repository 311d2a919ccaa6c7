/* Shared by the files of the intrusion-log reader (intrusion_logs.h): the
 * NDJSON line parser (fuzzed on its own) and the walk over folders and ZIPs
 * that feeds it. */
#ifndef SPY_INTRUSION_LOGS_INTERNAL_H
#define SPY_INTRUSION_LOGS_INTERNAL_H

#include "acquire/acq.h"
#include "core/tzconv.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IL_LOGGER "spyscan.acquire.intrusion_logs"

/* Ceilings of this reader (the Android ones of core/limits.h apply to the
 * ZIPs themselves): one text file, one ZIP held in memory, ZIPs in ZIPs. */
#define IL_MAX_TEXT_BYTES (1024u * 1024u * 1024u)
#define IL_MAX_ZIP_BYTES  (512u * 1024u * 1024u)
#define IL_MAX_ZIP_DEPTH  4u

/* A growing byte buffer, kept NUL-terminated. */
typedef struct il_buf {
    char *s;
    size_t len, cap;
} il_buf;

void il_buf_put(il_buf *b, const void *data, size_t n);

/* One kept event in the set of seen ones (intrusion_logs_seen.c). */
typedef struct il_seen_slot {
    uint64_t hash;       /* of the event's fingerprint */
    const json_t *event; /* borrowed from its bucket; NULL: empty slot */
} il_seen_slot;

/* What the parse keeps: the buckets and the counts MVT logs. */
typedef struct il_parse {
    json_t *buckets; /* type -> array of event objects, in first-seen order */
    il_seen_slot *seen;
    size_t seen_n, seen_cap;
    il_seen_slot *shared; /* values shared by the kept events */
    size_t shared_n, shared_cap;
    size_t files, lines, skipped, duplicates;
    il_buf fp, fp2; /* fingerprint buffers, reused */
} il_parse;

void il_parse_init(il_parse *p);
void il_parse_free(il_parse *p);
/* One file's text (name: how warnings cite it). Invalid UTF-8 is dropped in
 * place first (text must be writable); lines split as Python's
 * str.splitlines() does, trimmed as str.strip(). */
void il_parse_text(il_parse *p, const char *name, char *text, size_t len);
/* The same for a file read as a stream, through a buffer as long as its
 * longest line: SPY_OK, or the stream's error (logged by the reader; the
 * lines before it are kept). */
int il_parse_stream(il_parse *p, const char *name, spy_stream *st);
/* One trimmed line (not NUL-terminated) of file name, line number lineno. */
void il_parse_line(il_parse *p, const char *name, size_t lineno, const char *s, size_t n);
/* MVT's summary lines: duplicates, totals, unknown top-level types. */
void il_parse_report(const il_parse *p);
/* Whether value is new (then remembered; the caller keeps it alive) or
 * equal, as MVT's sorted-key JSON text compares, to one already added. */
bool il_seen_add(il_parse *p, const json_t *value);
/* Replaces the strings and small integers inside a kept event by equal
 * ones already kept (intrusion_logs_intern.c): less memory, same events. */
void il_share_values(il_parse *p, json_t *v);

typedef enum il_mode { IL_FOLDER, IL_ZIP, IL_NESTED } il_mode;

typedef struct il_acq {
    il_mode mode;
    char *label;             /* the input path, or the parent's for nested */
    spy_tz *tz;              /* NULL: UTC */
    int dirfd;               /* IL_FOLDER */
    struct android_acq *zip; /* IL_ZIP: the listed archive */
    spy_acq parent;          /* IL_NESTED: the AndroidQF acquisition (borrowed) */
    spy_artifacts members;   /* IL_NESTED: its intrusion_logs/ files */
    int err;                 /* of the parse, done when the acquisition opened */
    il_parse parse;
    json_t *empty; /* the bucket of a type never seen */
} il_acq;

/* Reads every log file of the acquisition into the parse (once, while it
 * opens). SPY_OK, or an error when nothing could be read. */
int il_collect(il_acq *a);

/* Whether name ends with ext (".txt", ".zip"), ignoring case. */
bool il_has_ext(const char *name, const char *ext);

#endif
