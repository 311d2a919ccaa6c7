/* Folder mode of the Android readers: a top-down walk like Python's
 * os.walk (a folder's files first, in the order the OS returns them, then
 * its sub-folders), regular files only, never following a link. */
#include "acquire/android_internal.h"
#include "acquire/stream.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.android"

typedef struct walk {
    android_acq *a;
    size_t skipped;
    int err;
} walk;

static void skip_entry(walk *w, const char *rel, const char *why)
{
    w->skipped++;
    spy_warn(LOGGER, "%s: leaving out %s: %s", w->a->label, rel, why);
}

static void walk_dir(walk *w, int dfd, const char *rel, unsigned depth)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return;
    }
    char **subdirs = NULL;
    size_t nsub = 0, capsub = 0;
    struct dirent *e;
    while (w->err == SPY_OK && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *path = *rel ? spy_xasprintf("%s/%s", rel, e->d_name) : spy_xstrdup(e->d_name);
        struct stat st;
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            skip_entry(w, path, "cannot be examined");
        } else if (S_ISDIR(st.st_mode)) {
            if (nsub == capsub) {
                capsub = capsub ? capsub * 2 : 8;
                subdirs = spy_xreallocarray(subdirs, capsub, sizeof *subdirs);
            }
            subdirs[nsub++] = spy_xstrdup(e->d_name);
        } else if (!S_ISREG(st.st_mode)) {
            skip_entry(w, path,
                       S_ISLNK(st.st_mode) ? "a symbolic link (not followed)"
                                           : "not a regular file");
        } else if (w->a->n >= SPY_ANDROID_MAX_MEMBERS) {
            spy_error(LOGGER, "%s: more than %u files; not an acquisition spyscan can list",
                      w->a->label, SPY_ANDROID_MAX_MEMBERS);
            w->err = SPY_ELIMIT;
        } else {
            char mt[32];
            andr_local_iso((int64_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, mt);
            char *listed = spy_xasprintf("%s%s", w->a->prefix, path);
            andr_add(w->a, listed, mt[0] ? mt : NULL, 0);
            free(listed);
        }
        free(path);
    }
    for (size_t i = 0; i < nsub; i++) {
        char *path = *rel ? spy_xasprintf("%s/%s", rel, subdirs[i]) : spy_xstrdup(subdirs[i]);
        int sfd = -1;
        if (w->err == SPY_OK && depth + 1 >= SPY_ANDROID_MAX_DEPTH)
            skip_entry(w, path, "nested too deep");
        else if (w->err == SPY_OK &&
                 (sfd = openat(dfd, subdirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
                     0)
            skip_entry(w, path, "folder cannot be opened");
        if (sfd >= 0)
            walk_dir(w, sfd, path, depth + 1);
        free(path);
        free(subdirs[i]);
    }
    free(subdirs);
    closedir(d); /* closes dfd */
}

int andr_folder_open(android_acq *a, const char *dir, const char *prefix)
{
    a->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (a->dirfd < 0) {
        spy_error(LOGGER, "%s: not a readable folder", dir);
        return SPY_EIO;
    }
    a->prefix = spy_xstrdup(prefix);
    /* The walk consumes its own fd (closedir): a fresh open of the folder. */
    int fd = openat(a->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return SPY_EIO;
    walk w = {.a = a};
    walk_dir(&w, fd, "", 0);
    return w.err;
}

/* Opens rel (relative to the walked folder) one component at a time,
 * refusing links, so a path can never resolve outside the folder. */
static int open_beneath(int dirfd, const char *rel, int *out)
{
    if (!*rel || rel[0] == '/')
        return SPY_ENOTFOUND;
    char *copy = spy_xstrdup(rel);
    int fd = dirfd, err = SPY_OK;
    char *comp = copy;
    for (;;) {
        char *slash = strchr(comp, '/');
        if (slash)
            *slash = '\0';
        if (!*comp || !strcmp(comp, ".") || !strcmp(comp, "..")) {
            err = SPY_ENOTFOUND;
            break;
        }
        int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (slash ? O_DIRECTORY : O_NONBLOCK);
        int next = openat(fd, comp, flags);
        if (fd != dirfd)
            close(fd);
        fd = -1;
        if (next < 0) {
            err = errno == ENOENT ? SPY_ENOTFOUND : SPY_EIO;
            break;
        }
        fd = next;
        if (!slash)
            break;
        comp = slash + 1;
    }
    free(copy);
    if (err != SPY_OK) {
        if (fd >= 0 && fd != dirfd)
            close(fd);
        return err;
    }
    *out = fd;
    return SPY_OK;
}

int andr_folder_open_fd(const android_acq *a, const andr_member *m, int *fd)
{
    size_t np = strlen(a->prefix);
    if (strncmp(m->path, a->prefix, np) != 0)
        return SPY_ENOTFOUND;
    int err = open_beneath(a->dirfd, m->path + np, fd);
    if (err != SPY_OK)
        spy_error(LOGGER, "%s: %s cannot be opened", a->label, m->path);
    return err;
}

/* The member opened, a regular file of at most max bytes: its size. */
static int open_sized(const android_acq *a, const andr_member *m, uint64_t max, int *fd,
                      uint64_t *size)
{
    int err = andr_folder_open_fd(a, m, fd);
    if (err != SPY_OK)
        return err;
    struct stat st;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(*fd);
        spy_error(LOGGER, "%s: %s is not a regular file", a->label, m->path);
        return SPY_EIO;
    }
    if ((uint64_t)st.st_size > max) {
        close(*fd);
        spy_error(LOGGER, "%s: %s has %lld bytes, more than the %llu read for it", a->label,
                  m->path, (long long)st.st_size, (unsigned long long)max);
        return SPY_ELIMIT;
    }
    *size = (uint64_t)st.st_size;
    return SPY_OK;
}

int andr_folder_read(const android_acq *a, const andr_member *m, size_t max, void **buf,
                     size_t *len)
{
    int fd = -1;
    uint64_t size = 0;
    int err = open_sized(a, m, max, &fd, &size);
    if (err != SPY_OK)
        return err;
    size_t n = (size_t)size, got = 0;
    char *p = spy_xmalloc(n + 1);
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != n) {
        free(p);
        spy_error(LOGGER, "%s: %s could not be read whole", a->label, m->path);
        return SPY_EIO;
    }
    p[n] = '\0';
    *buf = p;
    *len = n;
    return SPY_OK;
}

