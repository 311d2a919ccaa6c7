/* The read-only evidence VFS "spyscan-evidence" (docs/formats/evidence-vfs.md).
 *
 * Every connection opened by spy_evdb_open() is registered under a private
 * name "/spyscan-evidence/<n>" that maps to its sources; SQLite then asks this
 * VFS for "<name>" (main db), "<name>-wal" (WAL) and journals/temp files.
 * The main db and the WAL read their source and refuse writes; everything
 * else is a heap file. The wal-index ("-shm") is heap memory per connection
 * (xShmMap), or SQLite's own heap when locking_mode=EXCLUSIVE is in force.
 * No method of this VFS ever calls open(2), unlink(2) or write(2). */
#include "core/evfs.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct evfs_entry {
    struct evfs_entry *next;
    char *name;  /* main db pathname given to SQLite */
    char *label; /* for messages */
    sqlite3 *conn;
    spy_evsrc db;
    spy_evsrc wal;
    bool has_wal;
    unsigned refs; /* registry + open files; guarded by g_mu */
} evfs_entry;

enum { EV_SRC_DB, EV_SRC_WAL, EV_MEM };

typedef struct evfs_file {
    sqlite3_file base;
    int kind;
    evfs_entry *e;        /* EV_SRC_*: the evidence entry (a reference) */
    const spy_evsrc *src; /* EV_SRC_*: NULL for an absent WAL (empty file) */
    uint8_t *buf;         /* EV_MEM contents */
    size_t len, cap;
    void **shm; /* EV_SRC_DB: wal-index regions */
    unsigned nshm;
} evfs_file;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static evfs_entry *g_entries;
static unsigned long long g_next_id;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_reg_rc = SQLITE_ERROR;
static sqlite3_vfs g_vfs;

/* ---- registry ---- */

static void entry_unref_locked(evfs_entry *e)
{
    if (--e->refs > 0)
        return;
    if (e->db.release)
        e->db.release(e->db.ud);
    if (e->has_wal && e->wal.release)
        e->wal.release(e->wal.ud);
    free(e->name);
    free(e->label);
    free(e);
}

static void entry_unref(evfs_entry *e)
{
    pthread_mutex_lock(&g_mu);
    entry_unref_locked(e);
    pthread_mutex_unlock(&g_mu);
}

/* Finds the entry named exactly name[0..n) and takes a reference. */
static evfs_entry *entry_find_ref(const char *name, size_t n)
{
    pthread_mutex_lock(&g_mu);
    evfs_entry *e = g_entries;
    while (e && !(strlen(e->name) == n && memcmp(e->name, name, n) == 0))
        e = e->next;
    if (e)
        e->refs++;
    pthread_mutex_unlock(&g_mu);
    return e;
}

static void entry_unlink(evfs_entry *e)
{
    pthread_mutex_lock(&g_mu);
    for (evfs_entry **pp = &g_entries; *pp; pp = &(*pp)->next) {
        if (*pp == e) {
            *pp = e->next;
            break;
        }
    }
    entry_unref_locked(e);
    pthread_mutex_unlock(&g_mu);
}

static evfs_entry *entry_by_conn_ref(sqlite3 *db)
{
    pthread_mutex_lock(&g_mu);
    evfs_entry *e = g_entries;
    while (e && e->conn != db)
        e = e->next;
    if (e)
        e->refs++;
    pthread_mutex_unlock(&g_mu);
    return e;
}

static bool has_suffix(const char *s, size_t n, const char *suf, size_t *stem)
{
    size_t k = strlen(suf);
    if (n < k || memcmp(s + n - k, suf, k) != 0)
        return false;
    *stem = n - k;
    return true;
}

/* ---- files backed by a source (main db, WAL): read-only ---- */

