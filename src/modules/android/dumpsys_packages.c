/* DumpsysPackages (spec/android.md §4.8): the installed packages of the
 * bug report's `dumpsys package` section, the root-package heuristic and
 * the app-id indicators; three timeline rows per package. */
#include "acquire/android.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/android_lists.h"
#include "modules/android/dumpsys_section.h"
#include "modules/android/pkg_parse.h"
#include "modules/module_kit.h"

#include <stdlib.h>

static int emit_package(json_t *rec, void *ud)
{
    spy_mod_ctx *ctx = ud;
    size_t n = spy_pkg_dangerous_count(rec);
    if (n >= SPY_ANDROID_DANGEROUS_PERMISSIONS_THRESHOLD)
        spy_info(spy_ctx_logger(ctx),
                 "Found package \"%s\" requested %zu potentially dangerous permissions",
                 spy_kit_str(rec, "package_name"), n);
    return spy_emit(ctx, rec);
}

static int packages_run(spy_mod_ctx *ctx)
{
    const char *body = NULL;
    size_t len = 0;
    int err = spy_dumpsys_body(ctx, "package", &body, &len);
    if (err != SPY_OK)
        return err;
    size_t skipped = 0;
    err = spy_pkg_parse(body, len, emit_package, ctx, &skipped);
    if (skipped)
        spy_skipped(ctx, skipped, "package headers without a readable name");
    return err;
}

static void packages_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *pkg = spy_kit_str(r, "package_name");
    const char *ts = spy_kit_str(r, "timestamp");
    if (spy_android_root_package(pkg)) {
        /* once per name, as MVT: a repeat (e.g. listed again among the
         * hidden system packages) raises nothing */
        if (spy_ctx_first(ctx, pkg))
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts ? ts : "", NULL,
                            "Found an installed package related to rooting/jailbreaking: \"%s\"",
                            pkg);
        return;
    }
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, pkg, ts ? ts : "", NULL);
}

static void packages_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *pkg = spy_kit_str(r, "package_name");
    const char *parts[] = {"Install or update of package ", pkg ? pkg : "None"};
    char buf[512], *heap = NULL;
    size_t n;
    const char *data = spy_kit_join(buf, sizeof buf, &heap, &n, parts, 2);
    static const char *const events[][2] = {{"timestamp", "package_install"},
                                            {"first_install_time", "package_first_install"},
                                            {"last_update_time", "package_last_update"}};
    for (size_t i = 0; i < 3; i++)
        spy_timeline_event(ctx, spy_kit_str(r, events[i][0]), events[i][1], data);
    free(heap);
}

const spy_module spy_mod_dumpsys_packages = {
    "DumpsysPackages", "dumpsys_packages", SPY_ACQ_ANDROID_BUGREPORT, 0,
    packages_run,      packages_check,     packages_timeline};
