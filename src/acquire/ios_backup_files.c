/* Finding and reading files of a backup (spec/ios.md §1.4). */
#define _GNU_SOURCE /* O_NOATIME */
#include "acquire/ios_backup.h"

#include "acquire/ios_backup_internal.h"
#include "core/error.h"
#include "core/evfs.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.ios_backup"

static int open_noatime(int dirfd, const char *name, int flags)
{
    flags |= O_RDONLY | O_NOFOLLOW | O_CLOEXEC;
#ifdef O_NOATIME
    int fd = openat(dirfd, name, flags | O_NOATIME);
    if (fd >= 0 || errno != EPERM)
        return fd;
#endif
    return openat(dirfd, name, flags);
}

int spy_backup_open_blob(const struct ios_backup *b, const char *file_id, int *fd)
{
    if (!spy_ios_file_id_valid(file_id))
        return SPY_EFORMAT;
    char sub[3] = {file_id[0], file_id[1], '\0'};
    int subfd = open_noatime(b->dirfd, sub, O_DIRECTORY);
    if (subfd < 0)
        return SPY_ENOTFOUND;
    *fd = open_noatime(subfd, file_id, 0);
    int saved = errno;
    close(subfd);
    if (*fd < 0)
        return saved == ENOENT ? SPY_ENOTFOUND : SPY_EIO;
    struct stat st;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(*fd);
        return SPY_EIO;
    }
    return SPY_OK;
}

static bool blob_exists(const struct ios_backup *b, const char *file_id)
{
    int fd;
    if (spy_backup_open_blob(b, file_id, &fd) != SPY_OK)
        return false;
    close(fd);
    return true;
}

/* MVT's '*' → LIKE '%'; literal '%' and '_' escaped (MVT leaves '_' a
 * wildcard; being exact there only drops accidental matches). */
static char *like_pattern(const char *path)
{
    char *p = spy_xmalloc(2 * strlen(path) + 1), *o = p;
    for (const char *s = path; *s; s++) {
        if (*s == '*')
            *o++ = '%';
        else {
            if (*s == '%' || *s == '_' || *s == '\\')
                *o++ = '\\';
            *o++ = *s;
        }
    }
    *o = '\0';
    return p;
}

static void add_row(const struct ios_backup *b, sqlite3_stmt *st, spy_artifacts *out)
{
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *domain = (const char *)sqlite3_column_text(st, 1);
    const char *rel = (const char *)sqlite3_column_text(st, 2);
    int flags = sqlite3_column_int(st, 3);
    /* Partial and incremental backups list files whose content is absent:
     * skipped silently, as MVT does. Folders and links have no content. */
    if (flags == 1 && spy_ios_file_id_valid(id) && blob_exists(b, id))
        spy_artifacts_add(out, domain ? domain : "", rel, id, flags);
}

/* The literal text before the first '*': matches must start with it. */
static size_t literal_prefix(const char *path)
{
    const char *star = strchr(path, '*');
    return star ? (size_t)(star - path) : strlen(path);
}

/* SQL for a relativePath lookup. A wildcard pattern is matched inside a
 * subquery that only needs relativePath, so SQLite can answer it from the
 * relativePath index instead of reading every row (rows carry their file
 * blobs: a full scan of a 400k-row Manifest.db reads hundreds of MB), and
 * the literal prefix becomes an index range. Without a prefix but with a
 * domain ("every file of the domain"), the domain index is the narrow one:
 * the subquery would walk the whole relativePath index (seconds at 400k). */
static char *path_sql(bool wild, bool domain, bool range)
{
    const char *cond = !wild    ? "relativePath = ?1"
                       : range  ? "rowid IN (SELECT rowid FROM Files WHERE relativePath "
                                  ">= ?3 AND relativePath < ?4 AND relativePath LIKE ?1 "
                                  "ESCAPE '\\')"
                       : domain ? "relativePath LIKE ?1 ESCAPE '\\'"
                                : "rowid IN (SELECT rowid FROM Files WHERE relativePath "
                                  "LIKE ?1 ESCAPE '\\')";
    return spy_xasprintf(
        "SELECT fileID, domain, relativePath, flags FROM Files WHERE %s%s ORDER BY "
        "domain, relativePath",
        cond, domain ? " AND domain = ?2" : "");
}

static int find_by_path(struct ios_backup *b, const spy_query *q, spy_artifacts *out)
{
    bool wild = strchr(q->path, '*') != NULL;
    size_t plen = literal_prefix(q->path);
    /* The upper bound is the prefix with its last byte raised by one; a
     * prefix ending in 0xFF (never in a real path) goes without a range. */
    bool range = wild && plen > 0 && (unsigned char)q->path[plen - 1] != 0xFF;
    char *sql = path_sql(wild, q->domain != NULL, range);
    char *pat = wild ? like_pattern(q->path) : spy_xstrdup(q->path);
    char *lo = spy_xstrndup(q->path, plen), *hi = spy_xstrndup(q->path, plen);
    if (range)
        hi[plen - 1] = (char)((unsigned char)hi[plen - 1] + 1);
    sqlite3_stmt *st = NULL;
    int err = SPY_OK;
    if (sqlite3_prepare_v2(b->manifest, sql, -1, &st, NULL) != SQLITE_OK) {
        spy_error(LOGGER, "%s/Manifest.db: %s", b->dir, sqlite3_errmsg(b->manifest));
        err = SPY_EFORMAT;
    } else {
        sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
        if (q->domain)
            sqlite3_bind_text(st, 2, q->domain, -1, SQLITE_STATIC);
        if (range) {
            sqlite3_bind_text(st, 3, lo, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, hi, -1, SQLITE_STATIC);
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && !(q->first_only && out->n))
            add_row(b, st, out);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            spy_error(LOGGER, "%s/Manifest.db: %s", b->dir, sqlite3_errmsg(b->manifest));
            err = SPY_EFORMAT;
        }
    }
    sqlite3_finalize(st);
    free(lo);
    free(hi);
    free(pat);
    free(sql);
    return err;
}

