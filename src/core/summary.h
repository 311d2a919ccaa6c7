/* The end-of-run report on the terminal: a table of modules (records,
 * alerts by level, failures, time), the alert counts of MVT's ALERTS panel,
 * and the closing note. */
#ifndef SPY_SUMMARY_H
#define SPY_SUMMARY_H

#include "core/run.h"

#include <stdio.h>

void spy_summary_print(FILE *f, const spy_run *r, size_t n_jobs, const char *output_path);

/* One line per completed module on standard error: "[ 3/19] SafariHistory
 * ok, 120 records, 1 alert (2 CRITICAL), 0.05 s" (spy_run.progress). */
void spy_summary_progress(const spy_mod_stats *s, size_t index, size_t n_jobs);

#endif
