/* WhatsappContacts (spec/ios.md §5.20): ContactsV2.sqlite address book,
 * with columns discovered per WhatsApp version. The record builder also
 * feeds the contact maps InteractionC uses (whatsapp_contacts_map.h). */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/msg_links.h"
#include "modules/ios/pyfmt.h"
#include "modules/ios/whatsapp_contacts_map.h"
#include "modules/module_kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const WAC_IDS[] = {"b8548dc30aa1030df0ce18ef08b882cf7ab5212f", NULL};
static const char *const WAC_GLOBS[] = {
    "private/var/mobile/Containers/Shared/AppGroup/*/ContactsV2.sqlite", NULL};
#define WAC_TABLE "ZWAADDRESSBOOKCONTACT"

typedef enum { F_STR, F_RAW, F_DATE } field_kind;

typedef struct field {
    const char *key;
    const char *cols[2]; /* candidate columns, first present wins */
    field_kind kind;
} field;

/* Output order of the record (spec/ios.md §5.20). */
static const field FIELDS[] = {
    {"whatsapp_id", {"ZWHATSAPPID", NULL}, F_STR},
    {"lid", {"ZLID", NULL}, F_STR},
    {"phone_number", {"ZPHONENUMBER", NULL}, F_STR},
    {"localized_phone_number", {"ZLOCALIZEDPHONENUMBER", NULL}, F_STR},
    {"full_name", {"ZFULLNAME", NULL}, F_STR},
    {"given_name", {"ZGIVENNAME", NULL}, F_STR},
    {"last_name", {"ZLASTNAME", NULL}, F_STR},
    {"user_name", {"ZUSERNAME", NULL}, F_STR},
    {"business_name", {"ZBUSINESSNAME", NULL}, F_STR},
    {"about_text", {"ZABOUTTEXT", NULL}, F_STR},
    {"about_emoji", {"ZABOUTEMOJI", NULL}, F_STR},
    {"notes", {"ZNOTES", NULL}, F_STR},
    {"disappearing_mode_duration", {"ZDISAPPEARINGMODEDURATION", NULL}, F_RAW},
    {"disappearing_mode_timestamp", {"ZDISAPPEARINGMODETIMESTAMP", NULL}, F_DATE},
    {"about_timestamp", {"ZABOUTTIMESTAMP", NULL}, F_DATE},
    {"about_expiration_timestamp", {"ZABOUTEXPIRATIONTIMESTAMP", NULL}, F_DATE},
    {"last_updated", {"ZLASTUPDATED", NULL}, F_DATE},
    {"phone_status", {"ZPHONESTATUS", "ZPHONENUMBERSTATUS"}, F_RAW},
    {"sync_policy", {"ZSYNCPOLICY", NULL}, F_RAW},
};
#define N_FIELDS (sizeof FIELDS / sizeof *FIELDS)

typedef struct wac_query {
    char *sql;
    int col[N_FIELDS]; /* result column of each field, -1 when absent */
    bool has_duration;
} wac_query;

/* ---- UTF-8 with replacement (Python bytes.decode(errors="replace")) ---- */

/* Length of the valid sequence at p, or 0; *bad gets how many bytes one
 * U+FFFD replaces (the maximal valid prefix, at least 1). */
static size_t utf8_seq(const unsigned char *p, size_t avail, size_t *bad)
{
    unsigned char c = p[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xbf;
    *bad = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        need = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80;
        hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf;
    } else
        return 0;
    for (size_t i = 1; i < need; i++) {
        unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xbf;
        if (i >= avail || p[i] < min || p[i] > max) {
            *bad = i;
            return 0;
        }
    }
    return need;
}

static json_t *utf8_replace(const char *s, size_t n)
{
    spy_buf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t bad, ok = utf8_seq(p + i, n - i, &bad);
        if (ok) {
            spy_buf_put(&b, s + i, ok);
            i += ok;
        } else {
            spy_buf_put(&b, "\xef\xbf\xbd", 3);
            i += bad;
        }
    }
    json_t *j = json_stringn_nocheck(b.p ? b.p : "", b.len);
    spy_buf_free(&b);
    return j;
}

/* ---- query and record ------------------------------------------------- */

static bool wac_prepare_query(sqlite3 *db, wac_query *q)
{
    spy_buf sql = {0};
    spy_py_puts(&sql, "SELECT Z_PK AS row_pk");
    int next = 1;
    for (size_t i = 0; i < N_FIELDS; i++) {
        q->col[i] = -1;
        for (size_t c = 0; c < 2 && FIELDS[i].cols[c]; c++) {
            if (spy_kit_has_column(db, WAC_TABLE, FIELDS[i].cols[c])) {
                spy_py_puts(&sql, ", ");
                spy_py_puts(&sql, FIELDS[i].cols[c]);
                q->col[i] = next++;
                break;
            }
        }
    }
    spy_py_puts(&sql, " FROM " WAC_TABLE);
    q->sql = sql.p;
    q->has_duration = q->col[12] >= 0;
    return true;
}

