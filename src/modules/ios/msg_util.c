#include "modules/ios/msg_util.h"

#include "core/mem.h"
#include "core/module.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

json_t *msg_b64_col(sqlite3_stmt *st, int col)
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

bool msg_mac_iso(const json_t *v, char out[SPY_ISO_LEN])
{
    out[0] = '\0';
    if (json_is_integer(v))
        return spy_iso_from_mac_int((int64_t)json_integer_value(v), out);
    if (json_is_real(v))
        return spy_iso_from_mac(json_real_value(v), out);
    return false;
}

json_t *msg_mac_iso_json(const json_t *v, bool null_if_empty)
{
    char iso[SPY_ISO_LEN];
    if (!msg_mac_iso(v, iso) && null_if_empty)
        return json_null();
    return json_string(iso);
}

void msg_puts(spy_buf *b, const char *s)
{
    if (s)
        spy_buf_put(b, s, strlen(s));
}

/* Python's repr() of a float: the shortest decimal that reads back to the
 * same double, with ".0" for integral values and exponent form outside
 * [1e-4, 1e16). */
static void put_float(spy_buf *b, double d)
{
    char tmp[64];
    if (isnan(d)) {
        msg_puts(b, "nan");
        return;
    }
    if (isinf(d)) {
        msg_puts(b, d < 0 ? "-inf" : "inf");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    msg_puts(b, tmp);
    if (!strpbrk(tmp, ".e") && fabs(d) < 1e16)
        msg_puts(b, ".0");
}

void msg_pystr(spy_buf *b, const json_t *v)
{
    char tmp[32];
    switch (json_typeof(v)) {
    case JSON_STRING: spy_buf_put(b, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER:
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        msg_puts(b, tmp);
        break;
    case JSON_REAL: put_float(b, json_real_value(v)); break;
    case JSON_TRUE: msg_puts(b, "True"); break;
    case JSON_FALSE: msg_puts(b, "False"); break;
    default: msg_puts(b, "None"); break; /* null, or a missing key: dict.get() gives None */
    }
}

void msg_put_nl_escaped(spy_buf *b, const char *s)
{
    if (!s)
        return;
    for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        spy_buf_put(b, s, (size_t)(nl - s));
        msg_puts(b, "\\n");
    }
    msg_puts(b, s);
}

typedef struct links_ud {
    json_t *arr;
    bool dedup;
} links_ud;

static bool add_link(const char *p, size_t n, void *ud)
{
    links_ud *l = ud;
    if (l->dedup) {
        size_t i;
        json_t *v;
        json_array_foreach(l->arr, i, v)
        {
            if (json_string_length(v) == n && memcmp(json_string_value(v), p, n) == 0)
                return true;
        }
    }
    json_array_append_new(l->arr, json_stringn_nocheck(p, n));
    return true;
}

void msg_links_append(json_t *arr, const char *text, size_t len, bool dedup)
{
    links_ud l = {arr, dedup};
    spy_links_extract(text, len, add_link, &l);
}

json_t *msg_record_links(const json_t *rec, const char *text_key)
{
    json_t *links = json_object_get(rec, "links");
    if (json_is_array(links) && (json_array_size(links) > 0 || !text_key))
        return json_incref(links);
    json_t *out = json_array();
    const json_t *text = text_key ? json_object_get(rec, text_key) : NULL;
    if (json_is_string(text))
        msg_links_append(out, json_string_value(text), json_string_length(text), false);
    return out;
}

void msg_check_links(struct spy_mod_ctx *ctx, const json_t *links, const char *event_time)
{
    size_t i;
    json_t *v;
    json_array_foreach(links, i, v)
    {
        if (json_is_string(v) &&
            spy_check_ioc(ctx, SPY_CHECK_URL, json_string_value(v), event_time, NULL))
            return;
    }
}
