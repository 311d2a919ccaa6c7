#include "modules/android/aqf_util.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int spy_aqf_read(spy_mod_ctx *ctx, const spy_artifact *art, size_t max, char **buf, size_t *len)
{
    void *data = NULL;
    size_t n = 0;
    *buf = NULL;
    *len = 0;
    int err = spy_acq_read(spy_ctx_acq(ctx), art, max, &data, &n);
    if (err != SPY_OK) {
        spy_error(spy_ctx_logger(ctx), "Unable to read %s: %s", art->label ? art->label : art->path,
                  err == SPY_ELIMIT ? "larger than spyscan accepts" : spy_err_str(err));
        free(data);
        return err;
    }
    *buf = spy_xrealloc(data, n + 1);
    (*buf)[n] = '\0';
    *len = n;
    return SPY_OK;
}

int spy_aqf_open(spy_mod_ctx *ctx, const spy_artifact *art, uint64_t max, spy_stream **s)
{
    int err = spy_acq_open_stream(spy_ctx_acq(ctx), art, max, s);
    if (err != SPY_OK)
        spy_error(spy_ctx_logger(ctx), "Unable to read %s: %s", art->label ? art->label : art->path,
                  err == SPY_ELIMIT ? "larger than spyscan accepts" : spy_err_str(err));
    return err;
}

/* The first artifact matching glob: SPY_ENOTFOUND when there is none. */
static int find_first(spy_mod_ctx *ctx, const char *glob, spy_artifacts *l)
{
    const char *globs[] = {glob, NULL};
    spy_query q = {.globs = globs, .first_only = true};
    int err = spy_acq_find(spy_ctx_acq(ctx), &q, l);
    return err == SPY_OK && l->n == 0 ? SPY_ENOTFOUND : err;
}

int spy_aqf_open_first(spy_mod_ctx *ctx, const char *glob, uint64_t max, spy_stream **s,
                       char **label)
{
    spy_artifacts l = {0};
    *s = NULL;
    *label = NULL;
    int err = find_first(ctx, glob, &l);
    if (err == SPY_OK)
        err = spy_aqf_open(ctx, &l.v[0], max, s);
    if (err == SPY_OK)
        *label = spy_xstrdup(l.v[0].label ? l.v[0].label : l.v[0].path);
    spy_artifacts_free(&l);
    return err;
}

int spy_aqf_read_first(spy_mod_ctx *ctx, const char *glob, size_t max, char **buf, size_t *len,
                       char **label)
{
    spy_artifacts l = {0};
    *buf = NULL;
    *len = 0;
    if (label)
        *label = NULL;
    int err = find_first(ctx, glob, &l);
    if (err == SPY_OK) {
        err = spy_aqf_read(ctx, &l.v[0], max, buf, len);
        if (err == SPY_OK && label)
            *label = spy_xstrdup(l.v[0].label ? l.v[0].label : l.v[0].path);
    }
    spy_artifacts_free(&l);
    return err;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (left < n)
        return 0;
    uint32_t cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t spy_utf8_clean(char *s, size_t len, bool final, size_t *held)
{
    unsigned char *u = (unsigned char *)s;
    size_t r = 0;
    *held = 0;
    /* fast path, 8 bytes at a time: nothing to move until the first
     * non-ASCII byte (files.json is hundreds of MB of ASCII) */
    for (uint64_t w; r + 8 <= len; r += 8) {
        memcpy(&w, u + r, 8);
        if (w & 0x8080808080808080ull)
            break;
    }
    while (r < len && u[r] < 0x80)
        r++;
    size_t w = r;
    while (r < len) {
        if (u[r] < 0x80) {
            u[w++] = u[r++];
            continue;
        }
        /* A sequence cut by the end of this piece is judged with the
         * next one: everything before it is decided already. */
        size_t want = u[r] >= 0xC2 && u[r] <= 0xDF   ? 2
                      : u[r] >= 0xE0 && u[r] <= 0xEF ? 3
                      : u[r] >= 0xF0 && u[r] <= 0xF4 ? 4
                                                     : 1;
        if (!final && want > len - r) {
            memmove(u + w, u + r, len - r);
            *held = len - r;
            return w;
        }
        size_t n = utf8_seq(u + r, len - r);
        if (n == 0) {
            r++; /* one invalid byte dropped */
            continue;
        }
        memmove(u + w, u + r, n);
        w += n;
        r += n;
    }
    return w;
}

size_t spy_utf8_drop_invalid(char *s, size_t len)
{
    size_t held;
    return spy_utf8_clean(s, len, true, &held);
}

const char *spy_aqf_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
