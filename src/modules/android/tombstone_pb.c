/* Protobuf tombstones (AOSP debuggerd/proto/tombstone.proto), read with a
 * small bounded wire-format reader (design.md §7) for the fields MVT keeps
 * (spec/android.md §4.13). Every read checks the bytes left first; nested
 * messages are read from their own bounded slice, at most 3 deep. Missing
 * fields take proto3 defaults, as betterproto's to_dict gives them. */
#include "modules/android/tombstone_parse.h"

#include "core/error.h"
#include "core/mem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef struct pb {
    const unsigned char *p, *end;
} pb;

typedef struct pb_field {
    uint32_t num;
    int wt;
    uint64_t v;                /* varint and fixed values */
    const unsigned char *data; /* length-delimited payload */
    size_t len;
} pb_field;

static bool pb_varint(pb *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (r->p >= r->end)
            return false;
        unsigned char b = *r->p++;
        if (shift == 63 && (b & 0x7E))
            return false; /* more than 64 bits */
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* The next field; false at the end (*bad set when the bytes are not a
 * valid message). */
static bool pb_next(pb *r, pb_field *f, bool *bad)
{
    *bad = false;
    if (r->p >= r->end)
        return false;
    uint64_t tag;
    if (!pb_varint(r, &tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1FFFFFFF) {
        *bad = true;
        return false;
    }
    f->num = (uint32_t)(tag >> 3);
    f->wt = (int)(tag & 7);
    f->data = NULL;
    f->len = 0;
    switch (f->wt) {
    case 0:
        if (!pb_varint(r, &f->v))
            break;
        return true;
    case 1:
    case 5: {
        size_t n = f->wt == 1 ? 8 : 4;
        if ((size_t)(r->end - r->p) < n)
            break;
        f->v = 0;
        for (size_t i = 0; i < n; i++)
            f->v |= (uint64_t)r->p[i] << (8 * i);
        r->p += n;
        return true;
    }
    case 2: {
        uint64_t n;
        if (!pb_varint(r, &n) || n > (uint64_t)(r->end - r->p))
            break;
        f->data = r->p;
        f->len = (size_t)n;
        r->p += n;
        return true;
    }
    default: break; /* groups (3, 4) and 6, 7 are not in this schema */
    }
    *bad = true;
    return false;
}

static json_t *pb_str(const pb_field *f)
{
    return json_stringn_nocheck(f->len ? (const char *)f->data : "", f->len);
}

/* A field's value must have the wire type the schema gives it. */
static bool want(const pb_field *f, int wt)
{
    return f->wt == wt;
}

static int sub_signal(const pb_field *fld, json_t *si)
{
    pb r = {fld->data, fld->data + fld->len};
    pb_field f;
    bool bad;
    while (pb_next(&r, &f, &bad)) {
        if (f.num == 1 && want(&f, 0))
            json_object_set_new_nocheck(si, "number", json_integer((int32_t)(uint32_t)f.v));
        else if (f.num == 2 && want(&f, 2))
            json_object_set_new_nocheck(si, "name", pb_str(&f));
        else if (f.num == 3 && want(&f, 0))
            json_object_set_new_nocheck(si, "code", json_integer((int32_t)(uint32_t)f.v));
        else if (f.num == 4 && want(&f, 2))
            json_object_set_new_nocheck(si, "code_name", pb_str(&f));
    }
    return bad ? SPY_EFORMAT : SPY_OK;
}

static const char *enum_name(const char *const *names, size_t n, uint64_t v, char buf[24])
{
    if (v < n)
        return names[v];
    snprintf(buf, 24, "%d", (int32_t)(uint32_t)v);
    return buf;
}

static int sub_memory_error(const pb_field *fld, json_t **out)
{
    static const char *const tools[] = {"GWP_ASAN", "SCUDO"};
    static const char *const types[] = {"UNKNOWN",      "USE_AFTER_FREE",  "DOUBLE_FREE",
                                        "INVALID_FREE", "BUFFER_OVERFLOW", "BUFFER_UNDERFLOW"};
    pb r = {fld->data, fld->data + fld->len};
    pb_field f;
    bool bad;
    uint64_t tool = 0, type = 0;
    while (pb_next(&r, &f, &bad)) {
        if (f.num == 1 && want(&f, 0))
            tool = f.v;
        else if (f.num == 2 && want(&f, 0))
            type = f.v;
    }
    if (bad)
        return SPY_EFORMAT;
    char b1[24], b2[24];
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "tool", json_string(enum_name(tools, 2, tool, b1)));
    json_object_set_new_nocheck(o, "type", json_string(enum_name(types, 6, type, b2)));
    json_decref(*out);
    *out = o;
    return SPY_OK;
}

static int sub_cause(const pb_field *fld, json_t *causes)
{
    pb r = {fld->data, fld->data + fld->len};
    pb_field f;
    bool bad;
    json_t *hr = json_string(""), *me = json_null();
    int err = SPY_OK;
    while (err == SPY_OK && pb_next(&r, &f, &bad)) {
        if (f.num == 1 && want(&f, 2)) {
            json_decref(hr);
            hr = pb_str(&f);
        } else if (f.num == 2 && want(&f, 2)) {
            err = sub_memory_error(&f, &me);
        }
    }
    if (bad)
        err = SPY_EFORMAT;
    json_t *c = json_object();
    json_object_set_new_nocheck(c, "human_readable", hr);
    json_object_set_new_nocheck(c, "memory_error", me);
    json_array_append_new(causes, c);
    return err;
}

/* threads map entry {1: key, 2: Thread{1: id, 2: name}}: the name of the
 * thread whose id is tid; the first such thread wins. */
static int sub_thread(const pb_field *fld, int64_t tid, json_t **name)
{
    pb r = {fld->data, fld->data + fld->len};
    pb_field f;
    bool bad;
    while (pb_next(&r, &f, &bad)) {
        if (f.num != 2 || !want(&f, 2))
            continue;
        pb t = {f.data, f.data + f.len};
        pb_field g;
        bool tbad;
        int64_t id = 0;
        json_t *n = NULL;
        while (pb_next(&t, &g, &tbad)) {
            if (g.num == 1 && want(&g, 0))
                id = (int32_t)(uint32_t)g.v;
            else if (g.num == 2 && want(&g, 2)) {
                json_decref(n);
                n = pb_str(&g);
            }
        }
        if (tbad) {
            json_decref(n);
            return SPY_EFORMAT;
        }
        if (!*name && id == tid && n && json_string_length(n))
            *name = json_incref(n);
        json_decref(n);
    }
    return bad ? SPY_EFORMAT : SPY_OK;
}

static const char *arch_name(uint64_t v, char buf[24])
{
    static const char *const names[] = {"ARM32", "ARM64", "X86", "X86_64", "RISCV64", "NONE"};
    return enum_name(names, 6, v, buf);
}

int spy_tomb_pb_parse(const unsigned char *data, size_t len, const char *file_name,
                      const char *file_timestamp, json_t **out, char **why)
{
    json_t *rec = spy_tomb_record_new(file_name, file_timestamp);
    json_t *si = json_object();
    json_object_set_new_nocheck(si, "code", json_integer(0));
    json_object_set_new_nocheck(si, "code_name", json_string(""));
    json_object_set_new_nocheck(si, "name", json_string(""));
    json_object_set_new_nocheck(si, "number", json_integer(0));
    json_object_set_new_nocheck(rec, "signal_info", si);
    static const char *const str_defaults[] = {"build_fingerprint", "revision", "selinux_label",
                                               "abort_message"};
    for (size_t i = 0; i < 4; i++)
        json_object_set_new_nocheck(rec, str_defaults[i], json_string(""));
    static const char *const int_defaults[] = {"pid", "tid", "uid", "process_uptime"};
    for (size_t i = 0; i < 4; i++)
        json_object_set_new_nocheck(rec, int_defaults[i], json_integer(0));
    json_t *cmd = json_array(), *causes = json_array();
    json_object_set_new_nocheck(rec, "command_line", cmd);
    json_object_set_new_nocheck(rec, "causes", causes);
    char abuf[24];
    json_object_set_new_nocheck(rec, "arch", json_string(arch_name(0, abuf)));
    json_t *ts = json_string("");

    pb r = {data, data + len};
    pb_field f;
    bool bad = false;
    int err = SPY_OK;
    /* The threads are read after the loop: the tid may come later. */
    size_t n_threads = 0;
    while (err == SPY_OK && pb_next(&r, &f, &bad)) {
        static const char *const strs[] = {NULL, NULL, "build_fingerprint", "revision", NULL, NULL,
                                           NULL, NULL, "selinux_label"};
        if (f.num == 1 && want(&f, 0)) {
            json_object_set_new_nocheck(rec, "arch", json_string(arch_name(f.v, abuf)));
        } else if ((f.num == 2 || f.num == 3 || f.num == 8) && want(&f, 2)) {
            json_object_set_new_nocheck(rec, strs[f.num], pb_str(&f));
        } else if (f.num == 4 && want(&f, 2)) {
            json_decref(ts);
            ts = pb_str(&f);
        } else if ((f.num == 5 || f.num == 6 || f.num == 7 || f.num == 20) && want(&f, 0)) {
            const char *k = f.num == 5   ? "pid"
                            : f.num == 6 ? "tid"
                            : f.num == 7 ? "uid"
                                         : "process_uptime";
            json_object_set_new_nocheck(rec, k, json_integer((uint32_t)f.v));
        } else if (f.num == 9 && want(&f, 2)) {
            json_array_append_new(cmd, pb_str(&f));
        } else if (f.num == 10 && want(&f, 2)) {
            err = sub_signal(&f, si);
        } else if (f.num == 14 && want(&f, 2)) {
            json_object_set_new_nocheck(rec, "abort_message", pb_str(&f));
        } else if (f.num == 15 && want(&f, 2)) {
            err = sub_cause(&f, causes);
        } else if (f.num == 16 && want(&f, 2)) {
            n_threads++;
        }
    }
    if (bad)
        err = SPY_EFORMAT;
    json_t *pname = NULL;
    if (err == SPY_OK && n_threads) {
        /* second pass over the map entries, now that tid is known */
        json_int_t tid = json_integer_value(json_object_get(rec, "tid"));
        pb again = {data, data + len};
        while (err == SPY_OK && pb_next(&again, &f, &bad))
            if (f.num == 16 && want(&f, 2))
                err = sub_thread(&f, tid, &pname);
    }
    json_object_set_new_nocheck(rec, "process_name", pname ? pname : json_string("Unknown"));
    if (err == SPY_OK) {
        /* an empty timestamp falls back on the file's mtime, as MVT */
        char iso[32];
        const char *t = json_string_value(ts);
        size_t tn = json_string_length(ts), k = 0;
        while (k < tn && (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r'))
            k++;
        if (k == tn) {
            json_object_set_new_nocheck(rec, "timestamp",
                                        json_string(file_timestamp ? file_timestamp : ""));
        } else if (spy_tomb_timestamp(t, tn, iso) == SPY_OK) {
            json_object_set_new_nocheck(rec, "timestamp", json_string(iso));
        } else {
            err = SPY_EFORMAT;
            *why = spy_xstrdup("unknown timestamp format");
        }
    } else {
        *why = spy_xstrdup("not a valid protobuf tombstone");
    }
    json_decref(ts);
    if (err == SPY_OK)
        err = spy_tomb_validate(rec, why);
    if (err != SPY_OK) {
        json_decref(rec);
        *out = NULL;
        return err;
    }
    *out = rec;
    *why = NULL;
    return SPY_OK;
}
