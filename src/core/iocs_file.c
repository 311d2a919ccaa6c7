/* Reading indicator files and walking folders of them. */
#include "core/error.h"
#include "core/iocs_internal.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return SPY_EIO;
        got += (size_t)r;
    }
    return SPY_OK;
}

int spy_iocs_read_file(const char *path, int level, unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: indicator file not found", path);
            return SPY_ENOTFOUND;
        }
        spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: cannot open indicator file (errno %d)", path, errno);
        return SPY_EIO;
    }
    struct stat st;
    int rc = SPY_OK;
    if (fstat(fd, &st) != 0) {
        spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: cannot read indicator file (errno %d)", path, errno);
        rc = SPY_EIO;
    } else if (!S_ISREG(st.st_mode)) {
        spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: not a regular file", path);
        rc = SPY_EFORMAT;
    } else if ((unsigned long long)st.st_size > SPY_MAX_IOC_FILE_BYTES) {
        spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: indicator file too large (%lld bytes, limit %u)", path,
                  (long long)st.st_size, SPY_MAX_IOC_FILE_BYTES);
        rc = SPY_ELIMIT;
    } else {
        size_t n = (size_t)st.st_size;
        unsigned char *buf = spy_xmalloc(n + 1);
        rc = read_all(fd, buf, n);
        if (rc != SPY_OK) {
            spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: cannot read indicator file", path);
            free(buf);
        } else {
            buf[n] = '\0';
            *data = buf;
            *len = n;
        }
    }
    close(fd);
    return rc;
}

void spy_iocs_add_file(spy_iocs *set, const char *path, const unsigned char *data, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1] = "";
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) == 1) {
        static const char digits[] = "0123456789abcdef";
        for (unsigned i = 0; i < mdlen; i++) {
            hex[2 * i] = digits[md[i] >> 4];
            hex[2 * i + 1] = digits[md[i] & 15];
        }
        hex[2 * mdlen] = '\0';
    }
    if (set->nfiles == set->capfiles) {
        set->capfiles = set->capfiles ? set->capfiles * 2 : 8;
        set->file_paths = spy_xreallocarray(set->file_paths, set->capfiles, sizeof(char *));
        set->file_sha256 = spy_xreallocarray(set->file_sha256, set->capfiles, sizeof(char *));
    }
    set->file_paths[set->nfiles] = spy_xstrdup(path);
    set->file_sha256[set->nfiles] = spy_xstrdup(hex);
    set->nfiles++;
}

int spy_iocs_load_stix2_file(spy_iocs *set, const char *path)
{
    if (!set || !path || set->finalized)
        return SPY_EINTERNAL;
    if (set->files_read >= SPY_MAX_IOC_FILES) {
        spy_log((spy_log_level)set->fail_level, SPY_IOCS_LOGGER, "%s: too many indicator files (limit %u)", path,
                  SPY_MAX_IOC_FILES);
        return SPY_ELIMIT;
    }
    set->files_read++;
    unsigned char *data;
    size_t len;
    int rc = spy_iocs_read_file(path, set->fail_level, &data, &len);
    if (rc != SPY_OK)
        return rc;
    spy_debug(SPY_IOCS_LOGGER, "Parsing STIX2 indicators file at path '%s'", path);
    size_t before = set->ncolls;
    rc = spy_iocs_load_stix2_buffer(set, path, data, len);
    if (rc == SPY_OK && set->ncolls > before)
        spy_iocs_add_file(set, path, data, len);
    free(data);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of a folder (directory order is not deterministic). */
static char **list_dir(const char *dir, size_t *count)
{
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        spy_warn(SPY_IOCS_LOGGER, "%s: cannot open indicator folder (errno %d)", dir, errno);
        return NULL;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = spy_xreallocarray(names, cap, sizeof *names);
        }
        names[n++] = spy_xstrdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    *count = n;
    return names;
}

static void walk(spy_iocs *set, const char *dir, spy_iocs_name_filter want, bool recursive,
                 unsigned depth)
{
    if (depth > SPY_MAX_IOC_DIR_DEPTH) {
        spy_warn(SPY_IOCS_LOGGER, "%s: indicator folders nested too deep (limit %u), skipped",
                 dir, SPY_MAX_IOC_DIR_DEPTH);
        return;
    }
    size_t n;
    char **names = list_dir(dir, &n);
    for (size_t i = 0; i < n; i++) {
        char *p = spy_xasprintf("%s/%s", dir, names[i]);
        struct stat st;
        if (stat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode) && recursive)
                walk(set, p, want, recursive, depth + 1);
            else if (S_ISREG(st.st_mode) && want(names[i]))
                (void)spy_iocs_load_stix2_file(set, p); /* failures logged */
        }
        free(p);
        free(names[i]);
    }
    free(names);
}

void spy_iocs_load_tree(spy_iocs *set, const char *dir, spy_iocs_name_filter want,
                        bool recursive)
{
    /* A bad file inside a folder is skipped with a warning, not an error:
     * the folder as a whole was usable. */
    int saved = set->fail_level;
    set->fail_level = SPY_LOG_WARNING;
    walk(set, dir, want, recursive, 0);
    set->fail_level = saved;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

static bool want_bundle(const char *name)
{
    return ends_with(name, ".stix2") || ends_with(name, ".json");
}

int spy_iocs_load_path(spy_iocs *set, const char *path)
{
    if (!set || !path || set->finalized)
        return SPY_EINTERNAL;
    struct stat st;
    if (stat(path, &st) != 0) {
        spy_log((spy_log_level)set->fail_level, SPY_IOCS_LOGGER, "%s: indicator file not found", path);
        return SPY_ENOTFOUND;
    }
    if (!S_ISDIR(st.st_mode))
        return spy_iocs_load_stix2_file(set, path);
    spy_iocs_load_tree(set, path, want_bundle, true);
    return SPY_OK;
}
