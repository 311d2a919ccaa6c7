/* Opening an Android backup (android_backup.h): an .ab file, an unpacked
 * backup folder, or the backup.ab of an AndroidQF acquisition; the
 * password of an encrypted one (-p, SPYSCAN_BACKUP_PASSWORD,
 * MVT_ANDROID_BACKUP_PASSWORD, then a no-echo prompt), wiped after use. */
#include "acquire/android_backup.h"

#include "acquire/android_backup_acq.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.android_backup"

/* The password into buf: -p, the environment, then the prompt. */
static int find_password(const spy_secret_opts *so, const char *label, char *buf, size_t cap,
                         size_t *len)
{
    const char *p = so ? so->password : NULL;
    if (p && *p)
        spy_info(LOGGER, "Your password may be visible in the process table because it was "
                         "supplied on the command line!");
    const char *env[] = {"SPYSCAN_BACKUP_PASSWORD", "MVT_ANDROID_BACKUP_PASSWORD"};
    for (size_t i = 0; (!p || !*p) && i < 2; i++) {
        p = getenv(env[i]);
        if (p && *p)
            spy_info(LOGGER, "Using backup password from %s environment variable", env[i]);
    }
    if (p && *p) {
        *len = strlen(p);
        if (*len + 1 > cap) {
            spy_error(LOGGER, "%s: the backup password is longer than %zu bytes", label, cap - 1);
            return SPY_EPASSWORD;
        }
        memcpy(buf, p, *len + 1);
        return SPY_OK;
    }
    if (so && so->non_interactive) {
        spy_error(LOGGER,
                  "%s: Cannot decrypt backup because interactivity was disabled and the "
                  "password was not supplied (-p, SPYSCAN_BACKUP_PASSWORD or "
                  "MVT_ANDROID_BACKUP_PASSWORD)",
                  label);
        return SPY_EPASSWORD;
    }
    int err = spy_password_prompt("Enter backup password: ", buf, cap, len);
    if (err == SPY_OK && *len)
        return SPY_OK;
    spy_error(LOGGER, "%s: No backup password provided.", label);
    return SPY_EPASSWORD;
}

/* The data key of an encrypted backup. */
static int unlock(ab_acq *a, const spy_secret_opts *so)
{
    char pw[SPY_MAX_PASSWORD_BYTES + 1];
    size_t len = 0;
    uint8_t user_key[32];
    int err = find_password(so, a->label, pw, sizeof pw, &len);
    if (err == SPY_OK)
        err = abk_user_key(&a->h, pw, len, user_key);
    OPENSSL_cleanse(pw, sizeof pw);
    if (err == SPY_OK)
        err = abk_master_key(&a->h, user_key, &a->keys);
    OPENSSL_cleanse(user_key, sizeof user_key);
    if (err == SPY_EPASSWORD && len)
        spy_error(LOGGER, "%s: %s", a->label, ABK_BAD_PASSWORD);
    else if (err != SPY_OK && err != SPY_EPASSWORD)
        spy_error(LOGGER, "%s: the backup key could not be derived", a->label);
    return err;
}

/* Header, key, member list of a->src. SPY_EPASSWORD is logged here; the
 * other errors come back with *why (free()) for the caller's message. */
