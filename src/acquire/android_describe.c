/* The device line of an Android check: model, Android version and security
 * patch, from getprop.txt (AndroidQF) or the SYSTEM PROPERTIES block of the
 * dumpstate text (bug report). */
#include "acquire/android_internal.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#define LOGGER "spyscan.cli"

enum { P_MODEL, P_VENDOR_MODEL, P_RELEASE, P_PATCH, P_COUNT };
static const char *const wanted[P_COUNT] = {"ro.product.model", "ro.product.vendor.model",
                                            "ro.build.version.release",
                                            "ro.build.version.security_patch"};

/* One getprop line, as MVT's \[(.+?)\]: \[(.+?)\] finds it. */
static bool getprop_line(const char *s, size_t n, const char **name, size_t *nlen, const char **val,
                         size_t *vlen)
{
    const char *end = s + n;
    const char *open = memchr(s, '[', n);
    if (!open)
        return false;
    for (const char *j = open + 2; j + 4 <= end; j++) {
        if (memcmp(j, "]: [", 4) != 0)
            continue;
        const char *k = j + 5 <= end ? memchr(j + 5, ']', (size_t)(end - (j + 5))) : NULL;
        if (!k)
            return false;
        *name = open + 1;
        *nlen = (size_t)(j - open - 1);
        *val = j + 4;
        *vlen = (size_t)(k - j - 4);
        return true;
    }
    return false;
}

static void scan(const char *text, size_t len, char *found[P_COUNT])
{
    for (size_t off = 0; off < len;) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *name, *val;
        size_t nlen, vlen;
        if (getprop_line(text + off, end - off, &name, &nlen, &val, &vlen))
            for (int i = 0; i < P_COUNT; i++)
                if (!found[i] && strlen(wanted[i]) == nlen && !memcmp(wanted[i], name, nlen))
                    found[i] = spy_xstrndup(val, vlen);
        off = nl ? end + 1 : len;
    }
}

void spy_android_describe(const spy_acq *acq)
{
    const android_acq *a = acq->impl;
    char *found[P_COUNT] = {0};
    if (a->kind == SPY_ACQ_ANDROIDQF) {
        const andr_member *m = andr_first(a, "*/getprop.txt");
        void *buf = NULL;
        size_t len = 0;
        if (m && andr_read(a, m, 64u * 1024u * 1024u, &buf, &len) == SPY_OK)
            scan(buf, len, found);
        free(buf);
    } else {
        const char *body = NULL;
        size_t len = 0;
        if (spy_android_properties(acq, &body, &len) == SPY_OK)
            scan(body, len, found);
    }
    const char *model = found[P_MODEL] ? found[P_MODEL] : found[P_VENDOR_MODEL];
    if (model || found[P_RELEASE] || found[P_PATCH])
        spy_info(LOGGER, "Device: %s, Android %s, security patch %s", model ? model : "unknown",
                 found[P_RELEASE] ? found[P_RELEASE] : "unknown",
                 found[P_PATCH] ? found[P_PATCH] : "unknown");
    else
        spy_info(LOGGER, "Device: unknown (no system properties in the acquisition)");
    for (int i = 0; i < P_COUNT; i++)
        free(found[i]);
}
