/* GlobalPreferences (spec/ios.md §5.24): every top-level key of
 * .GlobalPreferences.plist as {entry, value}, in file order, and the
 * Lockdown Mode state (LDMGlobalEnabled) as an alert, with or without
 * indicators. No timeline. */
#include "core/error.h"
#include "core/mem.h"
#include "modules/ios/plist_art.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const GP_IDS[] = {"0dc926a1810f7aee4e8f38793ed788701f93bf9d", NULL};
static const char *const GP_GLOBS[] = {
    "private/var/mobile/Library/Preferences/.GlobalPreferences.plist", NULL};

static int gp_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = GP_IDS,
                   .domain = "HomeDomain",
                   .path = "Library/Preferences/.GlobalPreferences.plist",
                   .globs = GP_GLOBS,
                   .first_only = true};
    json_t *pl = NULL;
    char *label = NULL;
    int err = spy_plart_first(ctx, &q, &pl, &label);
    if (err == SPY_OK && !spy_plart_expect_dict(ctx, pl, label))
        err = SPY_EFORMAT;
    const char *key;
    size_t key_len;
    json_t *v;
    if (err == SPY_OK) {
        json_object_keylen_foreach(pl, key, key_len, v)
        {
            json_t *rec = json_object();
            json_object_set_new_nocheck(rec, "entry", json_stringn_nocheck(key, key_len));
            json_object_set_new_nocheck(rec, "value", spy_plart_value(v));
            if ((err = spy_emit(ctx, rec)) != SPY_OK)
                break;
        }
    }
    json_decref(pl);
    free(label);
    return err;
}

/* Python truthiness of the saved value (MVT tests `if value`): a boolean
 * in real plists; numbers and strings are judged the same way. */
static bool py_truthy(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_TRUE: return true;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0;
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_OBJECT: return json_object_size(v) > 0;
    case JSON_ARRAY: return json_array_size(v) > 0;
    default: return false;
    }
}

/* Heuristic, always on (spec §5.24): Lockdown Mode on is worth knowing
 * (INFORMATIONAL), off on a device under analysis is LOW. */
static void gp_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *entry = spy_kit_str(r, "entry");
    if (!entry || strcmp(entry, "LDMGlobalEnabled") != 0)
        return;
    if (py_truthy(json_object_get(r, "value")))
        spy_alert_raise(ctx, SPY_LEVEL_INFORMATIONAL, "", NULL, "Lockdown mode enabled");
    else
        spy_alert_raise(ctx, SPY_LEVEL_LOW, "", NULL, "Lockdown mode disabled");
}

const spy_module spy_mod_global_preferences = {
    .name = "GlobalPreferences",
    .slug = "global_preferences",
    .acquisitions = SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS,
    .flags = 0,
    .run = gp_run,
    .check = gp_check,
    .timeline = NULL,
};
