/* Text slices with Python str semantics, for the dumpsys parsers
 * (spec/android.md §1.2): MVT splits sections with str.splitlines() and
 * tests lines with strip(), split() and startswith(); doing the same on the
 * raw bytes keeps the parsers' results identical on every layout.
 *
 * The text is never copied or NUL-terminated; invalid UTF-8 is kept as
 * bytes (the JSON emitter writes it as \xNN). */
#ifndef SPY_PYTEXT_H
#define SPY_PYTEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct spy_text {
    const char *p;
    size_t n;
} spy_text;

/* str.splitlines(): \n, \r\n, \r, \v, \f, \x1c-\x1e, U+0085, U+2028 and
 * U+2029 end a line; no empty last line after a final break. */
typedef struct spy_lines {
    const char *p, *end;
} spy_lines;

void spy_lines_init(spy_lines *it, const char *text, size_t len);
bool spy_lines_next(spy_lines *it, spy_text *line);

static inline spy_text spy_text_of(const char *p, size_t n)
{
    spy_text t = {p, n};
    return t;
}

/* str.strip() / lstrip() / rstrip() with Python's whitespace set. */
spy_text spy_text_strip(spy_text t);
spy_text spy_text_lstrip(spy_text t);
spy_text spy_text_rstrip(spy_text t);
/* t.strip(chars) for a set of ASCII characters. */
spy_text spy_text_strip_chars(spy_text t, const char *chars);
spy_text spy_text_rstrip_chars(spy_text t, const char *chars);

/* The tests below are inline so that strlen() of a literal folds away:
 * the parsers call them on every line. */
static inline bool spy_text_starts(spy_text t, const char *prefix)
{
    size_t n = strlen(prefix);
    return t.n >= n && memcmp(t.p, prefix, n) == 0;
}

static inline bool spy_text_ends(spy_text t, const char *suffix)
{
    size_t n = strlen(suffix);
    return t.n >= n && memcmp(t.p + t.n - n, suffix, n) == 0;
}

static inline bool spy_text_eq(spy_text t, const char *s)
{
    return t.n == strlen(s) && memcmp(t.p, s, t.n) == 0;
}

/* Offset of the first occurrence of needle (n bytes) at or after from, or -1. */
long spy_text_findn(spy_text t, const char *needle, size_t n, size_t from);
static inline long spy_text_find(spy_text t, const char *needle, size_t from)
{
    return spy_text_findn(t, needle, strlen(needle), from);
}
/* Number of leading ' ' characters. */
size_t spy_text_indent(spy_text t);
/* t[from:] and t[from:to] clamped to the slice. */
spy_text spy_text_sub(spy_text t, size_t from, size_t to);
/* Python's t[start:stop] with negative indices counted from the end. */
spy_text spy_text_pyslice(spy_text t, long start, long stop);
/* The first n code points (t[:n] on the decoded string). */
spy_text spy_text_head(spy_text t, size_t n);

/* str.split() iteration: the next run of non-whitespace in *rest. */
bool spy_text_word(spy_text *rest, spy_text *word);
/* str.split(sep) iteration (sep non-empty): the next field of *rest;
 * *rest->p == NULL once the last field was returned. */
bool spy_text_field(spy_text *rest, const char *sep, spy_text *field);
/* Number of fields str.split(sep) gives. */
size_t spy_text_count_fields(spy_text t, const char *sep);
/* Before / after the first occurrence of sep (str.partition); false and
 * whole text in *before when sep is absent. */
bool spy_text_partitionn(spy_text t, const char *sep, size_t k, spy_text *before, spy_text *after);
static inline bool spy_text_partition(spy_text t, const char *sep, spy_text *before,
                                      spy_text *after)
{
    return spy_text_partitionn(t, sep, strlen(sep), before, after);
}

/* A JSON string of the bytes (invalid UTF-8 kept). */
json_t *spy_text_json(spy_text t);
/* A heap copy, NUL-terminated (free()). */
char *spy_text_dup(spy_text t);
/* The copy with every occurrence of ch removed (free()). */
char *spy_text_dup_without(spy_text t, char ch);

#endif
