/* dumpsys appops (spec/android.md §4.3): from "  Uid 0:" to the first blank
 * line, packages by indentation —
 *
 *   Uid u0a103:                      (2 spaces)
 *     Package com.facebook.katana:   (4)
 *       READ_CONTACTS (allow):       (6, then not a space)
 *           Access: [bg-tpd] 2022-03-07 18:05:34.325 (-22d4h22m19s762ms)   (10+)
 *
 * Records keep MVT's key order: package_name, permissions, uid; name,
 * entries, access; access, type, timestamp. */
#include "modules/android/dumpsys_parse.h"
#include "modules/android/pytext.h"

#include "core/limits.h"
#include "core/timeconv.h"

#include <string.h>

typedef struct appops {
    spy_record_cb cb;
    void *ud;
    json_t *uid;     /* the current "Uid" value, or null */
    json_t *package; /* open package record, or NULL */
    json_t *perm;    /* open permission, or NULL */
    json_t *entry;   /* open entry, or NULL */
    bool done;       /* the first blank line was seen */
    size_t held;     /* permissions and entries of the open package */
    size_t *dropped; /* beyond SPY_DUMPSYS_MAX_HELD_ITEMS */
} appops;

/* One more item for the open package, or false (and counted) at the limit. */
static bool hold(appops *a)
{
    if (a->held < SPY_DUMPSYS_MAX_HELD_ITEMS) {
        a->held++;
        return true;
    }
    (*a->dropped)++;
    return false;
}

static void flush_entry(appops *a)
{
    if (a->entry)
        json_array_append_new(json_object_get(a->perm, "entries"), a->entry);
    a->entry = NULL;
}

static void flush_perm(appops *a)
{
    flush_entry(a);
    if (a->perm)
        json_array_append_new(json_object_get(a->package, "permissions"), a->perm);
    a->perm = NULL;
}

static int flush_package(appops *a)
{
    flush_perm(a);
    json_t *p = a->package;
    a->package = NULL;
    return p ? a->cb(p, a->ud) : 0;
}

/* Digits at *p: between min and max of them, value ≤ limit. */
static bool num(spy_text t, size_t *i, size_t min, size_t max, int limit, int *out)
{
    size_t k = 0;
    int v = 0;
    while (*i + k < t.n && k < max && t.p[*i + k] >= '0' && t.p[*i + k] <= '9')
        v = v * 10 + (t.p[*i + k++] - '0');
    if (k < min || v > limit || (*i + k < t.n && t.p[*i + k] >= '0' && t.p[*i + k] <= '9'))
        return false;
    *i += k;
    *out = v;
    return true;
}

static bool lit(spy_text t, size_t *i, char c)
{
    if (*i >= t.n || t.p[*i] != c)
        return false;
    (*i)++;
    return true;
}

