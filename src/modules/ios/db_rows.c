#include "modules/ios/db_rows.h"

#include "core/error.h"
#include "core/log.h"

#include <stdlib.h>

static bool has_tables(sqlite3 *db, const char *const *tables)
{
    for (size_t i = 0; tables && tables[i]; i++)
        if (!spy_kit_has_table(db, tables[i]))
            return false;
    return true;
}

int spy_rows_emit(spy_mod_ctx *ctx, sqlite3 *db, const char *label, const char *sql,
                  const char *const *tables, spy_row_fn fn)
{
    int err = SPY_OK;
    spy_evscan s;
    if (spy_evscan_prepare(&s, db, sql) != SPY_OK && !has_tables(db, tables)) {
        spy_info(spy_ctx_logger(ctx), "%s: %s", label, s.why ? s.why : "no such table");
        spy_evscan_finish(&s);
        return SPY_OK;
    }
    /* After a failed prepare no row is read and the grade says why. */
    while (err == SPY_OK && spy_evscan_step(&s))
        err = spy_emit(ctx, fn(ctx, s.stmt));
    if (err == SPY_OK)
        err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    return err;
}

int spy_rows_emit_db(spy_mod_ctx *ctx, const spy_query *q, const char *sql,
                     const char *const *tables, spy_row_fn fn)
{
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, q, &db, &label);
    if (err != SPY_OK)
        return err;
    err = spy_rows_emit(ctx, db, label, sql, tables, fn);
    spy_evdb_close(db);
    free(label);
    return err;
}
