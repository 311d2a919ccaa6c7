#include "wr_util.h"

#include "core/mem.h"
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

spy_outdir *wr_outdir_new(char **tmp)
{
    *tmp = tu_mkdtemp();
    char *out = tu_join(*tmp, "out");
    spy_outdir *d = NULL;
    int rc = spy_outdir_open(&d, out, NULL, 0, false);
    free(out);
    assert_int_equal(rc, 0);
    return d;
}

char *wr_read_in(const char *dir, const char *name, size_t *len)
{
    char *p = tu_join(dir, name);
    char *s = tu_read(p, len);
    free(p);
    return s;
}

size_t wr_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

bool wr_has_entry_prefix(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL)
        found = strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return found;
}

int wr_mode(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}
