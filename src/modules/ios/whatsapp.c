/* Whatsapp (spec/ios.md §5.19): messages of ChatStorage.sqlite with their
 * links, LID/phone-number pairs and chat sessions. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/msg_links.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const WA_IDS[] = {"7c7fba66680ef796b916b067077cc246adacf01d", NULL};
static const char *const WA_GLOBS[] = {
    "private/var/mobile/Containers/Shared/AppGroup/*/ChatStorage.sqlite", NULL};
static const char *const LID_IDS[] = {"e794f6ffcc3c222535f47684a63d5178da3c4500", NULL};
static const char *const LID_GLOBS[] = {
    "private/var/mobile/Containers/Shared/AppGroup/*/LID.sqlite", NULL};

static const char MSG_SQL[] =
    "SELECT ZWAMESSAGE.*, ZWAMEDIAITEM.ZAUTHORNAME, ZWAMEDIAITEM.ZMEDIAURL, "
    "ZWAMESSAGEDATAITEM.ZCONTENT1, "
    "ZWAMESSAGEDATAITEM.ZCONTENT2, ZWAMESSAGEDATAITEM.ZMATCHEDTEXT, ZWAMESSAGEDATAITEM.ZSUMMARY, "
    "ZWAMESSAGEDATAITEM.ZTITLE FROM ZWAMESSAGE "
    "LEFT JOIN ZWAMEDIAITEM ON ZWAMEDIAITEM.ZMESSAGE = ZWAMESSAGE.Z_PK "
    "LEFT JOIN ZWAMESSAGEDATAITEM ON ZWAMESSAGEDATAITEM.ZMESSAGE = ZWAMESSAGE.Z_PK;";
static const char LID_SQL[] = "SELECT ZLID, ZPHONENUMBER, ZTIMESTAMP FROM ZWAPHONENUMBERLIDPAIR;";
static const char SESSION_SQL[] =
    "SELECT ZWACHATSESSION.Z_PK, ZWACHATSESSION.ZCONTACTJID, ZWACHATSESSION.ZPARTNERNAME, "
    "ZWACHATSESSION.ZSESSIONTYPE, ZWACHATSESSION.ZARCHIVED, ZWACHATSESSION.ZREMOVED, "
    "ZWACHATSESSION.ZMESSAGECOUNTER, ZWACHATSESSION.ZLASTMESSAGEDATE, ZWAGROUPINFO.ZCREATIONDATE, "
    "MIN(ZWAMESSAGE.ZMESSAGEDATE), MAX(ZWAMESSAGE.ZMESSAGEDATE), COUNT(ZWAMESSAGE.Z_PK) "
    "FROM ZWACHATSESSION LEFT JOIN ZWAGROUPINFO ON ZWACHATSESSION.ZGROUPINFO = ZWAGROUPINFO.Z_PK "
    "LEFT JOIN ZWAMESSAGE ON ZWAMESSAGE.ZCHATSESSION = ZWACHATSESSION.Z_PK GROUP BY "
    "ZWACHATSESSION.Z_PK;";

/* Fields whose links count, in MVT's order. */
static const char *const LINK_FIELDS[] = {"ZTEXT",     "ZMATCHEDTEXT", "ZMEDIAURL",
                                          "ZCONTENT1", "ZCONTENT2",    NULL};

/* WhatsApp's own media CDN: links to it are not evidence (§5.19). */
static bool is_media_cdn(const char *u)
{
    return strncmp(u, "https://mmg-fna.whatsapp.net/", 29) == 0 ||
           strncmp(u, "https://mmg.whatsapp.net/", 25) == 0;
}

static json_t *message_record(sqlite3_stmt *st)
{
    json_t *rec = spy_kit_row(st);
    const json_t *date = json_object_get(rec, "ZMESSAGEDATE");
    json_object_set_new_nocheck(rec, "isodate", spy_iso_json(date, SPY_EPOCH_MAC_NS18));
    json_t *text = json_object_get(rec, "ZTEXT");
    if (!json_is_string(text) || json_string_length(text) == 0)
        json_object_set_new_nocheck(rec, "ZTEXT", text = json_string(""));
    json_t *all = json_array(), *links = json_array();
    for (size_t i = 0; LINK_FIELDS[i]; i++) {
        const json_t *f = json_object_get(rec, LINK_FIELDS[i]);
        if (json_is_string(f))
            msg_links_append(all, json_string_value(f), json_string_length(f), false);
    }
    size_t i;
    json_t *v;
    json_array_foreach(all, i, v)
    {
        if (!is_media_cdn(json_string_value(v)))
            msg_links_append(links, json_string_value(v), json_string_length(v), true);
    }
    json_decref(all);
    if (json_array_size(links) > 0 ||
        spy_links_blank(json_string_value(text), json_string_length(text)))
        json_object_set_new_nocheck(rec, "links", links);
    else
        json_decref(links);
    return rec;
}

/* lid digits -> phone digits, for partner_resolved_phone_number. */
static char *before_at(const char *s)
{
    const char *at = strchr(s, '@');
    return spy_xstrndup(s, at ? (size_t)(at - s) : strlen(s));
}

