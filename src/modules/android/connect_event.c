/* ConnectEvent (spec/android.md §4.24): the network connections of
 * Android 16's intrusion logs, remote address and app checked against the
 * indicators. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/il_util.h"
#include "modules/ios/pyfmt.h"

#include <stdlib.h>
#include <string.h>

static int ce_run(spy_mod_ctx *ctx)
{
    size_t n = 0;
    int err = spy_il_emit_all(ctx, "connect_event", false, &n);
    if (err == SPY_OK)
        spy_info(spy_ctx_logger(ctx), "Identified %zu connection events", n);
    return err;
}

/* The address without Java's "host/" prefix: after the last '/'. */
static const char *clean_ip(const char *s)
{
    const char *slash = strrchr(s, '/');
    return slash ? slash + 1 : s;
}

static void ce_check(spy_mod_ctx *ctx, const json_t *r)
{
    if (!spy_ctx_iocs(ctx))
        return;
    const char *ts = spy_il_time(r);
    const char *ip = json_string_value(json_object_get(r, "ip_address"));
    if (ip && *ip) {
        const char *c = clean_ip(ip);
        /* The alert holds the record itself, so matched_ip set after it
         * still shows in its event, as in MVT (which sets it first). */
        if (*c && strcmp(c, "::1") != 0 && strcmp(c, "127.0.0.1") != 0 &&
            strcmp(c, "0.0.0.0") != 0 && spy_check_ioc(ctx, SPY_CHECK_URL, c, ts, NULL))
            json_object_set_new_nocheck((json_t *)r, "matched_ip",
                                        json_stringn_nocheck(c, strlen(c)));
    }
    const char *pkg = json_string_value(json_object_get(r, "package_name"));
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, pkg, ts, NULL);
}

static void ce_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    spy_buf b = {0};
    const json_t *ipv = json_object_get(r, "ip_address");
    char *ip = ipv ? spy_py_strdup(ipv) : spy_xstrdup("");
    spy_il_puts(&b, "Connection to ");
    spy_il_puts(&b, clean_ip(ip));
    spy_il_puts(&b, ":");
    spy_il_put(&b, r, "port", "0");
    spy_il_puts(&b, " by ");
    spy_il_put(&b, r, "package_name", "");
    const json_t *matched = json_object_get(r, "matched_ip");
    if (spy_il_truthy(matched, false)) {
        spy_il_puts(&b, " [Matched IP: ");
        spy_il_put_value(&b, matched);
        spy_il_puts(&b, "]");
    }
    char *data = spy_il_take(&b);
    spy_timeline_event(ctx, json_string_value(json_object_get(r, "timestamp")),
                       "network_connection", data);
    free(data);
    free(ip);
}

const spy_module spy_mod_connect_event = {
    .name = "ConnectEvent",
    .slug = "connect_event",
    .acquisitions = SPY_ACQ_ANDROID_INTRUSION_LOGS,
    .run = ce_run,
    .check = ce_check,
    .timeline = ce_timeline,
};