static const char *duration_label(json_int_t d)
{
    switch (d) {
    case 0: return "off";
    case 86400: return "24 hours";
    case 604800: return "7 days";
    case 1209600: return "14 days";
    case 2592000: return "30 days";
    case 7776000: return "90 days";
    default: return NULL;
    }
}

static void add_disappearing(json_t *rec, const wac_query *q)
{
    if (!q->has_duration) {
        json_object_set_new_nocheck(rec, "disappearing_mode_is_on", json_null());
        json_object_set_new_nocheck(rec, "disappearing_mode_label", json_null());
        return;
    }
    const json_t *d = json_object_get(rec, "disappearing_mode_duration");
    json_int_t n = json_is_integer(d) ? json_integer_value(d)
                   : json_is_real(d)  ? (json_int_t)json_real_value(d)
                                      : 0;
    bool on = json_is_real(d) ? json_real_value(d) != 0.0 : n != 0;
    json_object_set_new_nocheck(rec, "disappearing_mode_is_on", json_boolean(on));
    const char *label = duration_label(n);
    char tmp[48];
    if (!label || (json_is_real(d) && json_real_value(d) != (double)n)) {
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT " seconds", n);
        label = tmp;
    }
    json_object_set_new_nocheck(rec, "disappearing_mode_label", json_string(label));
}

static json_t *wac_record(sqlite3_stmt *st, const wac_query *q)
{
    json_t *rec = json_object();
    for (size_t i = 0; i < N_FIELDS; i++) {
        json_t *v = json_null();
        if (q->col[i] >= 0) {
            int c = q->col[i];
            if (FIELDS[i].kind == F_STR && sqlite3_column_type(st, c) == SQLITE_BLOB)
                v = utf8_replace(sqlite3_column_blob(st, c), (size_t)sqlite3_column_bytes(st, c));
            else if (FIELDS[i].kind == F_DATE) {
                json_t *raw = spy_kit_col(st, c);
                v = spy_iso_json_or_null(raw, SPY_EPOCH_MAC_NS18);
                json_decref(raw);
            } else
                v = spy_kit_col(st, c);
        }
        json_object_set_new_nocheck(rec, FIELDS[i].key, v);
        if (i == 12)
            add_disappearing(rec, q);
    }
    return rec;
}

/* Reads every contact of db, handing each record to fn (which takes it). */
typedef int (*wac_fn)(void *ud, json_t *rec);

static int wac_scan(spy_mod_ctx *ctx, sqlite3 *db, const char *label, wac_fn fn, void *ud)
{
    if (!spy_kit_has_table(db, WAC_TABLE)) {
        spy_warn(spy_ctx_logger(ctx), "%s: no " WAC_TABLE " table", label);
        return SPY_OK;
    }
    wac_query q = {0};
    wac_prepare_query(db, &q);
    if (!q.has_duration)
        spy_warn(spy_ctx_logger(ctx), "%s: no disappearing-mode column; its state is unknown",
                 label);
    spy_evscan s;
    int err = SPY_OK;
    if (spy_evscan_prepare(&s, db, q.sql) == SPY_OK)
        while (err == SPY_OK && spy_evscan_step(&s))
            err = fn(ud, wac_record(s.stmt, &q));
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    free(q.sql);
    return err;
}

static int emit_fn(void *ud, json_t *rec)
{
    return spy_emit(ud, rec);
}

static int wac_run(spy_mod_ctx *ctx)
{
    spy_query qy = {.file_ids = WAC_IDS, .globs = WAC_GLOBS, .first_only = true};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &qy, &db, &label);
    if (err == SPY_ENOTFOUND) /* often missing from incremental backups */
        spy_warn(spy_ctx_logger(ctx), "WhatsApp contacts database (ContactsV2.sqlite) not found");
    if (err != SPY_OK)
        return err;
    err = wac_scan(ctx, db, label, emit_fn, ctx);
    spy_evdb_close(db);
    free(label);
    return err;
}

/* ---- timeline --------------------------------------------------------- */

static void contact_label(spy_buf *b, const json_t *rec)
{
    static const char *const ids[] = {"whatsapp_id", "lid", "phone_number", NULL};
    const char *id = NULL;
    for (size_t i = 0; ids[i] && !(id && *id); i++)
        id = spy_kit_str(rec, ids[i]);
    spy_py_puts(b, id && *id ? id : "unknown");
    const char *full = spy_kit_str(rec, "full_name");
    if (full && *full) {
        spy_py_puts(b, " (");
        spy_py_puts(b, full);
        spy_py_puts(b, ")");
    }
}

