/* CSV in the dialect of Python's csv.writer as MVT configures it
 * (QUOTE_ALL, doublequote, escapechar '\\'; spec/outputs.md §3.4). */
#include "core/writers.h"

#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

void spy_buf_put(spy_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        b->p = spy_xrealloc(b->p, cap);
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void spy_buf_free(spy_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* One quoted field: '"' doubled, '\\' escaped, everything else verbatim. */
static void csv_field(spy_buf *b, const char *s)
{
    spy_buf_put(b, "\"", 1);
    while (s && *s) {
        size_t run = strcspn(s, "\"\\");
        spy_buf_put(b, s, run);
        s += run;
        if (*s == '"')
            spy_buf_put(b, "\"\"", 2);
        else if (*s == '\\')
            spy_buf_put(b, "\\\\", 2);
        else
            break;
        s++;
    }
    spy_buf_put(b, "\"", 1);
}

void spy_csv_row(spy_buf *b, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            spy_buf_put(b, ",", 1);
        csv_field(b, fields[i]);
    }
    spy_buf_put(b, "\r\n", 2);
}