static int src_close(sqlite3_file *f)
{
    evfs_file *p = (evfs_file *)f;
    for (unsigned i = 0; i < p->nshm; i++)
        free(p->shm[i]);
    free(p->shm);
    p->shm = NULL;
    p->nshm = 0;
    if (p->e)
        entry_unref(p->e);
    p->e = NULL;
    return SQLITE_OK;
}

/* SQLite requires the unread tail of a short read to be zero-filled and
 * SQLITE_IOERR_SHORT_READ returned (sqlite3.h, xRead). */
static int src_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    evfs_file *p = (evfs_file *)f;
    size_t got = 0;
    if (n < 0 || off < 0)
        return SQLITE_IOERR_READ;
    if (p->src && (uint64_t)off < p->src->size) {
        if (p->src->read(p->src->ud, buf, (size_t)n, (uint64_t)off, &got) != SPY_OK)
            return SQLITE_IOERR_READ;
        if (got > (size_t)n)
            return SQLITE_IOERR_READ;
    }
    if (got == (size_t)n)
        return SQLITE_OK;
    memset((uint8_t *)buf + got, 0, (size_t)n - got);
    return SQLITE_IOERR_SHORT_READ;
}

static int src_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    (void)f, (void)buf, (void)n, (void)off;
    return SQLITE_READONLY;
}

static int src_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    (void)f, (void)size;
    return SQLITE_READONLY;
}

static int any_sync(sqlite3_file *f, int flags)
{
    (void)f, (void)flags;
    return SQLITE_OK;
}

static int src_size(sqlite3_file *f, sqlite3_int64 *size)
{
    evfs_file *p = (evfs_file *)f;
    uint64_t s = p->src ? p->src->size : 0;
    *size = s > (uint64_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)s;
    return SQLITE_OK;
}

/* One connection per entry, so file locks cannot conflict: they are only
 * remembered (and nothing is locked on disk, where the evidence lives). */
static int any_lock(sqlite3_file *f, int level)
{
    (void)f, (void)level;
    return SQLITE_OK;
}

static int any_check_reserved(sqlite3_file *f, int *out)
{
    (void)f;
    *out = 0;
    return SQLITE_OK;
}

static int any_fcntl(sqlite3_file *f, int op, void *arg)
{
    (void)f;
    if (op == SQLITE_FCNTL_HAS_MOVED) {
        *(int *)arg = 0;
        return SQLITE_OK;
    }
    return SQLITE_NOTFOUND;
}

static int any_sector(sqlite3_file *f)
{
    (void)f;
    return 512;
}

static int any_devchar(sqlite3_file *f)
{
    (void)f;
    return 0;
}

/* wal-index: regions of szRegion bytes, zeroed on first map. With bExtend
 * false an unmapped region is reported as NULL (sqlite3.h, xShmMap). */
static int src_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
    evfs_file *p = (evfs_file *)f;
    *pp = NULL;
    if (p->kind != EV_SRC_DB || pg < 0 || sz <= 0 || (unsigned)pg >= SPY_EVFS_MAX_SHM_REGIONS)
        return SQLITE_IOERR_SHMMAP;
    if ((unsigned)pg >= p->nshm) {
        if (!extend)
            return SQLITE_OK;
        p->shm = spy_xreallocarray(p->shm, (size_t)pg + 1, sizeof *p->shm);
        for (unsigned i = p->nshm; i <= (unsigned)pg; i++)
            p->shm[i] = spy_xcalloc(1, (size_t)sz);
        p->nshm = (unsigned)pg + 1;
    }
    *pp = p->shm[pg];
    return SQLITE_OK;
}

static int src_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    (void)f, (void)offset, (void)n, (void)flags;
    return SQLITE_OK;
}

static void src_shm_barrier(sqlite3_file *f)
{
    (void)f;
    atomic_thread_fence(memory_order_seq_cst);
}

static int src_shm_unmap(sqlite3_file *f, int delete_flag)
{
    evfs_file *p = (evfs_file *)f;
    (void)delete_flag;
    for (unsigned i = 0; i < p->nshm; i++)
        free(p->shm[i]);
    free(p->shm);
    p->shm = NULL;
    p->nshm = 0;
    return SQLITE_OK;
}

