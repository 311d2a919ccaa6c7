/* AQFGetProp (spec/android.md §4.16): AndroidQF's getprop.txt. */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "modules/android/aqf_util.h"
#include "modules/android/getprop.h"

#include <stdlib.h>

static int agp_run(spy_mod_ctx *ctx)
{
    char *text = NULL;
    size_t len = 0, n = 0;
    int err = spy_aqf_read_first(ctx, "*/getprop.txt", SPY_AQF_MAX_TEXT_BYTES, &text, &len, NULL);
    if (err == SPY_ENOTFOUND)
        spy_info(spy_ctx_logger(ctx), "getprop.txt file not found");
    if (err != SPY_OK)
        return err;
    err = spy_getprop_emit(ctx, text, len, &n);
    spy_info(spy_ctx_logger(ctx), "Extracted a total of %zu properties", n);
    free(text);
    return err;
}

const spy_module spy_mod_aqf_get_prop = {
    .name = "AQFGetProp",
    .slug = "aqf_get_prop",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .run = agp_run,
    .check = spy_getprop_check,
};
