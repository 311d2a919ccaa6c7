/* DumpsysReceivers (spec/android.md §4.10): the broadcast receivers of each
 * non-data action in the Receiver Resolver Table of dumpsys package, as one
 * mapping intent → [{package_name, receiver}]. Receivers of SMS and call
 * intents are logged: that is how interception apps register. */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "modules/android/dumpsys_section.h"
#include "modules/android/resolver_table.h"

#include <string.h>

typedef struct mapping {
    json_t *map;
    size_t held, dropped;
} mapping;

/* One more item held, or false (and counted) at the ceiling. */
static bool hold(mapping *m)
{
    if (m->held < SPY_DUMPSYS_MAX_HELD_ITEMS) {
        m->held++;
        return true;
    }
    m->dropped++;
    return false;
}

static int on_intent(void *ud, const char *intent)
{
    mapping *m = ud;
    if (!json_object_get(m->map, intent) && !hold(m))
        return 0;
    /* a repeated action starts over, keeping its place (a Python dict) */
    return json_object_set_new_nocheck(m->map, intent, json_array()) ? SPY_ENOMEM : 0;
}

static int on_entry(void *ud, const char *intent, spy_text component, spy_text package)
{
    mapping *m = ud;
    json_t *list = json_object_get(m->map, intent);
    if (!list || !hold(m))
        return 0;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "package_name", spy_text_json(package));
    json_object_set_new_nocheck(rec, "receiver", spy_text_json(component));
    return json_array_append_new(list, rec) ? SPY_ENOMEM : 0;
}

static int run(spy_mod_ctx *ctx)
{
    const char *body;
    size_t len;
    int err = spy_dumpsys_body(ctx, "package", &body, &len);
    if (err != SPY_OK)
        return err;
    mapping m = {json_object(), 0, 0};
    json_t *map = m.map;
    spy_resolver_cbs cbs = {on_intent, on_entry, true};
    err = spy_resolver_table_parse(body, len, "Receiver", &cbs, &m);
    if (m.dropped)
        spy_skipped(ctx, m.dropped, "receiver entries beyond %u", SPY_DUMPSYS_MAX_HELD_ITEMS);
    spy_info(spy_ctx_logger(ctx), "Extracted receivers for %zu intents", json_object_size(map));
    if (err != SPY_OK) {
        json_decref(map);
        return err;
    }
    return spy_emit(ctx, map);
}

static const struct {
    const char *intent, *what;
} WATCHED[] = {
    {"android.provider.Telephony.NEW_OUTGOING_SMS",
     "a receiver to intercept outgoing SMS messages"},
    {"android.provider.Telephony.SMS_RECEIVED", "a receiver to intercept incoming SMS messages"},
    {"android.intent.action.DATA_SMS_RECEIVED",
     "a receiver to intercept incoming data SMS message"},
    {"android.intent.action.PHONE_STATE", "a receiver monitoring telephony state/incoming calls"},
    {"android.intent.action.NEW_OUTGOING_CALL", "a receiver monitoring outgoing calls"},
};

static void check_receiver(spy_mod_ctx *ctx, const char *intent, const json_t *rcv)
{
    for (size_t k = 0; k < sizeof WATCHED / sizeof *WATCHED; k++)
        if (strcmp(intent, WATCHED[k].intent) == 0)
            spy_info(spy_ctx_logger(ctx), "Found %s: \"%s\"", WATCHED[k].what,
                     spy_dumpsys_str(rcv, "receiver"));
    if (!spy_ctx_iocs(ctx))
        return;
    json_t *event = json_object();
    json_object_set_nocheck(event, intent, (json_t *)rcv);
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, json_string_value(json_object_get(rcv, "package_name")),
                  "", event);
    json_decref(event);
}

/* The record is the whole mapping (fresh or saved by MVT or spyscan). */
static void check(spy_mod_ctx *ctx, const json_t *map)
{
    const char *intent;
    const json_t *list;
    json_object_foreach((json_t *)map, intent, list)
    {
        size_t i;
        const json_t *rcv;
        json_array_foreach(list, i, rcv)
        {
            if (json_is_object(rcv))
                check_receiver(ctx, intent, rcv);
        }
    }
}

const spy_module spy_mod_dumpsys_receivers = {"DumpsysReceivers",
                                              "dumpsys_receivers",
                                              SPY_ACQ_ANDROID_BUGREPORT,
                                              SPY_MOD_MAPPING,
                                              run,
                                              check,
                                              NULL};
