/* NSKeyedArchiver decoder (core/nska.h): a generic JSON resolver and an
 * allocation-light reader for Manifest.db MBFile blobs. */
#include "core/nska.h"

#include "core/bplist.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- generic decoder ---- */

typedef struct nctx {
    const json_t *objs; /* $objects */
    size_t n;
    uint8_t *onpath; /* bit per $objects index being resolved */
    uint64_t nodes;
    uint64_t max_nodes;
    char why[160];
} nctx;

enum family { F_OTHER, F_DICT, F_ARRAY, F_STRING, F_DATA, F_DATE, F_NULL };

__attribute__((format(printf, 3, 4))) static int nfail(nctx *c, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof c->why, fmt, ap);
    va_end(ap);
    return err;
}

/* plistlib's UID convention, as produced by spy_bplist_parse(). */
static bool as_uid(const json_t *v, size_t *idx)
{
    json_t *u;
    if (!json_is_object(v) || json_object_size(v) != 1 || !(u = json_object_get(v, "CF$UID")) ||
        !json_is_integer(u) || json_integer_value(u) < 0)
        return false;
    *idx = (size_t)json_integer_value(u);
    return true;
}

static int resolve(nctx *c, const json_t *v, unsigned depth, json_t **out);
static uint64_t json_nodes(const json_t *v, unsigned depth);

static int count_node(nctx *c)
{
    if (++c->nodes > c->max_nodes)
        return nfail(c, SPY_ELIMIT, "archive expands to more than %llu values",
                     (unsigned long long)c->max_nodes);
    return SPY_OK;
}

static enum family family_of(const char *name)
{
    static const struct {
        const char *name;
        enum family f;
    } tab[] = {
        {"NSDictionary", F_DICT},  {"NSMutableDictionary", F_DICT},
        {"NSArray", F_ARRAY},      {"NSMutableArray", F_ARRAY},
        {"NSSet", F_ARRAY},        {"NSMutableSet", F_ARRAY},
        {"NSOrderedSet", F_ARRAY}, {"NSMutableOrderedSet", F_ARRAY},
        {"NSString", F_STRING},    {"NSMutableString", F_STRING},
        {"NSData", F_DATA},        {"NSMutableData", F_DATA},
        {"NSDate", F_DATE},        {"NSNull", F_NULL},
    };
    for (size_t i = 0; name && i < sizeof tab / sizeof tab[0]; i++) {
        if (strcmp(name, tab[i].name) == 0)
            return tab[i].f;
    }
    return F_OTHER;
}

/* The class dict {$classname, $classes} named by an instance's $class UID;
 * the family is the first known name in the superclass chain. */
static const char *class_of(nctx *c, const json_t *inst, enum family *fam)
{
    size_t k;
    const json_t *cls;
    *fam = F_OTHER;
    if (!as_uid(json_object_get(inst, "$class"), &k) || k >= c->n)
        return NULL;
    cls = json_array_get(c->objs, k);
    const char *name = json_string_value(json_object_get(cls, "$classname"));
    const json_t *chain = json_object_get(cls, "$classes");
    *fam = family_of(name);
    for (size_t i = 0; *fam == F_OTHER && i < json_array_size(chain); i++)
        *fam = family_of(json_string_value(json_array_get(chain, i)));
    return name;
}

static int resolve_array(nctx *c, const json_t *a, unsigned depth, json_t **out)
{
    json_t *r = json_array();
    int err = SPY_OK;
    for (size_t i = 0; i < json_array_size(a) && err == SPY_OK; i++) {
        json_t *v = NULL;
        err = resolve(c, json_array_get(a, i), depth + 1, &v);
        if (err == SPY_OK)
            json_array_append_new(r, v);
    }
    if (err != SPY_OK)
        json_decref(r);
    *out = err == SPY_OK ? r : NULL;
    return err;
}

