/* What most artifact modules share: finding and opening their database
 * through the acquisition, turning rows into records, and grading scans
 * (design.md §3: rows skipped / table unreadable / file unreadable). */
#ifndef SPY_MODULE_KIT_H
#define SPY_MODULE_KIT_H

#include "core/evfs.h"
#include "core/module.h"

#include <jansson.h>
#include <sqlite3.h>

/* The first artifact matching q, opened through the evidence VFS with its
 * -wal. SPY_ENOTFOUND (logged at info, "not found") when the acquisition
 * has none; SPY_EFORMAT (logged as an error naming the file and why) when
 * it is not a readable database. *label (optional, free()) names it. */
int spy_kit_open_db(spy_mod_ctx *ctx, const spy_query *q, sqlite3 **db, char **label);

/* Every artifact matching q (spec/ios.md §1.4 "Beyond MVT": all app
 * containers, all profiles...), each opened and handed to fn. A database
 * that cannot be opened is reported and skipped; SPY_ENOTFOUND when none
 * matched, else the first error fn returned. */
typedef int (*spy_kit_db_fn)(spy_mod_ctx *ctx, sqlite3 *db, const spy_artifact *art, void *ud);
int spy_kit_foreach_db(spy_mod_ctx *ctx, const spy_query *q, spy_kit_db_fn fn, void *ud);

/* A column as JSON: NULL → null, INTEGER → integer, FLOAT → real, TEXT and
 * BLOB → string of the raw bytes (the emitter writes invalid UTF-8 as
 * \xNN, as MVT's encoder does for bytes). */
json_t *spy_kit_col(sqlite3_stmt *st, int col);
/* All columns of the current row, keyed by column name, in column order. */
json_t *spy_kit_row(sqlite3_stmt *st);

/* After a spy_evscan loop: ROWS_SKIPPED is counted (spy_skipped) and the
 * module goes on (SPY_OK); UNREADABLE is reported and returns SPY_EFORMAT. */
int spy_kit_scan_done(spy_mod_ctx *ctx, const spy_evscan *s, const char *label);

/* Does the database have this table / this column? (schema variants by OS
 * version, spec/ios.md §1.5) */
bool spy_kit_has_table(sqlite3 *db, const char *table);
bool spy_kit_has_column(sqlite3 *db, const char *table, const char *column);

/* Convenience getters on records (NULL / 0 when absent or of another type). */
const char *spy_kit_str(const json_t *rec, const char *key);
json_int_t spy_kit_int(const json_t *rec, const char *key);

/* parts[0..n) (NULL is "", n <= SPY_KIT_JOIN_MAX) one after the other,
 * NUL-terminated: in buf (cap bytes) when they fit, else in *heap, which
 * the caller frees; *len is the text's length. For timeline descriptions built for every row of
 * a large artifact, where asprintf cost more than the row. */
#define SPY_KIT_JOIN_MAX 8
const char *spy_kit_join(char *buf, size_t cap, char **heap, size_t *len, const char *const *parts,
                         size_t n);

#endif