static int src_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    (void)f, (void)off, (void)n;
    *pp = NULL; /* no memory mapping: every read goes through the source */
    return SQLITE_OK;
}

static int src_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    (void)f, (void)off, (void)p;
    return SQLITE_OK;
}

static const sqlite3_io_methods src_methods = {
    3,           src_close,   src_read,     src_write,          src_truncate,  any_sync,
    src_size,    any_lock,    any_lock,     any_check_reserved, any_fcntl,     any_sector,
    any_devchar, src_shm_map, src_shm_lock, src_shm_barrier,    src_shm_unmap, src_fetch,
    src_unfetch};

/* ---- heap files: journals, temp files, statement journals ---- */

static int mem_close(sqlite3_file *f)
{
    evfs_file *p = (evfs_file *)f;
    free(p->buf);
    p->buf = NULL;
    p->len = p->cap = 0;
    return SQLITE_OK;
}

static int mem_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    evfs_file *p = (evfs_file *)f;
    size_t got = 0;
    if (n < 0 || off < 0)
        return SQLITE_IOERR_READ;
    if ((uint64_t)off < p->len) {
        got = p->len - (size_t)off;
        if (got > (size_t)n)
            got = (size_t)n;
        memcpy(buf, p->buf + off, got);
    }
    if (got == (size_t)n)
        return SQLITE_OK;
    memset((uint8_t *)buf + got, 0, (size_t)n - got);
    return SQLITE_IOERR_SHORT_READ;
}

static int mem_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    evfs_file *p = (evfs_file *)f;
    if (n < 0 || off < 0 || (uint64_t)off > SPY_EVFS_MAX_MEMFILE_BYTES ||
        (uint64_t)n > SPY_EVFS_MAX_MEMFILE_BYTES - (uint64_t)off)
        return SQLITE_FULL;
    size_t end = (size_t)off + (size_t)n;
    if (end > p->cap) {
        size_t cap = p->cap ? p->cap : 4096;
        while (cap < end)
            cap *= 2;
        p->buf = spy_xrealloc(p->buf, cap);
        p->cap = cap;
    }
    if ((size_t)off > p->len)
        memset(p->buf + p->len, 0, (size_t)off - p->len);
    memcpy(p->buf + off, buf, (size_t)n);
    if (end > p->len)
        p->len = end;
    return SQLITE_OK;
}

static int mem_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    evfs_file *p = (evfs_file *)f;
    if (size < 0)
        return SQLITE_IOERR_TRUNCATE;
    if ((uint64_t)size < p->len)
        p->len = (size_t)size;
    return SQLITE_OK;
}

static int mem_size(sqlite3_file *f, sqlite3_int64 *size)
{
    *size = (sqlite3_int64)((evfs_file *)f)->len;
    return SQLITE_OK;
}

static const sqlite3_io_methods mem_methods = {
    1,         mem_close,  mem_read,    mem_write, mem_truncate,
    any_sync,  mem_size,   any_lock,    any_lock,  any_check_reserved,
    any_fcntl, any_sector, any_devchar, NULL,      NULL,
    NULL,      NULL,       NULL,        NULL};

/* ---- the VFS ---- */

/* Main db and WAL resolve to a registered entry; anything else SQLite opens
 * (journals, temp and transient files) is a heap file. A main-db name that is
 * not registered is refused: this VFS never reaches the file system. */
