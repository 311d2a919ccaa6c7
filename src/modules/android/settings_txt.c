#include "modules/android/settings_txt.h"

#include "core/mem.h"
#include "modules/android/br_text.h"

#include <stdlib.h>
#include <string.h>

size_t spy_settings_parse(const char *text, size_t len, json_t *ns)
{
    const char *cur = text, *end = text + len;
    br_span line;
    size_t n = 0;
    while (br_next_line(&cur, end, &line)) {
        line = br_trim(line);
        const char *eq = line.n ? memchr(line.p, '=', line.n) : NULL;
        if (!eq)
            continue;
        char *key = spy_xstrndup(line.p, (size_t)(eq - line.p));
        size_t vlen = line.n - (size_t)(eq - line.p) - 1;
        /* a key with a NUL byte cannot be a JSON object key; MVT's would be
         * cut there too by any C consumer */
        json_object_set_new(ns, key, json_stringn_nocheck(eq + 1, vlen));
        free(key);
        n++;
    }
    return n;
}

char *spy_settings_namespace(const char *path)
{
    size_t len = strlen(path);
    const char *us = strrchr(path, '_');
    size_t start = us ? (size_t)(us - path) + 1 : 0;
    /* Python's path[start:-4] */
    size_t stop = len >= 4 ? len - 4 : 0;
    return spy_xstrndup(path + start, stop > start ? stop - start : 0);
}