/* Fields of an object (an inline dict or an instance of an unknown class). */
static int resolve_fields(nctx *c, const json_t *o, const char *cls, unsigned depth, json_t **out)
{
    json_t *r = json_object();
    const char *key;
    json_t *v;
    int err = SPY_OK;
    json_object_foreach((json_t *)o, key, v)
    {
        json_t *rv = NULL;
        if (cls && strcmp(key, "$class") == 0)
            continue;
        err = resolve(c, v, depth + 1, &rv);
        if (err != SPY_OK)
            break;
        json_object_set_new_nocheck(r, key, rv);
    }
    if (err == SPY_OK && cls)
        json_object_set_new_nocheck(r, "$class", json_string(cls));
    if (err != SPY_OK)
        json_decref(r);
    *out = err == SPY_OK ? r : NULL;
    return err;
}

static int resolve_dict(nctx *c, const json_t *keys, const json_t *vals, unsigned depth,
                        json_t **out)
{
    json_t *r = json_object();
    int err = SPY_OK;
    for (size_t i = 0; i < json_array_size(keys) && err == SPY_OK; i++) {
        json_t *k = NULL, *v = NULL;
        err = resolve(c, json_array_get(keys, i), depth + 1, &k);
        if (err == SPY_OK && !json_is_string(k) && !json_is_integer(k))
            err = nfail(c, SPY_EFORMAT, "NSDictionary key %zu is not a string", i);
        if (err == SPY_OK)
            err = resolve(c, json_array_get(vals, i), depth + 1, &v);
        if (err == SPY_OK && json_is_string(k)) {
            json_object_setn_new_nocheck(r, json_string_value(k), json_string_length(k), v);
        } else if (err == SPY_OK) {
            char num[32];
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(k));
            json_object_set_new_nocheck(r, num, v);
        }
        json_decref(k);
    }
    if (err != SPY_OK)
        json_decref(r);
    *out = err == SPY_OK ? r : NULL;
    return err;
}

/* Known Foundation classes become plain values; a member missing or of the
 * wrong shape falls back to the generic field dump. */
static int resolve_instance(nctx *c, const json_t *o, unsigned depth, json_t **out)
{
    enum family fam;
    const char *cls = class_of(c, o, &fam);
    const json_t *a = json_object_get(o, "NS.objects"), *k = json_object_get(o, "NS.keys");
    const json_t *s = json_object_get(o, "NS.string"), *d = json_object_get(o, "NS.data");
    const json_t *t = json_object_get(o, "NS.time");
    if (fam == F_DICT && json_is_array(k) && json_is_array(a) &&
        json_array_size(k) == json_array_size(a))
        return resolve_dict(c, k, a, depth, out);
    if (fam == F_ARRAY && json_is_array(a))
        return resolve_array(c, a, depth, out);
    if (fam == F_STRING && s)
        return resolve(c, s, depth + 1, out);
    if (fam == F_DATA && d)
        return resolve(c, d, depth + 1, out);
    if (fam == F_DATE && json_is_number(t)) {
        *out = json_pack("{s:f}", "$date", json_number_value(t));
        return *out ? SPY_OK : SPY_ENOMEM;
    }
    if (fam == F_NULL) {
        *out = json_null();
        return SPY_OK;
    }
    return resolve_fields(c, o, cls ? cls : "?", depth, out);
}

static int resolve_uid(nctx *c, size_t n, unsigned depth, json_t **out)
{
    if (n >= c->n)
        return nfail(c, SPY_EFORMAT, "UID %zu out of range ($objects has %zu entries)", n, c->n);
    if (depth >= SPY_NSKA_MAX_DEPTH)
        return nfail(c, SPY_ELIMIT, "object %zu: nesting deeper than %u", n, SPY_NSKA_MAX_DEPTH);
    if (c->onpath[n / 8] & (1u << (n % 8))) {
        *out = json_pack("{s:I}", "$ref", (json_int_t)n); /* a cycle: keep the link */
        return *out ? SPY_OK : SPY_ENOMEM;
    }
    const json_t *o = json_array_get(c->objs, n);
    const char *str = json_string_value(o);
    if (str && strcmp(str, "$null") == 0) {
        *out = json_null();
        return SPY_OK;
    }
    c->onpath[n / 8] |= (uint8_t)(1u << (n % 8));
    int err = json_is_object(o) && json_object_get(o, "$class") ? resolve_instance(c, o, depth, out)
                                                                : resolve(c, o, depth, out);
    c->onpath[n / 8] &= (uint8_t) ~(1u << (n % 8));
    return err;
}

