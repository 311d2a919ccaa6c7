/* ZIP mode of the Android readers: libarchive's seekable ZIP reader (the
 * central directory) over a file or a memory buffer, the cursors over that
 * source (android_zip.h) and the member list, read once. A whole-member
 * read walks one kept cursor forward (or reopens it) to the member; the
 * data itself is read in android_zip_data.c. */
#include "acquire/android_zip.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.android"
#define BLOCK  (64u * 1024u)

static la_ssize_t src_read(struct archive *ar, void *ud, const void **out)
{
    (void)ar;
    andr_zcur *c = ud;
    const andr_zip *z = c->z;
    if (c->off >= z->size)
        return 0;
    size_t want = z->size - c->off < BLOCK ? (size_t)(z->size - c->off) : BLOCK;
    if (z->mem) {
        *out = z->mem + c->off;
    } else {
        if (!c->block)
            c->block = spy_xmalloc(BLOCK);
        ssize_t r;
        do
            r = pread(z->fd, c->block, want, (off_t)c->off);
        while (r < 0 && errno == EINTR);
        if (r < 0)
            return ARCHIVE_FATAL;
        want = (size_t)r;
        *out = c->block;
    }
    c->off += want;
    c->consumed += want;
    return (la_ssize_t)want;
}

static la_int64_t src_seek(struct archive *ar, void *ud, la_int64_t offset, int whence)
{
    (void)ar;
    andr_zcur *c = ud;
    uint64_t size = c->z->size;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)c->off : (int64_t)size;
    int64_t to = base + offset;
    if (to < 0)
        return ARCHIVE_FATAL;
    c->off = (uint64_t)to > size ? size : (uint64_t)to;
    return (la_int64_t)c->off;
}

static la_int64_t src_skip(struct archive *ar, void *ud, la_int64_t request)
{
    (void)ar;
    andr_zcur *c = ud;
    uint64_t left = c->z->size - c->off;
    uint64_t n = request < 0 ? 0 : (uint64_t)request > left ? left : (uint64_t)request;
    c->off += n;
    return (la_int64_t)n;
}

void andr_zcur_init(andr_zcur *c, andr_zip *z)
{
    *c = (andr_zcur){.z = z};
}

static void drop_reader(andr_zcur *c)
{
    if (c->ar)
        archive_read_free(c->ar);
    c->ar = NULL;
    c->pos = 0;
}

void andr_zcur_free(andr_zcur *c)
{
    drop_reader(c);
    free(c->block);
    c->block = NULL;
}

static bool src_pread(void *ud, uint64_t off, void *buf, size_t len);

/* A ZIP of no entries: its end record alone, as Python's zipfile writes one.
 * libarchive does not recognise it, which is no reason to call it
 * truncated. */
static bool empty_zip(andr_zip *z)
{
    static const unsigned char zeros[16];
    unsigned char h[22];
    /* After the signature: disk numbers, entry counts, directory size and
     * offset, all zero; a comment may follow. */
    return src_pread(z, 0, h, sizeof h) && !memcmp(h, "PK\x05\x06", 4) &&
           !memcmp(h + 4, zeros, sizeof zeros);
}

int andr_zcur_reopen(andr_zcur *c, char **why)
{
    drop_reader(c);
    c->off = 0;
    struct archive *ar = archive_read_new();
    archive_read_support_format_zip_seekable(ar);
    /* Names without the UTF-8 flag are CP437, as Python's zipfile reads them. */
    archive_read_set_options(ar, "zip:hdrcharset=CP437");
    archive_read_set_read_callback(ar, src_read);
    archive_read_set_seek_callback(ar, src_seek);
    archive_read_set_skip_callback(ar, src_skip);
    archive_read_set_callback_data(ar, c);
    if (archive_read_open1(ar) != ARCHIVE_OK) {
        if (why) {
            const char *e = archive_error_string(ar);
            /* The seekable reader starts from the central directory at the
             * end: without it libarchive only says it does not know the
             * format. */
            bool unknown = !e || !strcmp(e, "Unrecognized archive format");
            *why = spy_xstrdup(unknown && empty_zip(c->z) ? "the ZIP holds no files"
                               : unknown ? "truncated or damaged ZIP (no central directory)"
                                         : e);
        }
        archive_read_free(ar);
        return SPY_EFORMAT;
    }
    c->ar = ar;
    return SPY_OK;
}

