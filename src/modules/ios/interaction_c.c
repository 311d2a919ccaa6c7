/* InteractionC (spec/ios.md §5.8): CoreDuet interactions (who talked to
 * whom, with which app), WhatsApp identifiers resolved through the WhatsApp
 * contacts database, which this module reads itself (modules share no
 * results; whatsapp_contacts_map.h holds the one implementation). */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/msg_links.h"
#include "modules/ios/pyfmt.h"
#include "modules/ios/whatsapp_contacts_map.h"
#include "modules/module_kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const IC_IDS[] = {"1f5a521220a3ad80ebfdc196978df8e7a2e49dee", NULL};
static const char *const IC_GLOBS[] = {"private/var/mobile/Library/CoreDuet/People/interactionC.db",
                                       NULL};

#define IC_SENDER_DATES                                                                            \
    "ZINTERACTIONS.ZCREATIONDATE AS interactions_creation_date, "                                  \
    "ZCONTACTS.ZCREATIONDATE AS contacts_creation_date, "                                          \
    "ZCONTACTS.ZFIRSTINCOMINGRECIPIENTDATE AS first_incoming_recipient_date, "                     \
    "ZCONTACTS.ZFIRSTINCOMINGSENDERDATE AS first_incoming_sender_date, "                           \
    "ZCONTACTS.ZFIRSTOUTGOINGRECIPIENTDATE AS first_outgoing_recipient_date, "                     \
    "ZCONTACTS.ZLASTINCOMINGSENDERDATE AS last_incoming_sender_date, "
/* Q2-Q4 return this column through a CASE: a zero date comes back as the
 * text '0' and stays '0' (spec/ios.md §5.8). */
#define IC_LAST_IN_RCPT_CASE                                                                       \
    "CASE ZCONTACTS.ZLASTINCOMINGRECIPIENTDATE WHEN '0' THEN '0' "                                 \
    "ELSE ZCONTACTS.ZLASTINCOMINGRECIPIENTDATE END AS last_incoming_recipient_date, "
#define IC_DIRECTION_CASE                                                                          \
    "CASE ZINTERACTIONS.ZDIRECTION WHEN '0' THEN 'INCOMING' WHEN '1' THEN 'OUTGOING' END AS "      \
    "direction, "
#define IC_HEAD                                                                                    \
    "SELECT ZINTERACTIONS.ZSTARTDATE AS start_date, ZINTERACTIONS.ZENDDATE AS end_date, "          \
    "ZINTERACTIONS.ZBUNDLEID AS bundle_id, ZINTERACTIONS.ZACCOUNT AS account, "
#define IC_SENDER                                                                                  \
    "ZCONTACTS.ZDISPLAYNAME AS sender_display_name, ZCONTACTS.ZIDENTIFIER AS sender_identifier, "  \
    "ZCONTACTS.ZPERSONID AS sender_personid, "
#define IC_RECIPIENT                                                                               \
    "RECIPIENT.ZDISPLAYNAME AS recipient_display_name, RECIPIENT.ZIDENTIFIER AS "                  \
    "recipient_identifier, "                                                                       \
    "RECIPIENT.ZPERSONID AS recipient_personid, "
#define IC_COUNTS                                                                                  \
    "ZCONTACTS.ZINCOMINGRECIPIENTCOUNT AS incoming_recipient_count, "                              \
    "ZCONTACTS.ZINCOMINGSENDERCOUNT AS incoming_sender_count, "                                    \
    "ZCONTACTS.ZOUTGOINGRECIPIENTCOUNT AS outgoing_recipient_count, "
#define IC_FULL_JOINS                                                                              \
    " FROM ZINTERACTIONS "                                                                         \
    "LEFT JOIN ZCONTACTS ON ZINTERACTIONS.ZSENDER = ZCONTACTS.Z_PK "                               \
    "LEFT JOIN Z_1INTERACTIONS ON ZINTERACTIONS.Z_PK = Z_1INTERACTIONS.Z_3INTERACTIONS "           \
    "LEFT JOIN ZATTACHMENT ON Z_1INTERACTIONS.Z_1ATTACHMENTS = ZATTACHMENT.Z_PK "                  \
    "LEFT JOIN Z_2INTERACTIONRECIPIENT ON ZINTERACTIONS.Z_PK = "                                   \
    "Z_2INTERACTIONRECIPIENT.Z_3INTERACTIONRECIPIENT "                                             \
    "LEFT JOIN ZCONTACTS RECIPIENT ON Z_2INTERACTIONRECIPIENT.Z_2RECIPIENTS = RECIPIENT.Z_PK"

