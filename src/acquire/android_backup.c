/* The tar inside an .ab, read with libarchive from the decrypt -> inflate
 * stream (android_backup_stream.c). At open one pass lists the members and
 * reads the stream to its end, so a damaged end (zlib checksum, padding) is
 * found before any module runs. That pass keeps small members in memory
 * within a fixed budget (the SMS backups modules read are a few KiB to a
 * few MiB, and a second pass over a GiB backup costs seconds of inflate);
 * read() of any other member walks one kept reader forward to it, or
 * restarts the stream when it lies behind. Memory is bounded whatever the
 * backup's size; nothing is written anywhere. */
#include "acquire/android_backup_internal.h"
#include "acquire/android_backup_acq.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.android_backup"
#define BLOCK  (64u * 1024u)

static int read_data(ab_acq *a, struct archive_entry *e, size_t max, char **out, size_t *out_len,
                     char **why);

static la_ssize_t tar_read(struct archive *ar, void *ud, const void **out)
{
    ab_acq *a = ud;
    ssize_t r = abk_stream_pull(a->st, out);
    if (r < 0) {
        const char *why;
        abk_stream_error(a->st, &why);
        archive_set_error(ar, EINVAL, "%s", why);
        return ARCHIVE_FATAL;
    }
    return (la_ssize_t)r;
}

static void drop_reader(ab_acq *a)
{
    if (a->ar)
        archive_read_free(a->ar);
    a->ar = NULL;
    abk_stream_free(a->st);
    a->st = NULL;
    a->pos = 0;
}

/* A fresh stream and tar reader at the first entry. */
static int reopen(ab_acq *a, char **why)
{
    drop_reader(a);
    a->st = abk_stream_new(&a->src, &a->h, a->h.encrypted ? &a->keys : NULL);
    struct archive *ar = archive_read_new();
    archive_read_support_format_tar(ar);
    /* Android writes UTF-8 names (Python's tarfile reads them so). */
    archive_read_set_options(ar, "tar:hdrcharset=UTF-8");
    if (archive_read_open(ar, a, NULL, tar_read, NULL) != ARCHIVE_OK) {
        const char *sw;
        int err = abk_stream_error(a->st, &sw);
        if (err != SPY_OK) {
            *why = spy_xstrdup(sw);
        } else {
            const char *e = archive_error_string(ar);
            *why = spy_xasprintf("not a tar stream (%s)", e ? e : "unknown format");
            err = SPY_EFORMAT;
        }
        archive_read_free(ar);
        return err;
    }
    a->ar = ar;
    return SPY_OK;
}

/* The reason of a failed header or data read: the stream's, else tar's. */
static int read_failure(ab_acq *a, char **why)
{
    const char *sw;
    int err = abk_stream_error(a->st, &sw);
    if (err != SPY_OK) {
        *why = spy_xstrdup(sw);
        return err;
    }
    const char *e = archive_error_string(a->ar);
    *why = spy_xasprintf("damaged tar stream (%s)", e ? e : "unknown error");
    return SPY_EFORMAT;
}

/* Why a member is left out, or NULL. */
static const char *refused(struct archive_entry *e, const char *name)
{
    if (!name)
        return "a name that is not valid text";
    if (!*name)
        return "an empty name";
    if (strlen(name) > SPY_ANDROID_MAX_NAME_LEN)
        return "a name too long";
    if (name[0] == '/')
        return "an absolute path";
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return "a path escaping the backup ('..')";
        p += n + (p[n] ? 1 : 0);
    }
    if (archive_entry_hardlink(e))
        return "a hard link";
    switch (archive_entry_filetype(e)) {
    case AE_IFREG: return NULL;
    case AE_IFLNK: return "a symbolic link";
    case AE_IFCHR:
    case AE_IFBLK: return "a device";
    default: return "not a regular file";
    }
}

