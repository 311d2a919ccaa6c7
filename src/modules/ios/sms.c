/* SMS (spec/ios.md §5.15): messages of sms.db with their links. */
#include "core/error.h"
#include "core/log.h"
#include "modules/ios/msg_util.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const SMS_IDS[] = {"3d0d7e5fb2ce288813306e4d4636395e047a3d28", NULL};
static const char *const SMS_GLOBS[] = {"private/var/mobile/Library/SMS/sms.db", NULL};

/* MVT's inner join: messages without a handle (handle_id 0) are not read. */
static const char SMS_SQL[] =
    "SELECT message.*, handle.id as \"phone_number\" FROM message, handle "
    "WHERE handle.rowid = message.handle_id;";

/* Apple's threat notifications, as the text starts (spec/ios.md §5.15). */
static const char *const APPLE_WARNINGS[] = {
    "ALERT: State-sponsored attackers may be targeting your iPhone",
    "ALERT: Apple detected a targeted mercenary spyware attack against your iPhone", NULL};

/* The three BLOB columns MVT stores as base64. */
static bool is_b64_column(const char *name)
{
    return strcmp(name, "attributedBody") == 0 || strcmp(name, "payload_data") == 0 ||
           strcmp(name, "message_summary_info") == 0;
}

static json_t *sms_record(sqlite3_stmt *st)
{
    json_t *rec = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        name = name ? name : "";
        json_object_set_new_nocheck(rec, name,
                                    is_b64_column(name) ? msg_b64_col(st, i) : spy_kit_col(st, i));
    }
    char iso[SPY_ISO_LEN];
    msg_mac_iso(json_object_get(rec, "date"), iso);
    json_object_set_new_nocheck(rec, "isodate", json_string(iso));
    msg_mac_iso(json_object_get(rec, "date_read"), iso);
    json_object_set_new_nocheck(rec, "isodate_read", json_string(iso));
    json_object_set_new_nocheck(
        rec, "direction", json_string(spy_kit_int(rec, "is_from_me") == 1 ? "sent" : "received"));
    json_t *text = json_object_get(rec, "text");
    if (!json_is_string(text)) /* NULL text: "" (in place, dict order kept) */
        json_object_set_new_nocheck(rec, "text", text = json_string(""));
    json_t *links = json_array();
    msg_links_append(links, json_string_value(text), json_string_length(text), false);
    json_object_set_new_nocheck(rec, "links", links);
    return rec;
}

static void collect_urls(spy_mod_ctx *ctx, const json_t *rec)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(rec, "links"), i, v)
        spy_url_seen(ctx, json_string_value(v), spy_kit_str(rec, "isodate"), "sms");
}

static int sms_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = SMS_IDS, .globs = SMS_GLOBS, .first_only = true};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    spy_evscan s;
    if (spy_evscan_prepare(&s, db, SMS_SQL) != SPY_OK) {
        /* MVT: "no such table" is logged and the module produces nothing;
         * anything else is an unreadable database. */
        if (!spy_kit_has_table(db, "message") || !spy_kit_has_table(db, "handle"))
            spy_info(spy_ctx_logger(ctx), "%s: %s", label, s.why ? s.why : "no such table");
        else
            err = spy_kit_scan_done(ctx, &s, label);
        goto done;
    }
    while (err == SPY_OK && spy_evscan_step(&s)) {
        json_t *rec = sms_record(s.stmt);
        collect_urls(ctx, rec);
        err = spy_emit(ctx, rec);
    }
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, label);
done:
    spy_evscan_finish(&s);
    spy_evdb_close(db);
    free(label);
    return err;
}

static void sms_check(spy_mod_ctx *ctx, const json_t *rec)
{
    const char *text = spy_kit_str(rec, "text");
    const char *isodate = spy_kit_str(rec, "isodate");
    for (size_t i = 0; text && APPLE_WARNINGS[i]; i++) {
        if (strncmp(text, APPLE_WARNINGS[i], strlen(APPLE_WARNINGS[i])) == 0) {
            spy_alert_raise(ctx, SPY_LEVEL_HIGH, isodate, NULL,
                            "Apple warning about state-sponsored attack received on %s",
                            isodate ? isodate : "None");
            break;
        }
    }
    json_t *links = msg_record_links(rec, "text");
    msg_check_links(ctx, links, isodate);
    json_decref(links);
}

static void sms_timeline(spy_mod_ctx *ctx, const json_t *rec)
{
    spy_buf b = {0};
    msg_pystr(&b, json_object_get(rec, "service"));
    msg_puts(&b, ": ");
    msg_pystr(&b, json_object_get(rec, "guid"));
    msg_puts(&b, " \"");
    msg_put_nl_escaped(&b, spy_kit_str(rec, "text"));
    msg_puts(&b, "\" from ");
    msg_pystr(&b, json_object_get(rec, "phone_number"));
    msg_puts(&b, " (");
    msg_pystr(&b, json_object_get(rec, "account"));
    msg_puts(&b, ")");
    spy_timeline_event(ctx, spy_kit_str(rec, "isodate"), "sms_received", b.p);
    const char *read = spy_kit_str(rec, "isodate_read");
    if (read && *read)
        spy_timeline_event(ctx, read, "sms_read", b.p);
    spy_buf_free(&b);
}

const spy_module spy_mod_sms = {
    "SMS", "sms", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, sms_run, sms_check, sms_timeline};
