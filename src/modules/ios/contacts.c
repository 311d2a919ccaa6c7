/* Contacts (spec/ios.md §5.4): one record per ABMultiValue value (phone,
 * e-mail...) with its person's names. No check, no timeline: analysts use
 * it to recognise known senders. */
#include "core/error.h"
#include "core/log.h"
#include "modules/ios/db_rows.h"

#include <stdlib.h>

static const char *const CONTACTS_IDS[] = {"31bb7ba8914766d4ba40d6dfb6113c8b614be442", NULL};
static const char *const CONTACTS_GLOBS[] = {
    "private/var/mobile/Library/AddressBook/AddressBook.sqlitedb", NULL};

/* Every column under its SQL name (the AS names are MVT's keys). */
static json_t *contacts_row(spy_mod_ctx *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    return spy_kit_row(st);
}

static int contacts_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = CONTACTS_IDS,
                   .domain = "HomeDomain",
                   .path = "Library/AddressBook/AddressBook.sqlitedb",
                   .globs = CONTACTS_GLOBS,
                   .first_only = true};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    if (!spy_kit_has_table(db, "ABPerson") || !spy_kit_has_table(db, "ABMultiValue")) {
        /* MVT logs the missing tables and produces nothing */
        spy_info(spy_ctx_logger(ctx), "No contacts tables found in %s", label);
        spy_evdb_close(db);
        free(label);
        return SPY_OK;
    }
    err = spy_rows_emit(ctx, db, label,
                        "SELECT multi.value AS value, person.first AS first, person.middle AS "
                        "middle, person.last AS last, person.organization AS organization "
                        "FROM ABPerson person, ABMultiValue multi "
                        "WHERE person.rowid = multi.record_id AND multi.value NOT NULL "
                        "ORDER BY person.rowid ASC",
                        NULL, contacts_row);
    spy_evdb_close(db);
    free(label);
    return err;
}

const spy_module spy_mod_contacts = {
    "Contacts", "contacts", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, contacts_run, NULL, NULL};
