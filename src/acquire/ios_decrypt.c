/* decrypt-backup and extract-key's key file (acquire/ios_decrypt.h). */
#include "acquire/ios_decrypt.h"

#include "acquire/ios_backup.h"
#include "acquire/ios_backup_internal.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/nska.h"
#include "core/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER     "spyscan.decrypt"
#define COPY_CHUNK (4u << 20)

/* Streams a plaintext source into fd; the buffer is wiped afterwards. */
static int copy_src(const spy_evsrc *src, int fd, uint8_t *buf)
{
    for (uint64_t off = 0; off < src->size;) {
        size_t k = src->size - off > COPY_CHUNK ? COPY_CHUNK : (size_t)(src->size - off);
        int err = spy_evsrc_pread(src, buf, k, off);
        if (err == SPY_OK)
            err = spy_write_all(fd, buf, k);
        if (err != SPY_OK)
            return err;
        off += k;
    }
    return SPY_OK;
}

static int write_manifest(const struct ios_backup *b, spy_outdir *d, uint8_t *buf)
{
    spy_evsrc src;
    spy_afile *f = NULL;
    int err = spy_backup_manifest_src(b, &src);
    if (err != SPY_OK)
        return err;
    if ((err = spy_afile_open(&f, d, "Manifest.db")) == SPY_OK) {
        err = copy_src(&src, spy_afile_fd(f), buf);
        if (err == SPY_OK)
            err = spy_afile_commit(f);
        else
            spy_afile_abort(f);
    }
    spy_evsrc_release(&src);
    return err;
}

/* Unix seconds of LastModified, for the copy's mtime (as iOSbackup sets). */
static bool last_modified(const void *blob, size_t len, struct timespec *ts)
{
    spy_mbfile m;
    if (!blob || spy_nska_mbfile(blob, len, &m, NULL) != SPY_OK)
        return false;
    bool ok = m.last_modified.kind == SPY_MBTIME_UNIX;
    if (ok)
        *ts = (struct timespec){.tv_sec = (time_t)m.last_modified.unix_secs};
    else if ((ok = m.last_modified.kind == SPY_MBTIME_MACABS))
        *ts = (struct timespec){.tv_sec = (time_t)m.last_modified.mac_abs + 978307200};
    spy_mbfile_clear(&m);
    return ok;
}

