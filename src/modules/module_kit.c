#include "modules/module_kit.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <string.h>

static int open_checked(spy_mod_ctx *ctx, const spy_artifact *art, sqlite3 **db)
{
    int err = spy_acq_open_db(spy_ctx_acq(ctx), art, db);
    char *why = NULL;
    if (err == SPY_OK && (err = spy_evdb_check(*db, false, NULL, &why)) != SPY_OK) {
        spy_evdb_close(*db);
        *db = NULL;
    }
    if (err != SPY_OK) {
        spy_error(spy_ctx_logger(ctx), "%s", why ? why : art->label);
        err = SPY_EFORMAT;
    }
    free(why);
    return err;
}

int spy_kit_open_db(spy_mod_ctx *ctx, const spy_query *q, sqlite3 **db, char **label)
{
    spy_query first = *q;
    first.first_only = true;
    spy_artifacts l = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &first, &l);
    if (err == SPY_OK && l.n == 0) {
        spy_info(spy_ctx_logger(ctx), "Unable to find the %s database", spy_ctx_module(ctx)->name);
        err = SPY_ENOTFOUND;
    }
    if (err == SPY_OK) {
        spy_info(spy_ctx_logger(ctx), "Found %s database at path: %s", spy_ctx_module(ctx)->name,
                 l.v[0].label);
        err = open_checked(ctx, &l.v[0], db);
        if (err == SPY_OK && label)
            *label = spy_xstrdup(l.v[0].label);
    }
    spy_artifacts_free(&l);
    return err;
}

int spy_kit_foreach_db(spy_mod_ctx *ctx, const spy_query *q, spy_kit_db_fn fn, void *ud)
{
    spy_artifacts l = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), q, &l);
    if (err == SPY_OK && l.n == 0)
        err = SPY_ENOTFOUND;
    for (size_t i = 0; err == SPY_OK && i < l.n; i++) {
        sqlite3 *db = NULL;
        spy_info(spy_ctx_logger(ctx), "Found %s database at path: %s", spy_ctx_module(ctx)->name,
                 l.v[i].label);
        if (open_checked(ctx, &l.v[i], &db) != SPY_OK) {
            spy_skipped(ctx, 1, "%s could not be read", l.v[i].label);
            continue;
        }
        err = fn(ctx, db, &l.v[i], ud);
        spy_evdb_close(db);
    }
    spy_artifacts_free(&l);
    return err;
}

json_t *spy_kit_col(sqlite3_stmt *st, int col)
{
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, col));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, col));
    case SQLITE_TEXT:
        return json_stringn_nocheck((const char *)sqlite3_column_text(st, col),
                                    (size_t)sqlite3_column_bytes(st, col));
    case SQLITE_BLOB: {
        const void *p = sqlite3_column_blob(st, col);
        return json_stringn_nocheck(p ? p : "", (size_t)sqlite3_column_bytes(st, col));
    }
    default: return json_null();
    }
}

json_t *spy_kit_row(sqlite3_stmt *st)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        json_object_set_new_nocheck(o, name ? name : "", spy_kit_col(st, i));
    }
    return o;
}

int spy_kit_scan_done(spy_mod_ctx *ctx, const spy_evscan *s, const char *label)
{
    switch (s->grade) {
    case SPY_EVSCAN_COMPLETE: return SPY_OK;
    case SPY_EVSCAN_ROWS_SKIPPED:
        spy_skipped(ctx, 1, "%s: the rest of the table after row %llu is damaged (%s)", label,
                    (unsigned long long)s->rows, s->why ? s->why : "malformed");
        return SPY_OK;
    default:
        spy_error(spy_ctx_logger(ctx), "%s: table unreadable (%s)", label,
                  s->why ? s->why : "malformed");
        return SPY_EFORMAT;
    }
}

bool spy_kit_has_table(sqlite3 *db, const char *table)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(
            db, "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?1", -1, &st,
            NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

bool spy_kit_has_column(sqlite3 *db, const char *table, const char *column)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

const char *spy_kit_str(const json_t *rec, const char *key)
{
    return json_string_value(json_object_get(rec, key));
}

json_int_t spy_kit_int(const json_t *rec, const char *key)
{
    return json_integer_value(json_object_get(rec, key));
}

const char *spy_kit_join(char *buf, size_t cap, char **heap, size_t *len, const char *const *parts,
                         size_t n)
{
    size_t lens[SPY_KIT_JOIN_MAX], total = 0;
    n = n < SPY_KIT_JOIN_MAX ? n : SPY_KIT_JOIN_MAX;
    for (size_t i = 0; i < n; i++)
        total += lens[i] = parts[i] ? strlen(parts[i]) : 0;
    char *o = total < cap ? buf : (*heap = spy_xmalloc(total + 1)), *w = o;
    for (size_t i = 0; i < n; i++) {
        if (lens[i])
            memcpy(w, parts[i], lens[i]);
        w += lens[i];
    }
    *w = '\0';
    *len = total;
    return o;
}