static json_t *lid_record(sqlite3_stmt *st, json_t *lid_map)
{
    json_t *lid = spy_kit_col(st, 0), *phone = spy_kit_col(st, 1), *ts = spy_kit_col(st, 2);
    json_t *rec = json_pack("{s:s, s:o, s:o, s:o}", "record_type", "lid_phone_number_pair", "lid",
                            lid, "phone_number", phone, "pair_timestamp",
                            spy_iso_json_or_null(ts, SPY_EPOCH_MAC_NS18));
    json_decref(ts);
    if (json_is_string(lid) && json_is_string(phone)) {
        char *l = before_at(json_string_value(lid)), *p = before_at(json_string_value(phone));
        json_object_set_new(lid_map, l, json_string(p[0] == '+' ? p + 1 : p));
        free(l);
        free(p);
    }
    return rec;
}

static json_t *session_record(sqlite3_stmt *st, const json_t *lid_map)
{
    static const char *const keys[] = {"session_pk",
                                       "contact_jid",
                                       "partner_name",
                                       "session_type",
                                       "archived",
                                       "removed",
                                       "message_counter",
                                       "last_message_date",
                                       "group_creation_date",
                                       "first_stored_message_date",
                                       "last_stored_message_date",
                                       "stored_message_count"};
    json_t *rec = json_object();
    for (int i = 0; i < 12; i++) {
        json_t *v = spy_kit_col(st, i);
        if (i >= 7 && i <= 10) { /* the four dates: ISO, or null for 0/NULL */
            json_t *iso = spy_iso_json_or_null(v, SPY_EPOCH_MAC_NS18);
            json_decref(v);
            v = iso;
        }
        json_object_set_new_nocheck(rec, keys[i], v);
    }
    json_object_set_new_nocheck(rec, "record_type", json_string("chat_session"));
    const char *jid = spy_kit_str(rec, "contact_jid");
    json_t *resolved = json_null();
    size_t n = jid ? strlen(jid) : 0;
    if (n > 4 && strcmp(jid + n - 4, "@lid") == 0) {
        char *l = before_at(jid);
        const char *p = json_string_value(json_object_get(lid_map, l));
        if (p) {
            json_decref(resolved);
            resolved = json_sprintf("+%s", p);
        }
        free(l);
    }
    json_object_set_new_nocheck(rec, "partner_resolved_phone_number", resolved);
    return rec;
}

static void collect_urls(spy_mod_ctx *ctx, const json_t *rec)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(rec, "links"), i, v)
        spy_url_seen(ctx, json_string_value(v), spy_kit_str(rec, "isodate"), "whatsapp");
}

static int scan_messages(spy_mod_ctx *ctx, sqlite3 *db, const char *label)
{
    spy_evscan s;
    int err = SPY_OK;
    if (spy_evscan_prepare(&s, db, MSG_SQL) == SPY_OK)
        while (err == SPY_OK && spy_evscan_step(&s)) {
            json_t *rec = message_record(s.stmt);
            collect_urls(ctx, rec);
            err = spy_emit(ctx, rec);
        }
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    return err;
}

/* LID pairs: LID.sqlite when the acquisition has it, else ChatStorage. */
static int scan_lid_pairs(spy_mod_ctx *ctx, sqlite3 *chat_db, json_t *lid_map)
{
    spy_query q = {.file_ids = LID_IDS, .globs = LID_GLOBS, .first_only = true};
    spy_artifacts l = {0};
    sqlite3 *lid_db = NULL;
    if (spy_acq_find(spy_ctx_acq(ctx), &q, &l) == SPY_OK && l.n > 0 &&
        (spy_acq_open_db(spy_ctx_acq(ctx), &l.v[0], &lid_db) != SPY_OK ||
         spy_evdb_check(lid_db, false, NULL, NULL) != SPY_OK)) {
        spy_warn(spy_ctx_logger(ctx), "%s could not be read", l.v[0].label);
        if (lid_db)
            spy_evdb_close(lid_db);
        lid_db = NULL;
    }
    sqlite3 *db = lid_db ? lid_db : chat_db;
    int err = SPY_OK;
    spy_evscan s;
    if (spy_evscan_prepare(&s, db, LID_SQL) != SPY_OK) {
        if (lid_db)
            spy_warn(spy_ctx_logger(ctx), "LID pairs unreadable: %s", s.why ? s.why : "");
        else
            spy_info(spy_ctx_logger(ctx), "No LID/phone-number pairs in ChatStorage.sqlite");
    } else {
        while (err == SPY_OK && spy_evscan_step(&s))
            err = spy_emit(ctx, lid_record(s.stmt, lid_map));
        if (err == SPY_OK && s.grade != SPY_EVSCAN_COMPLETE)
            spy_warn(spy_ctx_logger(ctx), "LID pairs: %s", s.why ? s.why : "damaged");
    }
    spy_evscan_finish(&s);
    if (lid_db)
        spy_evdb_close(lid_db);
    spy_artifacts_free(&l);
    return err;
}

