/* Binary plist writer for fixtures (bplist_writer.h). */
#include "bplist_writer.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct bpw_raw {
    unsigned ref_size;
    uint8_t *buf; /* object bytes, header included */
    size_t len, cap;
    uint64_t *offs;
    size_t n, ocap;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

static void put(bpw_raw *r, const void *b, size_t n)
{
    if (r->len + n > r->cap) {
        while (r->len + n > r->cap)
            r->cap = r->cap ? r->cap * 2 : 256;
        r->buf = xrealloc(r->buf, r->cap);
    }
    memcpy(r->buf + r->len, b, n);
    r->len += n;
}

static void put_be(bpw_raw *r, uint64_t v, unsigned n)
{
    uint8_t b[8];
    for (unsigned i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    put(r, b, n);
}

bpw_raw *bpw_raw_new(unsigned ref_size)
{
    bpw_raw *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->ref_size = ref_size;
    put(r, "bplist00", 8);
    return r;
}

uint64_t bpw_raw_next(const bpw_raw *r)
{
    return r->n;
}

static uint64_t begin(bpw_raw *r)
{
    if (r->n == r->ocap) {
        r->ocap = r->ocap ? r->ocap * 2 : 64;
        r->offs = xrealloc(r->offs, r->ocap * sizeof *r->offs);
    }
    r->offs[r->n] = r->len;
    return r->n++;
}

uint64_t bpw_raw_add(bpw_raw *r, const void *bytes, size_t n)
{
    uint64_t i = begin(r);
    put(r, bytes, n);
    return i;
}

static void put_int_body(bpw_raw *r, int64_t v)
{
    if (v >= 0 && v <= 0xff) {
        put_be(r, 0x10, 1);
        put_be(r, (uint64_t)v, 1);
    } else if (v >= 0 && v <= 0xffff) {
        put_be(r, 0x11, 1);
        put_be(r, (uint64_t)v, 2);
    } else if (v >= 0 && v <= 0xffffffffLL) {
        put_be(r, 0x12, 1);
        put_be(r, (uint64_t)v, 4);
    } else {
        put_be(r, 0x13, 1);
        put_be(r, (uint64_t)v, 8);
    }
}

/* Marker with the count in the low nibble, or 0xF and an int object. */
static void put_marker(bpw_raw *r, unsigned type, uint64_t count)
{
    if (count < 15) {
        put_be(r, (type << 4) | count, 1);
    } else {
        put_be(r, (type << 4) | 0xf, 1);
        put_int_body(r, (int64_t)count);
    }
}

uint64_t bpw_raw_int(bpw_raw *r, int64_t v)
{
    uint64_t i = begin(r);
    put_int_body(r, v);
    return i;
}

uint64_t bpw_raw_ascii(bpw_raw *r, const char *s)
{
    uint64_t i = begin(r);
    put_marker(r, 5, strlen(s));
    put(r, s, strlen(s));
    return i;
}

uint64_t bpw_raw_uid(bpw_raw *r, uint64_t uid)
{
    uint64_t i = begin(r);
    unsigned n = uid <= 0xff ? 1 : uid <= 0xffff ? 2 : uid <= 0xffffffffu ? 4 : 8;
    put_be(r, 0x80 | (n - 1), 1);
    put_be(r, uid, n);
    return i;
}

uint64_t bpw_raw_array(bpw_raw *r, const uint64_t *refs, size_t n)
{
    uint64_t i = begin(r);
    put_marker(r, 0xa, n);
    for (size_t k = 0; k < n; k++)
        put_be(r, refs[k], r->ref_size);
    return i;
}

uint64_t bpw_raw_dict(bpw_raw *r, const uint64_t *keys, const uint64_t *vals, size_t n)
{
    uint64_t i = begin(r);
    put_marker(r, 0xd, n);
    for (size_t k = 0; k < n; k++)
        put_be(r, keys[k], r->ref_size);
    for (size_t k = 0; k < n; k++)
        put_be(r, vals[k], r->ref_size);
    return i;
}

static unsigned width_for(uint64_t max)
{
    return max <= 0xff ? 1 : max <= 0xffff ? 2 : max <= 0xffffffffu ? 4 : 8;
}

void bpw_raw_finish(bpw_raw *r, uint64_t top, unsigned offset_size, uint8_t **out, size_t *len)
{
    uint64_t otab = r->len;
    unsigned os = offset_size ? offset_size : width_for(otab);
    for (size_t i = 0; i < r->n; i++)
        put_be(r, r->offs[i], os);
    uint8_t z[6] = {0};
    put(r, z, 6);
    put_be(r, os, 1);
    put_be(r, r->ref_size, 1);
    put_be(r, r->n, 8);
    put_be(r, top, 8);
    put_be(r, otab, 8);
    *out = r->buf;
    *len = r->len;
    free(r->offs);
    free(r);
}

/* ---- JSON -> plist ---- */

/* One conventional tag: {"$date": x} and the like. */
static const json_t *tag_of(const json_t *v, const char *tag)
{
    if (!json_is_object(v) || json_object_size(v) != 1)
        return NULL;
    return json_object_get(v, tag);
}

static bool is_scalar_tagged(const json_t *v)
{
    return tag_of(v, "$date") || tag_of(v, "$data") || tag_of(v, "CF$UID");
}

/* Objects in the subtree (each value one object; dict keys one each). */
static uint64_t count_objects(const json_t *v)
{
    const json_t *set = tag_of(v, "$set");
    if (set)
        return count_objects(set);
    if (is_scalar_tagged(v) || (!json_is_array(v) && !json_is_object(v)))
        return 1;
    uint64_t n = 1;
    size_t i;
    const char *k;
    json_t *e;
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) n += count_objects(e);
    } else {
        json_object_foreach((json_t *)v, k, e) n += 1 + count_objects(e);
    }
    return n;
}

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

