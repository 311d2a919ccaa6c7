/* The end-of-run report on the terminal: a table of modules (records,
 * alerts by level, failures, time), the alert counts of MVT's ALERTS panel,
 * and the closing note. */
#ifndef SPY_SUMMARY_H
#define SPY_SUMMARY_H

#include "core/run.h"

#include <stdio.h>

void spy_summary_print(FILE *f, const spy_run *r, size_t n_jobs, const char *output_path);
/* The same with a command's own note after the alert counts (MVT's NOTE
 * panel of check-androidqf); note may be NULL. */
void spy_summary_print_note(FILE *f, const spy_run *r, size_t n_jobs, const char *output_path,
                            const char *note);

/* One line per completed module on standard error: "[ 3/19] SafariHistory
 * ok, 120 records, 1 alert (2 CRITICAL), 0.05 s" (spy_run.progress). */
void spy_summary_progress(const spy_mod_stats *s, size_t index, size_t n_jobs);

#endif
