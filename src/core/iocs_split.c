/* Finding the elements of a bundle's "objects" array without parsing them,
 * so one large bundle can be parsed element by element on several threads
 * (jansson parsing is most of the load time, and the largest public bundle
 * is 2.2 MB). The scan tracks only strings and nesting; jansson still
 * validates every element, and any surprise sends the caller back to parsing
 * the whole text, so results and error messages never depend on it. */
#include "core/iocs_internal.h"
#include "core/mem.h"

#include <string.h>

typedef struct scan {
    const unsigned char *d;
    size_t len, i;
} scan;

static void ws(scan *s)
{
    while (s->i < s->len &&
           (s->d[s->i] == ' ' || s->d[s->i] == '\t' || s->d[s->i] == '\n' || s->d[s->i] == '\r'))
        s->i++;
}

size_t spy_json_string_end(const unsigned char *d, size_t len, size_t i)
{
    for (;;) {
        const unsigned char *q = i < len ? memchr(d + i, '"', len - i) : NULL;
        if (!q)
            return len;
        size_t at = (size_t)(q - d), bs = 0;
        while (at - bs > i && d[at - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0)
            return at;
        i = at + 1;
    }
}

/* At a '"': moves past the closing quote. */
static bool skip_string(scan *s)
{
    size_t end = spy_json_string_end(s->d, s->len, s->i + 1);
    s->i = end < s->len ? end + 1 : s->len;
    return end < s->len;
}

static bool skip_value(scan *s)
{
    if (s->i >= s->len)
        return false;
    unsigned char c = s->d[s->i];
    if (c == '"')
        return skip_string(s);
    if (c != '{' && c != '[') {
        size_t start = s->i;
        while (s->i < s->len && !strchr(",]} \t\r\n", s->d[s->i]))
            s->i++;
        return s->i > start && s->i < s->len; /* a literal is never empty */
    }
    size_t depth = 0;
    while (s->i < s->len) {
        c = s->d[s->i];
        if (c == '"') {
            if (!skip_string(s))
                return false;
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0) {
            s->i++;
            return true;
        }
        s->i++;
    }
    return false;
}

static void add_range(spy_stix_range **v, size_t *n, size_t *cap, size_t start, size_t end)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *v = spy_xreallocarray(*v, *cap, sizeof **v);
    }
    (*v)[(*n)++] = (spy_stix_range){start, end - start};
}

/* At the '[' of "objects": records each element's range. */
static bool scan_objects(scan *s, spy_stix_range **out, size_t *n)
{
    size_t cap = 0;
    s->i++;
    ws(s);
    if (s->i < s->len && s->d[s->i] == ']') {
        s->i++;
        return true;
    }
    for (;;) {
        ws(s);
        size_t start = s->i;
        if (!skip_value(s))
            return false;
        add_range(out, n, &cap, start, s->i);
        ws(s);
        if (s->i >= s->len)
            return false;
        if (s->d[s->i] == ']') {
            s->i++;
            return true;
        }
        if (s->d[s->i++] != ',')
            return false;
    }
}

bool spy_stix_split_objects(const unsigned char *d, size_t len, spy_stix_range **out, size_t *n)
{
    static const char key[] = "\"objects\"";
    scan s = {d, len, 0};
    size_t found = 0;
    *out = NULL;
    *n = 0;
    ws(&s);
    if (s.i >= len || d[s.i++] != '{')
        goto fail;
    for (;;) {
        ws(&s);
        size_t kstart = s.i;
        if (s.i >= len || d[s.i] != '"' || !skip_string(&s))
            goto fail;
        bool is_objects =
            s.i - kstart == sizeof key - 1 && memcmp(d + kstart, key, sizeof key - 1) == 0;
        ws(&s);
        if (s.i >= len || d[s.i++] != ':')
            goto fail;
        ws(&s);
        if (is_objects) {
            if (found++ || s.i >= len || d[s.i] != '[' || !scan_objects(&s, out, n))
                goto fail;
        } else if (!skip_value(&s)) {
            goto fail;
        }
        ws(&s);
        if (s.i >= len)
            goto fail;
        if (d[s.i] == '}')
            break;
        if (d[s.i++] != ',')
            goto fail;
    }
    s.i++;
    ws(&s);
    if (found == 1 && s.i == len)
        return true;
fail:
    free(*out);
    *out = NULL;
    *n = 0;
    return false;
}
