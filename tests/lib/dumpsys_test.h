/* What the dumpsys module tests share (tests/unit/test_android_dumpsys_*.c,
 * test_android_dbinfo.c): a bug report folder whose dumpstate holds one
 * section, a check-bugreport run of one module, the check-iocs re-run, and
 * exact alert assertions. */
#ifndef SPY_DUMPSYS_TEST_H
#define SPY_DUMPSYS_TEST_H

#include "module_test.h"

#include "android_fixture.h"

/* check-bugreport with only module m on a bug report whose dumpstate holds
 * "DUMP OF SERVICE <service>:" with body (stix NULL: no indicators). The
 * report folder lives under root (tu_mkdtemp()). */
void dt_run(const spy_module *m, const char *root, const char *service, const char *body,
            const char *stix, mh_result *r);
/* The same on a bug report with no dumpstate file at all. */
void dt_run_no_dumpstate(const spy_module *m, const char *root, mh_result *r);
/* android check-iocs with only module m on a saved results folder. */
void dt_recheck(const spy_module *m, const char *saved_dir, const char *stix, mh_result *r);
/* android check-iocs with only module m on the output of a run without
 * indicators (saved_dir) finds exactly the alerts of the run `with` that had
 * them, and ends with exit 1. */
void dt_recheck_same(const spy_module *m, const char *saved_dir, const char *stix,
                     const mh_result *with);
/* A parser callback appending each record to the JSON array ud. */
int dt_collect(json_t *record, void *array);
/* The i-th alert has this level, event time and message (fails when absent). */
void dt_alert(const mh_result *r, size_t i, const char *level, const char *event_time,
              const char *message);
/* The i-th alert is an app-id match of indicator `value`. */
void dt_app_alert(const mh_result *r, size_t i, const char *value);
/* v equals tests/fixtures/android/<slug>/<file> (JSON): same values, same
 * key order; the first differing element is named on failure. */
void dt_expect(const json_t *v, const char *slug, const char *file);
/* text with every "\n" turned into "\r\n" (free()). */
char *dt_crlf(const char *text);

#endif
