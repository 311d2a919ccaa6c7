#include "acquire/ios_backup.h"

#include "acquire/ios_backup_internal.h"
#include "core/error.h"
#include "core/evfs.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.ios_backup"

bool spy_ios_file_id_valid(const char *id)
{
    if (!id || strlen(id) != 40)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

static bool has_file(int dirfd, const char *name)
{
    struct stat st;
    return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static bool is_backup_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = has_file(fd, "Manifest.db") && has_file(fd, "Info.plist");
    close(fd);
    return ok;
}

/* The backup folder itself, or its one backup sub-folder (MVT's rule). */
static int locate(const char *path, char **dir)
{
    if (is_backup_dir(path)) {
        *dir = spy_xstrdup(path);
        return SPY_OK;
    }
    DIR *d = opendir(path);
    if (!d) {
        spy_error(LOGGER, "%s: %s", path,
                  errno == ENOENT ? "no such folder" : "not a readable folder");
        return SPY_ENOTFOUND;
    }
    char *found = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = spy_xasprintf("%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode) && is_backup_dir(sub)) {
            count++;
            free(found);
            found = sub;
        } else {
            free(sub);
        }
    }
    closedir(d);
    if (count == 1) {
        spy_info(LOGGER, "Found iTunes backup in subfolder: %s", found);
        *dir = found;
        return SPY_OK;
    }
    free(found);
    if (count > 1) {
        spy_error(LOGGER, "%s: found multiple iTunes backups; give the path of one of them", path);
        return SPY_EFORMAT;
    }
    spy_error(LOGGER,
              "%s: does not appear to be an iTunes backup folder (expected Manifest.db and "
              "Info.plist)",
              path);
    return SPY_ENOTFOUND;
}

