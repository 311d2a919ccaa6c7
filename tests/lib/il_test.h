/* What the intrusion-log module tests share (tests/unit/test_android_
 * {dns,connect,security}_event.c): a folder of NDJSON .txt files as
 * Android 16 exports them, a check-intrusion-logs run of one module, and
 * the lines it wrote to command.log. */
#ifndef SPY_IL_TEST_H
#define SPY_IL_TEST_H

#include "aqf_test.h"

/* <root>/intrusion_logs/<name> holding text. Returns the folder (free()). */
char *it_logs(const char *root, const char *name, const char *text);
/* check-intrusion-logs with only module m on dir (stix NULL: none). */
void it_run(const spy_module *m, const char *dir, const char *stix, mh_result *r);
/* The same on a fresh folder holding only text as one .txt file. */
void it_run_text(const spy_module *m, const char *text, const char *stix, mh_result *r);
/* How many lines of the run's command.log contain needle. */
size_t it_log_count(const mh_result *r, const char *needle);
/* The offset in command.log of the first line containing needle (fails
 * when there is none): log lines can be asserted in order. */
size_t it_log_pos(const mh_result *r, const char *needle);
/* check-iocs with stix on what run(NULL) saved finds the alerts run(stix)
 * raised, n_alerts of them, with the same exit code. */
void it_recheck_same(const spy_module *m, void (*run)(const char *stix, mh_result *r),
                     const char *stix, size_t n_alerts);

#endif
