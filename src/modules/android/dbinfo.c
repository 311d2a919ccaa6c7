/* DumpsysDBInfo (spec/android.md §4.6): the last SQL operations on each
 * app database; a path component naming a known package is CRITICAL (once
 * per matching component). */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/dumpsys_parse.h"
#include "modules/android/dumpsys_section.h"

#include <stdlib.h>
#include <string.h>

static int run(spy_mod_ctx *ctx)
{
    const char *body;
    size_t len;
    int err = spy_dumpsys_body(ctx, "dbinfo", &body, &len);
    if (err != SPY_OK)
        return err;
    spy_dumpsys_emitter c = {ctx, 0};
    err = spy_parse_dbinfo(body, len, spy_dumpsys_emit, &c);
    spy_info(spy_ctx_logger(ctx), "Extracted a total of %zu database connection pool records",
             c.count);
    return err;
}

static void check(spy_mod_ctx *ctx, const json_t *rec)
{
    const char *path = json_string_value(json_object_get(rec, "path"));
    if (!path || !spy_ctx_iocs(ctx))
        return;
    char *copy = spy_xstrdup(path);
    for (char *part = copy, *next; part; part = next) {
        next = strchr(part, '/');
        if (next)
            *next++ = '\0';
        spy_check_ioc(ctx, SPY_CHECK_APP_ID, part, "", NULL);
    }
    free(copy);
}

const spy_module spy_mod_dbinfo = {"DumpsysDBInfo", "dbinfo", SPY_ACQ_ANDROID_BUGREPORT, 0, run,
                                   check,           NULL};
