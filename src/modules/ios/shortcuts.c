/* Shortcuts (spec/ios.md §5.21): user shortcuts and automations, with the
 * URLs found in their actions' parameters (automations have been abused
 * for persistence and exfiltration). The actions are a plist array of
 * {WFWorkflowActionIdentifier, WFWorkflowActionParameters}; MVT searches
 * the Python text form of each parameters value for http(s) URLs, which is
 * reproduced here (sys_pyfmt.h) over a bounded parse. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"
#include "modules/ios/cols.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const SC_IDS[] = {"5b4d0b44b5990f62b9f4d34ad8dc382bf0b01094", NULL};
static const char *const SC_GLOBS[] = {"private/var/mobile/Library/Shortcuts/Shortcuts.sqlite",
                                       NULL};

/* Text form of one action's parameters: beyond this the rest is not
 * searched (a hostile plist cannot make the module allocate without end). */
#define SC_MAX_PARAM_TEXT (4u << 20)

static const char SC_QUERY[] =
    "SELECT ZSHORTCUT.Z_PK AS shortcut_id, ZSHORTCUT.ZNAME AS shortcut_name, "
    "ZSHORTCUT.ZCREATIONDATE AS created_date, ZSHORTCUT.ZMODIFICATIONDATE AS modified_date, "
    "ZSHORTCUT.ZACTIONSDESCRIPTION AS description, ZSHORTCUTACTIONS.ZDATA AS action_data "
    "FROM ZSHORTCUT LEFT JOIN ZSHORTCUTACTIONS ON ZSHORTCUTACTIONS.ZSHORTCUT = ZSHORTCUT.Z_PK";

/* Python's re.findall(r"https?://[^\s]+") on the text, each match with
 * trailing ' and , removed (what the regex picks up from the quoting). */
static void find_urls(const char *s, size_t n, json_t *out)
{
    size_t i = 0;
    while (i + 7 <= n) {
        size_t skip = 0;
        if (memcmp(s + i, "http://", 7) == 0)
            skip = 7;
        else if (i + 8 <= n && memcmp(s + i, "https://", 8) == 0)
            skip = 8;
        if (!skip || i + skip >= n || strchr(" \t\n\r\f\v", s[i + skip])) {
            i++;
            continue;
        }
        size_t end = i + skip;
        while (end < n && !strchr(" \t\n\r\f\v", s[end]) && s[end] != '\0')
            end++;
        size_t len = end - i;
        while (len > 0 && (s[i + len - 1] == '\'' || s[i + len - 1] == ','))
            len--;
        json_array_append_new(out, json_stringn_nocheck(s + i, len));
        i = end;
    }
}

/* Sets parsed_actions and action_urls as MVT does, or returns false when
 * the data is not a plist array of actions (then MVT's values for
 * "no action data" apply). */
static bool parse_actions(const void *data, size_t len, json_t *rec)
{
    json_t *plist = NULL;
    if (!data || len == 0 || spy_plist_parse(data, len, &plist, NULL) != SPY_OK)
        return false;
    bool ok = json_is_array(plist);
    json_t *urls = json_array();
    size_t i;
    json_t *action;
    json_array_foreach(plist, i, action)
    {
        const json_t *params = json_object_get(action, "WFWorkflowActionParameters");
        if (!ok || !json_object_get(action, "WFWorkflowActionIdentifier") || !params) {
            ok = false;
            break;
        }
        spy_pybuf b;
        spy_pybuf_init(&b, SC_MAX_PARAM_TEXT);
        spy_py_str(&b, params);
        find_urls(b.s, b.n, urls);
        spy_pybuf_free(&b);
    }
    if (ok) {
        json_object_set_new_nocheck(rec, "parsed_actions",
                                    json_integer((json_int_t)json_array_size(plist)));
        json_object_set_new_nocheck(rec, "action_urls", urls);
    } else {
        json_decref(urls);
    }
    json_decref(plist);
    return ok;
}

