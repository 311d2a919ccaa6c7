/* DumpsysADBState parser (spec/android.md §4.11). The section is handled
 * as bytes: the keystore may be Android binary XML ("ABX"), kept raw. */
#include "modules/android/adb_state_parse.h"

#include "core/error.h"
#include "core/mem.h"
#include "modules/android/adb_b64.h"
#include "modules/android/br_text.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* Nesting of the dump; real dumps have 3 levels. */
#define ADB_MAX_DEPTH 32

typedef struct adb_stack {
    json_t *v[ADB_MAX_DEPTH];
    size_t n;
} adb_stack;

static void pop(adb_stack *s)
{
    if (s->n > 1) /* the root stays */
        s->n--;
}

static json_t *top(const adb_stack *s)
{
    return s->v[s->n - 1];
}

static bool is_ident(br_span k)
{
    if (!k.n ||
        !((k.p[0] >= 'A' && k.p[0] <= 'Z') || (k.p[0] >= 'a' && k.p[0] <= 'z') || k.p[0] == '_'))
        return false;
    for (size_t i = 1; i < k.n; i++) {
        char c = k.p[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

/* Keys become JSON object keys, which must be UTF-8 (MVT decodes them and
 * fails the module on anything else; such a line is skipped here). */
static bool utf8_ok(br_span s)
{
    for (size_t i = 0; i < s.n;) {
        unsigned char c = (unsigned char)s.p[i];
        size_t k = c < 0x80             ? 1
                   : (c & 0xE0) == 0xC0 ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
        if (!k || i + k > s.n || c == 0 || (k == 2 && c < 0xC2))
            return false;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s.p[i + j] & 0xC0) != 0x80)
                return false;
        i += k;
    }
    return true;
}

static json_t *bytes(const char *p, size_t n)
{
    return json_stringn_nocheck(n ? p : "", n);
}

static void set_key(json_t *obj, br_span key, json_t *v)
{
    char *k = spy_xstrndup(key.p, key.n);
    json_object_set_new(obj, k, v);
    free(k);
}

/* The indented key/value parser of §4.11, over the extracted lines. */
static json_t *indented_parse(const char *p, size_t n)
{
    while (n && p[0] == '\n') {
        p++;
        n--;
    }
    while (n && p[n - 1] == '\n')
        n--;
    json_t *root = json_object();
    adb_stack st = {{root}, 1};
    size_t cur_indent = 0;
    bool multi = false;
    const char *cur = p, *end = p + n;
    br_span line;
    while (br_next_line(&cur, end, &line)) {
        size_t indent = br_indent(line);
        if (indent < cur_indent)
            pop(&st);
        cur_indent = indent;
        br_span lt = br_after(line, indent);
        const char *eq = memchr(lt.p, '=', lt.n);
        br_span key = {lt.p, eq ? (size_t)(eq - lt.p) : lt.n};
        br_span val = {eq ? eq + 1 : lt.p + lt.n, eq ? (size_t)(lt.p + lt.n - eq - 1) : 0};
        if (multi) {
            if (key.n == 0) { /* the blank line that ends a multi-line value */
                multi = false;
                if (json_is_array(top(&st)))
                    pop(&st);
                continue;
            }
            bool structural = br_equals(key, "}") || (eq && is_ident(key));
            if (!structural && json_is_array(top(&st))) {
                json_array_append_new(top(&st), bytes(lt.p, lt.n));
                continue;
            }
            multi = false;
            if (json_is_array(top(&st)))
                pop(&st);
        }
        if (br_equals(key, "}")) {
            pop(&st);
            continue;
        }
        /* A blank line or one without '=' makes MVT fail; skipped here. */
        if (!eq || !json_is_object(top(&st)) || !utf8_ok(key))
            continue;
        if (br_equals(val, "{") && st.n < ADB_MAX_DEPTH) {
            json_t *o = json_object();
            set_key(top(&st), key, o);
            st.v[st.n++] = o;
        } else if ((br_equals(key, "user_keys") || br_equals(key, "keystore")) &&
                   st.n < ADB_MAX_DEPTH) {
            json_t *a = json_array();
            json_array_append_new(a, bytes(val.p, val.n));
            set_key(top(&st), key, a);
            st.v[st.n++] = a;
            multi = true;
        } else {
            set_key(top(&st), key, bytes(val.p, val.n));
        }
    }
    return root;
}

static json_t *fingerprint(const char *b64, size_t n)
{
    unsigned char *raw;
    size_t len;
    if (!spy_b64_decode_lenient(b64, n, &raw, &len))
        return json_string("");
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int ok = EVP_Digest(raw, len, md, &md_len, EVP_md5(), NULL);
    free(raw);
    if (!ok)
        return json_string("");
    static const char hex[] = "0123456789ABCDEF";
    char out[EVP_MAX_MD_SIZE * 3];
    size_t o = 0;
    for (unsigned i = 0; i < md_len; i++) {
        if (i)
            out[o++] = ':';
        out[o++] = hex[md[i] >> 4];
        out[o++] = hex[md[i] & 15];
    }
    return json_stringn(out, o);
}

/* "<base64>[ <user>]" → {user, fingerprint, key} */
static json_t *key_info(const char *s, size_t n)
{
    const char *sp = memchr(s, ' ', n);
    size_t kn = sp ? (size_t)(sp - s) : n;
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "user", sp ? bytes(sp + 1, n - kn - 1) : json_string(""));
    json_object_set_new_nocheck(o, "fingerprint", fingerprint(s, kn));
    json_object_set_new_nocheck(o, "key", bytes(s, kn));
    return o;
}