int spy_backup_read_fd(int fd, const char *label, size_t max, void **buf, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        spy_error(LOGGER, "%s: not a regular file", label);
        return SPY_EIO;
    }
    if ((uint64_t)st.st_size > max) {
        spy_error(LOGGER, "%s: %lld bytes, more than the %zu read for it", label,
                  (long long)st.st_size, max);
        return SPY_ELIMIT;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *p = spy_xmalloc(n + 1);
    while (got < n) {
        ssize_t r = pread(fd, p + got, n - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got != n) {
        free(p);
        spy_error(LOGGER, "%s: read failed", label);
        return SPY_EIO;
    }
    p[n] = '\0';
    *buf = p;
    *len = n;
    return SPY_OK;
}

/* A top-level plist; SPY_ENOTFOUND when absent. */
static int load_plist(struct ios_backup *b, const char *name, json_t **out)
{
    int fd = openat(b->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return SPY_ENOTFOUND;
    char *label = spy_xasprintf("%s/%s", b->dir, name);
    void *buf = NULL;
    size_t len = 0;
    int err = spy_backup_read_fd(fd, label, SPY_BPLIST_MAX_BYTES, &buf, &len);
    close(fd);
    char *why = NULL;
    if (err == SPY_OK && (err = spy_plist_parse(buf, len, out, &why)) != SPY_OK)
        spy_error(LOGGER, "%s: %s", label, why ? why : spy_err_str(err));
    free(why);
    free(buf);
    free(label);
    return err;
}

int spy_backup_open_manifest_plain(struct ios_backup *b)
{
    char *path = spy_xasprintf("%s/Manifest.db", b->dir);
    int err = spy_evdb_open_path(&b->manifest, path);
    char *why = NULL;
    if (err == SPY_OK)
        err = spy_evdb_check(b->manifest, false, NULL, &why);
    if (err != SPY_OK) {
        /* evfs messages already name the file */
        if (why)
            spy_error(LOGGER, "%s", why);
        else
            spy_error(LOGGER, "%s: %s", path, spy_err_str(err));
        err = SPY_EFORMAT;
    }
    free(why);
    free(path);
    return err;
}

static void backup_free(struct ios_backup *b)
{
    if (!b)
        return;
    spy_evdb_close(b->manifest);
    spy_backup_crypt_free(b->crypt);
    json_decref(b->info_plist);
    json_decref(b->manifest_plist);
    json_decref(b->status_plist);
    if (b->dirfd >= 0)
        close(b->dirfd);
    pthread_mutex_destroy(&b->lock);
    free(b->dir);
    free(b);
}

static int load_top(struct ios_backup *b)
{
    int err = load_plist(b, "Info.plist", &b->info_plist);
    if (err != SPY_OK)
        return err == SPY_ENOTFOUND ? SPY_EFORMAT : err;
    err = load_plist(b, "Manifest.plist", &b->manifest_plist);
    if (err == SPY_ENOTFOUND)
        spy_warn(LOGGER, "%s: no Manifest.plist (encryption state unknown)", b->dir);
    else if (err != SPY_OK)
        return err;
    err = load_plist(b, "Status.plist", &b->status_plist);
    if (err != SPY_OK && err != SPY_ENOTFOUND)
        spy_warn(LOGGER, "%s/Status.plist is unreadable; going on without it", b->dir);
    const char *state = json_string_value(json_object_get(b->status_plist, "SnapshotState"));
    if (state && strcmp(state, "finished") != 0)
        spy_warn(LOGGER,
                 "%s: the backup did not complete (SnapshotState \"%s\"): files may be missing",
                 b->dir, state);
    return SPY_OK;
}

int spy_ios_backup_open(const char *path, spy_acq *out)
{
    return spy_ios_backup_open_ex(path, NULL, 0, out);
}

int spy_ios_backup_open_ex(const char *path, const spy_secret_opts *so, unsigned flags,
                           spy_acq *out)
{
    struct ios_backup *b = spy_xcalloc(1, sizeof *b);
    b->dirfd = -1;
    pthread_mutex_init(&b->lock, NULL);
    int err = locate(path, &b->dir);
    if (err == SPY_OK) {
        b->dirfd = open(b->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (b->dirfd < 0) {
            spy_error(LOGGER, "%s: cannot be opened", b->dir);
            err = SPY_EIO;
        }
    }
    if (err == SPY_OK)
        err = load_top(b);
    if (err == SPY_OK)
        err = spy_backup_open_manifest_db(b, so, flags & SPY_IOS_BACKUP_NEED_KEY);
    if (err != SPY_OK) {
        backup_free(b);
        return err;
    }
    *out =
        (spy_acq){.kind = SPY_ACQ_IOS_BACKUP, .path = path, .impl = b, .ops = &spy_ios_backup_ops};
    return SPY_OK;
}

const char *spy_ios_backup_dir(const spy_acq *a)
{
    return ((struct ios_backup *)a->impl)->dir;
}
const json_t *spy_ios_backup_info_plist(const spy_acq *a)
{
    return ((struct ios_backup *)a->impl)->info_plist;
}
const json_t *spy_ios_backup_manifest_plist(const spy_acq *a)
{
    return ((struct ios_backup *)a->impl)->manifest_plist;
}
const json_t *spy_ios_backup_status_plist(const spy_acq *a)
{
    return ((struct ios_backup *)a->impl)->status_plist;
}
int spy_ios_backup_open_manifest(const spy_acq *a, sqlite3 **db)
{
    const struct ios_backup *b = a->impl;
    if (!b->crypt || !b->crypt->manifest_encrypted) {
        char *path = spy_xasprintf("%s/Manifest.db", b->dir);
        int err = spy_evdb_open_path(db, path);
        free(path);
        return err;
    }
    spy_evsrc src;
    int err = spy_backup_manifest_src(b, &src);
    return err == SPY_OK ? spy_evdb_open(db, "Manifest.db", &src, NULL) : err;
}

bool spy_ios_backup_is_encrypted(const spy_acq *a)
{
    const struct ios_backup *b = a->impl;
    return b->crypt && b->crypt->files_encrypted;
}

int spy_ios_backup_derived_key(const spy_acq *a, uint8_t key[32])
{
    const struct ios_backup *b = a->impl;
    if (!b->crypt)
        return SPY_ENOTFOUND;
    memcpy(key, b->crypt->derived, 32);
    return SPY_OK;
}

void spy_ios_backup_free_impl(void *impl)
{
    backup_free(impl);
}
