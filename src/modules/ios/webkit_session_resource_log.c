/* WebkitSessionResourceLog (spec/ios.md §5.18): WebKit's per-session
 * resource log (full_browsing_session_resourceLog.plist) of every app,
 * reported as one mapping "source file -> items", each item's origin and
 * redirect / sub-resource domains checked against indicators. */
#include "acquire/ios_backup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"
#include "core/timeconv.h"
#include "modules/ios/plist_art.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

#define RELPATH                                                                                    \
    "Library/WebKit/WebsiteData/ResourceLoadStatistics/full_browsing_session_resourceLog.plist"

/* The device writes one small plist per WebKit data store; 64 MiB is far
 * above any real one and keeps a hostile file from exhausting memory. */

static const char *const globs[] = {
    "private/var/mobile/Containers/Data/Application/*/SystemData/com.apple.SafariViewService/"
    "Library/WebKit/WebsiteData/full_browsing_session_resourceLog.plist",
    "private/var/mobile/Containers/Data/Application/*/Library/WebKit/WebsiteData/"
    "ResourceLoadStatistics/full_browsing_session_resourceLog.plist",
    "private/var/mobile/Library/WebClips/*/Storage/full_browsing_session_resourceLog.plist", NULL};

/* The four lists of domains an item links to, in the order the spec names
 * them (record key, plist key). */
static const struct {
    const char *key, *plist_key;
} LISTS[] = {
    {"redirect_source", "topFrameUniqueRedirectsFrom"},
    {"redirect_destination", "topFrameUniqueRedirectsTo"},
    {"subframe_under_origin", "subframeUnderTopFrameOrigins"},
    {"subresource_under_origin", "subresourceUnderTopFrameOrigins"},
};
#define N_LISTS (sizeof LISTS / sizeof LISTS[0])

/* A plist date as MVT's ISO text; "" when absent or not a date. */
static json_t *iso_of(const json_t *v)
{
    char iso[SPY_ISO_LEN] = "";
    double mac;
    if (spy_plist_date(v, &mac))
        spy_iso_from_mac(mac, iso);
    return json_string(iso);
}

/* dict.get(key, ""): a missing value becomes "" (spec: "Missing lists
 * become """); present values are kept as they are. */
static json_t *get_or_empty(const json_t *item, const char *key)
{
    json_t *v = json_object_get(item, key);
    return v ? json_deep_copy(v) : json_string("");
}

static json_t *make_item(const json_t *item)
{
    json_t *r = json_object();
    json_object_set_new(r, "origin", get_or_empty(item, "PrevalentResourceOrigin"));
    for (size_t i = 0; i < N_LISTS; i++)
        json_object_set_new(r, LISTS[i].key, get_or_empty(item, LISTS[i].plist_key));
    json_t *ui = json_object_get(item, "hadUserInteraction");
    json_object_set_new(r, "user_interaction", ui ? json_deep_copy(ui) : json_null());
    json_object_set_new(r, "most_recent_interaction",
                        iso_of(json_object_get(item, "mostRecentUserInteraction")));
    json_object_set_new(r, "last_seen", iso_of(json_object_get(item, "lastSeen")));
    return r;
}

/* MVT keys a backup's file by its content-file path (<backup>/<xx>/<id>)
 * and a dump's by the path under the dump root. Only a label: the content
 * is read through the acquisition. */
static char *result_key(const spy_acq *acq, const spy_artifact *art)
{
    if (acq->kind == SPY_ACQ_IOS_BACKUP && art->file_id && spy_ios_file_id_valid(art->file_id))
        return spy_xasprintf("%s/%.2s/%s", spy_ios_backup_dir(acq), art->file_id, art->file_id);
    return spy_xstrdup(art->path);
}

/* Parses one plist into a list of items; SPY_EFORMAT (after one message
 * naming the file) when it is unreadable or not shaped as expected. */
static int parse_log(spy_mod_ctx *ctx, const spy_artifact *art, json_t **items)
{
    json_t *root = NULL;
    int err = spy_plart_load(ctx, art, &root);
    if (err != SPY_OK)
        goto out;
    const json_t *stats = json_object_get(root, "browsingStatistics");
    if (!json_is_object(root) || !json_is_array(stats)) {
        spy_error(spy_ctx_logger(ctx), "%s: no browsingStatistics array in the plist", art->label);
        err = SPY_EFORMAT;
        goto out;
    }
    *items = json_array();
    size_t i, bad = 0;
    const json_t *item;
    json_array_foreach(stats, i, item)
    {
        if (json_is_object(item))
            json_array_append_new(*items, make_item(item));
        else
            bad++;
    }
    if (bad)
        spy_skipped(ctx, bad, "%s: browsingStatistics entries that are not dictionaries",
                    art->label);
out:
    json_decref(root);
    return err;
}

