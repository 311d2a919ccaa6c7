/* The data of ZIP members (android_zip.h): read whole through the shared
 * cursor, or streamed through a cursor of the stream's own. Either way the
 * output is bounded per member, per archive and in expansion ratio (ZIP
 * bombs), and nothing is ever extracted. */
#include "acquire/android_zip.h"
#include "acquire/stream.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#define LOGGER "spyscan.acquire.android"
#define BLOCK  (64u * 1024u)

int andr_zip_check_declared(struct archive_entry *e, uint64_t max, char **why)
{
    if (archive_entry_size_is_set(e) && (uint64_t)archive_entry_size(e) > max) {
        *why = spy_xasprintf("declares %lld bytes, more than the %llu read for it",
                             (long long)archive_entry_size(e), (unsigned long long)max);
        return SPY_ELIMIT;
    }
    return SPY_OK;
}

int andr_zip_check_out(uint64_t len, uint64_t in, uint64_t max, uint64_t total, char **why)
{
    if (len > max) {
        *why = spy_xasprintf("expands beyond the %llu bytes read for it", (unsigned long long)max);
        return SPY_ELIMIT;
    }
    if (len > SPY_ANDROID_ZIP_RATIO_FLOOR && len / (in + 1) > SPY_ANDROID_ZIP_MAX_RATIO) {
        *why = spy_xasprintf("expands more than %u:1 (a ZIP bomb?)", SPY_ANDROID_ZIP_MAX_RATIO);
        return SPY_ELIMIT;
    }
    if (total + len > SPY_ANDROID_ZIP_MAX_TOTAL) {
        *why = spy_xasprintf("the archive expands beyond %llu bytes in all (a ZIP bomb?)",
                             (unsigned long long)SPY_ANDROID_ZIP_MAX_TOTAL);
        return SPY_ELIMIT;
    }
    return SPY_OK;
}

static int read_data(andr_zip *z, struct archive_entry *e, size_t max, char **out, size_t *out_len,
                     char **why)
{
    int err = andr_zip_check_declared(e, max, why);
    if (err != SPY_OK)
        return err;
    /* The declared size is a hint only: a lying header must not make us
     * allocate the maximum up front. */
    size_t cap = BLOCK;
    if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
        cap = (size_t)archive_entry_size(e) < 64u * 1024u * 1024u
                  ? (size_t)archive_entry_size(e) + 1
                  : 64u * 1024u * 1024u;
    size_t len = 0;
    char *buf = spy_xmalloc(cap);
    uint64_t in0 = z->cur.consumed;
    for (;;) {
        if (cap - len < BLOCK + 1) {
            cap = cap * 2 > len + BLOCK + 1 ? cap * 2 : len + BLOCK + 1;
            buf = spy_xrealloc(buf, cap);
        }
        la_ssize_t r = archive_read_data(z->cur.ar, buf + len, BLOCK);
        if (r == 0)
            break;
        if (r < 0) {
            const char *msg = archive_error_string(z->cur.ar);
            *why = spy_xstrdup(msg ? msg : "damaged data");
            err = SPY_EFORMAT;
            break;
        }
        len += (size_t)r;
        err = andr_zip_check_out(len, z->cur.consumed - in0, max, z->total_out, why);
        if (err != SPY_OK)
            break;
    }
    if (err != SPY_OK) {
        free(buf);
        return err;
    }
    z->total_out += len;
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return SPY_OK;
}

int andr_zip_read(const android_acq *a, const andr_member *m, size_t max, void **buf, size_t *len)
{
    andr_zip *z = a->zip;
    char *why = NULL, *data = NULL;
    size_t n = 0;
    pthread_mutex_lock(&z->lock);
    struct archive_entry *e = NULL;
    int err = andr_zcur_seek(&z->cur, m->ordinal, &e, &why);
    if (err == SPY_OK)
        err = read_data(z, e, max, &data, &n, &why);
    if (err != SPY_OK)
        andr_zcur_free(&z->cur); /* a reader that failed mid-entry is not reused */
    pthread_mutex_unlock(&z->lock);
    if (err != SPY_OK) {
        spy_error(LOGGER, "%s: member %s: %s", a->label, m->path, why ? why : spy_err_str(err));
        free(why);
        return err;
    }
    *buf = data;
    *len = n;
    return SPY_OK;
}

/* ---- streams ------------------------------------------------------------- */

typedef struct zip_stream {
    spy_stream base;
    andr_zcur cur; /* its own reader: no lock held between reads */
    const android_acq *a;
    const andr_member *m;
    uint64_t max, out, in0;
} zip_stream;

static void zs_fail(const zip_stream *zs, int err, char *why)
{
    spy_error(LOGGER, "%s: member %s: %s", zs->a->label, zs->m->path, why ? why : spy_err_str(err));
    free(why);
}

static int zs_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    zip_stream *zs = (zip_stream *)s;
    la_ssize_t r = archive_read_data(zs->cur.ar, buf, cap);
    if (r < 0) {
        const char *msg = archive_error_string(zs->cur.ar);
        zs_fail(zs, SPY_EFORMAT, spy_xstrdup(msg ? msg : "damaged data"));
        return SPY_EFORMAT;
    }
    if (r > 0) {
        andr_zip *z = zs->cur.z;
        char *why = NULL;
        uint64_t before = zs->out;
        zs->out += (uint64_t)r;
        /* The archive's total is shared with the other readers. */
        pthread_mutex_lock(&z->lock);
        int err = andr_zip_check_out(zs->out, zs->cur.consumed - zs->in0, zs->max,
                                     z->total_out - before, &why);
        if (err == SPY_OK)
            z->total_out += (uint64_t)r;
        pthread_mutex_unlock(&z->lock);
        if (err != SPY_OK) {
            zs_fail(zs, err, why);
            return err;
        }
    }
    *got = (size_t)r;
    return SPY_OK;
}

static void zs_close(spy_stream *s)
{
    zip_stream *zs = (zip_stream *)s;
    andr_zcur_free(&zs->cur);
    free(zs);
}

int andr_zip_stream(const android_acq *a, const andr_member *m, uint64_t max, spy_stream **out)
{
    zip_stream *zs = spy_xcalloc(1, sizeof *zs);
    zs->base.read = zs_read;
    zs->base.close = zs_close;
    zs->a = a;
    zs->m = m;
    zs->max = max;
    andr_zcur_init(&zs->cur, a->zip);
    char *why = NULL;
    struct archive_entry *e = NULL;
    int err = andr_zcur_seek(&zs->cur, m->ordinal, &e, &why);
    if (err == SPY_OK)
        err = andr_zip_check_declared(e, max, &why);
    if (err != SPY_OK) {
        zs_fail(zs, err, why);
        zs_close(&zs->base);
        return err;
    }
    zs->in0 = zs->cur.consumed;
    *out = &zs->base;
    return SPY_OK;
}
