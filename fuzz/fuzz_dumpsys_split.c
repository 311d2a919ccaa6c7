/* The dumpstate splitter: every section and the properties block lie inside
 * the text, start right after their header line, hold no line that would
 * have closed them, and section names are unique. */
#include "acquire/android_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool ws(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* No line of [off, off+len) may start (after blanks) with n dashes. */
static void no_rule(const char *t, size_t off, size_t len, size_t n)
{
    size_t i = off, end = off + len;
    while (i < end) {
        size_t j = i;
        while (j < end && ws((unsigned char)t[j]) && t[j] != '\n')
            j++;
        size_t k = 0;
        while (j + k < end && t[j + k] == '-')
            k++;
        if (k >= n)
            abort();
        const char *nl = memchr(t + i, '\n', end - i);
        i = nl ? (size_t)(nl - t) + 1 : end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    android_acq *a = andr_new(SPY_ACQ_ANDROID_BUGREPORT, "fuzz");
    const char *t = (const char *)data;
    andr_split_dumpstate(a, t, size);
    for (size_t i = 0; i < a->n_sec; i++) {
        const andr_section *s = &a->sec[i];
        if (s->off > size || s->len > size - s->off)
            abort();
        if (s->off < size && s->off > 0 && t[s->off - 1] != '\n')
            abort();
        if (s->name < t || s->name + s->name_len > t + size)
            abort();
        no_rule(t, s->off, s->len, 78);
        for (size_t j = 0; j < i; j++)
            if (a->sec[j].name_len == s->name_len && !memcmp(a->sec[j].name, s->name, s->name_len))
                abort();
    }
    if (a->has_props) {
        if (a->props_off > size || a->props_len > size - a->props_off)
            abort();
        no_rule(t, a->props_off, a->props_len, 6);
    }
    andr_free(a);
    return 0;
}
