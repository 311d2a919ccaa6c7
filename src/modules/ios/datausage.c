/* Datausage (spec/ios.md §5.11): per-process network usage from
 * DataUsage.sqlite (ZPROCESS, ZLIVEUSAGE), with MVT's two heuristics for
 * rows deleted by spyware cleaning up after itself: usage rows whose
 * process row is gone ("manipulated"), and gaps in the process ROWIDs
 * ("missing"). Both need the whole table, so they run here in run() on
 * the collected records, which are then emitted in MVT's final order
 * (sorted by first_isodate). check() holds the per-record indicator check.
 *
 * Not done here: the filesystem-only "binary not found in the dump" check
 * (MEDIUM), which belongs to check-fs. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/ios/cols.h"
#include "modules/ios/pyfmt.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

static const char *const DU_IDS[] = {"0d609c54856a9bb2d56729df1d68f2958a88426b", NULL};
static const char *const DU_GLOBS[] = {"private/var/wireless/Library/Databases/DataUsage.sqlite",
                                       NULL};

/* Beyond MVT: a hostile database with ids 1 and 2^62 would otherwise make
 * billions of placeholder records. */
#define DU_MAX_MISSING 50000

#define DU_QUERY(wifi, wifinull)                                                                   \
    "SELECT ZPROCESS.ZFIRSTTIMESTAMP, ZPROCESS.ZTIMESTAMP, ZPROCESS.ZPROCNAME, "                   \
    "ZPROCESS.ZBUNDLENAME, ZPROCESS.Z_PK, " wifi "ZLIVEUSAGE.ZWWANIN, ZLIVEUSAGE.ZWWANOUT, "       \
    "ZLIVEUSAGE.Z_PK, ZLIVEUSAGE.ZHASPROCESS, ZLIVEUSAGE.ZTIMESTAMP "                              \
    "FROM ZLIVEUSAGE LEFT JOIN ZPROCESS ON ZLIVEUSAGE.ZHASPROCESS = ZPROCESS.Z_PK "                \
    "UNION SELECT ZFIRSTTIMESTAMP, ZTIMESTAMP, ZPROCNAME, ZBUNDLENAME, Z_PK, " wifinull            \
    "NULL, NULL, NULL, NULL, NULL FROM ZPROCESS "                                                  \
    "WHERE Z_PK NOT IN (SELECT ZHASPROCESS FROM ZLIVEUSAGE)"

/* Query A, then B for recent iOS without the WiFi columns. */
static const char *const DU_QUERY_A =
    DU_QUERY("ZLIVEUSAGE.ZWIFIIN, ZLIVEUSAGE.ZWIFIOUT, ", "NULL, NULL, ");
static const char *const DU_QUERY_B = DU_QUERY("", "");

/* Python truthiness of a column: NULL, 0, 0.0, "" and empty blobs are false. */
static bool col_truthy(sqlite3_stmt *st, int col)
{
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL: return false;
    case SQLITE_INTEGER: return sqlite3_column_int64(st, col) != 0;
    case SQLITE_FLOAT: return sqlite3_column_double(st, col) != 0.0;
    default: return sqlite3_column_bytes(st, col) > 0;
    }
}

static bool truthy(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0;
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_TRUE: return true;
    case JSON_OBJECT:
    case JSON_ARRAY: return json_object_size(v) > 0 || json_array_size(v) > 0;
    default: return false;
    }
}

static json_t *make_record(sqlite3_stmt *st, bool wifi)
{
    int c = wifi ? 2 : 0; /* column shift after the WiFi pair */
    json_t *rec = json_object();
    json_t *first, *cur;
    /* Converted only when both process times are set, else the raw values. */
    if (col_truthy(st, 0) && col_truthy(st, 1)) {
        first = spy_col_iso(st, 0, SPY_EPOCH_MAC_NS18);
        cur = spy_col_iso(st, 1, SPY_EPOCH_MAC_NS18);
    } else {
        first = spy_kit_col(st, 0);
        cur = spy_kit_col(st, 1);
    }
    json_object_set_new_nocheck(rec, "first_isodate", first);
    json_object_set_new_nocheck(rec, "isodate", cur);
    json_object_set_new_nocheck(rec, "proc_name", spy_kit_col(st, 2));
    json_object_set_new_nocheck(rec, "bundle_id", spy_kit_col(st, 3));
    json_object_set_new_nocheck(rec, "proc_id", spy_kit_col(st, 4));
    json_object_set_new_nocheck(rec, "wifi_in", wifi ? spy_kit_col(st, 5) : json_null());
    json_object_set_new_nocheck(rec, "wifi_out", wifi ? spy_kit_col(st, 6) : json_null());
    json_object_set_new_nocheck(rec, "wwan_in", spy_kit_col(st, 5 + c));
    json_object_set_new_nocheck(rec, "wwan_out", spy_kit_col(st, 6 + c));
    json_object_set_new_nocheck(rec, "live_id", spy_kit_col(st, 7 + c));
    json_object_set_new_nocheck(rec, "live_proc_id", spy_kit_col(st, 8 + c));
    json_object_set_new_nocheck(rec, "live_isodate",
                                col_truthy(st, 9 + c) ? spy_col_iso(st, 9 + c, SPY_EPOCH_MAC_NS18)
                                                      : json_copy(first));
    return rec;
}

