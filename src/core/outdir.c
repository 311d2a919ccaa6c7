/* The output folder (design.md §3): never inside, equal to or around the
 * evidence; 0700; every file written under a temporary name and renamed
 * into place, so a reader never sees a half-written result. All file work
 * goes through the folder's fd (openat/renameat/unlinkat), so a folder
 * renamed or swapped for a symlink mid-run cannot redirect our writes. */
#define _GNU_SOURCE /* sync_file_range() */
#include "core/outdir.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER       "spyscan.output"
#define SCRATCH_NAME ".spyscan-scratch"

struct spy_outdir {
    char *path;
    int fd;
    int scratch_fd;       /* -1 until first use */
    pthread_mutex_t lock; /* lazy scratch creation from several threads */
};

struct spy_afile {
    spy_outdir *d;
    char *name;
    char *tmp;
    int fd;
    bool created; /* tmp exists and is ours to remove */
};

static const char *errstr(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0)
        snprintf(buf, n, "error %d", e);
    return buf;
}

int spy_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t r = write(fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EIO;
            return SPY_EIO;
        }
        p += r;
        len -= (size_t)r;
    }
    return SPY_OK;
}

void spy_writeback_note(int fd, size_t *since, size_t n)
{
    *since += n;
    if (*since < SPY_WRITEBACK_BYTES)
        return;
    *since = 0;
#ifdef SYNC_FILE_RANGE_WRITE
    /* Whole file, start only: pages already under way are not waited for. */
    sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
#endif
}

/* ---- resolving paths -------------------------------------------------- */

/* Appends one component to an absolute resolved path, or for ".." drops the
 * last one: folders still to be created are real folders, never symlinks,
 * so the lexical result is where mkdir -p will land. */
static char *path_push(char *base, const char *comp, size_t len)
{
    if (len == 0 || (len == 1 && comp[0] == '.'))
        return base;
    if (len == 2 && comp[0] == '.' && comp[1] == '.') {
        char *slash = strrchr(base, '/');
        if (slash == base)
            base[1] = '\0';
        else if (slash)
            *slash = '\0';
        return base;
    }
    char *r = spy_xasprintf("%s%s%.*s", base, strcmp(base, "/") == 0 ? "" : "/", (int)len, comp);
    free(base);
    return r;
}

/* realpath() of path, or for a path not yet existing the realpath of its
 * deepest existing ancestor with the missing components appended. */
static char *resolve_maybe_missing(const char *path)
{
    char *cur = spy_xstrdup(path), *resolved;
    char **tails = NULL;
    size_t n_tail = 0;
    while (!(resolved = realpath(cur, NULL))) {
        if (errno != ENOENT || strcmp(cur, ".") == 0 || strcmp(cur, "/") == 0)
            break;
        size_t l = strlen(cur);
        while (l > 1 && cur[l - 1] == '/')
            cur[--l] = '\0';
        char *slash = strrchr(cur, '/'), *next;
        tails = spy_xreallocarray(tails, n_tail + 1, sizeof *tails);
        tails[n_tail++] = spy_xstrdup(slash ? slash + 1 : cur);
        if (!slash)
            next = spy_xstrdup(".");
        else
            next = slash == cur ? spy_xstrdup("/") : spy_xstrndup(cur, (size_t)(slash - cur));
        free(cur);
        cur = next;
    }
    for (size_t i = n_tail; i-- > 0;) {
        if (resolved)
            resolved = path_push(resolved, tails[i], strlen(tails[i]));
        free(tails[i]);
    }
    free(tails);
    free(cur);
    return resolved;
}

static bool path_within(const char *child, const char *parent)
{
    size_t n = strlen(parent);
    if (strcmp(parent, "/") == 0)
        return true;
    return strncmp(child, parent, n) == 0 && (child[n] == '\0' || child[n] == '/');
}

static int check_inputs(const char *path, const char *const *inputs, size_t n)
{
    char *out = resolve_maybe_missing(path);
    if (!out) {
        char eb[128];
        spy_error(LOGGER, "Cannot resolve output folder %s: %s", path,
                  errstr(errno, eb, sizeof eb));
        return SPY_EIO;
    }
    int rc = SPY_OK;
    for (size_t i = 0; i < n && rc == SPY_OK; i++) {
        char *in = inputs && inputs[i] ? realpath(inputs[i], NULL) : NULL;
        if (!in)
            continue; /* a missing input is reported by whoever reads it */
        if (strcmp(in, out) == 0)
            spy_error(LOGGER, "Output folder %s is the input %s", path, inputs[i]);
        else if (path_within(out, in))
            spy_error(LOGGER, "Output folder %s is inside the input %s", path, inputs[i]);
        else if (path_within(in, out))
            spy_error(LOGGER, "Output folder %s contains the input %s", path, inputs[i]);
        else {
            free(in);
            continue;
        }
        rc = SPY_EUSAGE;
        free(in);
    }
    free(out);
    return rc;
}

