/* Column renderings the iOS modules share beyond spy_kit_col(): MVT keeps
 * BLOB columns as base64 text and converts date columns to ISO text as it
 * reads them (spec/ios.md §1.1, §5). */
#ifndef SPY_MOD_COLS_H
#define SPY_MOD_COLS_H

#include "core/timeconv.h"

#include <jansson.h>
#include <sqlite3.h>

/* A BLOB (or TEXT) column as base64 text; null when NULL. */
json_t *spy_col_b64(sqlite3_stmt *st, int col);

/* All columns of the current row keyed by name, in column order, as
 * spy_kit_col() renders them, except the named BLOB columns (NULL-
 * terminated list), which MVT stores as base64. */
json_t *spy_row_b64(sqlite3_stmt *st, const char *const *b64_cols);

/* A date column as a JSON string (spy_iso_json): "" for NULL, text, 0 and
 * out-of-range values. */
json_t *spy_col_iso(sqlite3_stmt *st, int col, spy_epoch e);

#endif