static int scan_sessions(spy_mod_ctx *ctx, sqlite3 *db, const json_t *lid_map)
{
    spy_evscan s;
    int err = SPY_OK;
    if (spy_evscan_prepare(&s, db, SESSION_SQL) != SPY_OK)
        spy_warn(spy_ctx_logger(ctx), "Chat sessions unreadable: %s", s.why ? s.why : "");
    else
        while (err == SPY_OK && spy_evscan_step(&s))
            err = spy_emit(ctx, session_record(s.stmt, lid_map));
    spy_evscan_finish(&s);
    return err;
}

static int wa_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = WA_IDS, .globs = WA_GLOBS, .first_only = true};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    json_t *lid_map = json_object();
    err = scan_messages(ctx, db, label);
    if (err == SPY_OK)
        err = scan_lid_pairs(ctx, db, lid_map);
    if (err == SPY_OK)
        err = scan_sessions(ctx, db, lid_map);
    json_decref(lid_map);
    spy_evdb_close(db);
    free(label);
    return err;
}

static void wa_check(spy_mod_ctx *ctx, const json_t *rec)
{
    const json_t *links = json_object_get(rec, "links");
    if (json_is_array(links))
        msg_check_links(ctx, links, spy_kit_str(rec, "isodate"));
}

static void session_timeline(spy_mod_ctx *ctx, const json_t *rec)
{
    const char *jid = spy_kit_str(rec, "contact_jid");
    const char *partner = spy_kit_str(rec, "partner_name");
    const char *phone = spy_kit_str(rec, "partner_resolved_phone_number");
    const char *group_created = spy_kit_str(rec, "group_creation_date");
    spy_buf chat = {0};
    bool group =
        (jid && strlen(jid) >= 5 && strcmp(jid + strlen(jid) - 5, "@g.us") == 0) || group_created;
    spy_py_puts(&chat, group ? "WhatsApp group chat " : "WhatsApp chat with ");
    if (partner && *partner) {
        spy_py_puts(&chat, "'");
        spy_py_puts(&chat, partner);
        spy_py_puts(&chat, "' (");
        spy_py_put(&chat, json_object_get(rec, phone && *phone ? "partner_resolved_phone_number"
                                                               : "contact_jid"));
        spy_py_puts(&chat, ")");
    } else
        spy_py_put(&chat, json_object_get(rec, phone && *phone ? "partner_resolved_phone_number"
                                                               : "contact_jid"));
    char *msg;
    if (group_created) {
        msg = spy_xasprintf("%s was created", chat.p);
        spy_timeline_event(ctx, group_created, "group_created", msg);
        free(msg);
    }
    const char *first = spy_kit_str(rec, "first_stored_message_date");
    if (first) {
        msg = spy_xasprintf("First stored message in %s", chat.p);
        spy_timeline_event(ctx, first, "chat_first_message", msg);
        free(msg);
    }
    const char *last = spy_kit_str(rec, "last_message_date");
    if (!last)
        last = spy_kit_str(rec, "last_stored_message_date");
    if (last) {
        msg = spy_xasprintf("Last message in %s", chat.p);
        spy_timeline_event(ctx, last, "chat_last_message", msg);
        free(msg);
    }
    spy_buf_free(&chat);
}

static void wa_timeline(spy_mod_ctx *ctx, const json_t *rec)
{
    const char *type = spy_kit_str(rec, "record_type");
    if (type && strcmp(type, "chat_session") == 0) {
        session_timeline(ctx, rec);
        return;
    }
    if (type && strcmp(type, "lid_phone_number_pair") == 0) {
        const char *ts = spy_kit_str(rec, "pair_timestamp");
        if (ts) {
            spy_buf b = {0};
            spy_py_puts(&b, "WhatsApp associated LID ");
            spy_py_put(&b, json_object_get(rec, "lid"));
            spy_py_puts(&b, " with phone number ");
            spy_py_put(&b, json_object_get(rec, "phone_number"));
            spy_timeline_event(ctx, ts, "lid_pair_recorded", b.p);
            spy_buf_free(&b);
        }
        return;
    }
    spy_buf b = {0};
    spy_py_puts(&b, "'");
    spy_py_put_nl_escaped(&b, spy_kit_str(rec, "ZTEXT"));
    spy_py_puts(&b, "' from ");
    spy_py_put(&b, json_object_get(rec, "ZFROMJID"));
    const json_t *links = json_object_get(rec, "links");
    if (json_array_size(links) > 0) {
        spy_py_puts(&b, " - Embedded links: ");
        size_t i;
        json_t *v;
        json_array_foreach(links, i, v)
        {
            if (i)
                spy_py_puts(&b, ", ");
            spy_py_puts(&b, json_string_value(v));
        }
    }
    spy_timeline_event(ctx, spy_kit_str(rec, "isodate"), "message", b.p);
    spy_buf_free(&b);
}

const spy_module spy_mod_whatsapp = {
    "Whatsapp", "whatsapp", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, wa_run, wa_check, wa_timeline};