/* Q1..Q4 in the order tried: newest schema first (spec/ios.md §5.8). */
static const char *const IC_QUERIES[] = {
    IC_HEAD
    "ZINTERACTIONS.ZTARGETBUNDLEID AS target_bundle_id, " IC_DIRECTION_CASE IC_SENDER IC_RECIPIENT
    "ZINTERACTIONS.ZRECIPIENTCOUNT AS recipient_count, "
    "ZINTERACTIONS.ZDOMAINIDENTIFIER AS domain_identifier, ZINTERACTIONS.ZISRESPONSE AS "
    "is_response, "
    "ZATTACHMENT.ZCONTENTTEXT AS content, ZATTACHMENT.ZUTI AS uti, "
    "ZATTACHMENT.ZCONTENTURL AS attachment_content_url, ZATTACHMENT.ZSIZEINBYTES AS size, "
    "ZATTACHMENT.ZPHOTOLOCALIDENTIFIER AS photo_local_id, "
    "HEX(ZATTACHMENT.ZIDENTIFIER) AS attachment_id, ZATTACHMENT.ZCLOUDIDENTIFIER AS "
    "cloud_id, " IC_COUNTS IC_SENDER_DATES
    "ZCONTACTS.ZLASTINCOMINGRECIPIENTDATE AS last_incoming_recipient_date, "
    "ZCONTACTS.ZLASTOUTGOINGRECIPIENTDATE AS last_outgoing_recipient_date, "
    "ZCONTACTS.ZCUSTOMIDENTIFIER AS custom_id, ZINTERACTIONS.ZCONTENTURL AS "
    "interaction_content_url, "
    "ZINTERACTIONS.ZLOCATIONUUID AS location_uuid, ZINTERACTIONS.ZGROUPNAME AS group_name, "
    "ZINTERACTIONS.ZDERIVEDINTENTIDENTIFIER AS derivied_intent_id, "
    "ZINTERACTIONS.Z_PK AS table_id" IC_FULL_JOINS,
    IC_HEAD
    "ZINTERACTIONS.ZTARGETBUNDLEID AS target_bundle_id, " IC_DIRECTION_CASE IC_SENDER IC_RECIPIENT
    "ZINTERACTIONS.ZRECIPIENTCOUNT AS recipient_count, "
    "ZINTERACTIONS.ZDOMAINIDENTIFIER AS domain_identifier, ZINTERACTIONS.ZISRESPONSE AS "
    "is_response, "
    "ZATTACHMENT.ZCONTENTTEXT AS content, ZATTACHMENT.ZUTI AS uti, "
    "ZATTACHMENT.ZCONTENTURL AS attachment_content_url, ZATTACHMENT.ZSIZEINBYTES AS size, "
    "HEX(ZATTACHMENT.ZIDENTIFIER) AS attachment_id, ZATTACHMENT.ZCLOUDIDENTIFIER AS "
    "cloud_id, " IC_COUNTS IC_SENDER_DATES IC_LAST_IN_RCPT_CASE
    "ZCONTACTS.ZLASTOUTGOINGRECIPIENTDATE AS last_outgoing_recipient_date, "
    "ZCONTACTS.ZCUSTOMIDENTIFIER AS custom_id, ZINTERACTIONS.ZCONTENTURL AS "
    "interaction_content_url, "
    "ZINTERACTIONS.ZLOCATIONUUID AS location_uuid, "
    "ZINTERACTIONS.Z_PK AS table_id" IC_FULL_JOINS,
    IC_HEAD
    "ZINTERACTIONS.ZDIRECTION AS direction, " IC_SENDER
    "ZINTERACTIONS.ZRECIPIENTCOUNT AS recipient_count, "
    "ZINTERACTIONS.ZDOMAINIDENTIFIER AS domain_identifier, "
    "ZINTERACTIONS.ZISRESPONSE AS is_response, " IC_COUNTS IC_SENDER_DATES IC_LAST_IN_RCPT_CASE
    "ZCONTACTS.ZLASTOUTGOINGRECIPIENTDATE AS last_outgoing_recipient_date, "
    "ZCONTACTS.ZCUSTOMIDENTIFIER AS custom_id, ZINTERACTIONS.ZCONTENTURL AS "
    "interaction_content_url, "
    "ZINTERACTIONS.ZLOCATIONUUID AS location_uuid, ZINTERACTIONS.ZMECHANISM AS mechanism, "
    "ZINTERACTIONS.Z_PK AS table_id "
    "FROM ZINTERACTIONS LEFT JOIN ZCONTACTS ON ZINTERACTIONS.ZSENDER = ZCONTACTS.Z_PK",
    IC_HEAD
    "ZINTERACTIONS.ZDIRECTION AS direction, " IC_SENDER
    "ZINTERACTIONS.ZDOMAINIDENTIFIER AS domain_identifier, "
    "ZINTERACTIONS.ZISRESPONSE AS is_response, ZINTERACTIONS.ZMECHANISM AS mechanism, " IC_COUNTS
        IC_SENDER_DATES IC_LAST_IN_RCPT_CASE
    "ZCONTACTS.ZLASTOUTGOINGRECIPIENTDATE AS last_outgoing_recipient_date, "
    "ZINTERACTIONS.ZCONTENTURL AS interaction_content_url, "
    "ZINTERACTIONS.ZLOCATIONUUID AS location_uuid, ZINTERACTIONS.Z_PK AS table_id "
    "FROM ZINTERACTIONS LEFT JOIN ZCONTACTS ON ZINTERACTIONS.ZSENDER = ZCONTACTS.Z_PK",
    NULL};

