#define _XOPEN_SOURCE 700
#include "testutil.h"

#include "core/mem.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tu_shared_dir_or_skip(void)
{
    const char *d = getenv("SPYSCAN_SHARED_DIR");
    struct stat st;
    if (!d || !*d || stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "skipped: ../shared is not available\n");
        exit(77);
    }
    return d;
}

char *tu_shared_path_or_skip(const char *rel)
{
    char *p = tu_join(tu_shared_dir_or_skip(), rel);
    if (access(p, R_OK) != 0) {
        fprintf(stderr, "skipped: %s is not available\n", p);
        exit(77);
    }
    return p;
}

const char *tu_source_dir(void)
{
    const char *d = getenv("SPYSCAN_SOURCE_DIR");
    return d && *d ? d : ".";
}

char *tu_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char *tmpl = spy_xasprintf("%s/spyscan-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        fprintf(stderr, "mkdtemp failed\n");
        abort();
    }
    return tmpl;
}

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tu_rmtree(const char *path)
{
    if (path)
        nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_join(const char *dir, const char *name)
{
    return spy_xasprintf("%s/%s", dir, name);
}

void tu_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        fprintf(stderr, "cannot write %s\n", path);
        abort();
    }
    fclose(f);
}

void tu_write_str(const char *path, const char *s)
{
    tu_write(path, s, strlen(s));
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, r;
    char *buf = spy_xmalloc(cap);
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = spy_xrealloc(buf, cap);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
