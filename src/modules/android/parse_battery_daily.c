/* Daily stats of dumpsys batterystats (spec/android.md §4.4):
 *
 *   Daily from 2022-08-16-15-56-39 to 2022-08-17-01-15-45:
 *     Package changes:
 *       Update com.facebook.services vers=385230290
 *
 * then MVT's walk over the updates in (from, to, package) order: vers 0 is
 * an uninstall, a lower numeric version than the last one seen a
 * downgrade. The walk runs here, at parse time, as MVT's does, so
 * check-iocs on saved results does not repeat it. */
#include "modules/android/dumpsys_parse.h"
#include "modules/android/pytext.h"

#include "core/limits.h"
#include "core/mem.h"
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

/* "Update <package> vers=<n>" inside a block; malformed lines (MVT stops
 * with an error on them) are skipped. seen holds "<package>\0<vers>" of
 * the block's updates: an update repeated within a block is kept once. */
static void update_line(json_t *records, spy_strmap *seen, const json_t *from, const json_t *to,
                        spy_text t, size_t *dropped)
{
    spy_text rest = spy_text_sub(t, strlen("Update "), t.n), pkg, vers_part, key, vers;
    if (!spy_text_partition(rest, " ", &pkg, &vers_part) ||
        !spy_text_partition(vers_part, "=", &key, &vers))
        return;
    size_t klen = pkg.n + 1 + vers.n;
    char *k = spy_xmalloc(klen);
    memcpy(k, pkg.p, pkg.n);
    k[pkg.n] = '\0';
    memcpy(k + pkg.n + 1, vers.p, vers.n);
    bool inserted = false;
    if (json_array_size(records) >= SPY_DUMPSYS_MAX_HELD_ITEMS)
        *dropped += !spy_strmap_has(seen, k, klen); /* at the ceiling: counted, not held */
    else
        spy_strmap_put(seen, k, klen, &inserted);
    free(k);
    if (!inserted)
        return;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "action", json_string("update"));
    json_object_set_new_nocheck(rec, "from", json_incref((json_t *)from));
    json_object_set_new_nocheck(rec, "to", json_incref((json_t *)to));
    json_object_set_new_nocheck(rec, "package_name", spy_text_json(pkg));
    json_object_set_new_nocheck(rec, "vers", spy_text_json(vers));
    json_array_append_new(records, rec);
}

static json_t *parse_blocks(const char *text, size_t len, size_t *dropped)
{
    json_t *records = json_array(), *from = NULL, *to = NULL;
    spy_strmap *seen = NULL;
    spy_lines it;
    spy_text line;
    spy_lines_init(&it, text, len);
    while (spy_lines_next(&it, &line)) {
        if (spy_text_starts(line, "  Daily from ")) {
            spy_text frame = spy_text_strip(spy_text_sub(line, 13, line.n)), left, right;
            frame = spy_text_strip_chars(frame, ":");
            /* without " to " MVT stops with an error; keep the block, "to" empty */
            spy_text_partition(frame, " to ", &left, &right);
            json_decref(from);
            json_decref(to);
            from = spy_text_json(spy_text_head(left, 10));
            to = spy_text_json(spy_text_head(right, 10));
            spy_strmap_free(seen);
            seen = spy_strmap_new(0);
            continue;
        }
        spy_text t = spy_text_strip(line);
        if (from && spy_text_starts(t, "Update "))
            update_line(records, seen, from, to, t, dropped);
    }
    spy_strmap_free(seen);
    json_decref(from);
    json_decref(to);
    return records;
}

static const char *str(const json_t *r, const char *key)
{
    const char *s = json_string_value(json_object_get(r, key));
    return s ? s : "";
}

typedef struct order {
    const json_t *rec;
    size_t index;
} order;

static int cmp_order(const void *pa, const void *pb)
{
    const order *a = pa, *b = pb;
    static const char *const keys[] = {"from", "to", "package_name"};
    for (int k = 0; k < 3; k++) {
        int c = strcmp(str(a->rec, keys[k]), str(b->rec, keys[k]));
        if (c)
            return c;
    }
    return a->index < b->index ? -1 : a->index > b->index; /* Python's sort is stable */
}

/* int(s) as canonical digits ("-" kept, leading zeros dropped); NULL when s
 * is not an integer the way Python's int() reads one. */
static char *canonical_int(const char *s)
{
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    const char *d = s;
    while (*s >= '0' && *s <= '9')
        s++;
    if (s == d)
        return NULL;
    const char *e = s;
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    if (*s)
        return NULL;
    while (d + 1 < e && *d == '0')
        d++;
    bool zero = e - d == 1 && *d == '0';
    return spy_xasprintf("%s%.*s", neg && !zero ? "-" : "", (int)(e - d), d);
}

/* a < b for canonical integers of any length */
static bool int_less(const char *a, const char *b)
{
    bool na = *a == '-', nb = *b == '-';
    if (na != nb)
        return na;
    size_t la = strlen(a), lb = strlen(b);
    int c = la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
    return na ? c > 0 : c < 0;
}

static void walk(json_t *records, spy_daily_alert_cb alert, void *ud)
{
    size_t n = json_array_size(records);
    order *o = spy_xcalloc(n ? n : 1, sizeof *o);
    for (size_t i = 0; i < n; i++)
        o[i] = (order){json_array_get(records, i), i};
    qsort(o, n, sizeof *o, cmp_order);
    spy_strmap *last = spy_strmap_new(n);
    for (size_t i = 0; i < n; i++) {
        json_t *r = (json_t *)o[i].rec;
        const char *pkg = str(r, "package_name"), *vers = str(r, "vers");
        size_t plen = json_string_length(json_object_get(r, "package_name"));
        void **slot = spy_strmap_put(last, pkg, plen, NULL);
        if (strcmp(vers, "0") == 0) {
            char *msg = spy_xasprintf("Detected uninstall of package %s (vers 0)", pkg);
            alert(ud, SPY_LEVEL_MEDIUM, str(r, "from"), r, msg);
            free(msg);
            free(*slot); /* forgotten: a reinstall is not a downgrade */
            *slot = NULL;
            continue;
        }
        char *v = canonical_int(vers);
        if (!v)
            continue;
        if (*slot && int_less(v, *slot)) {
            json_object_set_new_nocheck(r, "action", json_string("downgrade"));
            json_object_set_new_nocheck(r, "previous_vers", json_string(*slot));
            char *msg = spy_xasprintf("Detected downgrade of package %s from vers %s to vers %s",
                                      pkg, (char *)*slot, v);
            alert(ud, SPY_LEVEL_MEDIUM, str(r, "from"), r, msg);
            free(msg);
        }
        free(*slot);
        *slot = v;
    }
    size_t iter = 0;
    const char *key;
    size_t klen;
    void *val;
    while (spy_strmap_next(last, &iter, &key, &klen, &val))
        free(val);
    spy_strmap_free(last);
    free(o);
}

json_t *spy_parse_battery_daily(const char *text, size_t len, spy_daily_alert_cb alert, void *ud,
                                size_t *dropped)
{
    *dropped = 0;
    json_t *records = parse_blocks(text, len, dropped);
    walk(records, alert, ud);
    return records;
}
