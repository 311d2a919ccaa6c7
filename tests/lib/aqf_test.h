/* What the AndroidQF module tests share (tests/unit/test_android_aqf_*.c
 * and the other AndroidQF modules): an acquisition folder holding given
 * members, a check-androidqf run of one module, and the check-iocs re-run. */
#ifndef SPY_AQF_TEST_H
#define SPY_AQF_TEST_H

#include "module_test.h"

#include "android_fixture.h"

/* <root>/<AF_QF_UUID> holding the (relpath, text) pairs of files
 * (NULL-terminated). Returns the folder (free()). */
char *at_qf(const char *root, const char *const *files);
/* check-androidqf with only module m on dir (stix NULL: no indicators). */
void at_run(const spy_module *m, const char *dir, const char *stix, mh_result *r);
/* android check-iocs with only module m on a saved results folder. */
void at_recheck(const spy_module *m, const char *saved_dir, const char *stix, mh_result *r);
/* The i-th alert's level / message (fails when absent). */
void at_alert(const mh_result *r, size_t i, const char *level, const char *message);

#endif
