#include "core/tzconv.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"
#include "core/tzrule.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct spy_tz {
    size_t n;      /* transitions */
    int64_t *at;   /* transition times, ascending */
    int32_t *off;  /* offset from each transition on */
    int32_t first; /* offset before the first transition */
    bool has_rule; /* footer rule for times after the last transition */
    spy_tzrule rule;
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzhead {
    uint32_t isut, isstd, leap, time, type, chars;
} tzhead;

static bool head(const unsigned char *p, size_t left, tzhead *h)
{
    if (left < 44 || memcmp(p, "TZif", 4) != 0)
        return false;
    h->isut = be32(p + 20);
    h->isstd = be32(p + 24);
    h->leap = be32(p + 28);
    h->time = be32(p + 32);
    h->type = be32(p + 36);
    h->chars = be32(p + 40);
    /* RFC 8536 §3.2: each count is bounded by what fits in the limit */
    return h->type >= 1 && h->type <= 256 && h->time <= SPY_TZIF_MAX_BYTES &&
           h->leap <= SPY_TZIF_MAX_BYTES && h->chars <= SPY_TZIF_MAX_BYTES && h->isut <= h->type &&
           h->isstd <= h->type;
}

static size_t block_len(const tzhead *h, size_t tsize)
{
    return h->time * tsize + h->time + h->type * 6u + h->chars + h->leap * (tsize + 4) + h->isstd +
           h->isut;
}

/* Fills tz from one data block (tsize 4 for v1, 8 for v2+). */
static bool block(spy_tz *tz, const tzhead *h, const unsigned char *p, size_t tsize)
{
    const unsigned char *idx = p + h->time * tsize;
    const unsigned char *types = idx + h->time;
    tz->n = h->time;
    tz->at = spy_xreallocarray(NULL, tz->n ? tz->n : 1, sizeof *tz->at);
    tz->off = spy_xreallocarray(NULL, tz->n ? tz->n : 1, sizeof *tz->off);
    for (size_t i = 0; i < tz->n; i++) {
        tz->at[i] = tsize == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
        if (idx[i] >= h->type || (i && tz->at[i] <= tz->at[i - 1]))
            return false;
        tz->off[i] = (int32_t)be32(types + idx[i] * 6u);
    }
    /* before the first transition: the first type (RFC 8536 §3.2) */
    tz->first = (int32_t)be32(types);
    return true;
}

int spy_tz_parse(const unsigned char *data, size_t len, spy_tz **out)
{
    *out = NULL;
    tzhead h;
    if (len > SPY_TZIF_MAX_BYTES || !head(data, len, &h) || block_len(&h, 4) > len - 44)
        return SPY_EFORMAT;
    size_t pos = 44;
    size_t tsize = 4;
    if (data[4] >= '2') {
        pos += block_len(&h, 4);
        if (!head(data + pos, len - pos, &h) || block_len(&h, 8) > len - pos - 44)
            return SPY_EFORMAT;
        pos += 44;
        tsize = 8;
    }
    spy_tz *tz = spy_xcalloc(1, sizeof *tz);
    if (!block(tz, &h, data + pos, tsize)) {
        spy_tz_free(tz);
        return SPY_EFORMAT;
    }
    pos += block_len(&h, tsize);
    /* v2+ footer: "\n<POSIX TZ string>\n" */
    if (tsize == 8 && pos < len && data[pos] == '\n') {
        const unsigned char *nl = memchr(data + pos + 1, '\n', len - pos - 1);
        size_t n = nl ? (size_t)(nl - data) - pos - 1 : 0;
        if (n > 0 && n < 128) {
            char s[128];
            memcpy(s, data + pos + 1, n);
            s[n] = '\0';
            tz->has_rule = spy_tzrule_parse(s, &tz->rule);
        }
    }
    *out = tz;
    return SPY_OK;
}

static bool name_ok(const char *name)
{
    if (!*name || *name == '/' || strlen(name) > 255 || strstr(name, ".."))
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              strchr("/_-+", *p)))
            return false;
    return true;
}

int spy_tz_load(const char *name, spy_tz **out)
{
    *out = NULL;
    if (!name || !name_ok(name))
        return SPY_EFORMAT;
    const char *dir = getenv("TZDIR");
    char *path = spy_xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? SPY_ENOTFOUND : SPY_EIO;
    unsigned char *buf = spy_xmalloc(SPY_TZIF_MAX_BYTES + 1);
    size_t len = 0;
    ssize_t n;
    while (len <= SPY_TZIF_MAX_BYTES &&
           (n = read(fd, buf + len, SPY_TZIF_MAX_BYTES + 1 - len)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    int rc = spy_tz_parse(buf, len, out);
    free(buf);
    return rc;
}

void spy_tz_free(spy_tz *tz)
{
    if (!tz)
        return;
    free(tz->at);
    free(tz->off);
    free(tz);
}

/* The offset at t and a span [*lo, *hi] around t where it holds. */
static int32_t lookup(const spy_tz *tz, int64_t t, int64_t *lo, int64_t *hi)
{
    if (tz->n == 0 && !tz->has_rule) {
        *lo = INT64_MIN;
        *hi = INT64_MAX;
        return tz->first;
    }
    if (tz->n > 0 && t < tz->at[0]) {
        *lo = INT64_MIN;
        *hi = tz->at[0] - 1;
        return tz->first;
    }
    if (tz->has_rule && (tz->n == 0 || t >= tz->at[tz->n - 1])) {
        /* The rule's spans would need its change times, which tzrule.c
         * keeps to itself; so only a rule without DST is cached whole. */
        *lo = tz->rule.has_dst ? t : tz->n ? tz->at[tz->n - 1] : INT64_MIN;
        *hi = tz->rule.has_dst ? t : INT64_MAX;
        return spy_tzrule_offset(&tz->rule, t);
    }
    size_t l = 0, h = tz->n; /* last transition <= t */
    while (h - l > 1) {
        size_t mid = l + (h - l) / 2;
        if (tz->at[mid] <= t)
            l = mid;
        else
            h = mid;
    }
    *lo = tz->at[l];
    *hi = l + 1 < tz->n ? tz->at[l + 1] - 1 : INT64_MAX;
    return tz->off[l];
}

int32_t spy_tz_offset(const spy_tz *tz, int64_t t)
{
    int64_t lo, hi;
    return lookup(tz, t, &lo, &hi);
}

int32_t spy_tz_offset_cached(const spy_tz *tz, spy_tz_cache *c, int64_t t)
{
    if (c->tz == tz && t >= c->lo && t <= c->hi)
        return c->off;
    c->off = lookup(tz, t, &c->lo, &c->hi);
    c->tz = tz;
    return c->off;
}