/* Attribute values: the five named entities and character references. */
static char *xml_unescape(const char *p, size_t n, size_t *out_n)
{
    char *o = spy_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] != '&') {
            o[k++] = p[i++];
            continue;
        }
        const char *semi = memchr(p + i, ';', n - i < 12 ? n - i : 12);
        static const char *const names[][2] = {
            {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
        size_t len = semi ? (size_t)(semi - (p + i)) + 1 : 0;
        bool done = false;
        for (size_t j = 0; semi && j < 5 && !done; j++)
            if (len == strlen(names[j][0]) && memcmp(p + i, names[j][0], len) == 0) {
                o[k++] = names[j][1][0];
                done = true;
            }
        if (!done && semi && len > 3 && p[i + 1] == '#') {
            unsigned long cp = 0;
            bool hexa = p[i + 2] == 'x' || p[i + 2] == 'X';
            bool ok = true;
            for (size_t j = i + (hexa ? 3 : 2); j < i + len - 1 && ok; j++) {
                char c = p[j];
                int d = c >= '0' && c <= '9'           ? c - '0'
                        : hexa && c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : hexa && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                       : -1;
                ok = d >= 0 && cp < 0x110000;
                cp = cp * (hexa ? 16 : 10) + (unsigned long)(d < 0 ? 0 : d);
            }
            if (ok && cp > 0 && cp < 0x80) { /* ASCII only; others stay as written */
                o[k++] = (char)cp;
                done = true;
            }
        }
        if (done) {
            i += len;
        } else {
            o[k++] = p[i++];
        }
    }
    o[k] = '\0';
    *out_n = k;
    return o;
}

/* The value of attribute name inside one tag [p, end), or NULL. */
static char *xml_attr(const char *p, const char *end, const char *name, size_t *n)
{
    size_t nl = strlen(name);
    for (const char *q = p; q + nl + 2 <= end; q++) {
        if (!br_space(*q))
            continue;
        const char *a = q + 1;
        if ((size_t)(end - a) < nl + 2 || memcmp(a, name, nl) != 0)
            continue;
        const char *e = a + nl;
        while (e < end && br_space(*e))
            e++;
        if (e >= end || *e != '=')
            continue;
        e++;
        while (e < end && br_space(*e))
            e++;
        if (e >= end || (*e != '"' && *e != '\''))
            continue;
        const char *close = memchr(e + 1, *e, (size_t)(end - e - 1));
        if (!close)
            return NULL;
        return xml_unescape(e + 1, (size_t)(close - e - 1), n);
    }
    return NULL;
}

