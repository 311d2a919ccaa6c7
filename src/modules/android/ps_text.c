#include "modules/android/ps_text.h"

#include "modules/android/br_text.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 10 /* a label, the 9 columns; later words are dropped */

/* Python int(): optional sign, digits. */
static bool to_int(br_span s, json_int_t *out)
{
    char buf[32];
    if (s.n == 0 || s.n >= sizeof buf)
        return false;
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    if (!*p)
        return false;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    long long v = strtoll(buf, NULL, 10);
    if (errno)
        return false;
    *out = (json_int_t)v;
    return true;
}

/* Splits on whitespace; returns the number of fields (at most max, but
 * counts beyond up to max+1 so callers can tell 9 from more). */
static size_t split(br_span line, br_span *f, size_t max)
{
    size_t n = 0, i = 0;
    while (i < line.n) {
        while (i < line.n && br_space(line.p[i]))
            i++;
        if (i >= line.n)
            break;
        size_t s = i;
        while (i < line.n && !br_space(line.p[i]))
            i++;
        if (n < max)
            f[n] = (br_span){line.p + s, i - s};
        n++;
    }
    return n;
}

static void insert_empty(br_span *f, size_t *n, size_t at)
{
    size_t keep = *n < MAX_FIELDS + 1 ? *n : MAX_FIELDS + 1;
    for (size_t k = keep; k > at; k--)
        f[k] = f[k - 1];
    f[at] = (br_span){"", 0};
    (*n)++;
}

static json_t *str(br_span s)
{
    return json_stringn_nocheck(s.p, s.n);
}

static json_t *record(br_span line)
{
    br_span f[MAX_FIELDS + 4]; /* room for the inserted WCHANs */
    size_t n = split(line, f, MAX_FIELDS + 1);
    if (n == 0)
        return NULL;
    if (n == 8) /* WCHAN empty */
        insert_empty(f, &n, 5);
    br_span label = {"", 0};
    br_span *p = f;
    if (br_starts(f[0], "u:r")) { /* an SELinux label first */
        label = f[0];
        p = f + 1;
        n--;
    }
    if (n < 9) /* no WCHAN */
        insert_empty(p, &n, 5);
    json_int_t pid, ppid, vsz, rss;
    if (n < 9 || !to_int(p[1], &pid) || !to_int(p[2], &ppid) || !to_int(p[3], &vsz) ||
        !to_int(p[4], &rss))
        return NULL;
    br_span name = p[8];
    while (name.n && (name.p[0] == '[' || name.p[0] == ']')) {
        name.p++;
        name.n--;
    }
    while (name.n && (name.p[name.n - 1] == '[' || name.p[name.n - 1] == ']'))
        name.n--;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "user", str(p[0]));
    json_object_set_new_nocheck(rec, "pid", json_integer(pid));
    json_object_set_new_nocheck(rec, "ppid", json_integer(ppid));
    json_object_set_new_nocheck(rec, "virtual_memory_size", json_integer(vsz));
    json_object_set_new_nocheck(rec, "resident_set_size", json_integer(rss));
    json_object_set_new_nocheck(rec, "wchan", str(p[5]));
    json_object_set_new_nocheck(rec, "aprocress", str(p[6])); /* sic, MVT's key */
    json_object_set_new_nocheck(rec, "stat", str(p[7]));
    json_object_set_new_nocheck(rec, "proc_name", str(name));
    json_object_set_new_nocheck(rec, "label", str(label));
    return rec;
}

size_t spy_ps_parse(const char *text, size_t len, void (*cb)(json_t *rec, void *ud), void *ud,
                    size_t *bad)
{
    const char *cur = text, *end = text + len;
    br_span line;
    size_t n = 0;
    *bad = 0;
    br_next_line(&cur, end, &line); /* the header */
    while (br_next_line(&cur, end, &line)) {
        if (br_trim(line).n == 0)
            continue;
        json_t *rec = record(line);
        if (!rec) {
            (*bad)++;
            continue;
        }
        n++;
        cb(rec, ud);
    }
    return n;
}