/* Fixed fileIDs: the content file decides; Manifest.db only names it. */
static void find_by_ids(struct ios_backup *b, const spy_query *q, spy_artifacts *out)
{
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(b->manifest, "SELECT domain, relativePath FROM Files WHERE fileID = ?1", -1,
                       &st, NULL);
    for (size_t i = 0; q->file_ids[i] && !(q->first_only && out->n); i++) {
        const char *id = q->file_ids[i];
        if (!blob_exists(b, id))
            continue;
        const char *domain = NULL, *rel = NULL;
        if (st) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) {
                domain = (const char *)sqlite3_column_text(st, 0);
                rel = (const char *)sqlite3_column_text(st, 1);
            }
        }
        spy_artifacts_add(out, domain, rel ? rel : id, id, 1);
    }
    sqlite3_finalize(st);
}

static int backup_find(const spy_acq *a, const spy_query *q, spy_artifacts *out)
{
    struct ios_backup *b = a->impl;
    int err = SPY_OK;
    pthread_mutex_lock(&b->lock);
    if (q->file_ids)
        find_by_ids(b, q, out);
    if (q->path && !(q->first_only && out->n))
        err = find_by_path(b, q, out);
    pthread_mutex_unlock(&b->lock);
    return err;
}

/* A backup's -wal is its own Manifest entry (design.md §3). */
static char *wal_file_id(struct ios_backup *b, const spy_artifact *art)
{
    if (!art->domain)
        return NULL;
    char *wal_path = spy_xasprintf("%s-wal", art->path);
    char *id = NULL;
    sqlite3_stmt *st = NULL;
    pthread_mutex_lock(&b->lock);
    if (sqlite3_prepare_v2(b->manifest,
                           "SELECT fileID FROM Files WHERE domain = ?1 AND relativePath = ?2", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, art->domain, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, wal_path, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            id = spy_xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&b->lock);
    free(wal_path);
    return id;
}

int spy_ios_backup_open_content(const spy_acq *a, const char *file_id, const char *label,
                                spy_evsrc *out)
{
    struct ios_backup *b = a->impl;
    int fd = -1;
    int err = spy_backup_open_blob(b, file_id, &fd);
    if (err == SPY_OK && (err = spy_evsrc_from_fd(out, fd)) == SPY_OK)
        err = spy_backup_plain_src(b, file_id, label, out);
    return err;
}

static int backup_open_db(const spy_acq *a, const spy_artifact *art, sqlite3 **db)
{
    struct ios_backup *b = a->impl;
    spy_evsrc src, wal;
    int err = spy_ios_backup_open_content(a, art->file_id, art->label, &src);
    if (err != SPY_OK)
        return err;
    bool have_wal = false;
    char *wid = wal_file_id(b, art);
    if (wid) {
        char *wlabel = spy_xasprintf("%s-wal", art->label);
        /* An undecryptable -wal was reported; the database reads without it. */
        have_wal = spy_ios_backup_open_content(a, wid, wlabel, &wal) == SPY_OK;
        free(wlabel);
    }
    free(wid);
    return spy_evdb_open(db, art->label, &src, have_wal ? &wal : NULL);
}

static int backup_read(const spy_acq *a, const spy_artifact *art, size_t max, void **buf,
                       size_t *len)
{
    struct ios_backup *b = a->impl;
    int fd;
    int err = spy_backup_open_blob(b, art->file_id, &fd);
    if (err != SPY_OK)
        return err;
    if (!b->crypt || !b->crypt->files_encrypted) {
        err = spy_backup_read_fd(fd, art->label, max, buf, len);
        close(fd);
        return err;
    }
    /* Decrypted into bounded memory, never to a file. */
    spy_evsrc src;
    if ((err = spy_evsrc_from_fd(&src, fd)) != SPY_OK ||
        (err = spy_backup_plain_src(b, art->file_id, art->label, &src)) != SPY_OK)
        return err;
    if (src.size > max) {
        spy_error(LOGGER, "%s: %llu bytes, more than the %zu read for it", art->label,
                  (unsigned long long)src.size, max);
        spy_evsrc_release(&src);
        return SPY_ELIMIT;
    }
    size_t n = (size_t)src.size;
    char *p = spy_xmalloc(n + 1);
    err = spy_evsrc_pread(&src, p, n, 0);
    spy_evsrc_release(&src);
    if (err != SPY_OK) {
        spy_error(LOGGER, "%s: read failed", art->label);
        free(p);
        return SPY_EIO;
    }
    p[n] = '\0';
    *buf = p;
    *len = n;
    return SPY_OK;
}

static void backup_close(spy_acq *a)
{
    spy_ios_backup_free_impl(a->impl);
}

const spy_acq_ops spy_ios_backup_ops = {
    .find = backup_find, .open_db = backup_open_db, .read = backup_read, .close = backup_close};
