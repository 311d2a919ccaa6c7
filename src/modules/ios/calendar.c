/* Calendar (spec/ios.md §5.23): calendar items with their organizer.
 * QuaDream's ENDOFDAYS delivered its exploit in invisible calendar
 * invitations titled "Meeting" with the description "Notes"; organizer
 * addresses are checked against e-mail indicators. */
#include "core/error.h"
#include "core/mem.h"
#include "modules/ios/cols.h"
#include "modules/ios/db_rows.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const CAL_IDS[] = {"2041457d5fe04d39d0ab481178355df6781e6858", NULL};
static const char *const CAL_GLOBS[] = {"private/var/mobile/Library/Calendar/Calendar.sqlitedb",
                                        NULL};

/* Output keys, in MVT's order, and the columns they come from. */
static const char *const CAL_KEYS[] = {"id",
                                       "summary",
                                       "description",
                                       "start_date",
                                       "end_date",
                                       "all_day",
                                       "calendar_id",
                                       "organizer_id",
                                       "url",
                                       "last_modified",
                                       "external_id",
                                       "external_mod_tag",
                                       "unique_identifier",
                                       "hidden",
                                       "uuid",
                                       "creation_date",
                                       "action",
                                       "created_by_id",
                                       "participant_uuid",
                                       "participant_email",
                                       "participant_phone",
                                       "participant_comment",
                                       "participant_last_modified"};
#define CAL_NKEYS (sizeof CAL_KEYS / sizeof *CAL_KEYS)

static const char CAL_QUERY[] =
    "SELECT CalendarItem.ROWID, CalendarItem.summary, CalendarItem.description, "
    "CalendarItem.start_date, CalendarItem.end_date, CalendarItem.all_day, "
    "CalendarItem.calendar_id, CalendarItem.organizer_id, CalendarItem.url, "
    "CalendarItem.last_modified, CalendarItem.external_id, CalendarItem.external_mod_tag, "
    "CalendarItem.unique_identifier, CalendarItem.hidden, CalendarItem.UUID, "
    "CalendarItem.creation_date, CalendarItem.action, CalendarItem.created_by_id, "
    "Participant.UUID, Participant.email, Participant.phone_number, Participant.comment, "
    "Participant.last_modified "
    "FROM CalendarItem LEFT JOIN Participant ON Participant.ROWID = CalendarItem.organizer_id";

/* The date fields, converted when numeric (NULL and text stay as they are),
 * and the timeline's events, in this order. */
static const char *const CAL_DATES[] = {"start_date", "end_date", "last_modified", "creation_date",
                                        "participant_last_modified"};

static bool is_date_key(const char *k)
{
    for (size_t i = 0; i < sizeof CAL_DATES / sizeof *CAL_DATES; i++)
        if (strcmp(k, CAL_DATES[i]) == 0)
            return true;
    return false;
}

static json_t *make_record(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    json_t *rec = json_object();
    for (int i = 0; i < (int)CAL_NKEYS; i++) {
        int t = sqlite3_column_type(st, i);
        bool num = t == SQLITE_INTEGER || t == SQLITE_FLOAT;
        json_object_set_new_nocheck(rec, CAL_KEYS[i],
                                    num && is_date_key(CAL_KEYS[i])
                                        ? spy_col_iso(st, i, SPY_EPOCH_MAC_NS18)
                                        : spy_kit_col(st, i));
    }
    return rec;
}

static int calendar_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = CAL_IDS,
                   .domain = "HomeDomain",
                   .path = "Library/Calendar/Calendar.sqlitedb",
                   .globs = CAL_GLOBS,
                   .first_only = true};
    return spy_rows_emit_db(ctx, &q, CAL_QUERY, NULL, make_record);
}

static bool str_is(const json_t *r, const char *key, const char *want)
{
    const char *s = spy_kit_str(r, key);
    return s && strcmp(s, want) == 0;
}

static void calendar_check(spy_mod_ctx *ctx, const json_t *r)
{
    /* An organizer on the indicator list: nothing more to say about it. */
    if (spy_check_ioc(ctx, SPY_CHECK_EMAIL, spy_kit_str(r, "participant_email"), "", NULL))
        return;
    /* Always, indicators or not: the ENDOFDAYS invitation. */
    if (str_is(r, "summary", "Meeting") && str_is(r, "description", "Notes")) {
        char *uuid = spy_py_strdup(json_object_get(r, "uuid"));
        spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", NULL,
                        "Potential Quadream exploit event identified: %s", uuid);
        free(uuid);
    }
}

static bool truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return false;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_number(v))
        return json_number_value(v) != 0;
    return true;
}

static void calendar_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *summary = spy_py_strdup(json_object_get(r, "summary"));
    char *desc = spy_py_strdup(json_object_get(r, "description"));
    char *email = spy_py_strdup(json_object_get(r, "participant_email"));
    char *data = spy_xasprintf("Calendar event %s (%s) (invitation by %s)", summary, desc, email);
    for (size_t i = 0; i < sizeof CAL_DATES / sizeof *CAL_DATES; i++) {
        const json_t *v = json_object_get(r, CAL_DATES[i]);
        if (!truthy(v))
            continue;
        char *ts = spy_py_strdup(v);
        spy_timeline_event(ctx, ts, CAL_DATES[i], data);
        free(ts);
    }
    free(data);
    free(email);
    free(desc);
    free(summary);
}

const spy_module spy_mod_calendar = {
    "Calendar",     "calendar",       SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, calendar_run,
    calendar_check, calendar_timeline};
