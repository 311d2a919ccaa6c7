/* Byte sources for the evidence VFS: a plain file (pread) and memory buffers.
 * Backup blobs and the AES-CBC layer are sources built elsewhere on the same
 * contract (core/evfs.h). */
#define _GNU_SOURCE /* O_NOATIME */
#include "core/evfs.h"

#include "core/error.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct path_src {
    int fd;
} path_src;

typedef struct mem_src {
    const uint8_t *data;
    size_t len;
    void *owned;
} mem_src;

static int path_read(void *ud, void *buf, size_t n, uint64_t off, size_t *got)
{
    path_src *p = ud;
    size_t done = 0;
    while (done < n) {
        if (off + done > (uint64_t)INT64_MAX)
            break;
        ssize_t r = pread(p->fd, (uint8_t *)buf + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *got = done;
            return SPY_EIO;
        }
        if (r == 0)
            break;
        done += (size_t)r;
    }
    *got = done;
    return SPY_OK;
}

static void path_release(void *ud)
{
    path_src *p = ud;
    if (p) {
        close(p->fd);
        free(p);
    }
}

/* O_NOATIME is refused (EPERM) for files we do not own unless we are root;
 * fall back then, reading is what matters. */
static int open_evidence(const char *path)
{
    int base = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
#ifdef O_NOATIME
    int fd = open(path, base | O_NOATIME);
    if (fd >= 0 || errno != EPERM)
        return fd;
#endif
    return open(path, base);
}

int spy_evsrc_from_fd(spy_evsrc *out, int fd)
{
    struct stat st;
    memset(out, 0, sizeof *out);
    if (fd < 0)
        return SPY_EUSAGE;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) {
        close(fd);
        return SPY_EIO;
    }
    path_src *p = spy_xmalloc(sizeof *p);
    p->fd = fd;
    *out = (spy_evsrc){
        .ud = p, .read = path_read, .size = (uint64_t)st.st_size, .release = path_release};
    return SPY_OK;
}

int spy_evsrc_from_path(spy_evsrc *out, const char *path)
{
    memset(out, 0, sizeof *out);
    int fd = open_evidence(path);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? SPY_ENOTFOUND : SPY_EIO;
    return spy_evsrc_from_fd(out, fd);
}

static int mem_read(void *ud, void *buf, size_t n, uint64_t off, size_t *got)
{
    mem_src *m = ud;
    *got = 0;
    if (off >= m->len)
        return SPY_OK;
    size_t k = m->len - (size_t)off;
    if (k > n)
        k = n;
    memcpy(buf, m->data + off, k);
    *got = k;
    return SPY_OK;
}

static void mem_release(void *ud)
{
    mem_src *m = ud;
    if (m) {
        free(m->owned);
        free(m);
    }
}

static int mem_make(spy_evsrc *out, const void *data, size_t len, void *owned)
{
    mem_src *m = spy_xmalloc(sizeof *m);
    m->data = data;
    m->len = len;
    m->owned = owned;
    *out = (spy_evsrc){.ud = m, .read = mem_read, .size = len, .release = mem_release};
    return SPY_OK;
}

int spy_evsrc_from_mem(spy_evsrc *out, const void *data, size_t len)
{
    if (!data && len)
        return SPY_EUSAGE;
    return mem_make(out, data, len, NULL);
}

int spy_evsrc_from_mem_owned(spy_evsrc *out, void *data, size_t len)
{
    if (!data && len)
        return SPY_EUSAGE;
    return mem_make(out, data, len, data);
}

void spy_evsrc_release(spy_evsrc *src)
{
    if (!src)
        return;
    if (src->release)
        src->release(src->ud);
    memset(src, 0, sizeof *src);
}

int spy_evsrc_pread(const spy_evsrc *src, void *buf, size_t n, uint64_t off)
{
    size_t got = 0;
    if (off > src->size || n > src->size - off)
        return SPY_ETRUNCATED;
    int err = src->read(src->ud, buf, n, off, &got);
    if (err != SPY_OK)
        return err;
    return got == n ? SPY_OK : SPY_ETRUNCATED;
}
