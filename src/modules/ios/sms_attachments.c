/* SMSAttachments (spec/ios.md §5.16): attachments of sms.db. */
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

static const char ATT_SQL[] =
    "SELECT attachment.ROWID as \"attachment_id\", attachment.*, message.service as \"service\", "
    "handle.id as \"phone_number\" FROM attachment "
    "LEFT JOIN message_attachment_join ON message_attachment_join.attachment_id = attachment.ROWID "
    "LEFT JOIN message ON message.ROWID = message_attachment_join.message_id "
    "LEFT JOIN handle ON handle.ROWID = message.handle_id;";

/* BLOB columns MVT stores as base64. */
static const char *const B64_COLS[] = {"user_info",
                                       "sticker_user_info",
                                       "attribution_info",
                                       "ck_server_change_token_blob",
                                       "sr_ck_server_change_token_blob",
                                       NULL};

static json_t *att_record(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    json_t *rec = spy_row_b64(st, B64_COLS);
    /* New keys go last (isodate, direction, has_user_info); existing keys
     * (start_date, service, filename) keep their column position. */
    json_object_set_new_nocheck(
        rec, "isodate", spy_iso_json(json_object_get(rec, "created_date"), SPY_EPOCH_MAC_NS18));
    json_object_set_new_nocheck(
        rec, "start_date", spy_iso_json(json_object_get(rec, "start_date"), SPY_EPOCH_MAC_NS18));
    json_object_set_new_nocheck(
        rec, "direction", json_string(spy_kit_int(rec, "is_outgoing") == 1 ? "sent" : "received"));
    json_object_set_new_nocheck(rec, "has_user_info",
                                json_boolean(!json_is_null(json_object_get(rec, "user_info")) &&
                                             json_object_get(rec, "user_info")));
    if (!json_is_string(json_object_get(rec, "service")))
        json_object_set_new_nocheck(rec, "service", json_string("Unknown"));
    if (!json_is_string(json_object_get(rec, "filename")))
        json_object_set_new_nocheck(rec, "filename", json_string("NULL"));
    return rec;
}

static int att_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = SMS_IDS, .globs = SMS_GLOBS, .first_only = true};
    /* Missing tables: logged, nothing (spec/ios.md §5.16). */
    static const char *const tables[] = {"attachment", "message_attachment_join", "message",
                                         "handle", NULL};
    return spy_rows_emit_db(ctx, &q, ATT_SQL, tables, att_record);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void att_check(spy_mod_ctx *ctx, const json_t *rec)
{
    const char *filename = spy_kit_str(rec, "filename");
    const char *isodate = spy_kit_str(rec, "isodate");
    /* Indicator match on the attachment path: HIGH in MVT (§5.16). */
    spy_check_ioc_level(ctx, SPY_LEVEL_HIGH, SPY_CHECK_FILE_PATH, filename, isodate, NULL);
    /* FORCEDENTRY-era artefact: a received attachment left in /var/tmp/
     * with a name ending "-1"; raised with or without indicators. */
    const char *dir = spy_kit_str(rec, "direction");
    if (filename && strncmp(filename, "/var/tmp/", 9) == 0 && ends_with(filename, "-1") && dir &&
        strcmp(dir, "received") == 0)
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, isodate, NULL,
                        "Suspicious iMessage attachment %s on %s", filename,
                        isodate ? isodate : "None");
}

static void att_timeline(spy_mod_ctx *ctx, const json_t *rec)
{
    spy_buf b = {0};
    spy_py_put(&b, json_object_get(rec, "service"));
    spy_py_puts(&b, ": Attachment '");
    spy_py_put(&b, json_object_get(rec, "transfer_name"));
    spy_py_puts(&b, "' ");
    spy_py_put(&b, json_object_get(rec, "direction"));
    spy_py_puts(&b, " from ");
    spy_py_put(&b, json_object_get(rec, "phone_number"));
    spy_py_puts(&b, " with ");
    spy_py_put(&b, json_object_get(rec, "total_bytes"));
    spy_py_puts(&b, " bytes (is_sticker: ");
    spy_py_put(&b, json_object_get(rec, "is_sticker"));
    spy_py_puts(&b, ", has_user_info: ");
    spy_py_put(&b, json_object_get(rec, "has_user_info"));
    spy_py_puts(&b, ")");
    spy_timeline_event(ctx, spy_kit_str(rec, "isodate"), "sms_attachment", b.p);
    spy_buf_free(&b);
}

const spy_module spy_mod_sms_attachments = {
    "SMSAttachments", "sms_attachments", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, att_run,
    att_check,        att_timeline};
