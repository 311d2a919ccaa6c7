/* IDStatusCache (spec/ios.md §5.7): the iMessage/FaceTime identity lookups
 * of identityservices' idstatuscache plist (service → URI → {LookupDate,
 * IDStatus}). Email indicators on mailto: entries, and with indicators
 * loaded the Pegasus zero-click pattern: two NUL bytes in the identifier. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/ios/plist_art.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

/* Backup: the fixed fileID only (empty/absent from iOS 14.7); dump: every
 * match of both locations. */
static const char *const IDS_IDS[] = {"6b97989189901ceaa4e5be9b7f05fb584120e27b", NULL};
static const char *const IDS_GLOBS[] = {
    "private/var/mobile/Library/Preferences/com.apple.identityservices.idstatuscache.plist",
    "private/var/mobile/Library/IdentityServices/idstatuscache.plist", NULL};

#define TEXT_MAX 65536u /* bounded rendering of untrusted identifiers */

/* The URI with every NUL byte written as the 4 characters \x00, as MVT
 * stores it (its NUL heuristic then looks for that text). */
static json_t *user_text(const char *uri, size_t n)
{
    spy_pybuf b;
    spy_pybuf_init(&b, n * 4 + 1);
    for (size_t i = 0; i < n; i++) {
        if (uri[i] == '\0')
            spy_pybuf_adds(&b, "\\x00");
        else
            spy_pybuf_add(&b, uri + i, 1);
    }
    json_t *s = json_stringn_nocheck(b.s, b.n);
    spy_pybuf_free(&b);
    return s;
}

static json_t *make_record(const char *service, const char *uri, size_t uri_len,
                           const json_t *entry)
{
    json_t *date = json_object_get(entry, "LookupDate");
    json_t *status = json_object_get(entry, "IDStatus");
    if (!date || !status)
        return NULL;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "package", json_string_nocheck(service));
    json_object_set_new_nocheck(rec, "user", user_text(uri, uri_len));
    /* LookupDate is a Mac-time number, converted as MVT's
     * convert_mactime_to_iso does (anything else gives "") */
    char iso[SPY_ISO_LEN] = "";
    spy_iso_from_json(date, SPY_EPOCH_MAC_NS18, iso);
    json_object_set_new_nocheck(rec, "isodate", json_string(iso));
    json_object_set_new_nocheck(rec, "idstatus", spy_plart_value(status));
    return rec;
}

/* All records of one file, before `occurrences` can be counted. */
static void collect(const json_t *plist, json_t *out, size_t *bad)
{
    const char *service, *uri;
    json_t *entries, *entry;
    json_object_foreach((json_t *)plist, service, entries)
    {
        if (!json_is_object(entries))
            continue; /* non-dict services are skipped (spec) */
        size_t uri_len;
        json_object_keylen_foreach(entries, uri, uri_len, entry)
        {
            json_t *rec = json_is_object(entry) ? make_record(service, uri, uri_len, entry) : NULL;
            if (rec)
                json_array_append_new(out, rec);
            else
                (*bad)++;
        }
    }
}

/* user → number of records with it (users hold no NUL any more: they were
 * rewritten as text, so they are valid keys). */
static json_t *count_users(const json_t *recs)
{
    json_t *counts = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(recs, i, r)
    {
        const char *u = spy_kit_str(r, "user");
        json_int_t n = json_integer_value(json_object_get(counts, u));
        json_object_set_new_nocheck(counts, u, json_integer(n + 1));
    }
    return counts;
}

static bool has_two_nuls(const char *s, size_t n)
{
    static const char pat[] = "\\x00\\x00";
    for (size_t i = 0; i + sizeof pat - 1 <= n; i++)
        if (memcmp(s + i, pat, sizeof pat - 1) == 0)
            return true;
    return false;
}

static int emit_file(spy_mod_ctx *ctx, const json_t *plist, const spy_artifact *art, void *ud)
{
    (void)ud;
    if (!spy_plart_expect_dict(ctx, plist, art->label))
        return SPY_EFORMAT;
    json_t *recs = json_array();
    size_t bad = 0, i;
    json_t *r;
    int err = SPY_OK;
    collect(plist, recs, &bad);
    json_t *counts = count_users(recs);
    if (bad)
        spy_skipped(ctx, bad, "%s: %zu entries without LookupDate and IDStatus", art->label, bad);
    json_array_foreach(recs, i, r)
    {
        json_object_set_nocheck(r, "occurrences", json_object_get(counts, spy_kit_str(r, "user")));
        if ((err = spy_emit(ctx, json_incref(r))) != SPY_OK)
            break;
    }
    json_decref(counts);
    json_decref(recs);
    return err;
}

static int ids_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = IDS_IDS, .globs = IDS_GLOBS, .first_only = false};
    return spy_plart_foreach(ctx, &q, emit_file, NULL);
}

/* Both checks run only when indicators are loaded (spec §5.7). */
static void ids_check(spy_mod_ctx *ctx, const json_t *r)
{
    const json_t *uj = json_object_get(r, "user");
    if (!spy_ctx_iocs(ctx) || !json_is_string(uj))
        return;
    const char *user = json_string_value(uj);
    size_t n = json_string_length(uj);
    if (n >= 7 && strncmp(user, "mailto:", 7) == 0) {
        /* the address with every ' removed, as MVT strips it */
        char *email = spy_xmalloc(n);
        size_t m = 0;
        for (size_t i = 7; i < n; i++)
            if (user[i] != '\'')
                email[m++] = user[i];
        email[m] = '\0';
        bool hit = spy_check_ioc(ctx, SPY_CHECK_EMAIL, email, "", NULL);
        free(email);
        if (hit)
            return;
    }
    if (has_two_nuls(user, n))
        spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", NULL,
                        "ID Status Cache entry with suspicious patterns: %s", user);
}

static void ids_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    spy_pybuf b;
    spy_pybuf_init(&b, TEXT_MAX);
    spy_pybuf_adds(&b, "Lookup of ");
    spy_py_str(&b, json_object_get(r, "user"));
    spy_pybuf_adds(&b, " within ");
    spy_py_str(&b, json_object_get(r, "package"));
    spy_pybuf_adds(&b, " (Status ");
    spy_py_str(&b, json_object_get(r, "idstatus"));
    spy_pybuf_adds(&b, ")");
    spy_timeline_event(ctx, spy_kit_str(r, "isodate"), "lookup", b.s);
    spy_pybuf_free(&b);
}

const spy_module spy_mod_id_status_cache = {
    .name = "IDStatusCache",
    .slug = "id_status_cache",
    .acquisitions = SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS,
    .flags = 0,
    .run = ids_run,
    .check = ids_check,
    .timeline = ids_timeline,
};
