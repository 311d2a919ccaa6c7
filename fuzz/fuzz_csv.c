/* spy_csv_row: any fields (split from the input at 0x00 bytes, 0x01 for
 * NULL) must read back unchanged with the dialect's own rules (quote
 * doubling, backslash escape) — the row format must be unambiguous. And
 * the timeline's packed-row writers: the final merge's wide one writes the
 * same bytes as spy_csv_packed_row, in exactly TL_CSV_ROOM bytes. */
#include "core/timeline_internal.h"
#include "core/writers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 16

/* Reads one quoted field at *p; returns its decoded text or NULL. */
static char *read_field(const char **p, const char *end)
{
    const char *s = *p;
    if (s >= end || *s != '"')
        return NULL;
    char *out = malloc((size_t)(end - s) + 1);
    size_t o = 0;
    for (s++; s < end; s++) {
        if (*s == '\\' && s + 1 < end) {
            out[o++] = *++s;
        } else if (*s == '"' && s + 1 < end && s[1] == '"') {
            out[o++] = '"';
            s++;
        } else if (*s == '"') {
            out[o] = '\0';
            *p = s + 1;
            return out;
        } else {
            out[o++] = *s;
        }
    }
    free(out);
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *fields[MAX_FIELDS];
    size_t n = 0;
    for (char *s = copy; n < MAX_FIELDS;) {
        fields[n++] = *s == '\x01' ? NULL : s;
        char *z = memchr(s, '\0', size + 1 - (size_t)(s - copy));
        if (!z || z == copy + size)
            break;
        s = z + 1;
    }
    spy_buf b = {0};
    spy_csv_row(&b, fields, n);
    const char *p = b.p, *end = b.p + b.len;
    for (size_t i = 0; i < n; i++) {
        char *f = read_field(&p, end);
        if (!f || strcmp(f, fields[i] ? fields[i] : "") != 0)
            abort();
        free(f);
        if (i + 1 < n && (p >= end || *p++ != ','))
            abort();
    }
    if (end - p != 2 || memcmp(p, "\r\n", 2) != 0)
        abort();
    spy_buf_free(&b);
    /* the input as a packed row: its fields NUL-terminated, the last too */
    size_t nul = 1;
    for (size_t i = 0; i < size; i++)
        nul += copy[i] == '\0';
    char *a = malloc(2 * (size + 1) + nul + 1), *w = malloc(TL_CSV_ROOM(size + 1));
    size_t la = spy_csv_packed_row(a, copy, size + 1),
           lw = spy_csv_packed_row_wide(w, copy, size + 1);
    if (la != lw || memcmp(a, w, la) != 0)
        abort();
    free(a);
    free(w);
    free(copy);
    return 0;
}
