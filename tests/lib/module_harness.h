/* Runs modules end to end for their tests: a real session (indicators,
 * output folder, run loop, writers) on a fixture acquisition, with the
 * outputs parsed back for exact assertions. */
#ifndef SPY_MODULE_HARNESS_H
#define SPY_MODULE_HARNESS_H

#include "core/module.h"
#include "core/session.h"

#include <jansson.h>

typedef struct mh_result {
    char *out_dir; /* the output folder (removed by mh_result_free) */
    int exit_code;
    json_t *records;  /* <slug>.json (NULL when the module wrote none) */
    json_t *alerts;   /* <slug>_detected.json, or an empty array */
    json_t *timeline; /* timeline.csv rows as [timestamp, plugin, event, description] */
    json_t *urls;     /* urls.json, or an empty array */
} mh_result;

/* A STIX2 bundle (malware "TestMalware") with one indicator per pattern,
 * e.g. "[domain-name:value='example.org']"; NULL-terminated. free(). */
char *mh_stix(const char *const *patterns);

/* Runs `modules` (NULL-terminated) as `cmd` would on input, with the
 * bundle text stix (NULL: no indicators); outputs of module `slug` parsed
 * into *r. The session's console output is silenced. */
void mh_run(const spy_check_cmd *cmd, const spy_module *const *modules, const char *input,
            const char *stix, const char *slug, mh_result *r);
/* Same for one module on an iOS backup folder. */
void mh_run_backup(const spy_module *m, const char *backup_dir, const char *stix, mh_result *r);
/* check-iocs of a saved results folder with the bundle stix. */
void mh_check_iocs(const spy_check_cmd *cmd, const spy_module *const *modules,
                   const char *saved_dir, const char *stix, const char *slug, mh_result *r);
void mh_result_free(mh_result *r);

/* The n-th alert's field, or NULL. */
const char *mh_alert_str(const mh_result *r, size_t i, const char *key);
/* Parses a CSV file in MVT's dialect into an array of arrays of strings. */
json_t *mh_read_csv(const char *path);

#endif
