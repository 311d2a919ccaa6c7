#include "modules/ios/cols.h"

#include "core/mem.h"
#include "modules/module_kit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

json_t *spy_col_b64(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return json_null();
    const unsigned char *p = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    char *s = spy_xmalloc((n + 2) / 3 * 4 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        s[k++] = b64_alphabet[v >> 18];
        s[k++] = b64_alphabet[(v >> 12) & 63];
        s[k++] = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
        s[k++] = i + 2 < n ? b64_alphabet[v & 63] : '=';
    }
    s[k] = '\0';
    json_t *j = json_stringn_nocheck(s, k);
    free(s);
    return j;
}

static bool listed(const char *name, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

json_t *spy_row_b64(sqlite3_stmt *st, const char *const *b64_cols)
{
    json_t *rec = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        name = name ? name : "";
        json_object_set_new_nocheck(
            rec, name, listed(name, b64_cols) ? spy_col_b64(st, i) : spy_kit_col(st, i));
    }
    return rec;
}

json_t *spy_col_iso(sqlite3_stmt *st, int col, spy_epoch e)
{
    json_t *v = spy_kit_col(st, col);
    json_t *iso = spy_iso_json(v, e);
    json_decref(v);
    return iso;
}
