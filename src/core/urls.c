/* urls.json (spec/outputs.md §3.6): one sink per module so the file lists
 * URLs in module order whatever the thread scheduling (design.md §6). A
 * sink holds packed records in memory and appends them to its own spill
 * file in the scratch folder once it passes SPILL_BYTES, so memory stays
 * flat however many messages an acquisition holds. Records are kept as
 * length-prefixed bytes (not JSON) so they reach the emitter unchanged. */
#include "core/writers.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOGGER      "spyscan.output"
#define SPILL_BYTES (1024u * 1024u)
#define NO_FIELD    UINT32_MAX /* length marking a NULL field */

typedef struct url_sink {
    spy_buf mem;
    int spill_fd; /* -1 until the first spill */
} url_sink;

struct spy_urls {
    spy_outdir *d;
    url_sink *sinks;
    size_t n_sinks;
    size_t count; /* atomic: sinks fill from several threads */
    unsigned id;
    int err; /* atomic, sticky */
};

static unsigned g_urls_ids;

static const char *errstr(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0)
        snprintf(buf, n, "error %d", e);
    return buf;
}

static int urls_fail(spy_urls *u, int rc, const char *what, int e)
{
    int zero = 0;
    if (!__atomic_compare_exchange_n(&u->err, &zero, rc, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return u->err;
    char eb[128];
    spy_error(LOGGER, "URLs: cannot %s in %s: %s", what, spy_outdir_path(u->d),
              e ? errstr(e, eb, sizeof eb) : spy_err_str(rc));
    return rc;
}

int spy_urls_new(spy_urls **out, spy_outdir *d, size_t n_modules)
{
    spy_urls *u = spy_xcalloc(1, sizeof *u);
    u->d = d;
    u->n_sinks = n_modules;
    u->sinks = spy_xcalloc(n_modules ? n_modules : 1, sizeof *u->sinks);
    for (size_t i = 0; i < n_modules; i++)
        u->sinks[i].spill_fd = -1;
    u->id = __atomic_add_fetch(&g_urls_ids, 1, __ATOMIC_RELAXED);
    *out = u;
    return SPY_OK;
}

static void put_field(spy_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    uint32_t len = s ? (uint32_t)n : NO_FIELD;
    spy_buf_put(b, (const char *)&len, sizeof len);
    spy_buf_put(b, s, n);
}

static int sink_spill(spy_urls *u, size_t module, url_sink *s)
{
    if (s->spill_fd < 0) {
        int sfd = spy_outdir_scratch_fd(u->d);
        if (sfd < 0)
            return urls_fail(u, SPY_EIO, "use the scratch folder", 0);
        char *name = spy_xasprintf("urls-%u-%zu.spill", u->id, module);
        s->spill_fd = openat(sfd, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
        free(name);
        if (s->spill_fd < 0)
            return urls_fail(u, SPY_EIO, "create a spill file", errno);
    }
    if (spy_write_all(s->spill_fd, s->mem.p, s->mem.len) != SPY_OK)
        return urls_fail(u, SPY_EIO, "write a spill file", errno);
    s->mem.len = 0;
    return SPY_OK;
}

int spy_urls_add(spy_urls *u, size_t module_index, const char *url, const char *expanded_url,
                 const char *timestamp, const char *source)
{
    int rc = __atomic_load_n(&u->err, __ATOMIC_SEQ_CST);
    if (rc)
        return rc;
    if (module_index >= u->n_sinks) { /* a caller's bug: keep the other modules' URLs */
        spy_error(LOGGER, "URLs: module index %zu out of range", module_index);
        return SPY_EINTERNAL;
    }
    url_sink *s = &u->sinks[module_index];
    put_field(&s->mem, url);
    put_field(&s->mem, expanded_url);
    put_field(&s->mem, timestamp);
    put_field(&s->mem, source);
    __atomic_add_fetch(&u->count, 1, __ATOMIC_RELAXED);
    return s->mem.len > SPILL_BYTES ? sink_spill(u, module_index, s) : SPY_OK;
}

size_t spy_urls_count(const spy_urls *u)
{
    return __atomic_load_n(&u->count, __ATOMIC_RELAXED);
}

/* ---- writing urls.json ------------------------------------------------ */

static int emit_url(spy_jw *w, const char *const f[4], const uint32_t len[4])
{
    static const char *const keys[4] = {"url", "expanded_url", "timestamp", "source"};
    spy_jw_begin_object(w);
    for (int i = 0; i < 4; i++) {
        spy_jw_key(w, keys[i], strlen(keys[i]));
        if (len[i] == NO_FIELD)
            spy_jw_null(w);
        else
            spy_jw_string(w, f[i], len[i]);
    }
    return spy_jw_end_object(w);
}

/* Records packed in [p, p+n): produced by put_field, so well-formed. */
static int emit_packed(spy_jw *w, const char *p, size_t n)
{
    if (n == 0)
        return SPY_OK; /* p may be NULL: nothing was packed */
    const char *end = p + n;
    int rc = SPY_OK;
    while (p < end && rc == SPY_OK) {
        const char *f[4];
        uint32_t len[4];
        for (int i = 0; i < 4; i++) {
            memcpy(&len[i], p, sizeof len[i]);
            p += sizeof len[i];
            f[i] = p;
            p += len[i] == NO_FIELD ? 0 : len[i];
        }
        rc = emit_url(w, f, len);
    }
    return rc;
}

/* Reads one field (length, then bytes) of a spilled record. */
static bool read_field(FILE *f, uint32_t *len, char **data)
{
    if (fread(len, sizeof *len, 1, f) != 1)
        return false;
    size_t n = *len == NO_FIELD ? 0 : *len;
    *data = spy_xmalloc(n + 1);
    return n == 0 || fread(*data, n, 1, f) == 1;
}

/* Reads the spill file back one record at a time. */
static int emit_spill(spy_urls *u, spy_jw *w, int fd)
{
    FILE *f = NULL;
    int dfd = dup(fd);
    if (dfd < 0 || lseek(dfd, 0, SEEK_SET) != 0 || !(f = fdopen(dfd, "rb"))) {
        if (dfd >= 0)
            close(dfd);
        return urls_fail(u, SPY_EIO, "read back a spill file", errno);
    }
    int rc = SPY_OK;
    for (;;) {
        uint32_t len[4];
        char *data[4] = {0};
        int got = 0;
        while (got < 4 && read_field(f, &len[got], &data[got]))
            got++;
        if (got == 4)
            rc = emit_url(w, (const char *const *)data, len);
        else if (got > 0 || data[0] || ferror(f))
            rc = urls_fail(u, ferror(f) ? SPY_EIO : SPY_ETRUNCATED, "read back a spill file", 0);
        for (int i = 0; i < 4; i++)
            free(data[i]);
        if (got < 4 || rc != SPY_OK)
            break;
    }
    fclose(f);
    return rc;
}

static int emit_urls(spy_jw *w, void *ctx)
{
    spy_urls *u = ctx;
    int rc = spy_jw_begin_array(w);
    for (size_t i = 0; i < u->n_sinks && rc == SPY_OK; i++) {
        url_sink *s = &u->sinks[i];
        if (s->spill_fd >= 0)
            rc = emit_spill(u, w, s->spill_fd);
        if (rc == SPY_OK)
            rc = emit_packed(w, s->mem.p, s->mem.len);
    }
    return rc == SPY_OK ? spy_jw_end_array(w) : rc;
}

static void drop_spills(spy_urls *u)
{
    int sfd = -1;
    for (size_t i = 0; i < u->n_sinks; i++) {
        url_sink *s = &u->sinks[i];
        if (s->spill_fd < 0)
            continue;
        close(s->spill_fd);
        s->spill_fd = -1;
        if (sfd < 0)
            sfd = spy_outdir_scratch_fd(u->d);
        char *name = spy_xasprintf("urls-%u-%zu.spill", u->id, i);
        unlinkat(sfd, name, 0);
        free(name);
    }
}

int spy_urls_write(spy_urls *u)
{
    int rc = u->err;
    if (rc == SPY_OK && spy_urls_count(u) > 0)
        rc = spy_write_json_file(u->d, "urls.json", emit_urls, u);
    drop_spills(u);
    for (size_t i = 0; i < u->n_sinks; i++)
        spy_buf_free(&u->sinks[i].mem);
    return rc;
}

void spy_urls_free(spy_urls *u)
{
    if (!u)
        return;
    drop_spills(u);
    for (size_t i = 0; i < u->n_sinks; i++)
        spy_buf_free(&u->sinks[i].mem);
    free(u->sinks);
    free(u);
}