/* Every <adbKey key="..." lastConnection="..."/> of the keystore XML. */
static json_t *keystore_keys(const char *p, size_t n)
{
    json_t *list = json_array();
    const char *end = p + n;
    for (const char *q = p; q < end;) {
        const char *lt = memchr(q, '<', (size_t)(end - q));
        if (!lt)
            break;
        const char *gt = memchr(lt, '>', (size_t)(end - lt));
        if (!gt)
            break;
        q = gt + 1;
        if ((size_t)(gt - lt) < 8 || memcmp(lt + 1, "adbKey", 6) != 0 ||
            !(br_space(lt[7]) || lt[7] == '/' || lt[7] == '>'))
            continue;
        size_t kn = 0, cn = 0;
        char *key = xml_attr(lt + 7, gt, "key", &kn);
        if (!key)
            continue;
        char *last = xml_attr(lt + 7, gt, "lastConnection", &cn);
        json_t *info = key_info(key, kn);
        json_object_set_new_nocheck(info, "last_connected", last ? bytes(last, cn) : json_null());
        json_array_append_new(list, info);
        free(key);
        free(last);
    }
    return list;
}

static json_t *keystore_value(const json_t *ks)
{
    if (!json_is_array(ks))
        return json_incref((json_t *)ks);
    size_t total = 0, i;
    json_t *v;
    json_array_foreach(ks, i, v) total += json_string_length(v) + 1;
    char *buf = spy_xmalloc(total + 1);
    size_t o = 0;
    json_array_foreach(ks, i, v)
    {
        if (i)
            buf[o++] = '\n';
        memcpy(buf + o, json_string_value(v), json_string_length(v));
        o += json_string_length(v);
    }
    json_t *out = o >= 5 && memcmp(buf, "<?xml", 5) == 0 ? keystore_keys(buf, o) : bytes(buf, o);
    free(buf);
    return out;
}

static int parse_lf(const char *data, size_t len, json_t **out, const char **why);

/* MVT splits the adb section on \n, \r and \r\n and joins the lines with
 * \n before looking for its braces: CRLF dumps read the same. */
int spy_adb_state_parse(const char *data, size_t len, json_t **out, const char **why)
{
    if (!memchr(data, '\r', len))
        return parse_lf(data, len, out, why);
    char *lf = spy_xmalloc(len ? len : 1);
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
            continue;
        lf[k++] = data[i] == '\r' ? '\n' : data[i];
    }
    int err = parse_lf(lf, k, out, why);
    free(lf);
    return err;
}

static int parse_lf(const char *data, size_t len, json_t **out, const char **why)
{
    static const char no_service[] = "Can't find service: adb";
    br_span all = {data, len};
    *out = NULL;
    if (!len || br_contains(all, no_service)) {
        *why = "Could not load ADB data from dumpsys. It may not be supported on this device.";
        return SPY_EFORMAT;
    }
    const char *start = NULL, *last = NULL;
    for (size_t i = 0; i + 1 < len; i++) {
        if (!start && data[i] == '\n' && data[i + 1] == '{')
            start = data + i + 2;
        if (data[i] == '}' && data[i + 1] == '\n')
            last = data + i;
    }
    if (!start || !last || last - 2 < start) {
        *why = "Unable to find expected ADB entries in dumpsys output";
        return SPY_EFORMAT;
    }
    size_t n = (size_t)(last - 2 - start);
    while (n && br_space(start[n - 1]))
        n--;
    json_t *root = indented_parse(start, n);
    json_t *dm = json_object_get(root, "debugging_manager");
    if (!json_is_object(dm)) {
        json_decref(root);
        *why = "Unable to find expected ADB entries in dumpsys output";
        return SPY_EFORMAT;
    }
    json_t *ks = json_object_get(root, "keystore");
    if (!ks)
        ks = json_object_get(dm, "keystore");
    if (ks)
        json_object_set_new_nocheck(dm, "keystore", keystore_value(ks));
    json_t *uk = json_object_get(dm, "user_keys");
    json_t *infos = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(uk, i, v)
    {
        if (json_string_length(v))
            json_array_append_new(infos, key_info(json_string_value(v), json_string_length(v)));
    }
    json_object_set_new_nocheck(dm, "user_keys", infos);
    *out = json_incref(dm);
    json_decref(root);
    return SPY_OK;
}
