/* Small helpers over dumpsys and tombstone text kept as bytes (invalid
 * UTF-8 stays as it is; the JSON emitter writes it as \xNN). Lines end at
 * '\n'; a '\r' before it is dropped, which gives MVT's splitlines() result
 * on real reports (spec/android.md §1.2). */
#ifndef SPY_BR_TEXT_H
#define SPY_BR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct br_span {
    const char *p;
    size_t n;
} br_span;

/* The next line of [*cur, end) into *line; false at the end. */
static inline bool br_next_line(const char **cur, const char *end, br_span *line)
{
    if (*cur >= end)
        return false;
    const char *s = *cur;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *e = nl ? nl : end;
    *cur = nl ? nl + 1 : end;
    if (e > s && e[-1] == '\r')
        e--;
    line->p = s;
    line->n = (size_t)(e - s);
    return true;
}

static inline bool br_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

/* Leading whitespace bytes. */
static inline size_t br_indent(br_span s)
{
    size_t i = 0;
    while (i < s.n && br_space(s.p[i]))
        i++;
    return i;
}

static inline br_span br_trim(br_span s)
{
    while (s.n && br_space(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && br_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

static inline bool br_starts(br_span s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static inline bool br_equals(br_span s, const char *text)
{
    return s.n == strlen(text) && memcmp(s.p, text, s.n) == 0;
}

/* Does s contain needle? */
static inline bool br_contains(br_span s, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n && i + n <= s.n; i++)
        if (memcmp(s.p + i, needle, n) == 0)
            return true;
    return false;
}

static inline br_span br_after(br_span s, size_t k)
{
    br_span r = {s.p + (k < s.n ? k : s.n), k < s.n ? s.n - k : 0};
    return r;
}

#endif