static int write_one(const spy_acq *a, spy_outdir *d, sqlite3_stmt *st, uint8_t *buf,
                     spy_decrypt_report *rep)
{
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *domain = (const char *)sqlite3_column_text(st, 1);
    const char *rel = (const char *)sqlite3_column_text(st, 2);
    if (!spy_ios_file_id_valid(id))
        return SPY_OK;
    char *label = spy_xasprintf("%s/%s", domain ? domain : "", rel ? rel : "");
    spy_evsrc src;
    int err = spy_ios_backup_open_content(a, id, label, &src);
    if (err == SPY_ENOTFOUND) {
        rep->missing++;
        free(label);
        return SPY_OK;
    }
    char sub[3] = {id[0], id[1], '\0'};
    int fd = -1;
    if (err == SPY_OK) {
        if (mkdirat(spy_outdir_fd(d), sub, 0700) != 0 && errno != EEXIST)
            err = SPY_EIO;
        int subfd = err == SPY_OK ? openat(spy_outdir_fd(d), sub,
                                           O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                                  : -1;
        if (subfd >= 0) {
            fd = openat(subfd, id, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            close(subfd);
        }
        err = fd < 0 ? SPY_EIO : copy_src(&src, fd, buf);
        if (err == SPY_OK) {
            struct timespec ts[2];
            if (last_modified(sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3),
                              &ts[1])) {
                ts[0] = ts[1];
                futimens(fd, ts);
            }
            rep->files++;
            rep->bytes += src.size;
            spy_debug(LOGGER, "Decrypted %s to %s/%s/%s", label, spy_outdir_path(d), sub, id);
        } else {
            spy_error(LOGGER, "%s: cannot write %s/%s/%s", label, spy_outdir_path(d), sub, id);
        }
        if (fd >= 0)
            close(fd);
        spy_evsrc_release(&src);
    }
    if (err != SPY_OK)
        rep->failed++; /* decryption problems were logged by the reader */
    free(label);
    return SPY_OK;
}

/* The top-level *.plist files, byte for byte, as MVT copies them. */
static int copy_plists(const struct ios_backup *b, spy_outdir *d)
{
    int dfd = openat(b->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!dir) {
        if (dfd >= 0)
            close(dfd);
        return SPY_EIO;
    }
    int err = SPY_OK;
    struct dirent *e;
    while (err == SPY_OK && (e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 7 || strcmp(e->d_name + n - 6, ".plist") != 0 || e->d_name[0] == '.')
            continue;
        int fd = openat(b->dirfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        void *buf = NULL;
        size_t len = 0;
        if (fd < 0)
            continue; /* a link or vanished: not a backup plist */
        char *label = spy_xasprintf("%s/%s", b->dir, e->d_name);
        err = spy_backup_read_fd(fd, label, SPY_BPLIST_MAX_BYTES, &buf, &len);
        close(fd);
        if (err == SPY_OK)
            err = spy_outdir_write_file(d, e->d_name, buf, len);
        if (err == SPY_OK)
            spy_info(LOGGER, "Copied plist file %s to %s", e->d_name, spy_outdir_path(d));
        free(buf);
        free(label);
    }
    closedir(dir);
    return err;
}

int spy_ios_backup_decrypt_to(const spy_acq *a, const char *dest, bool force,
                              spy_decrypt_report *rep)
{
    const struct ios_backup *b = a->impl;
    memset(rep, 0, sizeof *rep);
    const char *inputs[] = {b->dir, a->path};
    spy_outdir *d = NULL;
    int err = spy_outdir_open(&d, dest, inputs, 2, force);
    if (err != SPY_OK)
        return err;
    uint8_t *buf = spy_xmalloc(COPY_CHUNK);
    if ((err = write_manifest(b, d, buf)) != SPY_OK)
        spy_error(LOGGER, "%s: cannot write the decrypted Manifest.db", dest);
    sqlite3 *db = NULL;
    spy_evscan s = {0};
    if (err == SPY_OK && (err = spy_ios_backup_open_manifest(a, &db)) == SPY_OK &&
        (err = spy_evscan_prepare(&s, db,
                                  "SELECT fileID, domain, relativePath, file FROM Files WHERE "
                                  "flags = 1 ORDER BY fileID")) == SPY_OK) {
        while (spy_evscan_step(&s))
            write_one(a, d, s.stmt, buf, rep);
        if (s.grade != SPY_EVSCAN_COMPLETE) {
            spy_error(LOGGER, "Manifest.db: %s", s.why ? s.why : "unreadable");
            err = SPY_EFORMAT;
        }
    }
    if (db)
        spy_evscan_finish(&s);
    spy_evdb_close(db);
    if (err == SPY_OK)
        err = copy_plists(b, d);
    OPENSSL_cleanse(buf, COPY_CHUNK);
    free(buf);
    spy_outdir_close(d);
    return err;
}

int spy_keyfile_write(const char *path, const uint8_t key[32])
{
    char hex[65];
    spy_key_hex(key, hex);
    char *tmp = spy_xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp); /* 0600 */
    int err = fd < 0 ? SPY_EIO : spy_write_all(fd, hex, 64);
    OPENSSL_cleanse(hex, sizeof hex);
    if (fd >= 0 && (fsync(fd) != 0 || close(fd) != 0) && err == SPY_OK)
        err = SPY_EIO;
    /* link() refuses an existing name: the key lands whole or not at all,
     * and never over another file. */
    if (err == SPY_OK && link(tmp, path) != 0)
        err = errno == EEXIST ? SPY_EEXISTS : SPY_EIO;
    if (fd >= 0)
        unlink(tmp);
    if (err == SPY_EEXISTS)
        spy_error(LOGGER, "%s already exists; not replacing it", path);
    else if (err != SPY_OK)
        spy_error(LOGGER, "Failed to write the key file %s", path);
    free(tmp);
    return err;
}
