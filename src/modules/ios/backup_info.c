/* BackupInfo (spec/ios.md §4.1): the device description of the backup's
 * Info.plist as one object of 18 fixed keys (null when missing). Logs the
 * values, the model's marketing name, and a warning when the iOS version
 * is older than the newest one MVT knows (§8). No indicator check, no
 * timeline. */
#include "acquire/ios_backup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/ios/ios_data.h"
#include "modules/ios/plist_art.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const FIELDS[] = {"Build Version",
                                     "Device Name",
                                     "Display Name",
                                     "GUID",
                                     "ICCID",
                                     "IMEI",
                                     "MEID",
                                     "Installed Applications",
                                     "Last Backup Date",
                                     "Phone Number",
                                     "Product Name",
                                     "Product Type",
                                     "Product Version",
                                     "Serial Number",
                                     "Target Identifier",
                                     "Target Type",
                                     "Unique Identifier",
                                     "iTunes Version",
                                     NULL};

#define LOG_VALUE_MAX 4096u /* a log line, not evidence: long values are cut */

static void log_field(spy_mod_ctx *ctx, const char *key, const json_t *v)
{
    spy_pybuf b;
    spy_pybuf_init(&b, LOG_VALUE_MAX);
    spy_py_str(&b, v);
    const char *model = json_is_string(v) && strcmp(key, "Product Type") == 0
                            ? spy_ios_model_name(json_string_value(v))
                            : NULL;
    if (model)
        spy_info(spy_ctx_logger(ctx), "%s: %s (%s)", key, b.s, model);
    else
        spy_info(spy_ctx_logger(ctx), "%s: %s", key, b.s);
    spy_pybuf_free(&b);
}

static void check_version(spy_mod_ctx *ctx, const json_t *v)
{
    if (json_is_string(v) && spy_ios_is_outdated(json_string_value(v)))
        spy_warn(spy_ctx_logger(ctx),
                 "This phone is running an outdated iOS version: %s (latest is %s)",
                 json_string_value(v), spy_ios_latest_version());
}

static int bi_run(spy_mod_ctx *ctx)
{
    const spy_acq *acq = spy_ctx_acq(ctx);
    const json_t *info = acq->kind == SPY_ACQ_IOS_BACKUP ? spy_ios_backup_info_plist(acq) : NULL;
    if (!info) {
        spy_info(spy_ctx_logger(ctx), "Unable to find the backup's Info.plist");
        return SPY_ENOTFOUND;
    }
    if (!spy_plart_expect_dict(ctx, info, "Info.plist"))
        return SPY_EFORMAT;
    json_t *out = json_object();
    for (size_t i = 0; FIELDS[i]; i++) {
        const json_t *v = json_object_get(info, FIELDS[i]);
        json_t *val = v ? spy_plart_value(v) : json_null();
        log_field(ctx, FIELDS[i], val);
        json_object_set_new_nocheck(out, FIELDS[i], val);
    }
    check_version(ctx, json_object_get(out, "Product Version"));
    return spy_emit(ctx, out);
}

const spy_module spy_mod_backup_info = {
    .name = "BackupInfo",
    .slug = "backup_info",
    .acquisitions = SPY_ACQ_IOS_BACKUP,
    .flags = SPY_MOD_MAPPING,
    .run = bi_run,
    .check = NULL,
    .timeline = NULL,
};
