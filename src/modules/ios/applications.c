/* Applications (spec/ios.md §5.22): the installed apps, from the backup's
 * Info.plist "Applications" dictionary (each app's iTunesMetadata binary
 * plist) or, on a dump, each bundle's iTunesMetadata.plist. Bundle ids are
 * checked as processes and app ids; apps not installed from the App Store
 * or by MDM are flagged. */
#include "acquire/ios_backup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"
#include "core/timeconv.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* iTunesMetadata plists are a few KiB; icons in Info.plist are larger but
 * arrive already parsed with the backup. */
#define MAX_METADATA_BYTES (16u * 1024u * 1024u)

static const char *const globs[] = {
    "private/var/containers/Bundle/Application/*/iTunesMetadata.plist", NULL};

/* Installers that are not suspicious (spec §5.22). */
static const char *const TRUSTED_SOURCES[] = {
    "com.apple.AppStore", "com.apple.AppStore.ProductPageExtension", "com.apple.dmd", "dmd", NULL};

/* Decodes {"$data": base64}; NULL when v is not a data value. free(). */
static unsigned char *data_bytes(const json_t *v, size_t *len)
{
    const char *b64 = json_string_value(json_object_get(v, "$data"));
    if (!b64)
        return NULL;
    size_t n = strlen(b64);
    if (n % 4 || n / 4 * 3 > MAX_METADATA_BYTES * 4u)
        return NULL;
    unsigned char *out = spy_xmalloc(n / 4 * 3 + 1);
    int got = n ? EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n) : 0;
    if (got < 0) {
        free(out);
        return NULL;
    }
    /* EVP_DecodeBlock counts the padding as zero bytes. */
    size_t pad = n && b64[n - 1] == '=' ? (n > 1 && b64[n - 2] == '=' ? 2 : 1) : 0;
    *len = (size_t)got - pad;
    return out;
}

static json_t *sha256_hex(const unsigned char *p, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    if (EVP_Digest(p, len, md, &mdlen, EVP_sha256(), NULL) != 1)
        return json_null();
    for (unsigned i = 0; i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return json_string(hex);
}

/* purchaseDate "YYYY-MM-DDTHH:MM:SSZ" as ISO text. MVT quirk (§5.22): it
 * shifts by the analysing machine's zone; the Z means UTC, so we keep it. */
static bool purchase_iso(const json_t *meta, char iso[SPY_ISO_LEN])
{
    const json_t *info = json_object_get(meta, "com.apple.iTunesStore.downloadInfo");
    const char *s = json_string_value(json_object_get(info, "purchaseDate"));
    int y, mo, d, h, mi, se;
    char z;
    if (!s || strlen(s) != 20 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) != 7 || z != 'Z')
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    return spy_iso_from_unix((double)spy_unix_from_utc(y, mo, d, h, mi, se), iso);
}

/* name + the metadata's keys + (icon_sha256) + (isodate). */
static json_t *make_record(const char *name, const json_t *meta, const json_t *icon)
{
    json_t *r = json_object();
    if (name)
        json_object_set_new(r, "name", json_string(name));
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)meta, k, v)
    {
        json_object_set(r, k, v);
    }
    size_t len = 0;
    unsigned char *png = icon ? data_bytes(icon, &len) : NULL;
    if (png)
        json_object_set_new(r, "icon_sha256", sha256_hex(png, len));
    free(png);
    char iso[SPY_ISO_LEN];
    if (purchase_iso(meta, iso))
        json_object_set_new(r, "isodate", json_string(iso));
    return r;
}

/* One Info.plist Applications entry; SPY_EFORMAT when its metadata cannot
 * be decoded (counted as skipped by the caller). */
static int backup_app(spy_mod_ctx *ctx, const char *bundle, const json_t *app, json_t **rec)
{
    size_t len = 0;
    char *why = NULL;
    json_t *meta = NULL;
    unsigned char *raw = data_bytes(json_object_get(app, "iTunesMetadata"), &len);
    int err = raw ? spy_plist_parse(raw, len, &meta, &why) : SPY_EFORMAT;
    if (err == SPY_OK && !json_is_object(meta))
        err = SPY_EFORMAT;
    if (err != SPY_OK)
        spy_warn(spy_ctx_logger(ctx), "Info.plist: iTunesMetadata of %s unreadable: %s", bundle,
                 why   ? why
                 : raw ? "not a dictionary"
                       : "missing or not data");
    else
        *rec = make_record(bundle, meta, json_object_get(app, "PlaceholderIcon"));
    free(why);
    free(raw);
    json_decref(meta);
    return err;
}

static int run_backup(spy_mod_ctx *ctx)
{
    const json_t *info = spy_ios_backup_info_plist(spy_ctx_acq(ctx));
    if (!info) {
        spy_info(spy_ctx_logger(ctx), "Info.plist not found");
        return SPY_ENOTFOUND;
    }
    const json_t *apps = json_object_get(info, "Applications");
    if (!apps) {
        spy_info(spy_ctx_logger(ctx), "Info.plist has no Applications");
        return SPY_ENOTFOUND;
    }
    if (!json_is_object(apps)) {
        spy_error(spy_ctx_logger(ctx), "Info.plist: Applications is not a dictionary");
        return SPY_EFORMAT;
    }
    size_t bad = 0;
    int err = SPY_OK;
    const char *bundle;
    const json_t *app;
    json_object_foreach((json_t *)apps, bundle, app)
    {
        json_t *rec = NULL;
        if (backup_app(ctx, bundle, app, &rec) != SPY_OK) {
            bad++;
            continue;
        }
        if ((err = spy_emit(ctx, rec)) != SPY_OK)
            break;
    }
    if (bad)
        spy_skipped(ctx, bad, "Info.plist: applications with unreadable iTunesMetadata");
    return err;
}

