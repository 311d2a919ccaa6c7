/* Small helpers shared by the Manifest, Datausage, TCC, Calls, Contacts,
 * Calendar and Shortcuts modules: MVT renders record values into timeline
 * descriptions and alert messages with Python's str(), and converts Mac
 * absolute times column by column (spec/ios.md §1.1). */
#ifndef SPY_SYS_PYFMT_H
#define SPY_SYS_PYFMT_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

/* A growable text buffer with a ceiling: appends beyond max are dropped and
 * `full` is set (bounded rendering of untrusted plists). */
typedef struct spy_pybuf {
    char *s;
    size_t n, cap, max;
    int full;
} spy_pybuf;

void spy_pybuf_init(spy_pybuf *b, size_t max);
void spy_pybuf_free(spy_pybuf *b);
void spy_pybuf_add(spy_pybuf *b, const char *s, size_t n);
void spy_pybuf_adds(spy_pybuf *b, const char *s);

/* Python str() of a value decoded from JSON: null -> None, true -> True,
 * 3.0 -> 3.0, strings as they are. */
void spy_py_str(spy_pybuf *b, const json_t *v);
/* Python repr() of a value as plistlib would have produced it from a
 * binary plist decoded by spy_bplist_parse() (dict, list, str with quotes,
 * bytes for {"$data"}, ...). Depth-bounded. */
void spy_py_repr(spy_pybuf *b, const json_t *v, unsigned depth);

/* A fresh string "str(v)" (free()). */
char *spy_py_strdup(const json_t *v);

/* Mac absolute time column -> JSON string: integers follow MVT's 18-digit
 * rule, reals are seconds; NULL, 0 and out-of-range values give "". */
json_t *spy_mac_iso_col(sqlite3_stmt *st, int col);

#endif