/* ---- creating and opening --------------------------------------------- */

/* mkdir of one level, 0700 whatever the umask; an existing folder is fine. */
static int mkdir_level(const char *p, const char *shown)
{
    char eb[128];
    if (mkdir(p, 0700) == 0) {
        if (chmod(p, 0700) == 0)
            return SPY_OK;
        spy_error(LOGGER, "Cannot set permissions of %s: %s", p, errstr(errno, eb, sizeof eb));
        return SPY_EIO;
    }
    struct stat st;
    if (errno == EEXIST && stat(p, &st) == 0 && S_ISDIR(st.st_mode))
        return SPY_OK;
    spy_error(LOGGER, "Cannot create output folder %s: %s", shown,
              errstr(errno == EEXIST ? ENOTDIR : errno, eb, sizeof eb));
    return SPY_EIO;
}

static int mkdir_parents(const char *path)
{
    char *p = spy_xstrdup(path);
    int rc = SPY_OK;
    for (char *s = p + 1; *s && rc == SPY_OK; s++) {
        if (*s != '/' || s[-1] == '/')
            continue;
        *s = '\0';
        rc = mkdir_level(p, path);
        *s = '/';
    }
    if (rc == SPY_OK)
        rc = mkdir_level(p, path);
    free(p);
    return rc;
}

static int dir_is_empty(int fd, bool *empty)
{
    int dfd = dup(fd);
    DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!dir) {
        if (dfd >= 0)
            close(dfd);
        return SPY_EIO;
    }
    *empty = true;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            *empty = false;
            break;
        }
    }
    closedir(dir);
    return SPY_OK;
}

static int open_folder(spy_outdir *d, bool force)
{
    char eb[128];
    d->fd = open(d->path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (d->fd < 0) {
        spy_error(LOGGER, "Cannot open output folder %s: %s", d->path,
                  errstr(errno, eb, sizeof eb));
        return SPY_EIO;
    }
    bool empty = true;
    if (dir_is_empty(d->fd, &empty) != SPY_OK) {
        spy_error(LOGGER, "Cannot list output folder %s: %s", d->path,
                  errstr(errno, eb, sizeof eb));
        return SPY_EIO;
    }
    if (!empty && !force) {
        spy_error(LOGGER, "Output folder %s is not empty (use --force to write into it)", d->path);
        return SPY_EEXISTS;
    }
    if (fchmod(d->fd, 0700) != 0) {
        spy_error(LOGGER, "Cannot set permissions of output folder %s: %s", d->path,
                  errstr(errno, eb, sizeof eb));
        return SPY_EIO;
    }
    return SPY_OK;
}

int spy_outdir_open(spy_outdir **out, const char *path, const char *const *inputs, size_t n_inputs,
                    bool force)
{
    *out = NULL;
    if (!path || !*path) {
        spy_error(LOGGER, "Empty output folder path");
        return SPY_EUSAGE;
    }
    /* Checked before anything is created, so nothing lands inside an input. */
    int rc = check_inputs(path, inputs, n_inputs);
    if (rc != SPY_OK)
        return rc;
    rc = mkdir_parents(path);
    if (rc != SPY_OK)
        return rc;
    spy_outdir *d = spy_xcalloc(1, sizeof *d);
    d->path = spy_xstrdup(path);
    d->scratch_fd = -1;
    pthread_mutex_init(&d->lock, NULL);
    rc = open_folder(d, force);
    if (rc != SPY_OK) {
        spy_outdir_close(d);
        return rc;
    }
    *out = d;
    return SPY_OK;
}

const char *spy_outdir_path(const spy_outdir *d)
{
    return d->path;
}
int spy_outdir_fd(const spy_outdir *d)
{
    return d->fd;
}

static int scratch_create(spy_outdir *d)
{
    char eb[128];
    if (mkdirat(d->fd, SCRATCH_NAME, 0700) != 0 && errno != EEXIST)
        goto fail;
    d->scratch_fd = openat(d->fd, SCRATCH_NAME, O_DIRECTORY | O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (d->scratch_fd < 0)
        goto fail;
    if (fchmod(d->scratch_fd, 0700) != 0)
        goto fail;
    return d->scratch_fd;
fail:
    spy_error(LOGGER, "Cannot create scratch folder %s/%s: %s", d->path, SCRATCH_NAME,
              errstr(errno, eb, sizeof eb));
    if (d->scratch_fd >= 0)
        close(d->scratch_fd);
    d->scratch_fd = -1;
    return -1;
}

int spy_outdir_scratch_fd(spy_outdir *d)
{
    pthread_mutex_lock(&d->lock);
    int fd = d->scratch_fd >= 0 ? d->scratch_fd : scratch_create(d);
    pthread_mutex_unlock(&d->lock);
    return fd;
}

/* The scratch folder holds only our flat spill files. */
static void scratch_remove(spy_outdir *d)
{
    int dfd = dup(d->scratch_fd);
    DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                unlinkat(d->scratch_fd, e->d_name, 0);
        closedir(dir);
    } else if (dfd >= 0) {
        close(dfd);
    }
    close(d->scratch_fd);
    d->scratch_fd = -1;
    if (unlinkat(d->fd, SCRATCH_NAME, AT_REMOVEDIR) != 0) {
        char eb[128];
        spy_error(LOGGER, "Cannot remove scratch folder %s/%s: %s", d->path, SCRATCH_NAME,
                  errstr(errno, eb, sizeof eb));
    }
}

void spy_outdir_close(spy_outdir *d)
{
    if (!d)
        return;
    if (d->scratch_fd >= 0)
        scratch_remove(d);
    if (d->fd >= 0)
        close(d->fd);
    pthread_mutex_destroy(&d->lock);
    free(d->path);
    free(d);
}

/* ---- atomic files ----------------------------------------------------- */

static bool name_ok(const char *name)
{
    return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 &&
           strcmp(name, "..") != 0 && strlen(name) < NAME_MAX - 16;
}

/* Six random name characters; a collision just means another try. */
static void random_suffix(char *s)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char r[6];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        static unsigned long counter;
        unsigned long v = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 2654435761u ^
                          (unsigned long)getpid();
        for (size_t i = 0; i < sizeof r; i++, v >>= 5)
            r[i] = (unsigned char)v;
    }
    for (size_t i = 0; i < sizeof r; i++)
        s[i] = set[r[i] % (sizeof set - 1)];
}

