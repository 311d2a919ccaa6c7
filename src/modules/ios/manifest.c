/* Manifest (spec/ios.md §4.3): one record per row of Manifest.db's Files
 * table, with the MBFile metadata of its `file` blob. Backups hold hundreds
 * of thousands of rows, so the scan is one statement, the blob goes through
 * the allocation-free MBFile reader (core/nska.h), and a record is the only
 * allocation per row. */
#include "acquire/ios_backup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/nska.h"
#include "core/timeconv.h"
#include "core/urlsplit.h"
#include "modules/module_kit.h"

#include <ctype.h>
#include <inttypes.h>
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse failures are logged one by one up to this many, then counted. */
#define MANIFEST_MAX_LOGGED_FAILURES 20

/* Two sqlite3_column_* calls per value: each one takes the connection's
 * mutex, and this runs for every row of the table. A NULL column gives a
 * NULL pointer, an empty text a non-NULL "". */
static json_t *text_col(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    if (!s)
        return json_null();
    return json_stringn_nocheck(s, (size_t)sqlite3_column_bytes(st, col));
}

/* An MBFile time as MVT renders it: Unix seconds, or a date (older
 * backups) rendered directly. false when absent (MVT's conversion raises,
 * and the record keeps only the column values). */
static bool mbtime_iso(const spy_mbtime *t, char iso[SPY_ISO_LEN])
{
    iso[0] = '\0';
    switch (t->kind) {
    case SPY_MBTIME_UNIX:
        /* integer arithmetic: three per row of a 400k-row table */
        spy_iso_from_unix_us(t->unix_secs, 0, iso);
        return true;
    case SPY_MBTIME_MACABS: spy_iso_from_unix(t->mac_abs + SPY_MAC_EPOCH_OFFSET, iso); return true;
    default: return false;
    }
}

/* Python's oct(): "0o100644", "-0o5". */
static json_t *py_oct(int64_t v)
{
    char t[32], *p = t + sizeof t;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    *--p = '\0';
    do {
        *--p = (char)('0' + (u & 7));
        u >>= 3;
    } while (u);
    *--p = 'o';
    *--p = '0';
    if (v < 0)
        *--p = '-';
    return json_string_nocheck(p);
}

/* Adds the blob's metadata to rec; false when the blob does not hold what
 * MVT reads (then rec is left with the column values). */
static bool add_metadata(json_t *rec, const void *blob, size_t len, char **why)
{
    spy_mbfile m;
    if (spy_nska_mbfile(blob, len, &m, why) != SPY_OK)
        return false;
    char created[SPY_ISO_LEN], modified[SPY_ISO_LEN], changed[SPY_ISO_LEN];
    bool ok = mbtime_iso(&m.birth, created) && mbtime_iso(&m.last_modified, modified) &&
              mbtime_iso(&m.last_status_change, changed) && (m.have & SPY_MBF_MODE);
    if (ok) {
        json_object_set_new_nocheck(rec, "created", json_string_nocheck(created));
        json_object_set_new_nocheck(rec, "modified", json_string_nocheck(modified));
        json_object_set_new_nocheck(rec, "status_changed", json_string_nocheck(changed));
        json_object_set_new_nocheck(rec, "mode", py_oct(m.mode));
        json_object_set_new_nocheck(
            rec, "owner", (m.have & SPY_MBF_USER_ID) ? json_integer(m.user_id) : json_null());
        json_object_set_new_nocheck(rec, "size",
                                    (m.have & SPY_MBF_SIZE) ? json_integer(m.size) : json_null());
    } else if (why) {
        *why = spy_xstrdup("a time or Mode field is missing");
    }
    spy_mbfile_clear(&m);
    return ok;
}

static json_t *make_record(spy_mod_ctx *ctx, sqlite3_stmt *st, size_t *failures)
{
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "file_id", text_col(st, 0));
    json_object_set_new_nocheck(rec, "domain", text_col(st, 1));
    json_object_set_new_nocheck(rec, "relative_path", text_col(st, 2));
    json_object_set_new_nocheck(rec, "flags", spy_kit_col(st, 3));
    json_object_set_new_nocheck(rec, "created", json_string_nocheck(""));
    /* The blob may be NULL or empty in synthetic backups: MVT then keeps
     * only the column values, silently. */
    const void *blob = sqlite3_column_blob(st, 4);
    size_t len = (size_t)sqlite3_column_bytes(st, 4);
    if (!blob || len == 0)
        return rec;
    char *why = NULL;
    if (!add_metadata(rec, blob, len, &why)) {
        if (++*failures <= MANIFEST_MAX_LOGGED_FAILURES)
            spy_warn(spy_ctx_logger(ctx),
                     "Error reading manifest file metadata for file with ID %s and relative "
                     "path %s: %s",
                     spy_kit_str(rec, "file_id") ? spy_kit_str(rec, "file_id") : "None",
                     spy_kit_str(rec, "relative_path") ? spy_kit_str(rec, "relative_path") : "None",
                     why ? why : "unreadable");
        free(why);
    }
    return rec;
}

