/* LD_PRELOAD shim for the no-write proof (design.md §8): records every call
 * through which a process could create, change, rename or remove a file, so a
 * test can show that a check wrote nothing but its output folder.
 *
 * Each recorded call appends one line "<call>\t<absolute path>\t<result>\n"
 * (result: "ok" or the errno number) to the file named by
 * SPYSCAN_WRITE_SPY_LOG (nothing is recorded when it is unset); the line is
 * written after the real call, so a test can tell an attempt that failed
 * (mkdir of an existing parent: EEXIST) from a change.
 * Relative paths are made absolute against the cwd or the directory fd, so
 * the test can compare prefixes. glibc's own internal calls (fopen, mkstemp
 * and tmpfile open files without going through the exported open), which is
 * why those entry points are wrapped too. Read-only opens are not recorded:
 * they cannot leave a trace. The real function's result and errno are
 * returned unchanged. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

/* The real open, for writing the log without recording that too. */
static int real_open(const char *path, int flags, mode_t mode)
{
    static int (*fn)(const char *, int, ...);
    if (!fn)
        fn = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    return fn ? fn(path, flags, mode) : -1;
}

/* The folder a dirfd names (or the cwd for AT_FDCWD) into buf. */
static int dir_of(int dirfd, char *buf, size_t cap)
{
    if (dirfd == AT_FDCWD)
        return getcwd(buf, cap) ? 0 : -1;
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
    ssize_t n = readlink(link, buf, cap - 1);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return 0;
}

static void record_at(const char *call, int dirfd, const char *path, int err)
{
    const char *log = getenv("SPYSCAN_WRITE_SPY_LOG");
    if (!log || !*log || !path)
        return;
    int saved = errno; /* the caller must see the real call's errno only */
    char dir[PATH_MAX], line[2 * PATH_MAX + 64], result[16];
    int n;
    if (err)
        snprintf(result, sizeof result, "%d", err);
    else
        snprintf(result, sizeof result, "ok");
    if (path[0] == '/' || dir_of(dirfd, dir, sizeof dir) != 0)
        n = snprintf(line, sizeof line, "%s\t%s\t%s\n", call, path, result);
    else
        n = snprintf(line, sizeof line, "%s\t%s/%s\t%s\n", call, dir, path, result);
    int fd = real_open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
        /* One write of one line with O_APPEND: lines of threads do not mix. */
        if (n > 0 && write(fd, line, (size_t)n) < 0)
            n = 0;
        close(fd);
    }
    errno = saved;
}

static void record(const char *call, const char *path, int err)
{
    record_at(call, AT_FDCWD, path, err);
}

/* errno of a failed call (int result < 0 / NULL pointer), else 0. */
#define ERR_OF(failed) ((failed) ? errno : 0)

#define NEXT(type, name) ((type)dlsym(RTLD_NEXT, name))

/* ---- open family (mode only with O_CREAT / O_TMPFILE) ---- */

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

