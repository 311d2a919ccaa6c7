/* SMSAttachments (spec/ios.md §5.16): attachments of sms.db. */
#include "core/error.h"
#include "core/log.h"
#include "modules/ios/msg_util.h"
#include "modules/module_kit.h"

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
static bool is_b64_column(const char *name)
{
    static const char *const cols[] = {"user_info",
                                       "sticker_user_info",
                                       "attribution_info",
                                       "ck_server_change_token_blob",
                                       "sr_ck_server_change_token_blob",
                                       NULL};
    for (size_t i = 0; cols[i]; i++)
        if (strcmp(name, cols[i]) == 0)
            return true;
    return false;
}

static json_t *att_record(sqlite3_stmt *st)
{
    json_t *rec = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        name = name ? name : "";
        json_object_set_new_nocheck(rec, name,
                                    is_b64_column(name) ? msg_b64_col(st, i) : spy_kit_col(st, i));
    }
    /* New keys go last (isodate, direction, has_user_info); existing keys
     * (start_date, service, filename) keep their column position. */
    json_object_set_new_nocheck(rec, "isodate",
                                msg_mac_iso_json(json_object_get(rec, "created_date"), false));
    json_object_set_new_nocheck(rec, "start_date",
                                msg_mac_iso_json(json_object_get(rec, "start_date"), false));
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
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    spy_evscan s;
    if (spy_evscan_prepare(&s, db, ATT_SQL) != SPY_OK) {
        /* Missing tables: logged, nothing (spec/ios.md §5.16). */
        if (!spy_kit_has_table(db, "attachment") ||
            !spy_kit_has_table(db, "message_attachment_join") ||
            !spy_kit_has_table(db, "message") || !spy_kit_has_table(db, "handle"))
            spy_info(spy_ctx_logger(ctx), "%s: %s", label, s.why ? s.why : "no such table");
        else
            err = spy_kit_scan_done(ctx, &s, label);
        goto done;
    }
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, att_record(s.stmt));
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, label);
done:
    spy_evscan_finish(&s);
    spy_evdb_close(db);
    free(label);
    return err;
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
    msg_pystr(&b, json_object_get(rec, "service"));
    msg_puts(&b, ": Attachment '");
    msg_pystr(&b, json_object_get(rec, "transfer_name"));
    msg_puts(&b, "' ");
    msg_pystr(&b, json_object_get(rec, "direction"));
    msg_puts(&b, " from ");
    msg_pystr(&b, json_object_get(rec, "phone_number"));
    msg_puts(&b, " with ");
    msg_pystr(&b, json_object_get(rec, "total_bytes"));
    msg_puts(&b, " bytes (is_sticker: ");
    msg_pystr(&b, json_object_get(rec, "is_sticker"));
    msg_puts(&b, ", has_user_info: ");
    msg_pystr(&b, json_object_get(rec, "has_user_info"));
    msg_puts(&b, ")");
    spy_timeline_event(ctx, spy_kit_str(rec, "isodate"), "sms_attachment", b.p);
    spy_buf_free(&b);
}

const spy_module spy_mod_sms_attachments = {
    "SMSAttachments", "sms_attachments", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, att_run,
    att_check,        att_timeline};