static const char *const DATE_KEYS[] = {"start_date",
                                        "end_date",
                                        "interactions_creation_date",
                                        "contacts_creation_date",
                                        "first_incoming_recipient_date",
                                        "first_incoming_sender_date",
                                        "first_outgoing_recipient_date",
                                        "last_incoming_sender_date",
                                        "last_incoming_recipient_date",
                                        "last_outgoing_recipient_date",
                                        NULL};

#define WHATSAPP_BUNDLE "net.whatsapp.WhatsApp"

/* ---- WhatsApp identifier resolution ------------------------------------ */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Resolves one identifier into *phone / *name (new references or NULL). */
static void resolve_one(const wa_contacts_map *m, const char *id, json_t **phone, json_t **name)
{
    *phone = *name = NULL;
    if (!id || !*id)
        return;
    const json_t *pair = NULL;
    if (ends_with(id, "@lid")) {
        pair = json_object_get(m->by_lid, id);
        if (!pair) {
            char *head = spy_xstrndup(id, strlen(id) - 4);
            pair = json_object_get(m->by_lid, head);
            free(head);
        }
    } else if (ends_with(id, "@s.whatsapp.net")) {
        char *d = wa_digits(id, (size_t)(strchr(id, '@') - id));
        pair = json_object_get(m->by_phone, d);
        const char *p = json_string_value(json_array_get(pair, 0));
        *phone = p ? json_string(p) : json_sprintf("+%s", d);
        free(d);
    } else if (id[0] == '+') {
        char *d = wa_digits(id, strlen(id));
        const json_t *byp = json_object_get(m->by_phone, d);
        free(d);
        const char *n = json_string_value(json_array_get(byp, 1));
        *name = n ? json_string(n) : NULL;
        return;
    }
    if (pair && !*phone && json_is_string(json_array_get(pair, 0)))
        *phone = json_incref(json_array_get(pair, 0));
    if (pair && json_is_string(json_array_get(pair, 1)))
        *name = json_incref(json_array_get(pair, 1));
}

static void resolve_party(json_t *rec, const wa_contacts_map *m, const char *prefix,
                          const char *const *cands)
{
    json_t *phone = NULL, *name = NULL;
    for (size_t i = 0; cands[i] && !phone && !name; i++)
        resolve_one(m, spy_kit_str(rec, cands[i]), &phone, &name);
    char key[64];
    snprintf(key, sizeof key, "%s_resolved_phone_number", prefix);
    json_object_set_new_nocheck(rec, key, phone ? phone : json_null());
    snprintf(key, sizeof key, "%s_resolved_name", prefix);
    json_object_set_new_nocheck(rec, key, name ? name : json_null());
}

/* ---- record --------------------------------------------------------- */

