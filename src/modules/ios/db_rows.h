/* The scan most iOS modules run: every row of one query becomes one record
 * that is emitted, and the scan is graded (design.md §3: rows skipped /
 * table unreadable). Kept in one place so every module grades alike. */
#ifndef SPY_MOD_DB_ROWS_H
#define SPY_MOD_DB_ROWS_H

#include "modules/module_kit.h"

/* The record of the current row (a new reference); ctx for modules that
 * note more than the record (urls.json). */
typedef json_t *(*spy_row_fn)(spy_mod_ctx *ctx, sqlite3_stmt *st);

/* Emits fn's record for every row of sql in db. When sql cannot be
 * prepared because one of `tables` (NULL-terminated; NULL: none) is
 * missing, that is logged at info and is no failure: MVT logs "no such
 * table" and produces nothing. label names db in messages. */
int spy_rows_emit(spy_mod_ctx *ctx, sqlite3 *db, const char *label, const char *sql,
                  const char *const *tables, spy_row_fn fn);
/* The same on the first database matching q, opened and closed here. */
int spy_rows_emit_db(spy_mod_ctx *ctx, const spy_query *q, const char *sql,
                     const char *const *tables, spy_row_fn fn);

#endif
