#include "core/plist.h"

#include "core/bplist.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <math.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include <plist/plist.h>
#include <string.h>

/* Deepest <dict>/<array> nesting of an XML plist, without parsing it:
 * counts opening and closing container tags (self-closing ones do not
 * nest). Good enough to refuse what would exhaust libplist's recursion. */
static unsigned xml_depth(const char *s, size_t len)
{
    unsigned depth = 0, max = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '<')
            continue;
        bool closing = s[i + 1] == '/';
        const char *t = s + i + 1 + closing;
        size_t left = len - (size_t)(t - s);
        size_t n = left >= 5 && memcmp(t, "array", 5) == 0  ? 5
                   : left >= 4 && memcmp(t, "dict", 4) == 0 ? 4
                                                            : 0;
        if (!n || left <= n || (t[n] != '>' && t[n] != ' ' && t[n] != '/'))
            continue;
        const char *gt = memchr(t, '>', left);
        bool self_closing = gt && gt > t && gt[-1] == '/';
        if (closing)
            depth = depth ? depth - 1 : 0;
        else if (!self_closing && ++depth > max)
            max = depth;
    }
    return max;
}

/* libplist 2.2 asserts (aborts) on strings holding NUL characters; XML
 * forbids them anyway, as raw bytes or as a character reference. */
static bool xml_has_nul(const char *s, size_t len)
{
    if (memchr(s, '\0', len))
        return true;
    for (const char *p = s; (p = memchr(p, '&', len - (size_t)(p - s))) != NULL; p++) {
        size_t left = len - (size_t)(p - s);
        if (left < 4 || p[1] != '#')
            continue;
        size_t i = 2;
        bool hex = p[2] == 'x' || p[2] == 'X';
        i += hex;
        while (i < left && p[i] == '0')
            i++;
        if (i < left && p[i] == ';' && i > 2u + hex)
            return true;
    }
    return false;
}

static json_t *b64(const char *data, uint64_t len)
{
    size_t out_len = 4 * ((len + 2) / 3) + 1;
    char *o = spy_xmalloc(out_len);
    EVP_EncodeBlock((unsigned char *)o, (const unsigned char *)data, (int)len);
    json_t *j = json_pack("{s:s}", "$data", o);
    free(o);
    return j;
}

static json_t *real_json(double r)
{
    if (isfinite(r))
        return json_real(r);
    return json_pack("{s:s}", "$real", isnan(r) ? "nan" : r > 0 ? "inf" : "-inf");
}

static json_t *convert(plist_t node, unsigned depth);

static json_t *convert_dict(plist_t node, unsigned depth)
{
    json_t *o = json_object();
    plist_dict_iter it = NULL;
    plist_dict_new_iter(node, &it);
    for (;;) {
        char *key = NULL;
        plist_t val = NULL;
        plist_dict_next_item(node, it, &key, &val);
        if (!key)
            break;
        json_t *jv = convert(val, depth + 1);
        json_object_setn_new_nocheck(o, key, strlen(key), jv ? jv : json_null());
        free(key);
    }
    free(it);
    return o;
}

static json_t *convert(plist_t node, unsigned depth)
{
    if (!node || depth > SPY_BPLIST_MAX_DEPTH)
        return NULL;
    switch (plist_get_node_type(node)) {
    case PLIST_BOOLEAN: {
        uint8_t b = 0;
        plist_get_bool_val(node, &b);
        return json_boolean(b);
    }
    case PLIST_UINT: {
        uint64_t u = 0;
        plist_get_uint_val(node, &u);
        return json_integer((json_int_t)u); /* libplist 2.2 keeps negatives as two's complement */
    }
    case PLIST_REAL: {
        double r = 0;
        plist_get_real_val(node, &r);
        return real_json(r);
    }
    case PLIST_STRING: {
        uint64_t n = 0;
        const char *s = plist_get_string_ptr(node, &n);
        return s ? json_stringn_nocheck(s, (size_t)n) : json_string("");
    }
    case PLIST_DATE: {
        int32_t sec = 0, usec = 0;
        plist_get_date_val(node, &sec, &usec);
        return json_pack("{s:f}", "$date", (double)sec + (double)usec / 1e6);
    }
    case PLIST_DATA: {
        uint64_t n = 0;
        const char *d = plist_get_data_ptr(node, &n);
        return b64(d ? d : "", d ? n : 0);
    }
    case PLIST_UID: {
        uint64_t u = 0;
        plist_get_uid_val(node, &u);
        return json_pack("{s:I}", "CF$UID", (json_int_t)u);
    }
    case PLIST_ARRAY: {
        json_t *a = json_array();
        uint32_t n = plist_array_get_size(node);
        for (uint32_t i = 0; i < n; i++) {
            json_t *v = convert(plist_array_get_item(node, i), depth + 1);
            json_array_append_new(a, v ? v : json_null());
        }
        return a;
    }
    case PLIST_DICT: return convert_dict(node, depth);
    default: return json_null();
    }
}

static int parse_xml(const char *buf, size_t len, json_t **out, char **why)
{
    if (len > SPY_BPLIST_MAX_BYTES || len > UINT32_MAX) {
        if (why)
            *why = spy_xstrdup("XML plist larger than the limit");
        return SPY_ELIMIT;
    }
    if (xml_depth(buf, len) > SPY_BPLIST_MAX_DEPTH) {
        if (why)
            *why = spy_xasprintf("XML plist nested deeper than %u levels", SPY_BPLIST_MAX_DEPTH);
        return SPY_ELIMIT;
    }
    if (xml_has_nul(buf, len)) {
        if (why)
            *why = spy_xstrdup("XML plist holds a NUL character");
        return SPY_EFORMAT;
    }
    plist_t root = NULL;
    plist_from_xml(buf, (uint32_t)len, &root);
    if (!root) {
        if (why)
            *why = spy_xstrdup("not a well-formed XML plist");
        return SPY_EFORMAT;
    }
    *out = convert(root, 0);
    plist_free(root);
    if (!*out) {
        if (why)
            *why = spy_xstrdup("XML plist could not be converted");
        return SPY_EFORMAT;
    }
    return SPY_OK;
}

int spy_plist_parse(const void *buf, size_t len, json_t **out, char **why)
{
    *out = NULL;
    if (why)
        *why = NULL;
    if (spy_bplist_sniff(buf, len))
        return spy_bplist_parse(buf, len, out, why);
    const char *s = buf;
    size_t i = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && strchr(" \t\r\n", s[i]) && s[i])
        i++;
    if (i < len && s[i] == '<')
        return parse_xml(s, len, out, why);
    if (why)
        *why = spy_xstrdup(len == 0 ? "empty file" : "neither a binary nor an XML plist");
    return SPY_EFORMAT;
}

int spy_plist_date(const json_t *v, double *mac_abs)
{
    json_t *d = json_object_get(v, "$date");
    if (!json_is_number(d) || json_object_size(v) != 1)
        return 0;
    *mac_abs = json_number_value(d);
    return 1;
}