static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    evfs_file *p = (evfs_file *)f;
    (void)vfs;
    memset(p, 0, sizeof *p);
    size_t n = name ? strlen(name) : 0, stem = 0;
    if (name && (flags & SQLITE_OPEN_MAIN_DB)) {
        p->e = entry_find_ref(name, n);
        p->kind = EV_SRC_DB;
        p->src = p->e ? &p->e->db : NULL;
    } else if (name && (flags & SQLITE_OPEN_WAL) && has_suffix(name, n, "-wal", &stem)) {
        p->e = entry_find_ref(name, stem);
        p->kind = EV_SRC_WAL;
        p->src = p->e && p->e->has_wal ? &p->e->wal : NULL;
    } else {
        p->kind = EV_MEM;
        p->base.pMethods = &mem_methods;
        if (out)
            *out = flags;
        return SQLITE_OK;
    }
    if (!p->e)
        return SQLITE_CANTOPEN;
    p->base.pMethods = &src_methods;
    if (out)
        *out = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY;
    return SQLITE_OK;
}

/* Nothing to delete: SQLite's own files are heap files freed on close. */
static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    (void)vfs, (void)name, (void)sync;
    return SQLITE_OK;
}

/* Only a registered WAL "exists"; journals never do, so SQLite never looks
 * for a hot journal to roll back. */
static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    size_t stem = 0;
    (void)vfs, (void)flags;
    *out = 0;
    if (name && has_suffix(name, strlen(name), "-wal", &stem)) {
        evfs_entry *e = entry_find_ref(name, stem);
        if (e) {
            *out = e->has_wal;
            entry_unref(e);
        }
    }
    return SQLITE_OK;
}

static int vfs_fullpath(sqlite3_vfs *vfs, const char *name, int n_out, char *out)
{
    (void)vfs;
    size_t n = strlen(name);
    if (n_out <= 0 || n >= (size_t)n_out)
        return SQLITE_CANTOPEN;
    memcpy(out, name, n + 1);
    return SQLITE_OK;
}

static void *vfs_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs, (void)name;
    return NULL; /* extension loading is disabled on evidence connections */
}

static void vfs_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    if (n > 0)
        snprintf(msg, (size_t)n, "extension loading is disabled");
}

static void (*vfs_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs, (void)h, (void)sym;
    return NULL;
}

static void vfs_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs, (void)h;
}

/* Time, sleep and randomness come from the default VFS. */
static sqlite3_vfs *base_vfs(sqlite3_vfs *vfs)
{
    return (sqlite3_vfs *)vfs->pAppData;
}

static int vfs_random(sqlite3_vfs *vfs, int n, char *out)
{
    return base_vfs(vfs)->xRandomness(base_vfs(vfs), n, out);
}

static int vfs_sleep(sqlite3_vfs *vfs, int us)
{
    return base_vfs(vfs)->xSleep(base_vfs(vfs), us);
}

static int vfs_time(sqlite3_vfs *vfs, double *t)
{
    return base_vfs(vfs)->xCurrentTime(base_vfs(vfs), t);
}

static int vfs_lasterr(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs, (void)n, (void)msg;
    return 0;
}

static int vfs_time64(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
    sqlite3_vfs *b = base_vfs(vfs);
    if (b->iVersion >= 2 && b->xCurrentTimeInt64)
        return b->xCurrentTimeInt64(b, t);
    double d = 0;
    int rc = b->xCurrentTime(b, &d);
    *t = (sqlite3_int64)(d * 86400000.0);
    return rc;
}

static void register_once(void)
{
    sqlite3_vfs *base = sqlite3_vfs_find(NULL);
    if (!base)
        return;
    g_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(evfs_file),
        .mxPathname = 512,
        .zName = SPY_EVFS_NAME,
        .pAppData = base,
        .xOpen = vfs_open,
        .xDelete = vfs_delete,
        .xAccess = vfs_access,
        .xFullPathname = vfs_fullpath,
        .xDlOpen = vfs_dlopen,
        .xDlError = vfs_dlerror,
        .xDlSym = vfs_dlsym,
        .xDlClose = vfs_dlclose,
        .xRandomness = vfs_random,
        .xSleep = vfs_sleep,
        .xCurrentTime = vfs_time,
        .xGetLastError = vfs_lasterr,
        .xCurrentTimeInt64 = vfs_time64,
    };
    g_reg_rc = sqlite3_vfs_register(&g_vfs, 0);
}