static bool valid_date(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

/* datetime.strptime(t, "%Y-%m-%d %H:%M:%S.%f") re-printed as ISO time. */
static bool parse_time(spy_text t, char out[SPY_ISO_LEN])
{
    size_t i = 0;
    int y, mo, d, h, mi, s, f = 0;
    if (!num(t, &i, 4, 4, 9999, &y) || !lit(t, &i, '-') || !num(t, &i, 1, 2, 12, &mo) ||
        !lit(t, &i, '-'))
        return false;
    bool padded = i < t.n && t.p[i] == ' '; /* %d also takes " 5" */
    i += padded;
    if (!num(t, &i, 1, padded ? 1 : 2, 31, &d))
        return false;
    size_t sp = i;
    while (i < t.n && (t.p[i] == ' ' || (t.p[i] >= '\t' && t.p[i] <= '\r')))
        i++;
    if (i == sp || !num(t, &i, 1, 2, 23, &h) || !lit(t, &i, ':') || !num(t, &i, 1, 2, 59, &mi) ||
        !lit(t, &i, ':') || !num(t, &i, 1, 2, 59, &s) || !lit(t, &i, '.'))
        return false;
    size_t fd = 0;
    while (i < t.n && fd < 6 && t.p[i] >= '0' && t.p[i] <= '9')
        f = f * 10 + (t.p[i++] - '0'), fd++;
    if (fd == 0 || i != t.n || !valid_date(y, mo, d))
        return false;
    for (; fd < 6; fd++)
        f *= 10;
    /* the same text as "%04u-%02u-%02u %02u:%02u:%02u.%06u" (the values
     * are range-checked above), without snprintf's cost per call */
    return spy_iso_from_unix_us(spy_unix_from_utc(y, mo, d, h, mi, s), f, out);
}

/* "Access: [fg-s]2021-05-19 22:02:52.054 (-314d1h25m2s33ms)" */
static void entry_line(appops *a, spy_text line)
{
    spy_text access, rest;
    spy_text_partition(line, ":", &access, &rest);
    access = spy_text_strip(access);
    if (!spy_text_eq(access, "Access") && !spy_text_eq(access, "Reject"))
        return;
    if (!a->perm) {
        /* MVT fails on an entry outside any permission; past the limit the
         * permission itself was dropped */
        if (a->held >= SPY_DUMPSYS_MAX_HELD_ITEMS)
            (*a->dropped)++;
        return;
    }
    if (!hold(a))
        return;
    flush_entry(a);
    a->entry = json_object();
    json_object_set_new_nocheck(a->entry, "access", spy_text_json(access));
    long lb = spy_text_find(line, "[", 0), rb = spy_text_find(line, "]", 0);
    long lp = spy_text_find(line, "(", 0);
    json_object_set_new_nocheck(a->entry, "type",
                                spy_text_json(spy_text_pyslice(line, lb + 1, rb)));
    char iso[SPY_ISO_LEN];
    if (parse_time(spy_text_strip(spy_text_pyslice(line, rb + 1, lp)), iso))
        json_object_set_new_nocheck(a->entry, "timestamp",
                                    json_stringn_nocheck(iso, SPY_ISO_LEN - 1));
}

static void perm_line(appops *a, spy_text line)
{
    flush_perm(a);
    if (!hold(a))
        return;
    a->perm = json_object();
    spy_text rest = line, name, access;
    spy_text_word(&rest, &name);
    json_object_set_new_nocheck(a->perm, "name", spy_text_json(name));
    json_object_set_new_nocheck(a->perm, "entries", json_array());
    /* "(allow):" → "allow": the token without its first and last two characters */
    if (spy_text_word(&rest, &access))
        json_object_set_new_nocheck(a->perm, "access",
                                    spy_text_json(spy_text_pyslice(access, 1, -2)));
}

static int on_line(appops *a, spy_text line)
{
    if (spy_text_starts(line, "  Uid ")) {
        int rc = flush_package(a);
        json_decref(a->uid);
        a->uid = spy_text_json(spy_text_pyslice(line, 6, -1));
        return rc;
    }
    if (spy_text_starts(line, "    Package ")) {
        int rc = flush_package(a);
        a->package = json_object();
        json_object_set_new_nocheck(a->package, "package_name",
                                    spy_text_json(spy_text_pyslice(line, 12, -1)));
        json_object_set_new_nocheck(a->package, "permissions", json_array());
        json_object_set_new_nocheck(a->package, "uid", json_incref(a->uid));
        a->held = 0;
        return rc;
    }
    if (a->package && spy_text_indent(line) == 6 && line.n > 6) {
        perm_line(a, line);
        return 0;
    }
    if (spy_text_indent(line) >= 10) {
        entry_line(a, line);
        return 0;
    }
    a->done = spy_text_strip(line).n == 0; /* the first blank line ends the part */
    return 0;
}

int spy_parse_appops(const char *text, size_t len, spy_record_cb cb, void *ud, size_t *dropped)
{
    appops a = {cb, ud, json_null(), NULL, NULL, NULL, false, 0, dropped};
    *dropped = 0;
    bool in_packages = false;
    int rc = 0;
    spy_lines it;
    spy_text line;
    spy_lines_init(&it, text, len);
    while (rc == 0 && !a.done && spy_lines_next(&it, &line)) {
        if (spy_text_starts(line, "  Uid 0:"))
            in_packages = true;
        if (in_packages)
            rc = on_line(&a, line);
    }
    int frc = rc ? 0 : flush_package(&a);
    if (rc) { /* stopped by the callback: drop what is still open */
        json_decref(a.entry);
        json_decref(a.perm);
        json_decref(a.package);
    }
    json_decref(a.uid);
    return rc ? rc : frc;
}
