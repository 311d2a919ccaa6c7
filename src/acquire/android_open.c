/* Opening an Android acquisition path: a folder is walked, a regular file
 * must be a ZIP; anything else is named for what it is (another kind of
 * acquisition, an age-encrypted file) in one clear line. */
#include "acquire/android_open.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.android"

/* What a file that is not a ZIP is, from its first bytes. */
static const char *not_zip_reason(const unsigned char *h, size_t n)
{
    if (n >= 14 && !memcmp(h, "ANDROID BACKUP", 14))
        return "an Android backup (.ab), not a ZIP: use 'spyscan android check-backup'";
    if (n >= 21 && !memcmp(h, "age-encryption.org/v1", 21))
        return "age-encrypted: decrypt it first (age --decrypt -i <identity> -o <file>.zip "
               "<file>.zip.age)";
    if (n >= 15 && !memcmp(h, "SQLite format 3", 15))
        return "a SQLite database, not a ZIP file or a folder";
    if (n == 0)
        return "an empty file, not a ZIP";
    return "not a ZIP file or a folder";
}

static int open_zip_file(android_acq *a, const char *path, const char *root_prefix,
                         const char *invalid)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        spy_error(LOGGER, "%s: cannot be read", path);
        return SPY_EIO;
    }
    unsigned char head[32];
    ssize_t n;
    do
        n = pread(fd, head, sizeof head, 0);
    while (n < 0 && errno == EINTR);
    if (n < 4 || head[0] != 'P' || head[1] != 'K' || !(head[2] == 3 || head[2] == 5)) {
        spy_error(LOGGER, "%s: %s", path, not_zip_reason(head, n > 0 ? (size_t)n : 0));
        close(fd);
        return SPY_EFORMAT;
    }
    int err = andr_zip_open_fd(a, fd, path);
    char *why = NULL;
    if (err == SPY_OK)
        err = andr_zip_list(a, root_prefix, &why);
    if (err == SPY_EFORMAT)
        spy_error(LOGGER, "%s: %s: %s", path, invalid, why ? why : "unreadable");
    else if (err != SPY_OK)
        spy_error(LOGGER, "%s: cannot be read", path);
    free(why);
    return err;
}

int andr_open_path(spy_acq_kind kind, const char *path, const andr_open_opts *o, android_acq **out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        spy_error(LOGGER, "%s: %s", path,
                  errno == ENOENT ? "no such file or folder" : "cannot be examined");
        return SPY_ENOTFOUND;
    }
    android_acq *a = andr_new(kind, path);
    int err;
    if (S_ISDIR(st.st_mode)) {
        err = andr_folder_open(a, path, o->folder_prefix ? o->folder_prefix : "");
    } else if (S_ISREG(st.st_mode)) {
        err = open_zip_file(a, path, o->zip_root_prefix, o->invalid_zip);
    } else {
        spy_error(LOGGER, "%s: not a ZIP file or a folder", path);
        err = SPY_EFORMAT;
    }
    if (err != SPY_OK) {
        andr_free(a);
        return err == SPY_ENOTFOUND ? SPY_EFORMAT : err;
    }
    *out = a;
    return SPY_OK;
}

bool andr_has_basename(const android_acq *a, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < a->n; i++) {
        const char *p = a->m[i].path;
        size_t len = strlen(p);
        if (len >= n && !strcmp(p + len - n, name) && (len == n || p[len - n - 1] == '/'))
            return true;
    }
    return false;
}

bool andr_is_ios_backup(const android_acq *a)
{
    char *db = spy_xasprintf("%sManifest.db", a->prefix ? a->prefix : "");
    char *info = spy_xasprintf("%sInfo.plist", a->prefix ? a->prefix : "");
    bool yes = andr_lookup(a, db) && andr_lookup(a, info);
    free(db);
    free(info);
    return yes;
}