int spy_evfs_register(void)
{
    pthread_once(&g_once, register_once);
    return g_reg_rc == SQLITE_OK ? SPY_OK : SPY_EINTERNAL;
}

/* ---- connections ---- */

/* sqlite3_db_config on/off switches for files we did not create
 * (https://sqlite.org/security.html, "Defense against the dark arts"). */
static int harden_config(sqlite3 *db, unsigned flags)
{
    const struct {
        int op, on;
    } cfg[] = {
        {SQLITE_DBCONFIG_DEFENSIVE, 1},
        {SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0},
        {SQLITE_DBCONFIG_ENABLE_TRIGGER, 0},
        {SQLITE_DBCONFIG_ENABLE_VIEW, (flags & SPY_EVDB_ALLOW_VIEWS) ? 1 : 0},
        {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0},
        {SQLITE_DBCONFIG_WRITABLE_SCHEMA, 0},
        {SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1},
        {SQLITE_DBCONFIG_ENABLE_FKEY, 0},
    };
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        int got = -1;
        if (sqlite3_db_config(db, cfg[i].op, cfg[i].on, &got) != SQLITE_OK || got != cfg[i].on)
            return SPY_EINTERNAL;
    }
    return SPY_OK;
}

static void harden_limits(sqlite3 *db)
{
    const struct {
        int id, v;
    } lim[] = {
        {SQLITE_LIMIT_LENGTH, SPY_EVDB_MAX_LENGTH},
        {SQLITE_LIMIT_SQL_LENGTH, SPY_EVDB_MAX_SQL_LENGTH},
        {SQLITE_LIMIT_COLUMN, SPY_EVDB_MAX_COLUMNS},
        {SQLITE_LIMIT_EXPR_DEPTH, SPY_EVDB_MAX_EXPR_DEPTH},
        {SQLITE_LIMIT_COMPOUND_SELECT, SPY_EVDB_MAX_COMPOUND},
        {SQLITE_LIMIT_VDBE_OP, SPY_EVDB_MAX_VDBE_OPS},
        {SQLITE_LIMIT_FUNCTION_ARG, SPY_EVDB_MAX_FUNCTION_ARGS},
        {SQLITE_LIMIT_ATTACHED, 0},
        {SQLITE_LIMIT_LIKE_PATTERN_LENGTH, SPY_EVDB_MAX_LIKE_PATTERN},
        {SQLITE_LIMIT_VARIABLE_NUMBER, SPY_EVDB_MAX_VARIABLES},
        {SQLITE_LIMIT_TRIGGER_DEPTH, 1},
        {SQLITE_LIMIT_WORKER_THREADS, 0},
    };
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++)
        sqlite3_limit(db, lim[i].id, lim[i].v);
}

/* locking_mode=EXCLUSIVE must come before the first read so SQLite keeps the
 * wal-index in its heap (https://sqlite.org/wal.html#noshm); none of these
 * pragmas reads the database. */