/* ---- ordering (Python's stable sorted() on a string key) ---- */

typedef struct du_item {
    json_t *rec;
    size_t pos;
    const char *key;
} du_item;

static int item_cmp(const void *a, const void *b)
{
    const du_item *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

/* Sorts recs in place by the string value of key (non-strings sort as "",
 * where Python would raise), keeping the order of equal keys. */
static void sort_by(json_t *recs, const char *key)
{
    size_t n = json_array_size(recs);
    if (n < 2)
        return;
    du_item *v = spy_xcalloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v[i].rec = json_incref(json_array_get(recs, i));
        v[i].pos = i;
        const char *s = spy_kit_str(v[i].rec, key);
        v[i].key = s ? s : "";
    }
    qsort(v, n, sizeof *v, item_cmp);
    json_array_clear(recs);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(recs, v[i].rec);
    free(v);
}

/* ---- heuristics ---- */

static const char *time_of(const json_t *rec, const char *key)
{
    const char *s = spy_kit_str(rec, key);
    return s ? s : "";
}

/* ZLIVEUSAGE rows pointing at a deleted ZPROCESS row (spec §5.11 check 1). */
static void check_manipulated(spy_mod_ctx *ctx, json_t *recs)
{
    /* MVT walks a sorted copy: the records keep their order. */
    json_t *sorted = json_copy(recs);
    sort_by(sorted, "live_isodate");
    json_t *seen = json_object(); /* str(live_proc_id) -> true */
    size_t i;
    json_t *rec;
    json_array_foreach(sorted, i, rec)
    {
        if (truthy(json_object_get(rec, "proc_id")))
            continue;
        char *lpid = spy_py_strdup(json_object_get(rec, "live_proc_id"));
        json_t *live = json_object_get(rec, "live_isodate");
        json_object_set(rec, "first_isodate", live);
        json_object_set(rec, "isodate", live);
        json_object_set_new(rec, "proc_name", json_string("MANIPULATED [process record deleted]"));
        char *when = spy_py_strdup(live);
        if (!json_object_get(seen, lpid)) {
            json_object_set_new(seen, lpid, json_true());
            spy_alert_raise(ctx, SPY_LEVEL_HIGH, time_of(rec, "live_isodate"), rec,
                            "Found manipulated process entry %s. Entry on %s", lpid, when);
        }
        spy_alert_raise(ctx, SPY_LEVEL_HIGH, time_of(rec, "first_isodate"), rec,
                        "Found manipulated process entry %s/", lpid);
        free(when);
        free(lpid);
    }
    json_decref(seen);
    json_decref(sorted);
}

static json_t *placeholder(const json_t *shape, json_int_t id, const json_t *prev)
{
    json_t *r = json_object();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)shape, k, v) json_object_set_new(r, k, json_null());
    json_t *first = json_object_get(prev, "first_isodate");
    json_object_set(r, "first_isodate", first ? first : json_null());
    json_object_set(r, "isodate", first ? first : json_null());
    json_object_set(r, "live_isodate", first ? first : json_null());
    char *name = spy_py_strdup(json_object_get(prev, "proc_name"));
    json_object_set_new(r, "proc_name", json_sprintf("MISSING [follows %s]", name));
    free(name);
    json_object_set_new(r, "proc_id", json_integer(id));
    json_object_set_new(r, "live_proc_id", json_integer(id));
    json_object_set_new(r, "bundle_id", json_null());
    return r;
}

static int id_cmp(const void *a, const void *b)
{
    json_int_t x = *(const json_int_t *)a, y = *(const json_int_t *)b;
    return (x > y) - (x < y);
}

