/* Text tombstones written by debuggerd (spec/android.md §4.13). Lines are
 * read by the first key they start with, in MVT's order.
 *
 * Beyond MVT: a line starting with a key but not of the form "<key>: ..."
 * (e.g. "code around pc:") makes MVT reject the whole file; it is ignored
 * here. Bytes that are not UTF-8 make MVT reject the file too; here they
 * stay in the record and are written as \xNN. */
#include "modules/android/tombstone_parse.h"

#include "core/error.h"
#include "core/mem.h"
#include "modules/android/br_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char BANNER[] = "*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***";

typedef struct tomb_text {
    json_t *rec;
    bool pid_seen;
    char *why;
    size_t line_no;
} tomb_text;

static json_t *bytes(br_span s)
{
    return json_stringn_nocheck(s.n ? s.p : "", s.n);
}

/* Python int(): optional sign, digits, surrounding whitespace. */
static bool py_int(br_span s, json_int_t *v)
{
    s = br_trim(s);
    bool neg = false;
    size_t i = 0;
    if (s.n && (s.p[0] == '+' || s.p[0] == '-')) {
        neg = s.p[0] == '-';
        i++;
    }
    if (i >= s.n)
        return false;
    uint64_t acc = 0;
    for (; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9' || acc > (uint64_t)INT64_MAX / 10)
            return false;
        acc = acc * 10 + (uint64_t)(s.p[i] - '0');
    }
    if (acc > (uint64_t)INT64_MAX)
        return false;
    *v = neg ? -(json_int_t)acc : (json_int_t)acc;
    return true;
}

static int fail(tomb_text *t, const char *what)
{
    t->why = spy_xasprintf("Error parsing line %zu: %s", t->line_no, what);
    return SPY_EFORMAT;
}

/* value.strip().strip("'") */
static br_span clean(br_span v)
{
    v = br_trim(v);
    while (v.n && v.p[0] == '\'') {
        v.p++;
        v.n--;
    }
    while (v.n && v.p[v.n - 1] == '\'')
        v.n--;
    return v;
}

/* "pid: 25541, tid: 21307, name: mtk.ape.decoder  >>> /vendor/bin/x <<<" */
static int pid_line(tomb_text *t, br_span line)
{
    if (t->pid_seen) /* later pid lines describe other threads */
        return SPY_OK;
    t->pid_seen = true;
    br_span left = line, right = {NULL, 0};
    const char *sep = NULL;
    size_t sep_n = 0;
    for (size_t i = 0; i + 5 <= line.n && !sep; i++)
        if (memcmp(line.p + i, " >>> ", 5) == 0) {
            sep = line.p + i;
            sep_n = 5;
        }
    for (size_t i = 0; i + 3 <= line.n && !sep; i++)
        if (memcmp(line.p + i, ">>>", 3) == 0) {
            sep = line.p + i;
            sep_n = 3;
        }
    if (sep) {
        left.n = (size_t)(sep - line.p);
        right.p = sep + sep_n;
        right.n = (size_t)(line.p + line.n - right.p);
        /* only the part up to a further separator, as split()[1] */
        for (size_t i = 0; i + sep_n <= right.n; i++)
            if (memcmp(right.p + i, sep, sep_n) == 0) {
                right.n = i;
                break;
            }
    }
    const char *cur = left.p, *end = left.p + left.n;
    for (bool more = true; more;) {
        const char *comma = memchr(cur, ',', (size_t)(end - cur));
        br_span part = {cur, (size_t)((comma ? comma : end) - cur)};
        more = comma != NULL;
        cur = comma ? comma + 1 : end;
        part = br_trim(part);
        const char *colon = memchr(part.p, ':', part.n);
        if (!colon)
            return fail(t, "Failed to parse PID line");
        br_span key = br_trim((br_span){part.p, (size_t)(colon - part.p)});
        br_span val = br_trim((br_span){colon + 1, (size_t)(part.p + part.n - colon - 1)});
        json_int_t v;
        if (br_equals(key, "pid") || br_equals(key, "tid")) {
            if (!py_int(val, &v))
                return fail(t, "Failed to parse PID line");
            json_object_set_new_nocheck(t->rec, br_equals(key, "pid") ? "pid" : "tid",
                                        json_integer(v));
        } else if (br_equals(key, "name")) {
            json_object_set_new_nocheck(t->rec, "process_name", bytes(val));
        }
    }
    if (sep) {
        br_span bp = br_trim(right);
        while (bp.n && (bp.p[bp.n - 1] == ' ' || bp.p[bp.n - 1] == '<'))
            bp.n--;
        json_object_set_new_nocheck(t->rec, "binary_path", bytes(bp));
    }
    return SPY_OK;
}

