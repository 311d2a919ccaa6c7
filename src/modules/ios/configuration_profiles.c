/* ConfigurationProfiles (spec/ios.md §4.2): the installed-profile stubs
 * (`profile-*`) of the configuration-profiles system group, one record per
 * stub with the whole plist; profile-id indicators on PayloadUUID and the
 * "notifications silenced" payload heuristic, both only with indicators. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"
#include "modules/ios/plist_art.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

#define CP_DOMAIN               "SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles"
#define CP_PREFIX               "profile-"
#define CP_NOTIFICATION_PAYLOAD "com.apple.notificationsettings"

/* {"$data": base64} → the base64 text as a JSON string (MVT base64-encodes
 * these binary values before writing JSON); NULL for any other value. */
static json_t *data_as_b64(const json_t *v)
{
    const json_t *b64 = json_object_size(v) == 1 ? json_object_get(v, "$data") : NULL;
    return json_is_string(b64) ? json_string(json_string_value(b64)) : NULL;
}

static void b64_key(json_t *dict, const char *key)
{
    json_t *s = data_as_b64(json_object_get(dict, key));
    if (s)
        json_object_set_new(dict, key, s); /* replaced in place: key order kept */
}

static void b64_items(json_t *dict, const char *key)
{
    json_t *arr = json_object_get(dict, key);
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        json_t *s = data_as_b64(item);
        if (s)
            json_array_set_new(arr, i, s);
    }
}

/* The binary values spec §4.2 lists as base64-encoded in the output. */
static void encode_binary_fields(json_t *pl)
{
    b64_items(pl, "SignerCerts");
    b64_key(pl, "PushTokenDataSentToServerKey");
    b64_key(pl, "LastPushTokenHash");
    json_t *ota = json_object_get(pl, "OTAProfileStub");
    if (json_is_object(ota)) {
        b64_items(ota, "SignerCerts");
        json_t *pc = json_object_get(ota, "PayloadContent");
        if (json_is_object(pc))
            b64_key(pc, "EnrollmentIdentityPersistentID");
    }
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(pl, "PayloadContent"), i, entry)
    {
        if (!json_is_object(entry))
            continue;
        b64_key(entry, "PERSISTENT_REF");
        b64_key(entry, "IdentityPersistentRef");
    }
}

/* The stub parsed, or an empty dict: spec §4.2 keeps unparseable stubs as
 * records with an empty plist. */
static json_t *load_stub(spy_mod_ctx *ctx, const spy_artifact *art)
{
    json_t *pl = NULL;
    if (spy_plart_load(ctx, art, &pl) != SPY_OK) {
        spy_skipped(ctx, 1, "%s: unreadable profile stub kept with an empty plist", art->label);
        return json_object();
    }
    if (!json_is_object(pl)) {
        spy_warn(spy_ctx_logger(ctx), "%s: the top-level value is not a dictionary; kept as {}",
                 art->label);
        spy_skipped(ctx, 1, "%s: profile stub is not a dictionary", art->label);
        json_decref(pl);
        return json_object();
    }
    return pl;
}

static json_t *make_record(spy_mod_ctx *ctx, const spy_artifact *art)
{
    json_t *pl = load_stub(ctx, art);
    char iso[SPY_ISO_LEN] = "";
    double mac;
    if (spy_plist_date(json_object_get(pl, "InstallDate"), &mac))
        spy_iso_from_mac(mac, iso);
    encode_binary_fields(pl);
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "file_id", json_string(art->file_id ? art->file_id : ""));
    json_object_set_new_nocheck(rec, "relative_path", json_string(art->path ? art->path : ""));
    json_object_set_new_nocheck(rec, "domain", json_string(art->domain ? art->domain : ""));
    json_object_set_new_nocheck(rec, "plist", spy_plart_value(pl));
    json_object_set_new_nocheck(rec, "install_date", json_string(iso));
    json_decref(pl);
    return rec;
}

