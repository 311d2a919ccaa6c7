/* The run loop (design.md §2, §6): executes modules on a small thread pool
 * and writes their output in module order whatever the scheduling. */
#ifndef SPY_RUN_H
#define SPY_RUN_H

#include "core/module.h"
#include "core/outdir.h"
#include "core/writers.h"

typedef enum spy_mod_status {
    SPY_MODST_OK = 0,
    SPY_MODST_ABSENT, /* artifact not in this acquisition */
    SPY_MODST_FAILED, /* could not be read; reported, the others went on */
    SPY_MODST_FAST    /* skipped by --fast */
} spy_mod_status;

typedef struct spy_mod_stats {
    const spy_module *module;
    spy_mod_status status;
    int err;
    size_t records;
    size_t skipped;   /* rows/entries that could not be read */
    size_t alerts[5]; /* by spy_level_index */
    size_t ioc_matches;
    double seconds;
} spy_mod_stats;

/* Where a job's records come from: the module's own run(), or a feeder
 * (check-iocs reading a saved <slug>.json) that calls spy_emit(). */
typedef int (*spy_feed_fn)(spy_mod_ctx *ctx, void *ud);

typedef struct spy_job {
    const spy_module *module;
    spy_feed_fn feed; /* NULL: module->run */
    void *feed_ud;
    const spy_acq *acq; /* NULL: the run's acquisition (else a nested one) */
} spy_job;

typedef struct spy_run {
    /* inputs */
    const spy_acq *acq;
    const spy_iocs *iocs;   /* a set with no indicator counts as none */
    spy_outdir *out;        /* NULL: nothing is written */
    spy_timeline *timeline; /* NULL: no timeline */
    spy_urls *urls;         /* NULL: no urls.json */
    bool write_results;     /* <slug>.json files (off for check-iocs) */
    bool fast;
    unsigned threads; /* 0: a default from the machine */
    /* Called on the calling thread as each module completes, in module
     * order (progress lines); may be NULL. */
    void (*progress)(const spy_mod_stats *s, size_t index, size_t n_jobs);
    /* outputs */
    spy_mod_stats *stats;  /* one per job */
    spy_alert_list alerts; /* every alert, in module order */
} spy_run;

/* Runs the jobs; fills r->stats (allocated here) and r->alerts. Returns
 * SPY_OK unless an output file could not be written. */
int spy_run_jobs(spy_run *r, const spy_job *jobs, size_t n_jobs);
void spy_run_free(spy_run *r);

/* design.md §5: 0 clean, 1 findings, +4 when a module failed. */
int spy_run_exit_code(const spy_run *r, size_t n_jobs);
bool spy_run_has_findings(const spy_run *r);

#endif
