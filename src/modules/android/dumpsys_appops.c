/* DumpsysAppops (spec/android.md §4.3): the App-Ops Manager's record of
 * which package used or was refused which operation, and when. Any entry of
 * REQUEST_INSTALL_PACKAGES (a package installing others) and any operation
 * of com.android.shell (ADB) is a MEDIUM alert. */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/dumpsys_parse.h"
#include "modules/android/dumpsys_section.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static int run(spy_mod_ctx *ctx)
{
    const char *body;
    size_t len;
    int err = spy_dumpsys_body(ctx, "appops", &body, &len);
    if (err != SPY_OK)
        return err;
    spy_dumpsys_emitter c = {ctx, 0};
    size_t dropped;
    err = spy_parse_appops(body, len, spy_dumpsys_emit, &c, &dropped);
    if (dropped)
        spy_skipped(ctx, dropped, "app-ops permissions and entries of one package beyond %u",
                    SPY_DUMPSYS_MAX_HELD_ITEMS);
    spy_info(spy_ctx_logger(ctx), "Identified a total of %zu packages in App-Ops Manager", c.count);
    return err;
}

static const char *entry_time(const json_t *e)
{
    const char *t = json_string_value(json_object_get(e, "timestamp"));
    return t ? t : "";
}

typedef struct ranked {
    const json_t *entry;
    size_t index;
} ranked;

/* Python's sorted() on the timestamp: stable */
static int cmp_entries(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int c = strcmp(entry_time(x->entry), entry_time(y->entry));
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

/* One MEDIUM alert per entry of perm, oldest first (or one "Unknown" when
 * it has none); the event is the package with only this permission. */
static void risky(spy_mod_ctx *ctx, const json_t *rec, const json_t *perm, bool shell)
{
    json_t *event = json_copy((json_t *)rec);
    json_t *only = json_array();
    json_array_append((json_t *)only, (json_t *)perm);
    json_object_set_new_nocheck(event, "permissions", only);
    const json_t *entries = json_object_get(perm, "entries");
    size_t n = json_array_size(entries);
    json_t *placeholder = json_pack("{s:s,s:s}", "access", "Unknown", "timestamp", "");
    ranked *v = spy_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (ranked){json_array_get(entries, i), i};
    if (n == 0)
        v[n++] = (ranked){placeholder, 0};
    qsort(v, n, sizeof *v, cmp_entries);
    const char *pkg = spy_dumpsys_str(rec, "package_name"), *name = spy_dumpsys_str(perm, "name");
    for (size_t i = 0; i < n; i++) {
        const char *access = spy_dumpsys_str(v[i].entry, "access");
        const char *ts = entry_time(v[i].entry);
        if (shell)
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts, event,
                            "Risky package '%s' had '%s' permission set to '%s' at %s", pkg, name,
                            access, ts);
        else
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts, event,
                            "Package '%s' had risky permission '%s' set to '%s' at %s", pkg, name,
                            access, ts);
    }
    free(v);
    json_decref(placeholder);
    json_decref(event);
}

static void check(spy_mod_ctx *ctx, const json_t *rec)
{
    const char *pkg = json_string_value(json_object_get(rec, "package_name"));
    if (spy_check_ioc(ctx, SPY_CHECK_APP_ID, pkg, "", NULL))
        return;
    bool shell = pkg && strcmp(pkg, "com.android.shell") == 0;
    size_t i;
    const json_t *perm;
    json_array_foreach(json_object_get(rec, "permissions"), i, perm)
    {
        const char *name = json_string_value(json_object_get(perm, "name"));
        if (name && strcmp(name, "REQUEST_INSTALL_PACKAGES") == 0)
            risky(ctx, rec, perm, false);
        else if (shell)
            risky(ctx, rec, perm, true);
    }
}

static void timeline(spy_mod_ctx *ctx, const json_t *rec)
{
    const char *pkg = spy_dumpsys_str(rec, "package_name");
    size_t i, j;
    const json_t *perm, *e;
    json_array_foreach(json_object_get(rec, "permissions"), i, perm)
    {
        const char *name = NULL; /* looked up once a permission */
        json_array_foreach(json_object_get(perm, "entries"), j, e)
        {
            const char *ts = json_string_value(json_object_get(e, "timestamp"));
            if (!ts)
                continue;
            if (!name)
                name = spy_dumpsys_str(perm, "name");
            const char *access = spy_dumpsys_str(e, "access");
            const char *parts[] = {pkg, " access to ", name, ": ", access};
            char buf[512], *heap = NULL;
            size_t n;
            const char *data = spy_kit_join(buf, sizeof buf, &heap, &n, parts, 5);
            spy_timeline_event_n(ctx, ts, strlen(ts), access, access ? strlen(access) : 0, data, n);
            free(heap);
        }
    }
}

const spy_module spy_mod_dumpsys_appops = {
    "DumpsysAppops", "dumpsys_appops", SPY_ACQ_ANDROID_BUGREPORT, 0, run, check, timeline};