/* Keeps member i's data when it fits the cache budget. */
static int keep_small(ab_acq *a, struct archive_entry *e, size_t i, char **why)
{
    if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0 ||
        (uint64_t)archive_entry_size(e) > ABK_CACHE_MEMBER ||
        a->cache_total + (uint64_t)archive_entry_size(e) > a->cache_budget)
        return SPY_OK;
    if (i >= a->cache_cap) {
        size_t cap = a->list->cap > i ? a->list->cap : i + 1;
        a->cache = spy_xreallocarray(a->cache, cap, sizeof *a->cache);
        memset(a->cache + a->cache_cap, 0, (cap - a->cache_cap) * sizeof *a->cache);
        a->cache_cap = cap;
    }
    char *data = NULL;
    size_t len = 0;
    int err = read_data(a, e, (size_t)archive_entry_size(e), &data, &len, why);
    if (err == SPY_OK) {
        a->cache[i] = (abk_cached){.data = data, .len = len};
        a->cache_total += len;
    }
    return err;
}

int abk_acq_list(ab_acq *a, char **why)
{
    pthread_mutex_lock(&a->lock);
    int err = reopen(a, why);
    struct archive_entry *e;
    size_t ordinal = 0;
    int r = ARCHIVE_OK;
    while (err == SPY_OK &&
           ((r = archive_read_next_header(a->ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
        size_t ord = ordinal++;
        a->pos = ordinal;
        if (archive_entry_filetype(e) == AE_IFDIR)
            continue;
        const char *name = archive_entry_pathname_utf8(e);
        const char *bad = refused(e, name);
        if (bad) {
            const char *raw = archive_entry_pathname(e);
            spy_warn(LOGGER, "%s: leaving out member '%s': %s", a->label,
                     name  ? name
                     : raw ? raw
                           : "?",
                     bad);
            a->n_refused++;
            continue;
        }
        if (a->list->n >= SPY_ANDROID_MAX_MEMBERS) {
            *why = spy_xasprintf("more than %u members", SPY_ANDROID_MAX_MEMBERS);
            err = SPY_ELIMIT;
            break;
        }
        char mt[32] = "";
        if (archive_entry_mtime_is_set(e))
            andr_local_iso((int64_t)archive_entry_mtime(e), 0, mt);
        size_t before = a->list->n;
        andr_add(a->list, name, mt[0] ? mt : NULL, ord);
        if (a->list->n > before)
            err = keep_small(a, e, before, why);
    }
    if (err == SPY_OK && r != ARCHIVE_EOF)
        err = read_failure(a, why);
    if (err == SPY_OK && abk_stream_finish(a->st) != SPY_OK)
        err = read_failure(a, why);
    drop_reader(a);
    pthread_mutex_unlock(&a->lock);
    return err;
}

/* Positions the reader on entry ordinal. */
static int seek_entry(ab_acq *a, size_t ordinal, struct archive_entry **e, char **why)
{
    if (!a->ar || a->pos > ordinal) {
        int err = reopen(a, why);
        if (err != SPY_OK)
            return err;
    }
    for (;;) {
        int r = archive_read_next_header(a->ar, e);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            return read_failure(a, why);
        if (a->pos++ == ordinal)
            return SPY_OK;
    }
}

static int read_data(ab_acq *a, struct archive_entry *e, size_t max, char **out, size_t *out_len,
                     char **why)
{
    if (archive_entry_size_is_set(e) && (uint64_t)archive_entry_size(e) > max) {
        *why = spy_xasprintf("has %lld bytes, more than the %zu read for it",
                             (long long)archive_entry_size(e), max);
        return SPY_ELIMIT;
    }
    /* The declared size is within max: a tar entry's data is exactly it. */
    size_t cap = archive_entry_size_is_set(e) ? (size_t)archive_entry_size(e) + 1 : BLOCK;
    size_t len = 0;
    char *buf = spy_xmalloc(cap);
    for (;;) {
        if (cap - len < 2) {
            cap = cap * 2 + BLOCK;
            buf = spy_xrealloc(buf, cap);
        }
        la_ssize_t r = archive_read_data(a->ar, buf + len, cap - len - 1);
        if (r == 0)
            break;
        if (r < 0 || len + (size_t)r > max) {
            OPENSSL_cleanse(buf, len);
            free(buf);
            if (r >= 0) {
                *why = spy_xasprintf("expands beyond the %zu bytes read for it", max);
                return SPY_ELIMIT;
            }
            return read_failure(a, why);
        }
        len += (size_t)r;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return SPY_OK;
}

static int ab_read(const spy_acq *acq, const spy_artifact *art, size_t max, void **buf, size_t *len)
{
    ab_acq *a = acq->impl;
    const andr_member *m = art && art->path ? andr_lookup(a->list, art->path) : NULL;
    if (!m)
        return SPY_ENOTFOUND;
    char *why = NULL, *data = NULL;
    size_t n = 0, i = (size_t)(m - a->list->m);
    if (i < a->cache_cap && a->cache[i].data) {
        const abk_cached *c = &a->cache[i];
        if (c->len > max) {
            spy_error(LOGGER, "%s: member %s: has %zu bytes, more than the %zu read for it",
                      a->label, m->path, c->len, max);
            return SPY_ELIMIT;
        }
        data = spy_xmalloc(c->len + 1);
        memcpy(data, c->data, c->len);
        data[c->len] = '\0';
        *buf = data;
        *len = c->len;
        return SPY_OK;
    }
    pthread_mutex_lock(&a->lock);
    struct archive_entry *e = NULL;
    int err = seek_entry(a, m->ordinal, &e, &why);
    if (err == SPY_OK)
        err = read_data(a, e, max, &data, &n, &why);
    if (err != SPY_OK)
        drop_reader(a); /* a reader that failed mid-entry is not reused */
    pthread_mutex_unlock(&a->lock);
    if (err != SPY_OK) {
        spy_error(LOGGER, "%s: member %s: %s", a->label, m->path, why ? why : spy_err_str(err));
        free(why);
        return err;
    }
    *buf = data;
    *len = n;
    return SPY_OK;
}

static int ab_find(const spy_acq *acq, const spy_query *q, spy_artifacts *out)
{
    const ab_acq *a = acq->impl;
    if (!q->globs)
        return SPY_OK;
    for (size_t i = 0; i < a->list->n; i++) {
        const andr_member *m = &a->list->m[i];
        bool hit = false;
        for (size_t g = 0; q->globs[g] && !hit; g++)
            hit = spy_fnmatch(q->globs[g], m->path);
        if (!hit)
            continue;
        spy_artifacts_add(out, NULL, m->path, NULL, 0);
        out->v[out->n - 1].mtime = m->mtime ? spy_xstrdup(m->mtime) : NULL;
        if (q->first_only)
            break;
    }
    return SPY_OK;
}

static int ab_open_db(const spy_acq *acq, const spy_artifact *art, sqlite3 **db)
{
    (void)acq;
    (void)art;
    (void)db;
    return SPY_EUNSUPPORTED;
}

ab_acq *abk_acq_new(const char *label)
{
    ab_acq *a = spy_xcalloc(1, sizeof *a);
    a->label = spy_xstrdup(label);
    a->src.fd = -1;
    a->cache_budget = ABK_CACHE_BUDGET;
    a->list = andr_new(SPY_ACQ_ANDROID_BACKUP, label);
    pthread_mutex_init(&a->lock, NULL);
    return a;
}

void abk_acq_free(ab_acq *a)
{
    if (!a)
        return;
    drop_reader(a);
    OPENSSL_cleanse(&a->keys, sizeof a->keys);
    for (size_t i = 0; i < a->cache_cap; i++) {
        if (a->cache[i].data)
            OPENSSL_cleanse(a->cache[i].data, a->cache[i].len); /* plaintext */
        free(a->cache[i].data);
    }
    free(a->cache);
    if (a->src.fd >= 0)
        close(a->src.fd);
    free(a->mem_owned);
    andr_free(a->list);
    pthread_mutex_destroy(&a->lock);
    free(a->label);
    free(a);
}

static void ab_close(spy_acq *acq)
{
    abk_acq_free(acq->impl);
}

const spy_acq_ops abk_acq_ops = {
    .find = ab_find, .open_db = ab_open_db, .read = ab_read, .close = ab_close};