static int manifest_run(spy_mod_ctx *ctx)
{
    const spy_acq *acq = spy_ctx_acq(ctx);
    sqlite3 *db = NULL;
    int err = spy_ios_backup_open_manifest(acq, &db);
    if (err != SPY_OK) {
        spy_error(spy_ctx_logger(ctx),
                  "Manifest.db is not a valid SQLite database. The backup may be encrypted.");
        return err == SPY_ENOTFOUND ? SPY_ENOTFOUND : SPY_EFORMAT;
    }
    spy_info(spy_ctx_logger(ctx), "Found Manifest.db database at path: %s/Manifest.db",
             spy_ios_backup_dir(acq));
    spy_evscan s;
    size_t failures = 0;
    err = spy_evscan_prepare(&s, db, "SELECT fileID, domain, relativePath, flags, file FROM Files");
    if (err != SPY_OK)
        spy_error(spy_ctx_logger(ctx),
                  "Manifest.db is not a valid SQLite database. The backup may be encrypted.");
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, make_record(ctx, s.stmt, &failures));
    if (failures > MANIFEST_MAX_LOGGED_FAILURES)
        spy_warn(spy_ctx_logger(ctx), "%zu file metadata blobs could not be read in all", failures);
    if (err == SPY_OK || s.grade != SPY_EVSCAN_COMPLETE)
        err = spy_kit_scan_done(ctx, &s, "Manifest.db");
    spy_info(spy_ctx_logger(ctx), "Extracted a total of %" PRIu64 " file metadata items", s.rows);
    spy_evscan_finish(&s);
    spy_evdb_close(db);
    return err;
}

/* MVT only checks pieces that parse as a URL whose host ends in a known
 * public suffix (its URL class raises otherwise). */
static bool piece_is_url(const char *piece, size_t n)
{
    char buf[SPY_URLSPLIT_BUF];
    spy_url u;
    /* A host with a public suffix has a dot in it: most pieces of a path
     * ("library/caches/x", "0.localstorage" after a '/') are out at once. */
    if (n == 0 || !memchr(piece, '.', n) || spy_urlsplit(piece, n, buf, sizeof buf, &u) != SPY_OK ||
        !memchr(u.host, '.', u.host_len))
        return false;
    if (u.bracketed || spy_url_is_ipv4(u.host, u.host_len))
        return false;
    const char *last = u.host;
    for (size_t i = 0; i < u.host_len; i++)
        if (u.host[i] == '.')
            last = u.host + i + 1;
    return *last &&
           psl_is_public_suffix2(psl_builtin(), last, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

static void check_pieces(spy_mod_ctx *ctx, const spy_iocs *iocs, char *lower)
{
    size_t len = strlen(lower);
    char stackbuf[512];
    char *piece = len + 1 <= sizeof stackbuf ? stackbuf : spy_xmalloc(len + 1);
    const char *p = lower;
    for (;;) {
        const char *end = strchr(p, '_');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        memcpy(piece, p, n);
        piece[n] = '\0';
        spy_ioc_match m = {0};
        if (piece_is_url(piece, n) && spy_iocs_check(iocs, NULL, SPY_CHECK_URL, piece, &m)) {
            /* MVT's own message for this check, with the matched indicator */
            free(m.message);
            m.message = spy_xasprintf(
                "Found mention of domain \"%s\" in a backup file with path: %s", m.value, lower);
            spy_alert_match(ctx, SPY_LEVEL_HIGH, "", NULL, &m);
            spy_ioc_match_clear(&m);
        }
        if (!end)
            break;
        p = end + 1;
    }
    if (piece != stackbuf)
        free(piece);
}

static void manifest_check(spy_mod_ctx *ctx, const json_t *r)
{
    const spy_iocs *iocs = spy_ctx_iocs(ctx);
    const char *rel = spy_kit_str(r, "relative_path");
    if (!iocs || !rel || !*rel)
        return;
    /* Indicator matches here are HIGH, not CRITICAL (spec §4.3). */
    size_t rlen = strlen(rel);
    char stackbuf[512];
    char *path = rlen + 2 <= sizeof stackbuf ? stackbuf : spy_xmalloc(rlen + 2);
    path[0] = '/';
    memcpy(path + 1, rel, rlen + 1);
    spy_ioc_match m = {0};
    bool hit = spy_iocs_check(iocs, NULL, SPY_CHECK_FILE_PATH, path, &m);
    if (path != stackbuf)
        free(path);
    if (hit) {
        spy_alert_match(ctx, SPY_LEVEL_HIGH, "", NULL, &m);
        spy_ioc_match_clear(&m);
        return;
    }
    /* MVT lower-cases the path, then splits it on '_' (spec §4.3). */
    char *lower = rlen + 1 <= sizeof stackbuf ? stackbuf : spy_xmalloc(rlen + 1);
    for (size_t i = 0; i <= rlen; i++)
        lower[i] = (char)tolower((unsigned char)rel[i]);
    check_pieces(ctx, iocs, lower);
    if (lower != stackbuf)
        free(lower);
}

static void manifest_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *created = spy_kit_str(r, "created");
    const char *modified = spy_kit_str(r, "modified");
    const char *changed = spy_kit_str(r, "status_changed");
    if (!modified || !changed)
        return;
    if (!created)
        created = "";
    const char *domain = spy_kit_str(r, "domain");
    const char *rel = spy_kit_str(r, "relative_path");
    char *data = spy_xasprintf("%s - %s", rel ? rel : "None", domain ? domain : "None");
    /* One row per distinct value (MVT iterates a set), MACB-style flags. */
    const char *vals[3] = {created, modified, changed};
    for (int i = 0; i < 3; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || strcmp(vals[i], vals[j]) == 0;
        if (seen)
            continue;
        char macb[5] = {strcmp(vals[i], modified) == 0 ? 'M' : '-', '-',
                        strcmp(vals[i], changed) == 0 ? 'C' : '-',
                        strcmp(vals[i], created) == 0 ? 'B' : '-', '\0'};
        spy_timeline_event(ctx, vals[i], macb, data);
    }
    free(data);
}

const spy_module spy_mod_manifest = {"Manifest",   "manifest",     SPY_ACQ_IOS_BACKUP, 0,
                                     manifest_run, manifest_check, manifest_timeline};
