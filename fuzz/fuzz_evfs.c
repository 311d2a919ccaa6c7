/* Fuzz target: a database image served by the evidence VFS from memory.
 * Input: byte 0 = flags (bit 0: the image is split into db + wal, with the
 * db length as 4 little-endian bytes after the flags; bit 1: in-memory shm
 * instead of locking_mode=EXCLUSIVE), then the bytes. The harness grades
 * the file, lists the schema and reads 100 rows of every table with the
 * production settings. */
#include "core/error.h"
#include "core/evfs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Keeps a hostile schema from running a huge query on a small input. */
static int budget(void *ud)
{
    unsigned *n = ud;
    return ++*n > 20000;
}

static void read_table(sqlite3 *db, const char *name)
{
    char *q = sqlite3_mprintf("SELECT * FROM \"%w\" LIMIT 100", name);
    spy_evscan sc;
    if (spy_evscan_prepare(&sc, db, q) == SPY_OK) {
        while (spy_evscan_step(&sc)) {
            for (int c = 0; c < sqlite3_column_count(sc.stmt); c++)
                (void)sqlite3_column_text(sc.stmt, c);
        }
    }
    spy_evscan_finish(&sc);
    sqlite3_free(q);
}

static void read_schema(sqlite3 *db)
{
    spy_evscan sc;
    char *names[64];
    int n = 0;
    if (spy_evscan_prepare(&sc, db, "SELECT name, sql, type FROM sqlite_master") == SPY_OK) {
        while (spy_evscan_step(&sc)) {
            const char *name = (const char *)sqlite3_column_text(sc.stmt, 0);
            const char *type = (const char *)sqlite3_column_text(sc.stmt, 2);
            (void)sqlite3_column_text(sc.stmt, 1);
            if (name && type && strcmp(type, "table") == 0 && n < 64)
                names[n++] = sqlite3_mprintf("%s", name);
        }
    }
    spy_evscan_finish(&sc);
    for (int i = 0; i < n; i++) {
        read_table(db, names[i]);
        sqlite3_free(names[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    const uint8_t *db = data + 1, *wal = NULL;
    size_t dbn = size - 1, waln = 0;
    if (flags & 1) {
        if (size < 5)
            return 0;
        uint32_t k = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
                     (uint32_t)data[4] << 24;
        db = data + 5;
        dbn = size - 5;
        if (k < dbn) {
            wal = db + k;
            waln = dbn - k;
            dbn = k;
        }
    }
    spy_evsrc sd, sw;
    spy_evsrc_from_mem(&sd, db, dbn);
    if (wal)
        spy_evsrc_from_mem(&sw, wal, waln);
    sqlite3 *conn = NULL;
    unsigned steps = 0;
    if (spy_evdb_open_ex(&conn, "fuzz", &sd, wal ? &sw : NULL,
                         (flags & 2) ? SPY_EVDB_SHARED_SHM : 0) != SPY_OK)
        return 0;
    sqlite3_progress_handler(conn, 100, budget, &steps);
    char *why = NULL;
    spy_evdb_check(conn, true, NULL, &why);
    free(why);
    steps = 0;
    read_schema(conn);
    spy_evdb_close(conn);
    return 0;
}