static int resolve(nctx *c, const json_t *v, unsigned depth, json_t **out)
{
    size_t n;
    *out = NULL;
    int err = count_node(c);
    if (err != SPY_OK)
        return err;
    if (depth >= SPY_NSKA_MAX_DEPTH * 2)
        return nfail(c, SPY_ELIMIT, "nesting deeper than %u", SPY_NSKA_MAX_DEPTH);
    if (as_uid(v, &n))
        return resolve_uid(c, n, depth, out);
    if (json_is_array(v))
        return resolve_array(c, v, depth, out);
    if (json_is_object(v))
        return resolve_fields(c, v, NULL, depth, out);
    *out = json_incref((json_t *)v);
    return SPY_OK;
}

int spy_nska_decode(const json_t *archive, json_t **out, char **why)
{
    nctx c;
    memset(&c, 0, sizeof c);
    int err = SPY_OK;
    const json_t *arch = json_object_get(archive, "$archiver");
    const json_t *top = json_object_get(archive, "$top");
    c.objs = json_object_get(archive, "$objects");
    *out = NULL;
    if (why)
        *why = NULL;
    if ((arch &&
         (!json_is_string(arch) || strcmp(json_string_value(arch), "NSKeyedArchiver") != 0)) ||
        !json_is_object(top) || !json_is_array(c.objs)) {
        err = nfail(&c, SPY_EFORMAT,
                    "not an NSKeyedArchiver archive (needs $archiver "
                    "\"NSKeyedArchiver\", a $top dictionary and an $objects array)");
        goto out;
    }
    c.n = json_array_size(c.objs);
    c.max_nodes = json_nodes(archive, 0) * SPY_BPLIST_NODES_PER_BYTE + 4096;
    if (c.max_nodes > SPY_BPLIST_MAX_NODES)
        c.max_nodes = SPY_BPLIST_MAX_NODES;
    c.onpath = spy_xcalloc(c.n / 8 + 1, 1);
    err = resolve_fields(&c, top, NULL, 0, out);
out:
    free(c.onpath);
    if (err != SPY_OK && why)
        *why = spy_xstrdup(c.why);
    return err;
}

int spy_nska_decode_bytes(const void *buf, size_t len, json_t **out, char **why)
{
    json_t *plist = NULL;
    int err = spy_bplist_parse(buf, len, &plist, why);
    *out = NULL;
    if (err != SPY_OK)
        return err;
    err = spy_nska_decode(plist, out, why);
    json_decref(plist);
    return err;
}

/* Values in the archive itself: resolving may visit a shared object many
 * times, but an honest archive expands to a small multiple of its size. */
static uint64_t json_nodes(const json_t *v, unsigned depth)
{
    uint64_t n = 1;
    size_t i;
    const char *k;
    json_t *e;
    if (depth > SPY_BPLIST_MAX_DEPTH)
        return n;
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) n += json_nodes(e, depth + 1);
    } else if (json_is_object(v)) {
        json_object_foreach((json_t *)v, k, e) n += 1 + json_nodes(e, depth + 1);
    }
    return n;
}

/* ---- MBFile fast path ---- */

typedef struct mbctx {
    spy_bplist bp;
    spy_bpobj objs; /* $objects */
} mbctx;

enum fkind { K_INT, K_TIME, K_STR, K_DATA };

typedef struct mbfield {
    const char *name;
    size_t len;
    enum fkind kind;
    unsigned bit;  /* K_INT */
    size_t off;    /* offset of the member in spy_mbfile */
    size_t lenoff; /* K_DATA: offset of the length member */
} mbfield;

#define F_INT(n, m, b)                                                                             \
    {                                                                                              \
        n, sizeof n - 1, K_INT, b, offsetof(spy_mbfile, m), 0                                      \
    }
#define F_TIME(n, m)                                                                               \
    {                                                                                              \
        n, sizeof n - 1, K_TIME, 0, offsetof(spy_mbfile, m), 0                                     \
    }