static void row(spy_mod_ctx *ctx, const json_t *rec, const char *ts_key, const char *event,
                const char *before, const char *after)
{
    const char *ts = spy_kit_str(rec, ts_key);
    if (!ts || !*ts)
        return;
    spy_buf b = {0};
    spy_py_puts(&b, before);
    contact_label(&b, rec);
    spy_py_puts(&b, after);
    spy_timeline_event(ctx, ts, event, b.p);
    spy_buf_free(&b);
}

static void wac_timeline(spy_mod_ctx *ctx, const json_t *rec)
{
    spy_buf pre = {0};
    spy_py_puts(&pre, "WhatsApp disappearing messages timer set to '");
    spy_py_put(&pre, json_object_get(rec, "disappearing_mode_label"));
    spy_py_puts(&pre, "' for ");
    row(ctx, rec, "disappearing_mode_timestamp", "disappearing_mode_set", pre.p, "");
    spy_buf_free(&pre);

    spy_buf post = {0};
    spy_py_puts(&post, " changed");
    const char *about = spy_kit_str(rec, "about_text");
    if (about && *about) {
        spy_py_puts(&post, " to \"");
        spy_py_puts(&post, about);
        spy_py_puts(&post, "\"");
    }
    row(ctx, rec, "about_timestamp", "about_changed", "WhatsApp about text of ", post.p);
    spy_buf_free(&post);
    row(ctx, rec, "about_expiration_timestamp", "about_expiration", "WhatsApp about text of ",
        " scheduled to expire");
    row(ctx, rec, "last_updated", "contact_last_updated", "WhatsApp contact record for ",
        " updated");
}

const spy_module spy_mod_whatsapp_contacts = {
    "WhatsappContacts", "whatsapp_contacts", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, wac_run, NULL,
    wac_timeline};

/* ---- contact maps (InteractionC) --------------------------------------- */

void wa_contacts_map_init(wa_contacts_map *m)
{
    m->by_lid = json_object();
    m->by_phone = json_object();
}

void wa_contacts_map_free(wa_contacts_map *m)
{
    json_decref(m->by_lid);
    json_decref(m->by_phone);
    m->by_lid = m->by_phone = NULL;
}

char *wa_digits(const char *s, size_t n)
{
    char *d = spy_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        if (s[i] >= '0' && s[i] <= '9')
            d[k++] = s[i];
    d[k] = '\0';
    return d;
}

static void put_if_absent(json_t *map, const char *key, json_t *pair)
{
    if (key && *key && !json_object_get(map, key))
        json_object_set(map, key, pair);
}

void wa_contacts_map_add(wa_contacts_map *m, const json_t *rec)
{
    const char *name = spy_kit_str(rec, "full_name");
    if (!name || !*name)
        name = spy_kit_str(rec, "given_name");
    const char *phone = spy_kit_str(rec, "phone_number");
    json_t *pair = json_pack("[o,o]", phone && *phone ? json_string(phone) : json_null(),
                             name && *name ? json_string(name) : json_null());
    const char *lid = spy_kit_str(rec, "lid");
    if (lid && *lid) {
        put_if_absent(m->by_lid, lid, pair);
        const char *at = strchr(lid, '@');
        if (at) {
            char *head = spy_xstrndup(lid, (size_t)(at - lid));
            put_if_absent(m->by_lid, head, pair);
            free(head);
        }
    }
    if (phone && *phone) {
        char *d = wa_digits(phone, strlen(phone));
        put_if_absent(m->by_phone, d, pair);
        free(d);
    }
    const char *wid = spy_kit_str(rec, "whatsapp_id");
    if (wid && *wid) {
        const char *at = strchr(wid, '@');
        char *head = spy_xstrndup(wid, at ? (size_t)(at - wid) : strlen(wid));
        put_if_absent(m->by_phone, head, pair);
        free(head);
    }
    json_decref(pair);
}

static int map_fn(void *ud, json_t *rec)
{
    wa_contacts_map_add(ud, rec);
    json_decref(rec);
    return SPY_OK;
}

int wa_contacts_map_load(spy_mod_ctx *ctx, wa_contacts_map *m)
{
    spy_query qy = {.file_ids = WAC_IDS, .globs = WAC_GLOBS, .first_only = true};
    spy_artifacts l = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &qy, &l);
    if (err == SPY_OK && l.n == 0)
        err = SPY_ENOTFOUND;
    sqlite3 *db = NULL;
    if (err == SPY_OK && (err = spy_acq_open_db(spy_ctx_acq(ctx), &l.v[0], &db)) == SPY_OK &&
        (err = spy_evdb_check(db, false, NULL, NULL)) == SPY_OK)
        err = wac_scan(ctx, db, l.v[0].label, map_fn, m);
    if (db)
        spy_evdb_close(db);
    if (err != SPY_OK && err != SPY_ENOTFOUND)
        err = SPY_EFORMAT;
    spy_artifacts_free(&l);
    return err;
}