static json_t *ic_record(sqlite3_stmt *st, const wa_contacts_map *m)
{
    json_t *rec = spy_kit_row(st);
    for (size_t i = 0; DATE_KEYS[i]; i++) {
        json_t *v = json_object_get(rec, DATE_KEYS[i]);
        if (json_is_integer(v) || json_is_real(v)) /* NULL and text stay as they are */
            json_object_set_new_nocheck(rec, DATE_KEYS[i], spy_iso_json(v, SPY_EPOCH_MAC_NS18));
    }
    json_t *dir = json_object_get(rec, "direction");
    const char *ds = json_string_value(dir);
    if ((json_is_integer(dir) && json_integer_value(dir) == 0) || (ds && strcmp(ds, "0") == 0))
        json_object_set_new_nocheck(rec, "direction", json_string("INCOMING"));
    else if ((json_is_integer(dir) && json_integer_value(dir) == 1) || (ds && strcmp(ds, "1") == 0))
        json_object_set_new_nocheck(rec, "direction", json_string("OUTGOING"));
    const char *bundle = spy_kit_str(rec, "bundle_id");
    if (bundle && strcmp(bundle, WHATSAPP_BUNDLE) == 0) {
        static const char *const sender[] = {"sender_identifier", "custom_id", NULL};
        static const char *const recipient[] = {"recipient_identifier", NULL};
        static const char *const domain[] = {"domain_identifier", NULL};
        resolve_party(rec, m, "sender", sender);
        resolve_party(rec, m, "recipient", recipient);
        resolve_party(rec, m, "domain", domain);
    }
    return rec;
}

static int ic_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = IC_IDS, .globs = IC_GLOBS, .first_only = true};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    wa_contacts_map map;
    wa_contacts_map_init(&map);
    if (wa_contacts_map_load(ctx, &map) == SPY_EFORMAT)
        spy_warn(spy_ctx_logger(ctx),
                 "WhatsApp contacts unreadable: WhatsApp identifiers stay unresolved");
    spy_evscan s;
    size_t qi = 0;
    while (spy_evscan_prepare(&s, db, IC_QUERIES[qi]) != SPY_OK && IC_QUERIES[qi + 1]) {
        spy_evscan_finish(&s);
        qi++;
    }
    if (s.stmt == NULL) {
        spy_error(spy_ctx_logger(ctx), "%s: no known interactionC schema (%s)", label,
                  s.why ? s.why : "unreadable");
        err = SPY_EFORMAT;
    } else {
        while (err == SPY_OK && spy_evscan_step(&s))
            err = spy_emit(ctx, ic_record(s.stmt, &map));
        if (err == SPY_OK)
            err = spy_kit_scan_done(ctx, &s, label);
    }
    spy_evscan_finish(&s);
    wa_contacts_map_free(&map);
    spy_evdb_close(db);
    free(label);
    return err;
}

/* ---- timeline --------------------------------------------------------- */

static const char *field(const json_t *rec, const char *prefix, const char *suffix)
{
    char key[64];
    snprintf(key, sizeof key, "%s_%s", prefix, suffix);
    const char *v = spy_kit_str(rec, key);
    return v && *v ? v : NULL;
}

/* "<name> (<identifier>)", or either alone; NULL when neither (§5.8). */
static char *party(const json_t *rec, const char *prefix)
{
    const char *name = field(rec, prefix, "display_name");
    if (!name)
        name = field(rec, prefix, "resolved_name");
    const char *id = field(rec, prefix, "resolved_phone_number");
    if (!id)
        id = field(rec, prefix, "identifier");
    if (name && id) {
        char *dn = wa_digits(name, strlen(name)), *di = wa_digits(id, strlen(id));
        bool same = *dn && strcmp(dn, di) == 0;
        free(dn);
        free(di);
        return same ? spy_xstrdup(id) : spy_xasprintf("%s (%s)", name, id);
    }
    return name || id ? spy_xstrdup(name ? name : id) : NULL;
}

