#include "modules/ios/sys_pyfmt.h"

#include "core/mem.h"
#include "core/timeconv.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
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

/* Python's repr(float): the shortest text that reads back to the same
 * double, with ".0" when it looks like an integer. */
static void py_float(spy_pybuf *b, double d)
{
    char t[40];
    if (isnan(d)) {
        spy_pybuf_adds(b, "nan");
        return;
    }
    if (isinf(d)) {
        spy_pybuf_adds(b, d < 0 ? "-inf" : "inf");
        return;
    }
    int prec_used = 1;
    for (; prec_used <= 17; prec_used++) {
        snprintf(t, sizeof t, "%.*g", prec_used, d);
        if (strtod(t, NULL) == d)
            break;
    }
    /* Python writes positionally for exponents -4..15; %g only up to the
     * precision. */
    char *e = strchr(t, 'e');
    if (e) {
        long ex = strtol(e + 1, NULL, 10);
        if (ex >= -4 && ex < 16) {
            int frac = prec_used - 1 - (int)ex;
            snprintf(t, sizeof t, "%.*f", frac > 0 ? frac : 0, d);
        }
    }
    spy_pybuf_adds(b, t);
    if (!strpbrk(t, ".e"))
        spy_pybuf_adds(b, ".0");
}

void spy_py_str(spy_pybuf *b, const json_t *v)
{
    char t[32];
    switch (json_typeof(v)) {
    case JSON_STRING: spy_pybuf_add(b, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER:
        snprintf(t, sizeof t, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        spy_pybuf_adds(b, t);
        break;
    case JSON_REAL: py_float(b, json_real_value(v)); break;
    case JSON_TRUE: spy_pybuf_adds(b, "True"); break;
    case JSON_FALSE: spy_pybuf_adds(b, "False"); break;
    case JSON_NULL: spy_pybuf_adds(b, "None"); break;
    default: spy_py_repr(b, v, 0);
    }
}

char *spy_py_strdup(const json_t *v)
{
    spy_pybuf b;
    spy_pybuf_init(&b, 1u << 20);
    if (v)
        spy_py_str(&b, v);
    else
        spy_pybuf_adds(&b, "None");
    return b.s;
}

/* Python's repr(str): single quotes unless the text holds ' and no ". */
static void py_str_repr(spy_pybuf *b, const char *s, size_t n)
{
    char q = (memchr(s, '\'', n) && !memchr(s, '"', n)) ? '"' : '\'';
    spy_pybuf_add(b, &q, 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char t[8];
        if (c == (unsigned char)q || c == '\\') {
            t[0] = '\\';
            t[1] = (char)c;
            spy_pybuf_add(b, t, 2);
        } else if (c == '\n') {
            spy_pybuf_adds(b, "\\n");
        } else if (c == '\r') {
            spy_pybuf_adds(b, "\\r");
        } else if (c == '\t') {
            spy_pybuf_adds(b, "\\t");
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(t, sizeof t, "\\x%02x", c);
            spy_pybuf_adds(b, t);
        } else {
            spy_pybuf_add(b, (const char *)&c, 1);
        }
    }
    spy_pybuf_add(b, &q, 1);
}

static void py_dict_repr(spy_pybuf *b, const json_t *v, unsigned depth)
{
    const json_t *x;
    if ((x = json_object_get(v, "$data")) && json_object_size(v) == 1) {
        /* bytes: plistlib gives b'...'; the base64 text stands in for the
         * content (URLs inside data blobs are not MVT findings either). */
        spy_pybuf_adds(b, "b'");
        spy_pybuf_adds(b, json_string_value(x) ? json_string_value(x) : "");
        spy_pybuf_adds(b, "'");
        return;
    }
    if ((x = json_object_get(v, "CF$UID")) && json_object_size(v) == 1) {
        char t[48];
        snprintf(t, sizeof t, "UID(%" JSON_INTEGER_FORMAT ")", json_integer_value(x));
        spy_pybuf_adds(b, t);
        return;
    }
    if ((x = json_object_get(v, "$date")) && json_object_size(v) == 1) {
        char iso[SPY_ISO_LEN];
        spy_iso_from_mac(json_number_value(x), iso);
        spy_pybuf_adds(b, "datetime.datetime(");
        spy_pybuf_adds(b, iso);
        spy_pybuf_adds(b, ")");
        return;
    }
    spy_pybuf_adds(b, "{");
    const char *k;
    json_t *val;
    int first = 1;
    json_object_foreach((json_t *)v, k, val)
    {
        if (!first)
            spy_pybuf_adds(b, ", ");
        first = 0;
        py_str_repr(b, k, strlen(k));
        spy_pybuf_adds(b, ": ");
        spy_py_repr(b, val, depth + 1);
    }
    spy_pybuf_adds(b, "}");
}

void spy_py_repr(spy_pybuf *b, const json_t *v, unsigned depth)
{
    if (depth > 64 || b->full) {
        b->full = 1;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_STRING: py_str_repr(b, json_string_value(v), json_string_length(v)); break;
    case JSON_OBJECT: py_dict_repr(b, v, depth); break;
    case JSON_ARRAY:
        spy_pybuf_adds(b, "[");
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                spy_pybuf_adds(b, ", ");
            spy_py_repr(b, json_array_get(v, i), depth + 1);
        }
        spy_pybuf_adds(b, "]");
        break;
    default: spy_py_str(b, v);
    }
}

json_t *spy_mac_iso_col(sqlite3_stmt *st, int col)
{
    char iso[SPY_ISO_LEN] = "";
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER: spy_iso_from_mac_int(sqlite3_column_int64(st, col), iso); break;
    case SQLITE_FLOAT: spy_iso_from_mac(sqlite3_column_double(st, col), iso); break;
    default: break;
    }
    return json_string(iso);
}