/* A stream gives the size found at open, as a whole read does: a file
 * growing meanwhile is cut there, one shrinking is an error. */
typedef struct folder_stream {
    spy_stream base;
    int fd;
    uint64_t left;
    const android_acq *a;
    const andr_member *m;
} folder_stream;

static int fs_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    folder_stream *f = (folder_stream *)s;
    size_t want = f->left < cap ? (size_t)f->left : cap;
    if (want == 0) {
        *got = 0;
        return SPY_OK;
    }
    ssize_t r;
    do
        r = read(f->fd, buf, want);
    while (r < 0 && errno == EINTR);
    if (r <= 0) {
        spy_error(LOGGER, "%s: %s could not be read whole", f->a->label, f->m->path);
        return SPY_EIO;
    }
    f->left -= (uint64_t)r;
    *got = (size_t)r;
    return SPY_OK;
}

static void fs_close(spy_stream *s)
{
    folder_stream *f = (folder_stream *)s;
    close(f->fd);
    free(f);
}

int andr_folder_stream(const android_acq *a, const andr_member *m, uint64_t max, spy_stream **s)
{
    int fd = -1;
    uint64_t size = 0;
    int err = open_sized(a, m, max, &fd, &size);
    if (err != SPY_OK)
        return err;
    folder_stream *f = spy_xcalloc(1, sizeof *f);
    *f = (folder_stream){
        .base = {.read = fs_read, .close = fs_close}, .fd = fd, .left = size, .a = a, .m = m};
    *s = &f->base;
    return SPY_OK;
}