static uint8_t *b64dec(const char *s, size_t *n)
{
    size_t len = strlen(s), k = 0;
    uint8_t *o = malloc(len / 4 * 3 + 3);
    uint32_t acc = 0;
    int bits = 0;
    if (!o)
        abort();
    for (size_t i = 0; i < len; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[k++] = (uint8_t)(acc >> bits);
        }
    }
    *n = k;
    return o;
}

/* UTF-8 (valid, from jansson) -> UTF-16BE code units. */
static void put_string(bpw_raw *r, const char *s, size_t n)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        ascii = ascii && (unsigned char)s[i] < 0x80;
    if (ascii) {
        put_marker(r, 5, n);
        put(r, s, n);
        return;
    }
    uint16_t *u = malloc(n * 2 * sizeof *u + 2);
    size_t k = 0;
    if (!u)
        abort();
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        cp = extra ? c & (0x3f >> extra) : c;
        for (int j = 1; j <= extra && i + (size_t)j < n; j++)
            cp = (cp << 6) | ((unsigned char)s[i + (size_t)j] & 0x3f);
        i += (size_t)extra + 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            u[k++] = (uint16_t)(0xd800 + (cp >> 10));
            u[k++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
        } else {
            u[k++] = (uint16_t)cp;
        }
    }
    put_marker(r, 6, k);
    for (size_t i = 0; i < k; i++)
        put_be(r, u[i], 2);
    free(u);
}

static void put_real(bpw_raw *r, unsigned marker, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    put_be(r, marker, 1);
    put_be(r, bits, 8);
}

static uint64_t emit(bpw_raw *r, const json_t *v);

static void emit_scalar(bpw_raw *r, const json_t *v)
{
    const json_t *t;
    if ((t = tag_of(v, "$date"))) {
        put_real(r, 0x33, json_number_value(t));
    } else if ((t = tag_of(v, "$data"))) {
        size_t n;
        uint8_t *d = b64dec(json_string_value(t) ? json_string_value(t) : "", &n);
        put_marker(r, 4, n);
        put(r, d, n);
        free(d);
    } else if ((t = tag_of(v, "CF$UID"))) {
        uint64_t uid = (uint64_t)json_integer_value(t);
        unsigned n = width_for(uid);
        put_be(r, 0x80 | (n - 1), 1);
        put_be(r, uid, n);
    } else if (json_is_null(v)) {
        put_be(r, 0x00, 1);
    } else if (json_is_boolean(v)) {
        put_be(r, json_is_true(v) ? 0x09 : 0x08, 1);
    } else if (json_is_integer(v)) {
        put_int_body(r, json_integer_value(v));
    } else if (json_is_real(v)) {
        put_real(r, 0x23, json_real_value(v));
    } else {
        put_string(r, json_string_value(v), json_string_length(v));
    }
}

/* Containers are written after their children: reserve the index first
 * (preorder numbering), collect child refs, then write the body. Bodies are
 * laid out in the buffer in postorder; the offset table maps the rest. */
