#include "modules/android/dumpsys_section.h"

#include "acquire/android.h"
#include "core/error.h"
#include "core/log.h"

int spy_dumpsys_body(spy_mod_ctx *ctx, const char *service, const char **body, size_t *len)
{
    *body = NULL;
    *len = 0;
    int err = service ? spy_android_dumpsys(spy_ctx_acq(ctx), service, body, len)
                      : spy_android_properties(spy_ctx_acq(ctx), body, len);
    if (err == SPY_ENOTFOUND)
        spy_error(spy_ctx_logger(ctx),
                  "Unable to find dumpstate file. Did you provide a valid bug report archive?");
    else if (err != SPY_OK)
        spy_error(spy_ctx_logger(ctx), "Unable to read the dumpstate file: %s", spy_err_str(err));
    return err;
}

const char *spy_dumpsys_str(const json_t *rec, const char *key)
{
    const char *s = json_string_value(json_object_get(rec, key));
    return s ? s : "None";
}

int spy_dumpsys_emit(json_t *record, void *emitter)
{
    spy_dumpsys_emitter *e = emitter;
    e->count++;
    return spy_emit(e->ctx, record);
}