/* Gaps in the ZPROCESS ROWIDs (spec §5.11 check 2): a deleted process row. */
static void find_deleted(spy_mod_ctx *ctx, json_t *recs)
{
    size_t n = json_array_size(recs), nid = 0;
    if (n == 0)
        return;
    json_int_t *ids = spy_xcalloc(n, sizeof *ids);
    json_t *by_id = json_object(); /* decimal id -> last record with it */
    size_t i;
    json_t *rec;
    json_array_foreach(recs, i, rec)
    {
        json_t *pid = json_object_get(rec, "proc_id");
        if (!json_is_integer(pid) || json_integer_value(pid) == 0)
            continue;
        char key[32];
        snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, json_integer_value(pid));
        if (!json_object_get(by_id, key))
            ids[nid++] = json_integer_value(pid);
        json_object_set(by_id, key, rec);
    }
    qsort(ids, nid, sizeof *ids, id_cmp);
    json_t *added = json_array();
    const json_t *shape = json_array_get(recs, 0);
    size_t missing = 0;
    const json_t *prev = NULL;
    for (json_int_t id = nid ? ids[0] : 0; nid && id < ids[nid - 1]; id++) {
        char key[32];
        snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, id);
        const json_t *here = json_object_get(by_id, key);
        if (here) {
            prev = here;
            continue;
        }
        if (++missing > DU_MAX_MISSING) {
            spy_warn(spy_ctx_logger(ctx), "More than %d missing process ids: stopped listing them",
                     DU_MAX_MISSING);
            break;
        }
        char *first = spy_py_strdup(json_object_get(prev, "first_isodate"));
        char *name = spy_py_strdup(json_object_get(prev, "proc_name"));
        spy_alert_raise(ctx, SPY_LEVEL_LOW, time_of(prev, "first_isodate"), prev,
                        "Missing process %" JSON_INTEGER_FORMAT ". Previous process at \"%s\" (%s)",
                        id, first, name);
        free(name);
        free(first);
        json_array_append_new(added, placeholder(shape, id, prev));
    }
    json_array_extend(recs, added);
    json_decref(added);
    json_decref(by_id);
    free(ids);
    sort_by(recs, "first_isodate");
}

static int read_records(spy_mod_ctx *ctx, sqlite3 *db, const char *label, json_t *recs)
{
    spy_evscan s;
    bool wifi = true;
    if (spy_evscan_prepare(&s, db, DU_QUERY_A) != SPY_OK) {
        spy_evscan_finish(&s);
        wifi = false;
        spy_evscan_prepare(&s, db, DU_QUERY_B);
    }
    while (spy_evscan_step(&s))
        json_array_append_new(recs, make_record(s.stmt, wifi));
    int err = spy_kit_scan_done(ctx, &s, label);
    spy_evscan_finish(&s);
    return err;
}

static int datausage_run(spy_mod_ctx *ctx)
{
    spy_query q = {.file_ids = DU_IDS,
                   .domain = "WirelessDomain",
                   .path = "Library/Databases/DataUsage.sqlite",
                   .globs = DU_GLOBS,
                   .first_only = true};
    sqlite3 *db = NULL;
    char *label = NULL;
    int err = spy_kit_open_db(ctx, &q, &db, &label);
    if (err != SPY_OK)
        return err;
    json_t *recs = json_array();
    err = read_records(ctx, db, label, recs);
    spy_evdb_close(db);
    spy_info(spy_ctx_logger(ctx), "Extracted information on %zu processes", json_array_size(recs));
    if (err == SPY_OK) {
        check_manipulated(ctx, recs);
        find_deleted(ctx, recs);
    }
    size_t i;
    json_t *rec;
    json_array_foreach(recs, i, rec)
    {
        if (err != SPY_OK)
            break;
        err = spy_emit(ctx, json_incref(rec));
    }
    json_decref(recs);
    free(label);
    return err;
}

static void datausage_check(spy_mod_ctx *ctx, const json_t *r)
{
    /* Rows whose process record was deleted have no proc_id: skipped. */
    if (!truthy(json_object_get(r, "proc_id")))
        return;
    /* MVT also writes the match into the record (datausage.json). */
    spy_check_ioc_mark(ctx, SPY_CHECK_PROCESS, spy_kit_str(r, "proc_name"),
                       time_of(r, "first_isodate"));
}

static void datausage_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    char *name = spy_py_strdup(json_object_get(r, "proc_name"));
    char *bundle = spy_py_strdup(json_object_get(r, "bundle_id"));
    char *pid = spy_py_strdup(json_object_get(r, "proc_id"));
    char *win = spy_py_strdup(json_object_get(r, "wwan_in"));
    char *wout = spy_py_strdup(json_object_get(r, "wwan_out"));
    char *live = spy_py_strdup(json_object_get(r, "live_isodate"));
    char *data = spy_xasprintf("%s (Bundle ID: %s, ID: %s)", name, bundle, pid);
    char *usage = spy_xasprintf("%s WWAN IN: %s, WWAN OUT: %s", data, win, wout);
    spy_timeline_event(ctx, live, "live_usage", usage);
    json_t *lpid = json_object_get(r, "live_proc_id");
    if (!strstr(name, "MANIPULATED") && !strstr(name, "MISSING") && lpid && !json_is_null(lpid)) {
        char *first = spy_py_strdup(json_object_get(r, "first_isodate"));
        char *cur = spy_py_strdup(json_object_get(r, "isodate"));
        spy_timeline_event(ctx, first, "first_usage", data);
        spy_timeline_event(ctx, cur, "current_usage", data);
        free(cur);
        free(first);
    }
    free(usage);
    free(data);
    free(live);
    free(wout);
    free(win);
    free(pid);
    free(bundle);
    free(name);
}

const spy_module spy_mod_datausage = {
    "Datausage",     "datausage",       SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS, 0, datausage_run,
    datausage_check, datausage_timeline};
