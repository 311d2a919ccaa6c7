/* Fuzz target: link extraction (core/links.h) with its invariants: every
 * link lies inside the input, starts with the http(s) scheme, contains no
 * whitespace, links do not overlap and come in order. */
#include "core/links.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct state {
    const char *base;
    size_t len;
    const char *prev_end;
} state;

static bool check(const char *p, size_t n, void *ud)
{
    state *s = ud;
    if (p < s->base || n > s->len || (size_t)(p - s->base) > s->len - n || p < s->prev_end || n < 8)
        abort();
    if (p[0] != 'h' && p[0] != 'H')
        abort();
    for (size_t i = 0; i < n;) {
        if (spy_links_space_len(p + i, n - i) != 0)
            abort();
        i++;
    }
    s->prev_end = p + n;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A heap copy of exactly size bytes, so ASan sees any read past the end. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);
    state s = {buf, size, buf};
    spy_links_extract(buf, size, check, &s);
    (void)spy_links_blank(buf, size);
    free(buf);
    return 0;
}