/* "signal 11 (SIGSEGV)" with prefix "signal " → number and name */
static bool signal_part(br_span part, const char *prefix, json_int_t *num, br_span *name)
{
    size_t pn = strlen(prefix);
    size_t at = SIZE_MAX;
    for (size_t i = 0; i + pn <= part.n; i++)
        if (memcmp(part.p + i, prefix, pn) == 0) {
            at = i;
            break;
        }
    if (at == SIZE_MAX)
        return false;
    br_span m = {part.p + at + pn, part.n - at - pn};
    /* only up to a second occurrence of the prefix, as split()[1] */
    for (size_t i = 0; i + pn <= m.n; i++)
        if (memcmp(m.p + i, prefix, pn) == 0) {
            m.n = i;
            break;
        }
    br_span first = br_trim(m);
    size_t k = 0;
    while (k < first.n && !br_space(first.p[k]))
        k++;
    if (!py_int((br_span){first.p, k}, num))
        return false;
    const char *open = memchr(m.p, '(', m.n);
    static const char unknown[] = "UNKNOWN";
    if (!open) {
        *name = (br_span){unknown, 7};
        return true;
    }
    const char *close = memchr(open + 1, ')', (size_t)(m.p + m.n - open - 1));
    name->p = open + 1;
    name->n = close ? (size_t)(close - open - 1) : (size_t)(m.p + m.n - open - 1);
    return true;
}

static int signal_line(tomb_text *t, br_span line)
{
    const char *c1 = memchr(line.p, ',', line.n);
    if (!c1)
        return fail(t, "not enough values to unpack");
    br_span sig = br_trim((br_span){line.p, (size_t)(c1 - line.p)});
    br_span rest = {c1 + 1, (size_t)(line.p + line.n - c1 - 1)};
    const char *c2 = memchr(rest.p, ',', rest.n);
    br_span code = br_trim((br_span){rest.p, c2 ? (size_t)(c2 - rest.p) : rest.n});
    json_int_t sn, cn;
    br_span sname, cname;
    if (!signal_part(sig, "signal ", &sn, &sname) || !signal_part(code, "code ", &cn, &cname))
        return fail(t, "cannot read the signal line");
    json_t *si = json_object();
    json_object_set_new_nocheck(si, "code", json_integer(cn));
    json_object_set_new_nocheck(si, "code_name", bytes(cname));
    json_object_set_new_nocheck(si, "name", bytes(sname));
    json_object_set_new_nocheck(si, "number", json_integer(sn));
    json_object_set_new_nocheck(t->rec, "signal_info", si);
    return SPY_OK;
}

static int keyed_line(tomb_text *t, br_span line, const char *key, const char *dest)
{
    const char *colon = memchr(line.p, ':', line.n);
    if (!colon || !br_equals((br_span){line.p, (size_t)(colon - line.p)}, key))
        return SPY_OK; /* MVT rejects the file here (quirk); ignored */
    br_span v = clean((br_span){colon + 1, (size_t)(line.p + line.n - colon - 1)});
    if (strcmp(dest, "timestamp") == 0) {
        char iso[32];
        if (spy_tomb_timestamp(v.p, v.n, iso) != SPY_OK)
            return fail(t, "unknown timestamp format");
        json_object_set_new_nocheck(t->rec, dest, json_string(iso));
        return SPY_OK;
    }
    json_int_t n;
    if (strcmp(dest, "uid") == 0 || strcmp(dest, "process_uptime") == 0) {
        if (dest[0] == 'p')
            while (v.n && v.p[v.n - 1] == 's')
                v.n--;
        if (!py_int(v, &n))
            return fail(t, "invalid literal for int()");
        json_object_set_new_nocheck(t->rec, dest, json_integer(n));
    } else if (strcmp(dest, "command_line") == 0) {
        json_t *a = json_array();
        json_array_append_new(a, bytes(v));
        json_object_set_new_nocheck(t->rec, dest, a);
    } else if (strcmp(dest, "code") != 0) { /* "code" is not kept */
        json_object_set_new_nocheck(t->rec, dest, bytes(v));
    }
    return SPY_OK;
}

static int one_line(tomb_text *t, br_span line)
{
    static const char *const keys[][2] = {{"Build fingerprint", "build_fingerprint"},
                                          {"Revision", "revision"},
                                          {"ABI", "arch"},
                                          {"Timestamp", "timestamp"},
                                          {"Process uptime", "process_uptime"},
                                          {"Cmdline", "command_line"},
                                          {"pid", "pid"},
                                          {"tid", "tid"},
                                          {"name", "process_name"},
                                          {"binary_path", "binary_path"},
                                          {"uid", "uid"},
                                          {"signal", "signal_info"},
                                          {"code", "code"},
                                          {"Cause", "cause"},
                                          {"Abort message", "abort_message"}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (!br_starts(line, keys[i][0]))
            continue;
        if (strcmp(keys[i][0], "pid") == 0)
            return pid_line(t, line);
        if (strcmp(keys[i][0], "signal") == 0)
            return signal_line(t, line);
        return keyed_line(t, line, keys[i][0], keys[i][1]);
    }
    return SPY_OK;
}

int spy_tomb_text_parse(const char *data, size_t len, const char *file_name,
                        const char *file_timestamp, json_t **out, char **why)
{
    tomb_text t = {spy_tomb_record_new(file_name, file_timestamp), false, NULL, 0};
    const char *cur = data, *end = data + len;
    br_span line;
    int err = SPY_OK;
    while (err == SPY_OK && br_next_line(&cur, end, &line)) {
        t.line_no++;
        if (br_trim(line).n == 0 || br_contains(line, BANNER))
            continue;
        err = one_line(&t, line);
    }
    if (err == SPY_OK)
        err = spy_tomb_validate(t.rec, &t.why);
    if (err != SPY_OK) {
        json_decref(t.rec);
        *out = NULL;
        *why = t.why;
        return err;
    }
    *out = t.rec;
    *why = NULL;
    return SPY_OK;
}
