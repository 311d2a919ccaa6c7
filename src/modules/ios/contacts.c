/* Contacts (spec/ios.md §5.4): one record per ABMultiValue value (phone,
 * e-mail...) with its person's names. No check, no timeline: analysts use
 * it to recognise known senders. */
#include "core/error.h"
#include "core/log.h"
#include "modules/module_kit.h"

#include <stdlib.h>

static const char *const CONTACTS_IDS[] = {"31bb7ba8914766d4ba40d6dfb6113c8b614be442", NULL};
static const char *const CONTACTS_GLOBS[] = {
    "private/var/mobile/Library/AddressBook/AddressBook.sqlitedb", NULL};

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
    spy_evscan s;
    spy_evscan_prepare(&s, db,
                       "SELECT multi.value AS value, person.first AS first, person.middle AS "
                       "middle, person.last AS last, person.organization AS organization "
                       "FROM ABPerson person, ABMultiValue multi "
                       "WHERE person.rowid = multi.record_id AND multi.value NOT NULL "
                       "ORDER BY person.rowid ASC");
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, spy_kit_row(s.stmt));
    if (err == SPY_OK || s.grade != SPY_EVSCAN_COMPLETE)
        err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    spy_evdb_close(db);
    free(label);
    return err;
}

const spy_module spy_mod_contacts = {
    "Contacts", "contacts", SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, contacts_run, NULL, NULL};