static int fs_app(spy_mod_ctx *ctx, const spy_artifact *art)
{
    void *buf = NULL;
    size_t len = 0;
    char *why = NULL;
    json_t *meta = NULL;
    int err = spy_acq_read(spy_ctx_acq(ctx), art, MAX_METADATA_BYTES, &buf, &len);
    if (err == SPY_OK)
        err = spy_plist_parse(buf, len, &meta, &why);
    if (err == SPY_OK && !json_is_object(meta))
        err = SPY_EFORMAT;
    if (err != SPY_OK) {
        spy_warn(spy_ctx_logger(ctx), "%s: unreadable: %s", art->label,
                 why ? why : spy_err_str(err));
    } else {
        json_t *rec = make_record(NULL, meta, NULL);
        json_object_set_new(rec, "file_path", json_string(art->path));
        err = spy_emit(ctx, rec);
        if (err != SPY_OK)
            err = -err; /* a write error, not a bad file */
    }
    free(why);
    free(buf);
    json_decref(meta);
    return err;
}

static int run_fs(spy_mod_ctx *ctx)
{
    spy_query q = {.globs = globs};
    spy_artifacts arts = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, &arts);
    if (err == SPY_OK && arts.n == 0)
        err = SPY_ENOTFOUND;
    size_t bad = 0;
    for (size_t i = 0; err == SPY_OK && i < arts.n; i++) {
        int e = fs_app(ctx, &arts.v[i]);
        if (e < 0)
            err = -e;
        else if (e != SPY_OK)
            bad++;
    }
    if (bad)
        spy_skipped(ctx, bad, "unreadable iTunesMetadata.plist files");
    spy_artifacts_free(&arts);
    return err;
}

static int run(spy_mod_ctx *ctx)
{
    if (spy_ctx_acq(ctx)->kind == SPY_ACQ_IOS_BACKUP)
        return run_backup(ctx);
    return run_fs(ctx);
}

/* ---- checks --------------------------------------------------------- */

/* A process indicator equal to the bundle id, reported with the module's
 * own message (spec §5.22). */
static bool check_process(spy_mod_ctx *ctx, const char *id)
{
    spy_ioc_match m = {0};
    if (!spy_iocs_check(spy_ctx_iocs(ctx), NULL, SPY_CHECK_PROCESS, id, &m))
        return false;
    free(m.message);
    m.message = spy_xasprintf("Malicious application %s identified", id);
    spy_alert_match(ctx, SPY_LEVEL_CRITICAL, NULL, NULL, &m);
    spy_ioc_match_clear(&m);
    return true;
}

static bool trusted_source(const char *src)
{
    for (size_t i = 0; TRUSTED_SOURCES[i]; i++)
        if (!strcmp(src, TRUSTED_SOURCES[i]))
            return true;
    return false;
}

/* Each indicator hit ends the record's checks, as in MVT; the installer
 * heuristic runs with or without indicators. */
static void check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *id = spy_kit_str(r, "softwareVersionBundleId");
    if (spy_ctx_iocs(ctx)) {
        if (!id) {
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, NULL, NULL,
                            "Suspicious application identified without softwareVersionBundleId");
            return;
        }
        if (check_process(ctx, id))
            return;
        if (spy_check_ioc(ctx, SPY_CHECK_APP_ID, id, NULL, NULL))
            return;
    }
    const json_t *src = json_object_get(r, "sourceApp");
    char *s = src ? spy_py_strdup(src) : spy_xstrdup("com.apple.AppStore");
    if (!trusted_source(s)) {
        char *name = spy_py_strdup(id ? json_object_get(r, "softwareVersionBundleId")
                                      : json_object_get(r, "name"));
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, NULL, NULL,
                        "Suspicious app not installed from the App Store or MDM: %s", name);
        free(name);
    }
    free(s);
}

/* Absent keys read as "" (spec: "missing -> empty text"). */
static char *text_of(const json_t *r, const char *key)
{
    const json_t *v = json_object_get(r, key);
    return v ? spy_py_strdup(v) : spy_xstrdup("");
}

static void timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *iso = spy_kit_str(r, "isodate");
    if (!iso)
        return;
    char *name = text_of(r, "name"), *ver = text_of(r, "bundleShortVersionString");
    char *artist = text_of(r, "artistName"), *src = text_of(r, "sourceApp");
    char *d = spy_xasprintf("App %s version %s from %s installed from %s", name, ver, artist, src);
    spy_timeline_event(ctx, iso, "app_installed", d);
    free(d);
    free(name);
    free(ver);
    free(artist);
    free(src);
}

const spy_module spy_mod_applications = {
    "Applications", "applications", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, run, check, timeline};
