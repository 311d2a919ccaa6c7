/* DumpsysGetProp (spec/android.md §4.7): the system properties block of the
 * bug report's dumpstate file. */
#include "acquire/android.h"
#include "core/error.h"
#include "core/log.h"
#include "modules/android/dumpsys_section.h"
#include "modules/android/getprop.h"

static int dgp_run(spy_mod_ctx *ctx)
{
    const char *body = NULL;
    size_t len = 0, n = 0;
    int err = spy_dumpsys_body(ctx, NULL, &body, &len);
    if (err != SPY_OK)
        return err;
    err = spy_getprop_emit(ctx, body, len, &n);
    spy_info(spy_ctx_logger(ctx), "Extracted %zu Android system properties", n);
    return err;
}

const spy_module spy_mod_dumpsys_get_prop = {
    .name = "DumpsysGetProp",
    .slug = "dumpsys_get_prop",
    .acquisitions = SPY_ACQ_ANDROID_BUGREPORT,
    .run = dgp_run,
    .check = spy_getprop_check,
};
