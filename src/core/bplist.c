/* Bounded binary plist reader (docs/formats/bplist.md). Layout, from
 * CoreFoundation's CFBinaryPList.c: "bplist00", objects, an offset table
 * (one big-endian offset of off_size bytes per object) and a 32-byte
 * trailer. Each object starts with a marker byte: high nibble = type, low
 * nibble = size or a 0xF escape followed by an int object holding the size. */
#include "core/bplist.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BP_HEADER  8u
#define BP_TRAILER 32u

bool spy_bplist_sniff(const void *buf, size_t len)
{
    return buf && len >= BP_HEADER && memcmp(buf, "bplist00", BP_HEADER) == 0;
}

__attribute__((format(printf, 3, 4))) static int bp_fail(spy_bplist *bp, int err, const char *fmt,
                                                         ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(bp->why, sizeof bp->why, fmt, ap);
    va_end(ap);
    return err;
}

static uint64_t be_uint(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Trailer: 5 unused bytes, sort version, offset int size, object ref size,
 * then three big-endian uint64: object count, top object, offset table. */
int spy_bplist_open(spy_bplist *bp, const void *buf, size_t len)
{
    memset(bp, 0, sizeof *bp);
    bp->buf = buf;
    bp->len = len;
    if (!buf || len < BP_HEADER || memcmp(buf, "bplist00", BP_HEADER) != 0)
        return bp_fail(bp, SPY_EFORMAT, "not a binary plist: no \"bplist00\" magic");
    if (len > SPY_BPLIST_MAX_BYTES)
        return bp_fail(bp, SPY_ELIMIT, "binary plist of %zu bytes exceeds the %u-byte limit", len,
                       SPY_BPLIST_MAX_BYTES);
    if (len < BP_HEADER + 1 + BP_TRAILER)
        return bp_fail(bp, SPY_ETRUNCATED, "binary plist of %zu bytes is too short for a trailer",
                       len);
    const uint8_t *t = bp->buf + len - BP_TRAILER;
    bp->off_size = t[6];
    bp->ref_size = t[7];
    bp->nobj = be_uint(t + 8, 8);
    bp->top = be_uint(t + 16, 8);
    bp->otab = be_uint(t + 24, 8);
    uint64_t area_end = len - BP_TRAILER;
    if (bp->off_size < 1 || bp->off_size > 8)
        return bp_fail(bp, SPY_EFORMAT, "trailer: offset size %u not in 1..8", bp->off_size);
    if (bp->ref_size < 1 || bp->ref_size > 8)
        return bp_fail(bp, SPY_EFORMAT, "trailer: object reference size %u not in 1..8",
                       bp->ref_size);
    if (bp->nobj < 1 || bp->nobj > SPY_BPLIST_MAX_OBJECTS)
        return bp_fail(bp, bp->nobj ? SPY_ELIMIT : SPY_EFORMAT,
                       "trailer: object count %llu not in 1..%u", (unsigned long long)bp->nobj,
                       SPY_BPLIST_MAX_OBJECTS);
    if (bp->top >= bp->nobj)
        return bp_fail(bp, SPY_EFORMAT, "trailer: top object %llu out of range (%llu objects)",
                       (unsigned long long)bp->top, (unsigned long long)bp->nobj);
    if (bp->otab < BP_HEADER + 1 || bp->otab > area_end ||
        bp->nobj > (area_end - bp->otab) / bp->off_size)
        return bp_fail(bp, SPY_EFORMAT,
                       "trailer: offset table at 0x%llx (%llu entries of %u bytes) does not fit "
                       "in the %zu-byte file",
                       (unsigned long long)bp->otab, (unsigned long long)bp->nobj, bp->off_size,
                       len);
    return SPY_OK;
}

/* Reads an int object used as a length (marker 0x1n, n = 0..3) at *pos. */
static int read_len(spy_bplist *bp, const spy_bpobj *o, uint64_t *pos, uint64_t *out)
{
    if (*pos >= bp->otab)
        return bp_fail(bp, SPY_ETRUNCATED,
                       "object %llu at offset 0x%llx: length runs past the "
                       "object area",
                       (unsigned long long)o->index, (unsigned long long)o->offset);
    uint8_t m = bp->buf[*pos];
    unsigned n = 1u << (m & 0xf);
    if ((m >> 4) != 1 || (m & 0xf) > 3 || n > bp->otab - *pos - 1)
        return bp_fail(bp, SPY_EFORMAT, "object %llu at offset 0x%llx: bad length marker 0x%02x",
                       (unsigned long long)o->index, (unsigned long long)o->offset, m);
    uint64_t v = be_uint(bp->buf + *pos + 1, n);
    if (v > INT64_MAX)
        return bp_fail(bp, SPY_EFORMAT, "object %llu at offset 0x%llx: negative length",
                       (unsigned long long)o->index, (unsigned long long)o->offset);
    *pos += 1 + n;
    *out = v;
    return SPY_OK;
}

/* Checks that `count` items of `unit` bytes fit between pos and the offset
 * table (objects never overlap the table in CF's writer). */
static int need(spy_bplist *bp, const spy_bpobj *o, uint64_t pos, uint64_t count, unsigned unit)
{
    if (pos <= bp->otab && count <= (bp->otab - pos) / unit)
        return SPY_OK;
    return bp_fail(bp, SPY_ETRUNCATED,
                   "object %llu at offset 0x%llx: %llu items of %u bytes "
                   "run past the object area (ends at 0x%llx)",
                   (unsigned long long)o->index, (unsigned long long)o->offset,
                   (unsigned long long)count, unit, (unsigned long long)bp->otab);
}

static int bad_marker(spy_bplist *bp, const spy_bpobj *o, uint8_t m)
{
    return bp_fail(bp, SPY_EFORMAT, "object %llu at offset 0x%llx: unknown marker 0x%02x",
                   (unsigned long long)o->index, (unsigned long long)o->offset, m);
}

static int obj_simple(spy_bplist *bp, spy_bpobj *o, uint8_t m)
{
    switch (m) {
    case 0x00: o->type = SPY_BP_NULL; return SPY_OK;
    case 0x08:
        o->type = SPY_BP_BOOL;
        o->i = 0;
        return SPY_OK;
    case 0x09:
        o->type = SPY_BP_BOOL;
        o->i = 1;
        return SPY_OK;
    case 0x0f: o->type = SPY_BP_FILL; return SPY_OK;
    default: return bad_marker(bp, o, m);
    }
}

/* Ints: 1, 2 and 4 bytes are unsigned, 8 bytes signed; 16 bytes are written
 * by CF for values >= 2^63: keep the low 64 bits (docs/formats/bplist.md). */
static int obj_int(spy_bplist *bp, spy_bpobj *o, uint8_t m, uint64_t pos)
{
    unsigned n = 1u << (m & 0xf);
    if ((m & 0xf) > 4)
        return bad_marker(bp, o, m);
    int err = need(bp, o, pos, n, 1);
    if (err != SPY_OK)
        return err;
    uint64_t v = be_uint(bp->buf + pos + (n == 16 ? 8 : 0), n == 16 ? 8 : n);
    o->type = SPY_BP_INT;
    o->i = (int64_t)v; /* implementation-defined only for n >= 8: two's complement */
    return SPY_OK;
}

static int obj_real(spy_bplist *bp, spy_bpobj *o, uint8_t m, uint64_t pos)
{
    unsigned n = 1u << (m & 0xf);
    if ((m & 0xf) != 2 && (m & 0xf) != 3)
        return bad_marker(bp, o, m);
    int err = need(bp, o, pos, n, 1);
    if (err != SPY_OK)
        return err;
    uint64_t v = be_uint(bp->buf + pos, n);
    if (n == 4) {
        uint32_t w = (uint32_t)v;
        float f;
        memcpy(&f, &w, sizeof f);
        o->r = f;
    } else {
        memcpy(&o->r, &v, sizeof o->r);
    }
    o->type = (m >> 4) == 3 ? SPY_BP_DATE : SPY_BP_REAL;
    return SPY_OK;
}

static int obj_uid(spy_bplist *bp, spy_bpobj *o, uint8_t m, uint64_t pos)
{
    unsigned n = (m & 0xf) + 1u;
    if (n > 8)
        return bp_fail(bp, SPY_EFORMAT, "object %llu at offset 0x%llx: UID of %u bytes",
                       (unsigned long long)o->index, (unsigned long long)o->offset, n);
    int err = need(bp, o, pos, n, 1);
    if (err != SPY_OK)
        return err;
    o->type = SPY_BP_UID;
    o->uid = be_uint(bp->buf + pos, n);
    return SPY_OK;
}

/* data, strings and containers: a count, then count units. */
static int obj_sized(spy_bplist *bp, spy_bpobj *o, uint8_t m, uint64_t pos)
{
    static const spy_bptype types[16] = {
        [4] = SPY_BP_DATA,  [5] = SPY_BP_ASCII, [6] = SPY_BP_UTF16, [0xa] = SPY_BP_ARRAY,
        [0xb] = SPY_BP_SET, [0xc] = SPY_BP_SET, [0xd] = SPY_BP_DICT};
    unsigned hi = m >> 4;
    uint64_t count = m & 0xf;
    int err = SPY_OK;
    if (count == 0xf)
        err = read_len(bp, o, &pos, &count);
    if (err != SPY_OK)
        return err;
    o->type = types[hi];
    unsigned unit = hi == 6 ? 2 : hi >= 0xa ? bp->ref_size : 1;
    uint64_t units = count;
    if (hi == 0xd) {
        if (count > UINT64_MAX / 2)
            return need(bp, o, pos, UINT64_MAX, unit);
        units = count * 2;
    }
    err = need(bp, o, pos, units, unit);
    if (err != SPY_OK)
        return err;
    o->p = bp->buf + pos;
    o->count = count;
    return SPY_OK;
}

/* The offset of object idx from the offset table; objects live between the
 * header and the table. */
static int obj_offset(spy_bplist *bp, uint64_t idx, uint64_t *off)
{
    if (idx >= bp->nobj)
        return bp_fail(bp, SPY_EFORMAT, "reference %llu out of range (%llu objects)",
                       (unsigned long long)idx, (unsigned long long)bp->nobj);
    *off = be_uint(bp->buf + bp->otab + idx * bp->off_size, bp->off_size);
    if (*off < BP_HEADER || *off >= bp->otab)
        return bp_fail(bp, SPY_EFORMAT,
                       "object %llu: offset 0x%llx outside the object area "
                       "0x8..0x%llx",
                       (unsigned long long)idx, (unsigned long long)*off,
                       (unsigned long long)bp->otab);
    return SPY_OK;
}

int spy_bplist_object(spy_bplist *bp, uint64_t idx, spy_bpobj *o)
{
    memset(o, 0, sizeof *o);
    o->index = idx;
    int err = obj_offset(bp, idx, &o->offset);
    if (err != SPY_OK)
        return err;
    uint8_t m = bp->buf[o->offset];
    uint64_t pos = o->offset + 1;
    switch (m >> 4) {
    case 0x0: return obj_simple(bp, o, m);
    case 0x1: return obj_int(bp, o, m, pos);
    case 0x2: return obj_real(bp, o, m, pos);
    case 0x3: return m == 0x33 ? obj_real(bp, o, 0x33, pos) : bad_marker(bp, o, m);
    case 0x8: return obj_uid(bp, o, m, pos);
    case 0x4:
    case 0x5:
    case 0x6:
    case 0xa:
    case 0xb:
    case 0xc:
    case 0xd: return obj_sized(bp, o, m, pos);
    default: return bad_marker(bp, o, m);
    }
}

int spy_bplist_ref(spy_bplist *bp, const spy_bpobj *c, uint64_t slot, uint64_t *ref)
{
    uint64_t slots = c->type == SPY_BP_DICT ? c->count * 2 : c->count;
    if (c->type < SPY_BP_ARRAY || slot >= slots)
        return bp_fail(bp, SPY_EINTERNAL, "object %llu: no slot %llu", (unsigned long long)c->index,
                       (unsigned long long)slot);
    *ref = be_uint(c->p + slot * bp->ref_size, bp->ref_size);
    if (*ref >= bp->nobj)
        return bp_fail(bp, SPY_EFORMAT,
                       "object %llu at offset 0x%llx: reference %llu out of "
                       "range (%llu objects)",
                       (unsigned long long)c->index, (unsigned long long)c->offset,
                       (unsigned long long)*ref, (unsigned long long)bp->nobj);
    return SPY_OK;
}

bool spy_bplist_str_eq(const spy_bpobj *o, const char *key, size_t n)
{
    if (o->count != n)
        return false;
    if (o->type == SPY_BP_ASCII)
        return memcmp(o->p, key, n) == 0;
    if (o->type != SPY_BP_UTF16)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (o->p[2 * i] != 0 || o->p[2 * i + 1] != (uint8_t)key[i])
            return false;
    }
    return true;
}

