#include "modules/ios/pyfmt.h"

#include "core/mem.h"
#include "core/timeconv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ceiling of one rendered non-string value (a plist dict printed as repr);
 * strings are copied as they are, their size is the input's. */
#define PY_MAX_RENDER (1u << 20)

/* Python's repr(float): the shortest text that reads back to the same
 * double, positional for decimal exponents -4..15 and exponent form
 * outside, with ".0" when the positional text looks like an integer. */
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
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(t, sizeof t, "%.*e", prec - 1, d);
        if (strtod(t, NULL) == d)
            break;
    }
    long ex = strtol(strchr(t, 'e') + 1, NULL, 10);
    if (ex >= -4 && ex < 16) {
        int frac = prec - 1 - (int)ex;
        snprintf(t, sizeof t, "%.*f", frac > 0 ? frac : 0, d);
    }
    spy_pybuf_adds(b, t);
    if (!strpbrk(t, ".e"))
        spy_pybuf_adds(b, ".0");
}

void spy_py_str(spy_pybuf *b, const json_t *v)
{
    char t[32];
    if (!v) {
        spy_pybuf_adds(b, "None"); /* a key missing from a saved record */
        return;
    }
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

char *spy_py_strdup(const json_t *v)
{
    if (json_is_string(v))
        return spy_xstrndup(json_string_value(v), json_string_length(v));
    spy_pybuf b;
    spy_pybuf_init(&b, PY_MAX_RENDER);
    spy_py_str(&b, v);
    return b.s;
}

void spy_py_put(spy_buf *b, const json_t *v)
{
    if (json_is_string(v)) {
        spy_buf_put(b, json_string_value(v), json_string_length(v));
        return;
    }
    spy_pybuf t;
    spy_pybuf_init(&t, PY_MAX_RENDER);
    spy_py_str(&t, v);
    spy_buf_put(b, t.s, t.n);
    spy_pybuf_free(&t);
}

void spy_py_puts(spy_buf *b, const char *s)
{
    if (s)
        spy_buf_put(b, s, strlen(s));
}

void spy_py_put_nl_escaped(spy_buf *b, const char *s)
{
    if (!s)
        return;
    for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        spy_buf_put(b, s, (size_t)(nl - s));
        spy_py_puts(b, "\\n");
    }
    spy_py_puts(b, s);
}
