/* SecurityEvent timeline rows (spec/android.md §4.25). */
#ifndef SPY_SECURITY_EVENT_TEXT_H
#define SPY_SECURITY_EVENT_TEXT_H

#include <jansson.h>

/* The row of one record: *event = its tag ("unknown" without one; points
 * into record or is static), returns the description (free()). */
char *spy_se_describe(const json_t *record, const char **event);

#endif
