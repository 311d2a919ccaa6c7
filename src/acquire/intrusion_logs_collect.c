/* Finding the intrusion-log files (spec/android.md §1.6): a folder walked
 * as MVT's Path.iterdir() recursion does (each sub-folder entered where the
 * listing meets it), *.txt read as text, *.zip walked member by member and
 * ZIPs in ZIPs opened from memory. Nothing is ever written anywhere: MVT
 * extracts an AndroidQF ZIP's logs to a temporary folder, spyscan does not. */
#include "acquire/android_internal.h"
#include "acquire/intrusion_logs_internal.h"
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
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

bool il_has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n >= e && strcasecmp(name + n - e, ext) == 0;
}

static void walk_zip(il_parse *p, android_acq *z, const char *prefix, unsigned depth);

/* Opens a ZIP held in memory (buf taken) and walks it; a bad one is
 * skipped with a warning, as MVT does for a folder's ZIPs. */
static void walk_zip_mem(il_parse *p, void *buf, size_t len, const char *name, unsigned depth)
{
    android_acq *z = andr_new(SPY_ACQ_ANDROID_INTRUSION_LOGS, name);
    char *why = NULL;
    andr_zip_open_mem(z, buf, len, name);
    if (andr_zip_list(z, NULL, &why) != SPY_OK) {
        spy_warn(IL_LOGGER, "Skipping invalid zip: %s (%s)", name, why ? why : "unreadable");
    } else {
        char *prefix = spy_xasprintf("%s::", name);
        walk_zip(p, z, prefix, depth);
        free(prefix);
    }
    free(why);
    andr_free(z);
}

static void walk_zip(il_parse *p, android_acq *z, const char *prefix, unsigned depth)
{
    for (size_t i = 0; i < z->n; i++) {
        const andr_member *m = &z->m[i];
        bool txt = il_has_ext(m->path, ".txt"), zip = !txt && il_has_ext(m->path, ".zip");
        if (!txt && !zip)
            continue;
        char *name = spy_xasprintf("%s%s", prefix, m->path);
        void *buf = NULL;
        size_t len = 0;
        spy_stream *st = NULL;
        if (txt) {
            /* decompressed a piece at a time, never whole */
            if (andr_open_stream(z, m, IL_MAX_TEXT_BYTES, &st) == SPY_OK)
                il_parse_stream(p, name, st);
            spy_stream_close(st);
        } else if (depth + 1 >= IL_MAX_ZIP_DEPTH) {
            spy_warn(IL_LOGGER, "Skipping %s: ZIP archives nested more than %u deep", name,
                     IL_MAX_ZIP_DEPTH);
        } else if (andr_read(z, m, IL_MAX_ZIP_BYTES, &buf, &len) == SPY_OK) {
            walk_zip_mem(p, buf, len, name, depth + 1);
        }
        free(name);
    }
}

/* A log file of a folder as a stream (stream.h), read as it is parsed. */
typedef struct fd_stream {
    spy_stream base;
    int fd;
    char *name;
} fd_stream;

static int fd_stream_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    fd_stream *f = (fd_stream *)s;
    ssize_t r;
    do
        r = read(f->fd, buf, cap);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        spy_warn(IL_LOGGER, "%s: read error, the rest of the file is skipped", f->name);
        return SPY_EIO;
    }
    *got = (size_t)r;
    return SPY_OK;
}

static void fd_stream_close(spy_stream *s)
{
    fd_stream *f = (fd_stream *)s;
    free(f->name);
    free(f);
}

/* A regular file of at most max bytes, parsed as it is read (fd stays
 * the caller's). */
static void parse_fd(il_parse *p, int fd, const char *name, size_t max)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        spy_warn(IL_LOGGER, "Skipping %s: not a regular file", name);
        return;
    }
    if ((uint64_t)st.st_size > max) {
        spy_warn(IL_LOGGER, "Skipping %s: %lld bytes, more than the %zu read for a log file", name,
                 (long long)st.st_size, max);
        return;
    }
    fd_stream *f = spy_xcalloc(1, sizeof *f);
    *f = (fd_stream){.base = {.read = fd_stream_read, .close = fd_stream_close},
                     .fd = fd,
                     .name = spy_xstrdup(name)};
    il_parse_stream(p, name, &f->base);
    spy_stream_close(&f->base);
}