static andr_zip *zip_new(const char *label)
{
    andr_zip *z = spy_xcalloc(1, sizeof *z);
    z->fd = -1;
    z->label = spy_xstrdup(label);
    pthread_mutex_init(&z->lock, NULL);
    andr_zcur_init(&z->cur, z);
    return z;
}

void andr_zip_close(andr_zip *z)
{
    if (!z)
        return;
    andr_zcur_free(&z->cur);
    if (z->fd >= 0)
        close(z->fd);
    free(z->mem);
    free(z->label);
    pthread_mutex_destroy(&z->lock);
    free(z);
}

int andr_zip_open_fd(android_acq *a, int fd, const char *label)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return SPY_EIO;
    }
    andr_zip *z = zip_new(label);
    z->fd = fd;
    z->size = (uint64_t)st.st_size;
    a->zip = z;
    return SPY_OK;
}

int andr_zip_open_mem(android_acq *a, void *buf, size_t len, const char *label)
{
    andr_zip *z = zip_new(label);
    z->mem = buf;
    z->size = len;
    a->zip = z;
    return SPY_OK;
}

/* Why a member name is refused, or NULL. */
static const char *bad_name(const char *name)
{
    if (!*name)
        return "an empty name";
    if (strlen(name) > SPY_ANDROID_MAX_NAME_LEN)
        return "a name too long";
    if (name[0] == '/' || name[0] == '\\' ||
        (((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':'))
        return "an absolute path";
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/\\");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return "a path escaping the archive ('..')";
        p += n;
        if (*p)
            p++;
    }
    return NULL;
}

static const char *bad_type(struct archive_entry *e)
{
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

static bool src_pread(void *ud, uint64_t off, void *buf, size_t len)
{
    andr_zip *z = ud;
    if (off > z->size || len > z->size - off)
        return false;
    if (z->mem) {
        memcpy(buf, z->mem + off, len);
        return true;
    }
    for (size_t got = 0; got < len;) {
        ssize_t r = pread(z->fd, (char *)buf + got, len - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

/* Whether the central directory entry at this position is this entry: the
 * same name (a CP437 name that is not ASCII cannot be compared with the
 * UTF-8 one; its position vouches for it). */
static bool same_entry(const andr_dos_entry *dos, const char *name)
{
    bool ascii = true;
    for (size_t i = 0; i < dos->name_len && ascii; i++)
        ascii = dos->name[i] < 0x80;
    if (!dos->utf8 && !ascii)
        return true;
    return dos->name_len == strlen(name) && !memcmp(dos->name, name, dos->name_len);
}

/* The central directory's DOS time when it is this entry's, as MVT sees
 * it; else libarchive's time. */
static void entry_mtime(struct archive_entry *e, const andr_dos_entry *dos, const char *name,
                        char out[32])
{
    out[0] = '\0';
    if (dos && same_entry(dos, name)) {
        andr_dos_iso(dos->date, dos->time, out);
        return;
    }
    if (!archive_entry_mtime_is_set(e))
        return;
    /* DOS times are local and whole seconds; libarchive made them a
     * time_t through mktime, localtime_r gives the fields back. */
    time_t t = archive_entry_mtime(e);
    struct tm tm;
    char base[24];
    if (localtime_r(&t, &tm) && strftime(base, sizeof base, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, 32, "%s.000000", base);
}

/* Lists every entry; with root_prefix, "<root_prefix>" goes before every
 * name when some regular file sits at the archive root. */
int andr_zip_list(android_acq *a, const char *root_prefix, char **why)
{
    andr_zip *z = a->zip;
    pthread_mutex_lock(&z->lock);
    andr_dos_entry *dos = NULL;
    unsigned char *cd = NULL;
    size_t n_dos = andr_zip_dos_list(src_pread, z, z->size, &dos, &cd);
    int err = andr_zcur_reopen(&z->cur, why);
    size_t start = a->n;
    bool at_root = false;
    struct archive_entry *e;
    size_t ordinal = 0;
    int r = ARCHIVE_OK;
    /* ARCHIVE_WARN: a non-ASCII name with no form in the C locale; that
     * member is judged below, the archive is not refused for it. */
    while (err == SPY_OK &&
           ((r = archive_read_next_header(z->cur.ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
        size_t ord = ordinal++;
        z->cur.pos = ordinal;
        if (archive_entry_filetype(e) == AE_IFDIR)
            continue;
        const char *name = archive_entry_pathname_utf8(e);
        const char *raw = archive_entry_pathname(e);
        const char *why_bad = !name ? "a name that is not valid text" : bad_name(name);
        if (!why_bad)
            why_bad = bad_type(e);
        if (!why_bad && archive_entry_is_encrypted(e))
            why_bad = "encrypted";
        if (why_bad) {
            spy_warn(LOGGER, "%s: leaving out member '%s': %s", a->label,
                     name  ? name
                     : raw ? raw
                           : "?",
                     why_bad);
            continue;
        }
        if (a->n - start >= SPY_ANDROID_MAX_MEMBERS) {
            spy_error(LOGGER, "%s: more than %u members; not an acquisition spyscan can list",
                      a->label, SPY_ANDROID_MAX_MEMBERS);
            err = SPY_ELIMIT;
            break;
        }
        at_root = at_root || !strchr(name, '/');
        char mt[32];
        entry_mtime(e, ord < n_dos ? &dos[ord] : NULL, name, mt);
        andr_add(a, name, mt[0] ? mt : NULL, ord);
    }
    if (err == SPY_OK && r != ARCHIVE_EOF) {
        const char *msg = archive_error_string(z->cur.ar);
        if (why)
            *why = spy_xstrdup(msg ? msg : "damaged archive");
        err = SPY_EFORMAT;
    }
    andr_zcur_free(&z->cur);
    pthread_mutex_unlock(&z->lock);
    free(dos);
    free(cd);
    if (err == SPY_OK && root_prefix && at_root) {
        /* Re-list under one virtual top folder, so the AndroidQF modules'
         * "any folder" globs find root-level files (an extension over MVT,
         * spec §1.3.1). */
        spy_strmap_free(a->by_path);
        a->by_path = spy_strmap_new(a->n);
        size_t n = a->n;
        andr_member *old = a->m;
        a->m = NULL;
        a->n = a->cap = 0;
        for (size_t i = 0; i < n; i++) {
            char *p = spy_xasprintf("%s%s", root_prefix, old[i].path);
            andr_add(a, p, old[i].mtime, old[i].ordinal);
            free(p);
            free(old[i].path);
            free(old[i].mtime);
        }
        free(old);
        free(a->prefix);
        a->prefix = spy_xstrdup(root_prefix);
    }
    return err;
}

int andr_zcur_seek(andr_zcur *c, size_t ordinal, struct archive_entry **e, char **why)
{
    if (!c->ar || c->pos > ordinal) {
        int err = andr_zcur_reopen(c, why);
        if (err != SPY_OK)
            return err;
    }
    for (;;) {
        int r = archive_read_next_header(c->ar, e);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) { /* WARN: see andr_zip_list() */
            const char *msg = archive_error_string(c->ar);
            *why = spy_xstrdup(msg ? msg : "the member is gone");
            return SPY_EFORMAT;
        }
        if (c->pos++ == ordinal)
            return SPY_OK;
    }
}