#define F_STR(n, m)                                                                                \
    {                                                                                              \
        n, sizeof n - 1, K_STR, 0, offsetof(spy_mbfile, m), 0                                      \
    }
#define F_DATA(n, m)                                                                               \
    {                                                                                              \
        n, sizeof n - 1, K_DATA, 0, offsetof(spy_mbfile, m), offsetof(spy_mbfile, m##_len)         \
    }

/* spec/ios.md §2.1, MBFile keys. */
static const mbfield mb_fields[] = {
    F_STR("RelativePath", relative_path),
    F_INT("Size", size, SPY_MBF_SIZE),
    F_INT("Mode", mode, SPY_MBF_MODE),
    F_INT("UserID", user_id, SPY_MBF_USER_ID),
    F_INT("GroupID", group_id, SPY_MBF_GROUP_ID),
    F_INT("InodeNumber", inode, SPY_MBF_INODE),
    F_INT("Flags", flags, SPY_MBF_FLAGS),
    F_INT("ProtectionClass", protection_class, SPY_MBF_PROTECTION_CLASS),
    F_TIME("Birth", birth),
    F_TIME("LastModified", last_modified),
    F_TIME("LastStatusChange", last_status_change),
    F_STR("Target", target),
    F_DATA("Digest", digest),
    F_DATA("EncryptionKey", encryption_key),
    F_DATA("ExtendedAttributes", xattrs),
};

/* Follows a UID through $objects (one level: archives store objects there). */
static int mb_deref(mbctx *c, spy_bpobj *v)
{
    uint64_t ref;
    if (v->type != SPY_BP_UID)
        return SPY_OK;
    if (v->uid >= c->objs.count) {
        snprintf(c->bp.why, sizeof c->bp.why,
                 "object %llu at offset 0x%llx: UID %llu out of "
                 "range ($objects has %llu entries)",
                 (unsigned long long)v->index, (unsigned long long)v->offset,
                 (unsigned long long)v->uid, (unsigned long long)c->objs.count);
        return SPY_EFORMAT;
    }
    int err = spy_bplist_ref(&c->bp, &c->objs, v->uid, &ref);
    return err == SPY_OK ? spy_bplist_object(&c->bp, ref, v) : err;
}

/* An instance such as NSData {NS.data, $class}: its member `key`, dereferenced. */
static int mb_member(mbctx *c, spy_bpobj *v, const char *key)
{
    if (v->type != SPY_BP_DICT)
        return SPY_OK;
    spy_bpobj inst = *v;
    int err = spy_bplist_dict_get(&c->bp, &inst, key, v);
    return err == SPY_OK ? mb_deref(c, v) : err;
}

static int mb_store(mbctx *c, const mbfield *f, spy_bpobj *v, spy_mbfile *m)
{
    uint8_t *base = (uint8_t *)m;
    int err = SPY_OK;
    if (f->kind == K_INT && v->type == SPY_BP_INT) {
        memcpy(base + f->off, &v->i, sizeof v->i);
        m->have |= f->bit;
    } else if (f->kind == K_TIME) {
        spy_mbtime t = {.kind = SPY_MBTIME_NONE};
        err = mb_member(c, v, "NS.time"); /* NSDate */
        if (v->type == SPY_BP_INT)
            t = (spy_mbtime){.kind = SPY_MBTIME_UNIX, .unix_secs = v->i};
        else if (v->type == SPY_BP_DATE || v->type == SPY_BP_REAL)
            t = (spy_mbtime){.kind = SPY_MBTIME_MACABS, .mac_abs = v->r};
        memcpy(base + f->off, &t, sizeof t);
    } else if (f->kind == K_STR) {
        err = mb_member(c, v, "NS.string");
        char *s = NULL, **slot = (char **)(void *)(base + f->off);
        if (err == SPY_OK && spy_bplist_string(v, &s, NULL) == SPY_OK) {
            free(*slot);
            *slot = s;
        }
    } else if (f->kind == K_DATA) {
        err = mb_member(c, v, "NS.data");
        if (err == SPY_OK && v->type == SPY_BP_DATA) {
            const uint8_t *p = v->p;
            size_t n = (size_t)v->count;
            memcpy(base + f->off, &p, sizeof p);
            memcpy(base + f->lenoff, &n, sizeof n);
        }
    }
    return err == SPY_ENOTFOUND ? SPY_OK : err;
}

static int mb_field(mbctx *c, const spy_bpobj *root, uint64_t i, spy_mbfile *m)
{
    uint64_t ref;
    spy_bpobj k, v;
    int err = spy_bplist_ref(&c->bp, root, i, &ref);
    if (err == SPY_OK)
        err = spy_bplist_object(&c->bp, ref, &k);
    if (err != SPY_OK)
        return err;
    for (size_t f = 0; f < sizeof mb_fields / sizeof mb_fields[0]; f++) {
        if (!spy_bplist_str_eq(&k, mb_fields[f].name, mb_fields[f].len))
            continue;
        err = spy_bplist_ref(&c->bp, root, root->count + i, &ref);
        if (err == SPY_OK)
            err = spy_bplist_object(&c->bp, ref, &v);
        if (err == SPY_OK)
            err = mb_deref(c, &v);
        return err == SPY_OK ? mb_store(c, &mb_fields[f], &v, m) : err;
    }
    return SPY_OK;
}

/* $top.root, or index 1 when $top names no root (MVT reads $objects[1]). */
static int mb_root(mbctx *c, const spy_bpobj *top, spy_bpobj *root)
{
    spy_bpobj t, r;
    uint64_t idx = 1, ref;
    int err = spy_bplist_dict_get(&c->bp, top, "$top", &t);
    if (err == SPY_OK)
        err = spy_bplist_dict_get(&c->bp, &t, "root", &r);
    if (err == SPY_OK && r.type == SPY_BP_UID)
        idx = r.uid;
    else if (err != SPY_ENOTFOUND && err != SPY_OK)
        return err;
    if (idx >= c->objs.count) {
        snprintf(c->bp.why, sizeof c->bp.why,
                 "MBFile root UID %llu out of range ($objects has "
                 "%llu entries)",
                 (unsigned long long)idx, (unsigned long long)c->objs.count);
        return SPY_EFORMAT;
    }
    err = spy_bplist_ref(&c->bp, &c->objs, idx, &ref);
    if (err == SPY_OK)
        err = spy_bplist_object(&c->bp, ref, root);
    if (err == SPY_OK && root->type != SPY_BP_DICT) {
        snprintf(c->bp.why, sizeof c->bp.why, "MBFile root object %llu is not a dictionary",
                 (unsigned long long)ref);
        err = SPY_EFORMAT;
    }
    return err;
}

int spy_nska_mbfile(const void *blob, size_t len, spy_mbfile *out, char **why)
{
    mbctx c;
    spy_bpobj top, root;
    memset(out, 0, sizeof *out);
    if (why)
        *why = NULL;
    int err = spy_bplist_open(&c.bp, blob, len);
    if (err == SPY_OK)
        err = spy_bplist_object(&c.bp, c.bp.top, &top);
    if (err == SPY_OK)
        err = spy_bplist_dict_get(&c.bp, &top, "$objects", &c.objs);
    if (err == SPY_OK && c.objs.type != SPY_BP_ARRAY)
        err = SPY_ENOTFOUND;
    if (err == SPY_ENOTFOUND)
        snprintf(c.bp.why, sizeof c.bp.why, "not an NSKeyedArchiver archive: no $objects array");
    if (err == SPY_ENOTFOUND)
        err = SPY_EFORMAT;
    if (err == SPY_OK)
        err = mb_root(&c, &top, &root);
    for (uint64_t i = 0; err == SPY_OK && i < root.count; i++)
        err = mb_field(&c, &root, i, out);
    if (err != SPY_OK) {
        spy_mbfile_clear(out);
        if (why)
            *why = spy_xstrdup(c.bp.why[0] ? c.bp.why : spy_err_str(err));
    }
    return err;
}

void spy_mbfile_clear(spy_mbfile *m)
{
    free(m->relative_path);
    free(m->target);
    memset(m, 0, sizeof *m);
}