static uint64_t emit_container(bpw_raw *r, const json_t *v, unsigned type)
{
    uint64_t idx = begin(r);
    size_t n = json_is_array(v) ? json_array_size(v) : json_object_size(v);
    uint64_t *refs = malloc((2 * n + 1) * sizeof *refs);
    size_t i = 0;
    const char *k;
    json_t *e;
    if (!refs)
        abort();
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) refs[i] = emit(r, e);
    } else {
        json_object_foreach((json_t *)v, k, e)
        {
            refs[i] = begin(r);
            put_string(r, k, strlen(k));
            refs[n + i] = emit(r, e);
            i++;
        }
    }
    r->offs[idx] = r->len;
    put_marker(r, type, n);
    for (size_t j = 0; j < (type == 0xd ? 2 * n : n); j++)
        put_be(r, refs[j], r->ref_size);
    free(refs);
    return idx;
}

static uint64_t emit(bpw_raw *r, const json_t *v)
{
    const json_t *set = tag_of(v, "$set");
    if (set)
        return emit_container(r, set, 0xc);
    if (json_is_array(v))
        return emit_container(r, v, 0xa);
    if (json_is_object(v) && !is_scalar_tagged(v))
        return emit_container(r, v, 0xd);
    uint64_t idx = begin(r);
    emit_scalar(r, v);
    return idx;
}

int bpw_write(const json_t *v, const bpw_opts *opts, uint8_t **out, size_t *len)
{
    uint64_t n = count_objects(v);
    unsigned rs = opts && opts->ref_size ? opts->ref_size : width_for(n);
    bpw_raw *r = bpw_raw_new(rs);
    uint64_t top = emit(r, v);
    bpw_raw_finish(r, top, opts ? opts->offset_size : 0, out, len);
    return 0;
}

/* ---- MBFile ---- */

static json_t *uid(size_t n)
{
    return json_pack("{s:I}", "CF$UID", (json_int_t)n);
}

static json_t *data_json(const uint8_t *p, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *s = malloc((n + 2) / 3 * 4 + 1);
    size_t k = 0;
    if (!s)
        abort();
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        s[k++] = t[v >> 18];
        s[k++] = t[(v >> 12) & 63];
        s[k++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
        s[k++] = i + 2 < n ? t[v & 63] : '=';
    }
    s[k] = 0;
    json_t *j = json_pack("{s:s}", "$data", s);
    free(s);
    return j;
}

json_t *bpw_mbfile_json(const bpw_mbfile *m)
{
    json_t *objs = json_array();
    json_t *f = json_object();
    json_array_append_new(objs, json_string("$null"));
    json_array_append_new(objs, f);
    json_object_set_new(f, "LastModified", json_integer(m->last_modified));
    json_object_set_new(f, "Flags", json_integer(m->flags));
    json_object_set_new(f, "GroupID", json_integer(m->group_id));
    json_object_set_new(f, "LastStatusChange", json_integer(m->last_status_change));
    json_object_set_new(f, "Birth", json_integer(m->birth));
    json_object_set_new(f, "Size", json_integer(m->size));
    json_object_set_new(f, "InodeNumber", json_integer(m->inode));
    json_object_set_new(f, "Mode", json_integer(m->mode));
    json_object_set_new(f, "UserID", json_integer(m->user_id));
    json_object_set_new(f, "ProtectionClass", json_integer(m->protection_class));
    json_object_set_new(f, "RelativePath", uid(json_array_size(objs)));
    json_array_append_new(objs, json_string(m->relative_path ? m->relative_path : ""));
    if (m->target) {
        json_object_set_new(f, "Target", uid(json_array_size(objs)));
        json_array_append_new(objs, json_string(m->target));
    }
    if (m->digest)
        json_object_set_new(f, "Digest", data_json(m->digest, m->digest_len));
    if (m->encryption_key) {
        size_t ek = json_array_size(objs);
        json_object_set_new(f, "EncryptionKey", uid(ek));
        json_array_append_new(objs, json_pack("{s:o,s:o}", "NS.data",
                                              data_json(m->encryption_key, m->encryption_key_len),
                                              "$class", uid(ek + 1)));
        json_array_append_new(objs, json_pack("{s:s,s:[s,s,s]}", "$classname", "NSMutableData",
                                              "$classes", "NSMutableData", "NSData", "NSObject"));
    }
    json_object_set_new(f, "$class", uid(json_array_size(objs)));
    json_array_append_new(
        objs, json_pack("{s:s,s:[s,s]}", "$classname", "MBFile", "$classes", "MBFile", "NSObject"));
    return json_pack("{s:I,s:s,s:{s:o},s:o}", "$version", (json_int_t)100000, "$archiver",
                     "NSKeyedArchiver", "$top", "root", uid(1), "$objects", objs);
}

int bpw_mbfile_blob(const bpw_mbfile *m, uint8_t **out, size_t *len)
{
    json_t *j = bpw_mbfile_json(m);
    int rc = bpw_write(j, NULL, out, len);
    json_decref(j);
    return rc;
}
