/* Python's str() and repr() of record values, as MVT's f-strings render
 * them into timeline descriptions and alert messages (spec/ios.md §1.1):
 * None, True/False, integers, shortest round-trip floats, strings as they
 * are; containers as repr(). One renderer for every iOS module, so the
 * same value reads the same in every module's timeline. */
#ifndef SPY_MOD_PYFMT_H
#define SPY_MOD_PYFMT_H

#include "core/writers.h"

#include <jansson.h>
#include <stdbool.h>
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
 * 3.0 -> 3.0, strings as they are, containers as repr(). */
void spy_py_str(spy_pybuf *b, const json_t *v);
/* Python repr() of a value as plistlib would have produced it from a
 * binary plist decoded by spy_bplist_parse() (dict, list, str with quotes,
 * bytes for {"$data"}, ...). Depth-bounded. */
void spy_py_repr(spy_pybuf *b, const json_t *v, unsigned depth);

/* A fresh string "str(v)"; a missing value (NULL: dict.get() of an absent
 * key) is "None". free(). */
char *spy_py_strdup(const json_t *v);

/* The same renderings appended to a core spy_buf (the message modules
 * build their descriptions there): str(v); s as it is (nothing for NULL);
 * s with each newline written as the two characters "\n". */
void spy_py_put(spy_buf *b, const json_t *v);
void spy_py_puts(spy_buf *b, const char *s);
void spy_py_put_nl_escaped(spy_buf *b, const char *s);

#endif