static int run(spy_mod_ctx *ctx)
{
    spy_query q = {.path = RELPATH, .globs = globs};
    spy_artifacts arts = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, &arts);
    if (err == SPY_OK && arts.n == 0) {
        spy_info(spy_ctx_logger(ctx), "No WebKit session resource log found");
        err = SPY_ENOTFOUND;
    }
    if (err != SPY_OK)
        goto out;
    json_t *map = json_object();
    size_t failed = 0;
    for (size_t i = 0; i < arts.n; i++) {
        json_t *items = NULL;
        if (parse_log(ctx, &arts.v[i], &items) != SPY_OK) {
            failed++;
            continue;
        }
        char *key = result_key(spy_ctx_acq(ctx), &arts.v[i]);
        json_object_set_new(map, key, items);
        free(key);
    }
    /* Graded: one unreadable file among several is reported and the others
     * are kept; the module fails only when no file could be read. */
    if (failed == arts.n) {
        json_decref(map);
        err = SPY_EFORMAT;
        goto out;
    }
    if (failed)
        spy_skipped(ctx, failed, "unreadable session resource log files");
    err = spy_emit(ctx, map);
out:
    spy_artifacts_free(&arts);
    return err;
}

/* ---- checks --------------------------------------------------------- */

static void add_candidate(json_t *seen, const json_t *v)
{
    const char *s = json_string_value(v);
    if (!s || !*s)
        return;
    size_t i;
    json_t *e;
    json_array_foreach(seen, i, e)
    {
        if (!strcmp(json_string_value(e), s))
            return;
    }
    json_array_append_new(seen, json_string(s));
}

/* The item's origin, then each list element's "origin" and "domain"
 * (spec §5.18), de-duplicated in first-seen order. */
static json_t *candidates(const json_t *item)
{
    json_t *seen = json_array();
    add_candidate(seen, json_object_get(item, "origin"));
    for (size_t l = 0; l < N_LISTS; l++) {
        const json_t *list = json_object_get(item, LISTS[l].key);
        size_t i;
        const json_t *e;
        json_array_foreach(list, i, e)
        {
            add_candidate(seen, json_object_get(e, "origin"));
            add_candidate(seen, json_object_get(e, "domain"));
        }
    }
    return seen;
}

/* `"a", "b"`: each element's origin (its domain when it has none). */
static void put_hops(spy_pybuf *b, const json_t *list)
{
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *s = json_string_value(json_object_get(e, "origin"));
        if (!s)
            s = json_string_value(json_object_get(e, "domain"));
        if (!s)
            s = json_string_value(e);
        if (i)
            spy_pybuf_adds(b, ", ");
        spy_pybuf_adds(b, "\"");
        spy_pybuf_adds(b, s ? s : "");
        spy_pybuf_adds(b, "\"");
    }
}

static void redirect_alert(spy_mod_ctx *ctx, const json_t *item)
{
    const json_t *src = json_object_get(item, "redirect_source");
    const json_t *dst = json_object_get(item, "redirect_destination");
    const char *origin = json_string_value(json_object_get(item, "origin"));
    spy_pybuf b;
    spy_pybuf_init(&b, 64 * 1024);
    if (json_array_size(src)) {
        spy_pybuf_adds(&b, "SOURCE: ");
        put_hops(&b, src);
        spy_pybuf_adds(&b, " -> ");
    }
    spy_pybuf_adds(&b, "ORIGIN: \"");
    spy_pybuf_adds(&b, origin ? origin : "");
    spy_pybuf_adds(&b, "\"");
    if (json_array_size(dst)) {
        spy_pybuf_adds(&b, " -> DESTINATION: ");
        put_hops(&b, dst);
    }
    spy_alert_raise(ctx, SPY_LEVEL_HIGH, NULL, item,
                    "Found HTTP redirect between suspicious domains: %s", b.s ? b.s : "");
    spy_pybuf_free(&b);
}

static void check_item(spy_mod_ctx *ctx, const json_t *item)
{
    json_t *c = candidates(item);
    size_t i;
    const json_t *v;
    /* check_url_batches: the first matching value of the item only. */
    json_array_foreach(c, i, v)
    {
        if (spy_check_ioc(ctx, SPY_CHECK_URL, json_string_value(v), NULL, item)) {
            redirect_alert(ctx, item);
            break;
        }
    }
    json_decref(c);
}

/* The record is the whole mapping (saved or fresh): every list of every
 * file is checked, each item being the alert's event. */
static void check(spy_mod_ctx *ctx, const json_t *map)
{
    if (!spy_ctx_iocs(ctx) || !json_is_object(map))
        return;
    const char *key;
    const json_t *items;
    json_object_foreach((json_t *)map, key, items)
    {
        size_t i;
        const json_t *item;
        json_array_foreach(items, i, item)
        {
            if (json_is_object(item))
                check_item(ctx, item);
        }
    }
}

const spy_module spy_mod_webkit_session_resource_log = {"WebkitSessionResourceLog",
                                                        "webkit_session_resource_log",
                                                        SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS,
                                                        SPY_MOD_MAPPING,
                                                        run,
                                                        check,
                                                        NULL};
