/* AQFSettings (spec/android.md §4.17): every settings_<namespace>.txt of
 * the acquisition as one mapping namespace -> {key: value}; ten settings
 * with unsafe values raise MEDIUM alerts, with or without indicators. */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/aqf_util.h"
#include "modules/android/settings_txt.h"

#include <stdlib.h>
#include <string.h>

static const char *const DANGEROUS[][3] = {
    {"verifier_verify_adb_installs", "1", "disabled Google Play Services apps verification"},
    {"package_verifier_enable", "1", "disabled Google Play Protect"},
    {"package_verifier_state", "1", "disabled APK package verification"},
    {"package_verifier_user_consent", "1", "disabled Google Play Protect"},
    {"upload_apk_enable", "1", "disabled Google Play Protect"},
    {"adb_install_need_confirm", "1", "disabled confirmation of adb apps installation"},
    {"send_security_reports", "1", "disabled sharing of security reports"},
    {"samsung_errorlog_agree", "1", "disabled sharing of crash logs with manufacturer"},
    {"send_action_app_error", "1", "disabled applications errors reports"},
    {"accessibility_enabled", "0", "enabled accessibility services"},
};

static int st_run(spy_mod_ctx *ctx)
{
    const char *globs[] = {"*/settings_*.txt", NULL};
    spy_query q = {.globs = globs};
    spy_artifacts l = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, &l);
    if (err != SPY_OK)
        return err;
    json_t *all = json_object();
    size_t count = 0;
    for (size_t i = 0; i < l.n; i++) {
        char *text = NULL;
        size_t len = 0;
        if (spy_aqf_read(ctx, &l.v[i], SPY_AQF_MAX_TEXT_BYTES, &text, &len) != SPY_OK) {
            spy_skipped(ctx, 1, "%s could not be read", l.v[i].label);
            continue;
        }
        /* MVT decodes strictly and fails on a bad byte; dropping it keeps
         * the other settings */
        len = spy_utf8_drop_invalid(text, len);
        char *name = spy_settings_namespace(l.v[i].path);
        json_t *ns = json_object(); /* a repeated namespace starts over, as MVT's */
        spy_settings_parse(text, len, ns);
        count += json_object_size(ns);
        json_object_set_new(all, name, ns);
        free(name);
        free(text);
    }
    spy_artifacts_free(&l);
    spy_info(spy_ctx_logger(ctx), "Identified %zu settings", count);
    if (json_object_size(all) == 0) {
        json_decref(all);
        return SPY_ENOTFOUND;
    }
    return spy_emit(ctx, all);
}

static void check_one(spy_mod_ctx *ctx, const char *ns, const char *key, const json_t *value)
{
    const char *v = json_string_value(value);
    for (size_t i = 0; i < sizeof DANGEROUS / sizeof DANGEROUS[0]; i++) {
        if (strcmp(key, DANGEROUS[i][0]) != 0 || (v && strcmp(v, DANGEROUS[i][1]) == 0))
            continue;
        json_t *event = json_object();
        json_object_set_new_nocheck(event, "namespace", json_string(ns));
        json_object_set_new_nocheck(event, "key", json_string(key));
        json_object_set_new_nocheck(event, "value", json_deep_copy(value));
        json_object_set_new_nocheck(event, "description", json_string(DANGEROUS[i][2]));
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", event,
                        "Found suspicious \"%s\" setting \"%s = %s\" (%s)", ns, key, v ? v : "None",
                        DANGEROUS[i][2]);
        json_decref(event);
        break;
    }
}

static void st_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *ns, *key;
    const json_t *settings, *value;
    json_object_foreach((json_t *)r, ns, settings)
    {
        json_object_foreach((json_t *)settings, key, value) check_one(ctx, ns, key, value);
    }
}

const spy_module spy_mod_aqf_settings = {
    .name = "AQFSettings",
    .slug = "aqf_settings",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .flags = SPY_MOD_MAPPING,
    .run = st_run,
    .check = st_check,
};