static json_t *make_record(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "shortcut_id", spy_kit_col(st, 0));
    json_object_set_new_nocheck(rec, "shortcut_name", spy_kit_col(st, 1));
    json_object_set_new_nocheck(rec, "modified_date", spy_col_iso(st, 3, SPY_EPOCH_MAC_NS18));
    json_object_set_new_nocheck(rec, "description", spy_kit_col(st, 4));
    if (!parse_actions(sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5), rec)) {
        spy_debug(spy_ctx_logger(ctx), "Shortcut without action data");
        json_object_set_new_nocheck(rec, "action_urls", json_null());
        json_object_set_new_nocheck(rec, "parsed_actions", json_integer(0));
    }
    json_object_set_new_nocheck(rec, "isodate", spy_col_iso(st, 2, SPY_EPOCH_MAC_NS18));
    return rec;
}

static int shortcuts_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = SC_IDS,
                   .domain = "HomeDomain",
                   .path = "Library/Shortcuts/Shortcuts.sqlite",
                   .globs = SC_GLOBS,
                   .first_only = true};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    if (!spy_kit_has_table(db, "ZSHORTCUT")) {
        spy_info(spy_ctx_logger(ctx), "Invalid shortcut database format, skipping...");
        spy_evdb_close(db);
        free(label);
        return SPY_OK;
    }
    spy_evscan s;
    spy_evscan_prepare(&s, db, SC_QUERY);
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, make_record(ctx, s.stmt));
    if (err == SPY_OK || s.grade != SPY_EVSCAN_COMPLETE)
        err = spy_kit_scan_done(ctx, &s, label);
    spy_info(spy_ctx_logger(ctx), "Extracted a total of %llu Shortcuts",
             (unsigned long long)s.rows);
    spy_evscan_finish(&s);
    spy_evdb_close(db);
    free(label);
    return err;
}

static void shortcuts_check(spy_mod_ctx *ctx, const json_t *r)
{
    /* check_url_batches: the first matching URL of the record, in order. */
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(r, "action_urls"), i, u)
    {
        if (spy_check_ioc(ctx, SPY_CHECK_URL, json_string_value(u), "", NULL))
            return;
    }
}

/* bytes.decode("utf-8", errors="ignore"): invalid sequences dropped. */
static void utf8_ignore(spy_pybuf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (size_t k = 1; ok && k < len; k++)
            ok = ((unsigned char)s[i + k] & 0xc0) == 0x80;
        if (ok)
            spy_pybuf_add(b, s + i, len);
        i += ok ? len : 1;
    }
}

static void shortcuts_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    spy_pybuf b;
    spy_pybuf_init(&b, 1u << 20);
    spy_pybuf_adds(&b, "iOS Shortcut '");
    spy_py_str(&b, json_object_get(r, "shortcut_name"));
    spy_pybuf_adds(&b, "': ");
    const json_t *desc = json_object_get(r, "description");
    if (json_is_string(desc))
        utf8_ignore(&b, json_string_value(desc), json_string_length(desc));
    spy_pybuf_adds(&b, " ");
    const json_t *urls = json_object_get(r, "action_urls");
    if (json_array_size(urls) > 0) {
        spy_pybuf_adds(&b, "- URLs in actions: ");
        size_t i;
        json_t *u;
        json_array_foreach(urls, i, u)
        {
            if (i)
                spy_pybuf_adds(&b, ", ");
            spy_py_str(&b, u);
        }
    }
    char *created = spy_py_strdup(json_object_get(r, "isodate"));
    char *modified = spy_py_strdup(json_object_get(r, "modified_date"));
    spy_timeline_event(ctx, created, "shortcut_created", b.s);
    spy_timeline_event(ctx, modified, "shortcut_modified", b.s);
    free(modified);
    free(created);
    spy_pybuf_free(&b);
}

const spy_module spy_mod_shortcuts = {
    "Shortcuts",     "shortcuts",       SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, shortcuts_run,
    shortcuts_check, shortcuts_timeline};