static char *describe(const json_t *rec, char **sender_out)
{
    const char *dir = spy_kit_str(rec, "direction");
    char *sender = party(rec, "sender");
    char *recipient = party(rec, "recipient");
    if (!recipient)
        recipient = party(rec, "domain");
    spy_buf b = {0};
    spy_py_puts(&b, "[");
    spy_py_put(&b, json_object_get(rec, "bundle_id"));
    spy_py_puts(&b, "]");
    const char *account = spy_kit_str(rec, "account");
    if (account && *account) {
        spy_py_puts(&b, " ");
        spy_py_puts(&b, account);
    }
    if (dir && *dir) {
        spy_py_puts(&b, " ");
        spy_py_puts(&b, dir);
    }
    bool out = dir && strcmp(dir, "OUTGOING") == 0, in = dir && strcmp(dir, "INCOMING") == 0;
    spy_py_puts(&b, " from ");
    spy_py_puts(&b, sender ? sender : out ? "local user" : "unknown");
    spy_py_puts(&b, " to ");
    spy_py_puts(&b, recipient ? recipient : in ? "local user" : "unknown");
    const char *group = spy_kit_str(rec, "group_name");
    if (group && *group) {
        spy_py_puts(&b, " (group: ");
        spy_py_puts(&b, group);
        spy_py_puts(&b, ")");
    }
    const char *content = spy_kit_str(rec, "content");
    if (content && *content) {
        spy_py_puts(&b, ": ");
        spy_py_puts(&b, content);
    }
    free(recipient);
    *sender_out = sender;
    return b.p ? b.p : spy_xstrdup("");
}

/* Seconds since 1970 of an ISO rendering, false when it is not one. */
static bool iso_seconds(const char *s, double *out)
{
    int y, mo, d, h, mi, sec, us = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d.%6d", &y, &mo, &d, &h, &mi, &sec, &us) < 6)
        return false;
    *out = (double)spy_unix_from_utc(y, mo, d, h, mi, sec) + us / 1e6;
    return true;
}

static void creation_row(spy_mod_ctx *ctx, const json_t *rec, const char *data)
{
    const char *created = spy_kit_str(rec, "interactions_creation_date");
    if (!created || !*created)
        return;
    double c, s;
    if (!iso_seconds(spy_kit_str(rec, "start_date"), &s)) {
        spy_timeline_event(ctx, created, "interactions_creation_date", data);
        return;
    }
    if (!iso_seconds(created, &c) || fabs(c - s) < 3600)
        return;
    double diff = fabs(c - s);
    bool days = diff >= 86400;
    /* Python's round(): half to even, as nearbyint in the default mode. */
    long long n = (long long)nearbyint(diff / (days ? 86400 : 3600));
    char *msg = spy_xasprintf("Interaction record created %lld %s %s the event: %s", n,
                              days ? "days" : "hours", c > s ? "after" : "before", data);
    spy_timeline_event(ctx, created, "interactions_creation_date", msg);
    free(msg);
}

static void ic_timeline(spy_mod_ctx *ctx, const json_t *rec)
{
    char *sender = NULL;
    char *data = describe(rec, &sender);
    const char *start = spy_kit_str(rec, "start_date"), *end = spy_kit_str(rec, "end_date");
    if (start && *start)
        spy_timeline_event(ctx, start, "start_date", data);
    if (end && *end && !(start && strcmp(start, end) == 0))
        spy_timeline_event(ctx, end, "end_date", data);
    creation_row(ctx, rec, data);
    static const char *const aggr[][3] = {
        {"contacts_creation_date", "Contact ", " first recorded in interactionC"},
        {"first_incoming_sender_date", "First incoming interaction from ", ""},
        {"last_incoming_sender_date", "Last incoming interaction from ", ""},
        {"first_incoming_recipient_date", "First incoming interaction where ", " was a recipient"},
        {"last_incoming_recipient_date", "Last incoming interaction where ", " was a recipient"},
        {"first_outgoing_recipient_date", "First outgoing interaction to ", ""},
        {"last_outgoing_recipient_date", "Last outgoing interaction to ", ""},
    };
    for (size_t i = 0; sender && i < sizeof aggr / sizeof *aggr; i++) {
        const char *ts = spy_kit_str(rec, aggr[i][0]);
        if (!ts || !*ts)
            continue;
        char *msg = spy_xasprintf("%s%s%s", aggr[i][1], sender, aggr[i][2]);
        spy_timeline_event(ctx, ts, aggr[i][0], msg);
        free(msg);
    }
    free(sender);
    free(data);
}

const spy_module spy_mod_interaction_c = {
    "InteractionC", "interaction_c", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, ic_run,
    NULL,           ic_timeline};
