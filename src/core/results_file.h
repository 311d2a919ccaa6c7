/* <slug>.json: a module's records streamed into the output folder as they
 * are emitted (memory flat in the number of records). Created only when the
 * first record arrives, as MVT writes no file for empty results. */
#ifndef SPY_RESULTS_FILE_H
#define SPY_RESULTS_FILE_H

#include "core/flat.h"
#include "core/outdir.h"

#include <jansson.h>

typedef struct spy_results_file spy_results_file;

/* mapping: the module's result is one JSON object (spec/outputs.md §3.1),
 * passed as the single record; otherwise records form an array. */
spy_results_file *spy_results_file_new(spy_outdir *d, const char *slug, bool mapping);
int spy_results_file_add(spy_results_file *r, const json_t *record);
/* The same for a flat record (written as its jansson form would be). */
int spy_results_file_add_flat(spy_results_file *r, const spy_flat *record);
size_t spy_results_file_count(const spy_results_file *r);
/* Commits the file (when any record was added); frees r. */
int spy_results_file_close(spy_results_file *r);
/* Drops the partial file; frees r. */
void spy_results_file_abort(spy_results_file *r);

#endif