static int harden_pragmas(sqlite3 *db, unsigned flags)
{
    if (!(flags & SPY_EVDB_SHARED_SHM) &&
        sqlite3_exec(db, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK)
        return SPY_EINTERNAL;
    const char *sql = "PRAGMA query_only=1; PRAGMA temp_store=MEMORY; "
                      "PRAGMA trusted_schema=OFF; PRAGMA cell_size_check=ON; "
                      "PRAGMA mmap_size=0;";
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? SPY_OK : SPY_EINTERNAL;
}

static evfs_entry *entry_register(const char *label, spy_evsrc *db, spy_evsrc *wal)
{
    evfs_entry *e = spy_xcalloc(1, sizeof *e);
    e->label = spy_xstrdup(label ? label : "");
    e->db = *db;
    if (wal) {
        e->wal = *wal;
        e->has_wal = true;
    }
    e->refs = 1;
    pthread_mutex_lock(&g_mu);
    e->name = spy_xasprintf("/%s/%llu", SPY_EVFS_NAME, ++g_next_id);
    e->next = g_entries;
    g_entries = e;
    pthread_mutex_unlock(&g_mu);
    return e;
}

int spy_evdb_open_ex(sqlite3 **out, const char *label, spy_evsrc *db, spy_evsrc *wal,
                     unsigned flags)
{
    int err = SPY_OK;
    sqlite3 *conn = NULL;
    evfs_entry *e = NULL;
    *out = NULL;
    if (!db || !db->read) {
        err = SPY_EUSAGE;
        goto out;
    }
    err = spy_evfs_register();
    if (err != SPY_OK)
        goto out;
    e = entry_register(label, db, wal && wal->read ? wal : NULL);
    memset(db, 0, sizeof *db);
    if (wal)
        memset(wal, 0, sizeof *wal);
    /* NOMUTEX: a connection is never used by two threads at once (header
     * contract; the backup reader guards its shared lookup connection with
     * its own lock), and SQLite's per-call mutex cost ~5% of a large check. */
    int oflags = SQLITE_OPEN_READONLY | SQLITE_OPEN_PRIVATECACHE | SQLITE_OPEN_EXRESCODE |
                 SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(e->name, &conn, oflags, SPY_EVFS_NAME) != SQLITE_OK) {
        err = conn ? SPY_EIO : SPY_ENOMEM;
        goto out;
    }
    e->conn = conn;
    harden_limits(conn);
    err = harden_config(conn, flags);
    if (err == SPY_OK)
        err = harden_pragmas(conn, flags);
out:
    if (err != SPY_OK) {
        sqlite3_close_v2(conn);
        conn = NULL;
        if (e)
            entry_unlink(e);
    }
    if (err != SPY_OK && !e) {
        spy_evsrc_release(db);
        spy_evsrc_release(wal);
    }
    *out = conn;
    return err;
}

int spy_evdb_open(sqlite3 **out, const char *label, spy_evsrc *db, spy_evsrc *wal)
{
    return spy_evdb_open_ex(out, label, db, wal, 0);
}

int spy_evdb_open_path(sqlite3 **out, const char *path)
{
    spy_evsrc db, wal;
    int err = SPY_OK;
    *out = NULL;
    err = spy_evsrc_from_path(&db, path);
    if (err != SPY_OK)
        return err;
    char *walpath = spy_xasprintf("%s-wal", path);
    int werr = spy_evsrc_from_path(&wal, walpath);
    free(walpath);
    if (werr != SPY_OK && werr != SPY_ENOTFOUND) {
        spy_evsrc_release(&db);
        return werr;
    }
    return spy_evdb_open(out, path, &db, werr == SPY_OK ? &wal : NULL);
}

void spy_evdb_close(sqlite3 *db)
{
    if (!db)
        return;
    evfs_entry *e = entry_by_conn_ref(db);
    sqlite3_close_v2(db);
    if (e) {
        entry_unlink(e); /* the registry's reference; nobody finds e by conn now */
        entry_unref(e);  /* ours */
    }
}

const char *spy_evdb_label(sqlite3 *db)
{
    /* The label lives as long as the connection: its main-db file holds a
     * reference to the entry. */
    evfs_entry *e = entry_by_conn_ref(db);
    if (!e)
        return "";
    const char *l = e->label;
    entry_unref(e);
    return l;
}

int spy_evdb_peek(sqlite3 *db, void *buf, size_t n, size_t *got, uint64_t *size)
{
    evfs_entry *e = entry_by_conn_ref(db);
    int err = SPY_OK;
    *got = 0;
    if (!e)
        return SPY_EUSAGE;
    if (size)
        *size = e->db.size;
    if (n > e->db.size)
        n = (size_t)e->db.size;
    if (n > 0)
        err = e->db.read(e->db.ud, buf, n, 0, got);
    entry_unref(e);
    return err;
}
