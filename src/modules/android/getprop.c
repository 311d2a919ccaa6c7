#include "modules/android/getprop.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/android/aqf_util.h"
#include "modules/android/br_text.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PATCH_PROPERTY "ro.build.version.security_patch"
/* MVT: datetime.now() - patch > timedelta(days=6 * 31) */
#define PATCH_MAX_AGE (6 * 31 * 86400LL)

static const char *const INTERESTING[] = {"gsm.sim.operator.alpha",
                                          "gsm.sim.operator.iso-country",
                                          "persist.sys.timezone",
                                          "ro.boot.serialno",
                                          "ro.build.version.sdk",
                                          PATCH_PROPERTY,
                                          "ro.product.cpu.abi",
                                          "ro.product.locale",
                                          "ro.product.vendor.manufacturer",
                                          "ro.product.vendor.model",
                                          "ro.product.vendor.name",
                                          NULL};

static int64_t real_now(void)
{
    return (int64_t)time(NULL);
}

static int64_t (*clock_fn)(void) = real_now;

void spy_getprop_set_clock(int64_t (*now)(void))
{
    clock_fn = now ? now : real_now;
}

/* The leftmost match of \[(.+?)\]: \[(.+?)\] in s: both groups non-empty,
 * the name ends at the first "]: [" that leaves a value followed by ']'. */
static bool match_line(br_span s, br_span *name, br_span *value)
{
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] != '[')
            continue;
        for (size_t j = i + 2; j + 4 <= s.n; j++) {
            if (memcmp(s.p + j, "]: [", 4) != 0)
                continue;
            size_t v = j + 4;
            const char *close = v + 1 < s.n ? memchr(s.p + v + 1, ']', s.n - v - 1) : NULL;
            if (!close)
                break; /* no later name end can find a value either */
            *name = (br_span){s.p + i + 1, j - i - 1};
            *value = (br_span){s.p + v, (size_t)(close - (s.p + v))};
            return true;
        }
    }
    return false;
}

size_t spy_getprop_parse(const char *text, size_t len, spy_getprop_cb cb, void *ud)
{
    const char *cur = text, *end = text + len;
    br_span line, name, value;
    size_t n = 0;
    while (br_next_line(&cur, end, &line)) {
        line = br_trim(line);
        if (line.n && match_line(line, &name, &value)) {
            cb(name.p, name.n, value.p, value.n, ud);
            n++;
        }
    }
    return n;
}

typedef struct tz_find {
    char *tz;
} tz_find;

static void tz_cb(const char *name, size_t nlen, const char *value, size_t vlen, void *ud)
{
    tz_find *f = ud;
    if (!f->tz && nlen == strlen("persist.sys.timezone") &&
        memcmp(name, "persist.sys.timezone", nlen) == 0)
        f->tz = spy_xstrndup(value, vlen);
}

char *spy_getprop_timezone(const char *text, size_t len)
{
    tz_find f = {0};
    spy_getprop_parse(text, len, tz_cb, &f);
    return f.tz;
}

typedef struct emit_state {
    spy_mod_ctx *ctx;
    int err;
} emit_state;

static void emit_cb(const char *name, size_t nlen, const char *value, size_t vlen, void *ud)
{
    emit_state *e = ud;
    if (e->err != SPY_OK)
        return;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "name", json_stringn_nocheck(name, nlen));
    json_object_set_new_nocheck(rec, "value", json_stringn_nocheck(value, vlen));
    e->err = spy_emit(e->ctx, rec);
}

int spy_getprop_emit(spy_mod_ctx *ctx, const char *text, size_t len, size_t *n)
{
    /* MVT decodes with errors="ignore" (bug report) or strictly (AndroidQF,
     * which then fails whole); dropping the bad bytes keeps the rest. */
    char *copy = spy_xmemdup0(text, len); /* all len bytes: NULs included */
    size_t clean = spy_utf8_drop_invalid(copy, len);
    emit_state e = {ctx, SPY_OK};
    *n = spy_getprop_parse(copy, clean, emit_cb, &e);
    free(copy);
    return e.err;
}

/* strptime("%Y-%m-%d"): 4-digit year, 1-2 digit month and day. */
static bool parse_patch(const char *s, int *y, int *m, int *d)
{
    int v[3] = {0, 0, 0};
    const char *p = s;
    for (int f = 0; f < 3; f++) {
        int digits = 0, max = f == 0 ? 4 : 2;
        while (*p >= '0' && *p <= '9' && digits < max) {
            v[f] = v[f] * 10 + (*p++ - '0');
            digits++;
        }
        if (!digits || (f < 2 && *p++ != '-'))
            return false;
    }
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (*p || v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1] ||
        (v[1] == 2 && v[2] == 29 && !leap))
        return false;
    *y = v[0];
    *m = v[1];
    *d = v[2];
    return true;
}

static void check_patch(spy_mod_ctx *ctx, const char *value)
{
    int y, m, d;
    if (!parse_patch(value, &y, &m, &d)) {
        spy_warn(spy_ctx_logger(ctx), "Unable to read the security patch level \"%s\"", value);
        return;
    }
    /* MVT compares with the analyst's naive local time */
    time_t now = (time_t)clock_fn();
    struct tm tm;
    long gmtoff = localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;
    int64_t age = (int64_t)now + gmtoff - spy_unix_from_utc(y, m, d, 0, 0, 0);
    if (age > PATCH_MAX_AGE)
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL,
                        "This phone has not received security updates for more than six months "
                        "(last update: %s).",
                        value);
}

void spy_getprop_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *name = spy_kit_str(r, "name");
    const char *value = spy_kit_str(r, "value");
    if (!name)
        return;
    for (size_t i = 0; INTERESTING[i]; i++)
        if (strcmp(name, INTERESTING[i]) == 0)
            spy_info(spy_ctx_logger(ctx), "%s: %s", name, value ? value : "None");
    if (value && strcmp(name, PATCH_PROPERTY) == 0)
        check_patch(ctx, value);
    /* MVT stores the indicator in the record too */
    spy_check_ioc_mark(ctx, SPY_CHECK_ANDROID_PROPERTY, name, "");
}
