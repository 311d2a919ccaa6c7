/* The bounded text buffer of pyfmt.h. */
#include "core/mem.h"
#include "modules/ios/pyfmt.h"

#include <stdlib.h>
#include <string.h>

void spy_pybuf_init(spy_pybuf *b, size_t max)
{
    b->cap = 128;
    b->s = spy_xmalloc(b->cap);
    b->s[0] = '\0';
    b->n = 0;
    b->max = max;
    b->full = 0;
}

void spy_pybuf_free(spy_pybuf *b)
{
    free(b->s);
    b->s = NULL;
    b->n = b->cap = 0;
}

void spy_pybuf_add(spy_pybuf *b, const char *s, size_t n)
{
    if (b->full || n > b->max - b->n) {
        b->full = 1;
        return;
    }
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap)
            b->cap *= 2;
        b->s = spy_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void spy_pybuf_adds(spy_pybuf *b, const char *s)
{
    spy_pybuf_add(b, s, strlen(s));
}
