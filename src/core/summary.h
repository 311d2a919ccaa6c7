/* The end-of-run report on the terminal: a table of modules (records,
 * alerts by level, failures, time), the alert counts of MVT's ALERTS panel,
 * and the closing note. */
#ifndef SPY_SUMMARY_H
#define SPY_SUMMARY_H

#include "core/run.h"

#include <stdio.h>

void spy_summary_print(FILE *f, const spy_run *r, size_t n_jobs, const char *output_path);

#endif