static int open_ab(ab_acq *a, const spy_secret_opts *so, char **why)
{
    size_t want = a->src.size < ABK_MAX_HEADER_BYTES ? (size_t)a->src.size : ABK_MAX_HEADER_BYTES;
    uint8_t *head = spy_xmalloc(want ? want : 1);
    size_t got = 0;
    while (got < want) {
        ssize_t r = abk_src_pread(&a->src, head + got, want - got, got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    const char *msg = NULL;
    int err = got == want ? abk_parse_header(head, got, &a->h, &msg) : SPY_EIO;
    free(head);
    if (err != SPY_OK) {
        *why = spy_xstrdup(err == SPY_EIO ? "the file could not be read" : msg);
        return err;
    }
    if (a->h.encrypted && (err = unlock(a, so)) != SPY_OK)
        return err;
    err = abk_acq_list(a, why);
    if (err == SPY_OK)
        spy_info(LOGGER, "%s: Android backup format %d, %s, %s: %zu files", a->label, a->h.version,
                 a->h.compressed ? "compressed" : "not compressed",
                 a->h.encrypted ? "AES-256 encrypted" : "not encrypted", a->list->n);
    return err;
}

static int open_folder(const char *path, spy_acq *out)
{
    android_acq *a = andr_new(SPY_ACQ_ANDROID_BACKUP, path);
    int err = andr_folder_open(a, path, "");
    if (err != SPY_OK) {
        andr_free(a);
        return err == SPY_ENOTFOUND ? SPY_EFORMAT : err;
    }
    bool apps = false;
    for (size_t i = 0; i < a->n && !apps; i++)
        apps = !strncmp(a->m[i].path, "apps/", 5);
    if (!apps)
        spy_warn(LOGGER, "%s: no apps/ folder: give the folder holding the unpacked backup's apps/",
                 path);
    spy_info(LOGGER, "%s: unpacked Android backup folder: %zu files", path, a->n);
    *out =
        (spy_acq){.kind = SPY_ACQ_ANDROID_BACKUP, .path = path, .impl = a, .ops = &spy_android_ops};
    return SPY_OK;
}

int spy_android_backup_open(const char *path, const spy_secret_opts *so, spy_acq *out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        spy_error(LOGGER, "%s: %s", path,
                  errno == ENOENT ? "no such file or folder" : "cannot be examined");
        return SPY_ENOTFOUND;
    }
    if (S_ISDIR(st.st_mode))
        return open_folder(path, out);
    if (!S_ISREG(st.st_mode)) {
        spy_error(LOGGER,
                  "%s: Invalid backup path, path should be a folder or an Android Backup (.ab) "
                  "file",
                  path);
        return SPY_EFORMAT;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        spy_error(LOGGER, "%s: cannot be read", path);
        return SPY_EIO;
    }
    ab_acq *a = abk_acq_new(path);
    a->src = (abk_src){.fd = fd, .size = (uint64_t)st.st_size};
    char *why = NULL;
    int err = open_ab(a, so, &why);
    if (err != SPY_OK && err != SPY_EPASSWORD) {
        if (why && !strcmp(why, ABK_NOT_A_BACKUP))
            spy_error(LOGGER, "%s: %s", path, why);
        else
            spy_error(LOGGER, "%s: Impossible to parse this backup file: %s", path,
                      why ? why : spy_err_str(err));
    }
    free(why);
    if (err != SPY_OK) {
        abk_acq_free(a);
        return err == SPY_EPASSWORD ? err : err == SPY_EIO ? SPY_EIO : SPY_EFORMAT;
    }
    *out = (spy_acq){.kind = SPY_ACQ_ANDROID_BACKUP, .path = path, .impl = a, .ops = &abk_acq_ops};
    return SPY_OK;
}

int spy_androidqf_open_nested_backup(const spy_acq *parent, const spy_secret_opts *so, spy_acq *out)
{
    const android_acq *p = parent && parent->ops == &spy_android_ops ? parent->impl : NULL;
    const andr_member *m = p ? andr_first(p, "*backup.ab") : NULL;
    if (!m) {
        spy_warn(LOGGER, "Skipping backup modules as no backup.ab found in AndroidQF data.");
        return SPY_ENOTFOUND;
    }
    ab_acq *a = abk_acq_new(m->path);
    int err;
    if (p->zip || p->view) {
        /* Inside a ZIP: read into memory, as MVT does (bounded). */
        void *buf = NULL;
        size_t len = 0;
        err = andr_read(p, m, ABK_MAX_NESTED_BYTES, &buf, &len);
        if (err == SPY_OK)
            a->src = (abk_src){.fd = -1, .mem = buf, .size = len};
        a->mem_owned = buf;
    } else {
        int fd = -1;
        struct stat st;
        err = andr_folder_open_fd(p, m, &fd);
        if (err == SPY_OK && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)))
            err = SPY_EIO;
        if (err == SPY_OK)
            a->src = (abk_src){.fd = fd, .size = (uint64_t)st.st_size};
        else if (fd >= 0)
            close(fd);
    }
    char *why = NULL;
    if (err == SPY_OK)
        err = open_ab(a, so, &why);
    else
        why = spy_xstrdup("the file could not be read");
    if (err != SPY_OK && err != SPY_EPASSWORD)
        spy_warn(LOGGER, "Skipping backup modules as backup.ab is malformed: %s",
                 why ? why : spy_err_str(err));
    free(why);
    if (err != SPY_OK) {
        abk_acq_free(a);
        return err == SPY_EPASSWORD ? err : SPY_EFORMAT;
    }
    spy_info(LOGGER, "Running the backup modules on %s", m->path);
    *out =
        (spy_acq){.kind = SPY_ACQ_ANDROID_BACKUP, .path = m->path, .impl = a, .ops = &abk_acq_ops};
    return SPY_OK;
}