int spy_bplist_dict_get(spy_bplist *bp, const spy_bpobj *d, const char *key, spy_bpobj *val)
{
    size_t n = strlen(key);
    spy_bpobj k;
    uint64_t ref;
    if (d->type != SPY_BP_DICT)
        return bp_fail(bp, SPY_EFORMAT, "object %llu at offset 0x%llx: not a dictionary",
                       (unsigned long long)d->index, (unsigned long long)d->offset);
    for (uint64_t i = 0; i < d->count; i++) {
        int err = spy_bplist_ref(bp, d, i, &ref);
        if (err == SPY_OK)
            err = spy_bplist_object(bp, ref, &k);
        if (err != SPY_OK)
            return err;
        if (!spy_bplist_str_eq(&k, key, n))
            continue;
        err = spy_bplist_ref(bp, d, d->count + i, &ref);
        return err == SPY_OK ? spy_bplist_object(bp, ref, val) : err;
    }
    return SPY_ENOTFOUND;
}

/* ---- strings ---- */

static size_t put_utf8(uint8_t *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (uint8_t)(0xc0 | (c >> 6));
        o[1] = (uint8_t)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (uint8_t)(0xe0 | (c >> 12));
        o[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (uint8_t)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (uint8_t)(0xf0 | (c >> 18));
    o[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
    o[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
    o[3] = (uint8_t)(0x80 | (c & 0x3f));
    return 4;
}

/* UTF-16BE -> UTF-8; a surrogate without its partner becomes U+FFFD.
 * At most 3 output bytes per input unit (a pair: 4 bytes for 2 units). */
static size_t utf16_to_utf8(const uint8_t *p, uint64_t units, uint8_t *o)
{
    size_t n = 0;
    for (uint64_t i = 0; i < units; i++) {
        uint32_t c = (uint32_t)p[2 * i] << 8 | p[2 * i + 1];
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < units) {
            uint32_t d = (uint32_t)p[2 * i + 2] << 8 | p[2 * i + 3];
            if (d >= 0xdc00 && d <= 0xdfff) {
                c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
                i++;
            } else {
                c = 0xfffd;
            }
        } else if (c >= 0xd800 && c <= 0xdfff) {
            c = 0xfffd;
        }
        n += put_utf8(o + n, c);
    }
    return n;
}

int spy_bplist_string(const spy_bpobj *o, char **out, size_t *len)
{
    size_t n = 0;
    uint8_t *s;
    *out = NULL;
    if (o->type == SPY_BP_ASCII) {
        s = spy_xmalloc((size_t)o->count * 2 + 1);
        for (uint64_t i = 0; i < o->count; i++)
            n += put_utf8(s + n, o->p[i]); /* bytes >= 0x80 read as Latin-1 */
    } else if (o->type == SPY_BP_UTF16) {
        s = spy_xmalloc((size_t)o->count * 3 + 1);
        n = utf16_to_utf8(o->p, o->count, s);
    } else {
        return SPY_EFORMAT;
    }
    s[n] = 0;
    *out = (char *)s;
    if (len)
        *len = n;
    return SPY_OK;
}

/* ---- conversion to JSON ---- */

typedef struct conv {
    spy_bplist bp;
    uint8_t *onpath; /* bit per object: container being expanded (cycle check) */
    uint64_t nodes;
    uint64_t max_nodes;
    uint64_t bytes;
} conv;

static int conv_value(conv *c, uint64_t idx, unsigned depth, json_t **out);

static int charge(conv *c, const spy_bpobj *o, uint64_t bytes)
{
    if (++c->nodes > c->max_nodes)
        return bp_fail(&c->bp, SPY_ELIMIT,
                       "object %llu at offset 0x%llx: more than %llu values "
                       "(shared objects expanded)",
                       (unsigned long long)o->index, (unsigned long long)o->offset,
                       (unsigned long long)c->max_nodes);
    c->bytes += bytes;
    if (c->bytes > SPY_BPLIST_MAX_OUTPUT_BYTES)
        return bp_fail(&c->bp, SPY_ELIMIT,
                       "object %llu at offset 0x%llx: decoded strings and "
                       "data exceed %u bytes",
                       (unsigned long long)o->index, (unsigned long long)o->offset,
                       SPY_BPLIST_MAX_OUTPUT_BYTES);
    return SPY_OK;
}

static json_t *tagged(const char *tag, json_t *v)
{
    json_t *o = json_object();
    json_object_set_new_nocheck(o, tag, v);
    return o;
}

static json_t *real_value(double r, const char *tag)
{
    if (isfinite(r))
        return tag ? tagged(tag, json_real(r)) : json_real(r);
    const char *s = isnan(r) ? "nan" : r > 0 ? "inf" : "-inf";
    return tagged(tag ? tag : "$real", json_string(s));
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static json_t *data_value(const uint8_t *p, uint64_t n)
{
    char *s = spy_xmalloc((size_t)(n + 2) / 3 * 4 + 1);
    size_t k = 0;
    for (uint64_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        s[k++] = b64[v >> 18];
        s[k++] = b64[(v >> 12) & 63];
        s[k++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        s[k++] = i + 2 < n ? b64[v & 63] : '=';
    }
    json_t *j = tagged("$data", json_stringn_nocheck(s, k));
    free(s);
    return j;
}

static json_t *string_value(const spy_bpobj *o)
{
    char *s = NULL;
    size_t n = 0;
    spy_bplist_string(o, &s, &n);
    json_t *j = json_stringn_nocheck(s, n);
    free(s);
    return j;
}

static int conv_scalar(conv *c, const spy_bpobj *o, json_t **out)
{
    uint64_t bytes = o->type == SPY_BP_UTF16 ? o->count * 3 : o->count;
    int err = charge(c, o, o->type >= SPY_BP_DATA && o->type <= SPY_BP_UTF16 ? bytes : 8);
    if (err != SPY_OK)
        return err;
    switch (o->type) {
    case SPY_BP_BOOL: *out = json_boolean(o->i); break;
    case SPY_BP_INT: *out = json_integer(o->i); break;
    case SPY_BP_REAL: *out = real_value(o->r, NULL); break;
    case SPY_BP_DATE: *out = real_value(o->r, "$date"); break;
    case SPY_BP_DATA: *out = data_value(o->p, o->count); break;
    case SPY_BP_ASCII:
    case SPY_BP_UTF16: *out = string_value(o); break;
    case SPY_BP_UID: *out = tagged("CF$UID", json_integer((json_int_t)o->uid)); break;
    default: *out = json_null(); break;
    }
    return *out ? SPY_OK : SPY_ENOMEM;
}

static int conv_array(conv *c, const spy_bpobj *o, unsigned depth, json_t **out)
{
    json_t *a = json_array();
    int err = SPY_OK;
    for (uint64_t i = 0; i < o->count && err == SPY_OK; i++) {
        uint64_t ref;
        json_t *v = NULL;
        err = spy_bplist_ref(&c->bp, o, i, &ref);
        if (err == SPY_OK)
            err = conv_value(c, ref, depth + 1, &v);
        if (err == SPY_OK)
            json_array_append_new(a, v);
    }
    if (err != SPY_OK)
        json_decref(a);
    *out = err == SPY_OK ? a : NULL;
    return err;
}

static int conv_key(conv *c, const spy_bpobj *d, uint64_t i, char **key, size_t *len)
{
    uint64_t ref;
    spy_bpobj k;
    int err = spy_bplist_ref(&c->bp, d, i, &ref);
    if (err == SPY_OK)
        err = spy_bplist_object(&c->bp, ref, &k);
    if (err == SPY_OK)
        err = charge(c, &k, k.type == SPY_BP_UTF16 ? k.count * 3 : k.count);
    if (err == SPY_OK && spy_bplist_string(&k, key, len) != SPY_OK)
        err = bp_fail(&c->bp, SPY_EFORMAT,
                      "object %llu at offset 0x%llx: dictionary key %llu "
                      "(object %llu) is not a string",
                      (unsigned long long)d->index, (unsigned long long)d->offset,
                      (unsigned long long)i, (unsigned long long)ref);
    return err;
}

static int conv_dict(conv *c, const spy_bpobj *o, unsigned depth, json_t **out)
{
    json_t *d = json_object();
    int err = SPY_OK;
    for (uint64_t i = 0; i < o->count && err == SPY_OK; i++) {
        char *key = NULL;
        size_t klen = 0;
        uint64_t ref;
        json_t *v = NULL;
        err = conv_key(c, o, i, &key, &klen);
        if (err == SPY_OK)
            err = spy_bplist_ref(&c->bp, o, o->count + i, &ref);
        if (err == SPY_OK)
            err = conv_value(c, ref, depth + 1, &v);
        if (err == SPY_OK)
            json_object_setn_new_nocheck(d, key, klen, v);
        free(key);
    }
    if (err != SPY_OK)
        json_decref(d);
    *out = err == SPY_OK ? d : NULL;
    return err;
}

static int conv_value(conv *c, uint64_t idx, unsigned depth, json_t **out)
{
    spy_bpobj o;
    *out = NULL;
    int err = spy_bplist_object(&c->bp, idx, &o);
    if (err != SPY_OK)
        return err;
    if (o.type < SPY_BP_ARRAY)
        return conv_scalar(c, &o, out);
    if (depth >= SPY_BPLIST_MAX_DEPTH)
        return bp_fail(&c->bp, SPY_ELIMIT, "object %llu at offset 0x%llx: nesting deeper than %u",
                       (unsigned long long)idx, (unsigned long long)o.offset, SPY_BPLIST_MAX_DEPTH);
    if (c->onpath[idx / 8] & (1u << (idx % 8)))
        return bp_fail(&c->bp, SPY_EFORMAT,
                       "object %llu at offset 0x%llx: reference cycle "
                       "(the object contains itself)",
                       (unsigned long long)idx, (unsigned long long)o.offset);
    err = charge(c, &o, 0);
    if (err != SPY_OK)
        return err;
    c->onpath[idx / 8] |= (uint8_t)(1u << (idx % 8));
    err = o.type == SPY_BP_DICT ? conv_dict(c, &o, depth, out) : conv_array(c, &o, depth, out);
    c->onpath[idx / 8] &= (uint8_t) ~(1u << (idx % 8));
    return err;
}

int spy_bplist_parse(const void *buf, size_t len, json_t **out, char **why)
{
    conv c;
    memset(&c, 0, sizeof c);
    *out = NULL;
    if (why)
        *why = NULL;
    int err = spy_bplist_open(&c.bp, buf, len);
    if (err == SPY_OK) {
        c.onpath = spy_xcalloc((size_t)(c.bp.nobj + 7) / 8, 1);
        c.max_nodes = (uint64_t)len * SPY_BPLIST_NODES_PER_BYTE + 4096;
        if (c.max_nodes > SPY_BPLIST_MAX_NODES)
            c.max_nodes = SPY_BPLIST_MAX_NODES;
        err = conv_value(&c, c.bp.top, 0, out);
        free(c.onpath);
    }
    if (err != SPY_OK && why)
        *why = spy_xstrdup(c.bp.why);
    return err;
}