static bool is_profile_stub(const char *relpath)
{
    const char *slash = strrchr(relpath, '/');
    const char *base = slash ? slash + 1 : relpath;
    return strncmp(base, CP_PREFIX, strlen(CP_PREFIX)) == 0;
}

static int cp_run(spy_mod_ctx *ctx)
{
    /* Every file of the domain ('*'), then only basenames "profile-*". */
    spy_query q = {.domain = CP_DOMAIN, .path = "*"};
    spy_artifacts l = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, &l);
    size_t found = 0;
    for (size_t i = 0; err == SPY_OK && i < l.n; i++) {
        if (!l.v[i].path || !is_profile_stub(l.v[i].path))
            continue;
        found++;
        spy_info(spy_ctx_logger(ctx), "Found configuration profile at path: %s", l.v[i].label);
        err = spy_emit(ctx, make_record(ctx, &l.v[i]));
    }
    if (err == SPY_OK && found == 0) {
        spy_info(spy_ctx_logger(ctx), "No configuration profiles found");
        err = SPY_ENOTFOUND;
    }
    spy_artifacts_free(&l);
    return err;
}

/* A profile-id match reported with the module's own message (spec §4.2). */
static bool check_profile(spy_mod_ctx *ctx, const json_t *pl, const char *uuid)
{
    spy_ioc_match m = {0};
    if (!spy_iocs_check(spy_ctx_iocs(ctx), NULL, SPY_CHECK_PROFILE_ID, uuid, &m))
        return false;
    char *name = spy_py_strdup(json_object_get(pl, "PayloadDisplayName"));
    free(m.message);
    m.message = spy_xasprintf(
        "Found a known malicious configuration profile \"%s\" with UUID \"%s\"", name, uuid);
    spy_alert_match(ctx, SPY_LEVEL_CRITICAL, "", NULL, &m);
    spy_ioc_match_clear(&m);
    free(name);
    return true;
}

static void cp_check(spy_mod_ctx *ctx, const json_t *r)
{
    /* MVT runs both checks only when indicators are loaded (spec §4.2). */
    if (!spy_ctx_iocs(ctx))
        return;
    const json_t *pl = json_object_get(r, "plist");
    const char *uuid = spy_kit_str(pl, "PayloadUUID");
    if (!uuid || !*uuid)
        return;
    if (check_profile(ctx, pl, uuid))
        return;
    /* MVT quirk guarded: a profile without PayloadContent has no type. */
    const char *type =
        spy_kit_str(json_array_get(json_object_get(pl, "PayloadContent"), 0), "PayloadType");
    if (!type || strcmp(type, CP_NOTIFICATION_PAYLOAD) != 0)
        return;
    char *name = spy_py_strdup(json_object_get(pl, "PayloadDisplayName"));
    spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL,
                    "Found a potentially suspicious configuration profile \"%s\" with payload "
                    "type %s",
                    name, type);
    free(name);
}

static void cp_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *ts = spy_kit_str(r, "install_date");
    if (!ts || !*ts)
        return;
    const json_t *pl = json_object_get(r, "plist");
    char *type = spy_py_strdup(json_object_get(pl, "PayloadType"));
    char *uuid = spy_py_strdup(json_object_get(pl, "PayloadUUID"));
    char *name = spy_py_strdup(json_object_get(pl, "PayloadDisplayName"));
    char *desc = spy_py_strdup(json_object_get(pl, "PayloadDescription"));
    char *data = spy_xasprintf("%s installed: %s - %s: %s", type, uuid, name, desc);
    spy_timeline_event(ctx, ts, "configuration_profile_install", data);
    free(data);
    free(desc);
    free(name);
    free(uuid);
    free(type);
}

const spy_module spy_mod_configuration_profiles = {
    .name = "ConfigurationProfiles",
    .slug = "configuration_profiles",
    .acquisitions = SPY_ACQ_IOS_BACKUP,
    .flags = 0,
    .run = cp_run,
    .check = cp_check,
    .timeline = cp_timeline,
};