static void folder_file(il_parse *p, int dfd, const char *entry, const char *name, bool txt)
{
    int fd = openat(dfd, entry, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        spy_warn(IL_LOGGER, "Skipping %s: cannot be opened", name);
        return;
    }
    if (txt) {
        parse_fd(p, fd, name, IL_MAX_TEXT_BYTES);
        close(fd);
        return;
    }
    android_acq *z = andr_new(SPY_ACQ_ANDROID_INTRUSION_LOGS, name);
    char *why = NULL;
    if (andr_zip_open_fd(z, fd, name) != SPY_OK || andr_zip_list(z, NULL, &why) != SPY_OK) {
        spy_warn(IL_LOGGER, "Skipping invalid zip: %s (%s)", name, why ? why : "unreadable");
    } else {
        char *prefix = spy_xasprintf("%s::", name);
        walk_zip(p, z, prefix, 0);
        free(prefix);
    }
    free(why);
    andr_free(z); /* closes fd */
}

static void walk_dir(il_parse *p, int dfd, const char *rel, unsigned depth)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *name = spy_xasprintf("%s%s", rel, e->d_name);
        struct stat st;
        /* Path.suffix: a name that is only ".txt" has none. */
        bool named = strlen(e->d_name) > 4;
        bool txt = named && il_has_ext(e->d_name, ".txt");
        bool zip = named && il_has_ext(e->d_name, ".zip");
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            spy_warn(IL_LOGGER, "Skipping %s: cannot be examined", name);
        } else if (S_ISDIR(st.st_mode)) {
            int sfd = -1;
            if (depth + 1 >= SPY_ANDROID_MAX_DEPTH)
                spy_warn(IL_LOGGER, "Skipping %s: folders nested too deep", name);
            else if ((sfd = openat(dirfd(d), e->d_name,
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                spy_warn(IL_LOGGER, "Skipping %s: folder cannot be opened", name);
            if (sfd >= 0) {
                char *sub = spy_xasprintf("%s/", name);
                walk_dir(p, sfd, sub, depth + 1);
                free(sub);
            }
        } else if ((txt || zip) && !S_ISREG(st.st_mode)) {
            spy_warn(IL_LOGGER, "Skipping %s: %s", name,
                     S_ISLNK(st.st_mode) ? "a symbolic link (not followed)" : "not a regular file");
        } else if (txt || zip) {
            folder_file(p, dirfd(d), e->d_name, name, txt);
        }
        free(name);
    }
    closedir(d); /* closes dfd */
}

/* AndroidQF: the parent's members under intrusion_logs/, named by the path
 * after it as MVT's extraction names them. */
static void walk_nested(il_acq *a)
{
    for (size_t i = 0; i < a->members.n; i++) {
        const spy_artifact *art = &a->members.v[i];
        const char *at = strstr(art->path, "intrusion_logs/");
        const char *name = at ? at + strlen("intrusion_logs/") : art->path;
        bool txt = il_has_ext(name, ".txt");
        if (!txt && !il_has_ext(name, ".zip"))
            continue;
        void *buf = NULL;
        size_t len = 0;
        spy_stream *st = NULL;
        if (txt) {
            if (spy_acq_open_stream(&a->parent, art, IL_MAX_TEXT_BYTES, &st) == SPY_OK)
                il_parse_stream(&a->parse, name, st);
            spy_stream_close(st);
        } else if (spy_acq_read(&a->parent, art, IL_MAX_ZIP_BYTES, &buf, &len) == SPY_OK) {
            walk_zip_mem(&a->parse, buf, len, name, 0);
        }
    }
}

int il_collect(il_acq *a)
{
    switch (a->mode) {
    case IL_FOLDER: {
        int fd = openat(a->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            spy_error(IL_LOGGER, "%s: the folder cannot be read", a->label);
            return SPY_EIO;
        }
        walk_dir(&a->parse, fd, "", 0);
        return SPY_OK;
    }
    case IL_ZIP: walk_zip(&a->parse, a->zip, "", 0); return SPY_OK;
    case IL_NESTED: walk_nested(a); return SPY_OK;
    }
    return SPY_EINTERNAL;
}