#define DEFINE_OPEN(name)                                                                          \
    int name(const char *path, int flags, ...)                                                     \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, flags);                                                                       \
        mode_t mode = mode_arg(flags, ap);                                                         \
        va_end(ap);                                                                                \
        open_fn fn = NEXT(open_fn, #name);                                                         \
        int r = fn ? fn(path, flags, mode) : (errno = ENOSYS, -1);                                 \
        if (flags & WRITE_FLAGS)                                                                   \
            record(#name, path, ERR_OF(r < 0));                                                    \
        return r;                                                                                  \
    }

#define DEFINE_OPENAT(name)                                                                        \
    int name(int dirfd, const char *path, int flags, ...)                                          \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, flags);                                                                       \
        mode_t mode = mode_arg(flags, ap);                                                         \
        va_end(ap);                                                                                \
        openat_fn fn = NEXT(openat_fn, #name);                                                     \
        int r = fn ? fn(dirfd, path, flags, mode) : (errno = ENOSYS, -1);                          \
        if (flags & WRITE_FLAGS)                                                                   \
            record_at(#name, dirfd, path, ERR_OF(r < 0));                                          \
        return r;                                                                                  \
    }

DEFINE_OPEN(open)
DEFINE_OPEN(open64)
DEFINE_OPENAT(openat)
DEFINE_OPENAT(openat64)

/* The _FORTIFY_SOURCE entry points (no mode: they refuse O_CREAT). */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

int __open_2(const char *path, int flags)
{
    return open(path, flags);
}
int __open64_2(const char *path, int flags)
{
    return open64(path, flags);
}
int __openat_2(int dirfd, const char *path, int flags)
{
    return openat(dirfd, path, flags);
}
int __openat64_2(int dirfd, const char *path, int flags)
{
    return openat64(dirfd, path, flags);
}

/* One wrapper: call the real function, then record (path expression,
 * failure test on r). */
#define WRAP(ret, name, params, args, failed, ...)                                                 \
    ret name params                                                                                \
    {                                                                                              \
        ret r = NEXT(ret(*) params, #name) args;                                                   \
        int err = ERR_OF(failed);                                                                  \
        __VA_ARGS__;                                                                               \
        return r;                                                                                  \
    }

WRAP(int, creat, (const char *path, mode_t mode), (path, mode), r < 0, record("creat", path, err))
WRAP(int, creat64, (const char *path, mode_t mode), (path, mode), r < 0,
     record("creat64", path, err))

/* ---- stdio ---- */

static int mode_writes(const char *mode)
{
    return mode && strpbrk(mode, "wa+") != NULL;
}

WRAP(FILE *, fopen, (const char *path, const char *mode), (path, mode), !r,
     if (mode_writes(mode)) record("fopen", path, err))
WRAP(FILE *, fopen64, (const char *path, const char *mode), (path, mode), !r,
     if (mode_writes(mode)) record("fopen64", path, err))
WRAP(FILE *, freopen, (const char *path, const char *mode, FILE *f), (path, mode, f), !r,
     if (mode_writes(mode)) record("freopen", path, err))

/* ---- temporary files: the (filled-in) template names where they went ---- */

WRAP(int, mkstemp, (char *tmpl), (tmpl), r < 0, record("mkstemp", tmpl, err))
WRAP(int, mkostemp, (char *tmpl, int flags), (tmpl, flags), r < 0, record("mkostemp", tmpl, err))
WRAP(char *, mkdtemp, (char *tmpl), (tmpl), !r, record("mkdtemp", tmpl, err))
/* Unnamed, but it lives in P_tmpdir: report that folder. */
WRAP(FILE *, tmpfile, (void), (), !r, record("tmpfile", P_tmpdir "/(tmpfile)", err))

/* ---- renames, removals, folders, links ---- */

WRAP(int, rename, (const char *from, const char *to), (from, to), r < 0,
     record("rename-from", from, err);
     record("rename-to", to, err))
WRAP(int, renameat, (int fd1, const char *from, int fd2, const char *to), (fd1, from, fd2, to),
     r < 0, record_at("renameat-from", fd1, from, err);
     record_at("renameat-to", fd2, to, err))
WRAP(int, renameat2, (int fd1, const char *from, int fd2, const char *to, unsigned int flags),
     (fd1, from, fd2, to, flags), r < 0, record_at("renameat2-from", fd1, from, err);
     record_at("renameat2-to", fd2, to, err))
WRAP(int, unlink, (const char *path), (path), r < 0, record("unlink", path, err))
WRAP(int, unlinkat, (int dirfd, const char *path, int flags), (dirfd, path, flags), r < 0,
     record_at("unlinkat", dirfd, path, err))
WRAP(int, remove, (const char *path), (path), r < 0, record("remove", path, err))
WRAP(int, rmdir, (const char *path), (path), r < 0, record("rmdir", path, err))
WRAP(int, mkdir, (const char *path, mode_t mode), (path, mode), r < 0, record("mkdir", path, err))
WRAP(int, mkdirat, (int dirfd, const char *path, mode_t mode), (dirfd, path, mode), r < 0,
     record_at("mkdirat", dirfd, path, err))
WRAP(int, truncate, (const char *path, off_t len), (path, len), r < 0,
     record("truncate", path, err))
WRAP(int, link, (const char *from, const char *to), (from, to), r < 0, record("link", to, err))
WRAP(int, symlink, (const char *target, const char *path), (target, path), r < 0,
     record("symlink", path, err))