int spy_afile_open(spy_afile **out, spy_outdir *d, const char *name)
{
    *out = NULL;
    if (!name_ok(name)) {
        spy_error(LOGGER, "Invalid output file name \"%s\"", name ? name : "(null)");
        return SPY_EINTERNAL;
    }
    spy_afile *f = spy_xcalloc(1, sizeof *f);
    f->d = d;
    f->name = spy_xstrdup(name);
    f->tmp = spy_xasprintf(".%s.tmp-XXXXXX", name);
    char *suffix = f->tmp + strlen(f->tmp) - 6;
    f->fd = -1;
    for (int tries = 0; tries < 100 && f->fd < 0; tries++) {
        random_suffix(suffix);
        f->fd = openat(d->fd, f->tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
        f->created = f->fd >= 0;
        if (f->fd < 0 && errno != EEXIST)
            break;
    }
    /* fchmod as well: the umask may have taken bits away, never added them,
     * but 0600 exactly is what the design promises. */
    if (f->fd < 0 || fchmod(f->fd, 0600) != 0) {
        char eb[128];
        spy_error(LOGGER, "Cannot create %s/%s: %s", d->path, f->tmp, errstr(errno, eb, sizeof eb));
        spy_afile_abort(f);
        return SPY_EIO;
    }
    *out = f;
    return SPY_OK;
}

int spy_afile_fd(const spy_afile *f)
{
    return f->fd;
}

static void afile_free(spy_afile *f)
{
    free(f->name);
    free(f->tmp);
    free(f);
}

int spy_afile_commit(spy_afile *f)
{
    char eb[128];
    const char *what = "sync";
    if (fsync(f->fd) != 0)
        goto fail;
    what = "close";
    int fd = f->fd;
    f->fd = -1;
    if (close(fd) != 0)
        goto fail;
    what = "rename into place";
    if (renameat(f->d->fd, f->tmp, f->d->fd, f->name) != 0)
        goto fail;
    fsync(f->d->fd); /* best effort: makes the rename itself durable */
    afile_free(f);
    return SPY_OK;
fail:
    spy_error(LOGGER, "Cannot %s %s/%s: %s", what, f->d->path, f->name,
              errstr(errno, eb, sizeof eb));
    spy_afile_abort(f);
    return SPY_EIO;
}

void spy_afile_abort(spy_afile *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    if (f->created)
        unlinkat(f->d->fd, f->tmp, 0);
    afile_free(f);
}

int spy_outdir_write_file(spy_outdir *d, const char *name, const void *buf, size_t len)
{
    spy_afile *f;
    int rc = spy_afile_open(&f, d, name);
    if (rc != SPY_OK)
        return rc;
    if (spy_write_all(f->fd, buf, len) != SPY_OK) {
        char eb[128];
        spy_error(LOGGER, "Cannot write %s/%s: %s", d->path, name, errstr(errno, eb, sizeof eb));
        spy_afile_abort(f);
        return SPY_EIO;
    }
    return spy_afile_commit(f);
}
