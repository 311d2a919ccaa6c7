/* SMS (spec/ios.md §5.15): messages of sms.db with their links. */
#include "core/error.h"
#include "core/log.h"
#include "modules/ios/cols.h"
#include "modules/ios/db_rows.h"
#include "modules/ios/msg_links.h"
#include "modules/ios/pyfmt.h"

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
static const char *const B64_COLS[] = {"attributedBody", "payload_data", "message_summary_info",
                                       NULL};

static json_t *sms_record(sqlite3_stmt *st)
{
    json_t *rec = spy_row_b64(st, B64_COLS);
    json_object_set_new_nocheck(rec, "isodate",
                                spy_iso_json(json_object_get(rec, "date"), SPY_EPOCH_MAC_NS18));
    json_object_set_new_nocheck(
        rec, "isodate_read", spy_iso_json(json_object_get(rec, "date_read"), SPY_EPOCH_MAC_NS18));
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

/* Records with their links noted for urls.json as they are read. */
static json_t *sms_row(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    json_t *rec = sms_record(st);
    collect_urls(ctx, rec);
    return rec;
}

static int sms_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = SMS_IDS, .globs = SMS_GLOBS, .first_only = true};
    /* MVT: "no such table" is logged and the module produces nothing;
     * anything else is an unreadable database. */
    static const char *const tables[] = {"message", "handle", NULL};
    return spy_rows_emit_db(ctx, &q, SMS_SQL, tables, sms_row);
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
    spy_py_put(&b, json_object_get(rec, "service"));
    spy_py_puts(&b, ": ");
    spy_py_put(&b, json_object_get(rec, "guid"));
    spy_py_puts(&b, " \"");
    spy_py_put_nl_escaped(&b, spy_kit_str(rec, "text"));
    spy_py_puts(&b, "\" from ");
    spy_py_put(&b, json_object_get(rec, "phone_number"));
    spy_py_puts(&b, " (");
    spy_py_put(&b, json_object_get(rec, "account"));
    spy_py_puts(&b, ")");
    spy_timeline_event(ctx, spy_kit_str(rec, "isodate"), "sms_received", b.p);
    const char *read = spy_kit_str(rec, "isodate_read");
    if (read && *read)
        spy_timeline_event(ctx, read, "sms_read", b.p);
    spy_buf_free(&b);
}

const spy_module spy_mod_sms = {
    "SMS", "sms", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, sms_run, sms_check, sms_timeline};
