/* DnsEvent (spec/android.md §4.23): the DNS lookups of Android 16's
 * intrusion logs, with the host name, the addresses it resolved to and the
 * app that asked, each checked against the indicators. */
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/il_util.h"
#include "modules/ios/pyfmt.h"

#include <stdlib.h>
#include <string.h>

static int dns_run(spy_mod_ctx *ctx)
{
    size_t n = 0;
    int err = spy_il_emit_all(ctx, "dns_event", false, &n);
    if (err == SPY_OK)
        spy_info(spy_ctx_logger(ctx), "Identified %zu DNS events", n);
    return err;
}

/* An address as MVT shows and checks it: leading '/' removed (Java's
 * InetAddress.toString()), other values as str(); NULL for the empty and
 * 0.0.0.0 ones it leaves out. free(). */
static char *clean_ip(const json_t *v)
{
    char *s = spy_py_strdup(v);
    if (json_is_string(v)) {
        size_t skip = strspn(s, "/");
        memmove(s, s + skip, strlen(s + skip) + 1);
    }
    if (!*s || strcmp(s, "0.0.0.0") == 0) {
        free(s);
        return NULL;
    }
    return s;
}

static void dns_check(spy_mod_ctx *ctx, const json_t *r)
{
    if (!spy_ctx_iocs(ctx))
        return;
    const char *ts = spy_il_time(r);
    const char *host = json_string_value(json_object_get(r, "hostname"));
    spy_check_ioc(ctx, SPY_CHECK_URL, host, ts, NULL);
    json_t *matched = json_array();
    size_t i;
    const json_t *ip;
    json_array_foreach(json_object_get(r, "ip_addresses"), i, ip)
    {
        char *c = clean_ip(ip);
        if (c && spy_check_ioc(ctx, SPY_CHECK_URL, c, ts, NULL))
            json_array_append_new(matched, json_stringn_nocheck(c, strlen(c)));
        free(c);
    }
    /* Kept in the record (and so in dns_event.json) for the timeline row,
     * as MVT does; the run loop owns the record until it is written. */
    if (json_array_size(matched))
        json_object_set_new_nocheck((json_t *)r, "matched_ips", matched);
    else
        json_decref(matched);
    const char *pkg = json_string_value(json_object_get(r, "package_name"));
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, pkg, ts, NULL);
}

/* "a, b" of the strings of arr (str() of anything else). */
static void join(spy_buf *b, const json_t *arr, bool clean)
{
    size_t i, k = 0;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        char *c = clean ? clean_ip(v) : spy_py_strdup(v);
        if (c) {
            spy_il_puts(b, k++ ? ", " : "");
            spy_il_puts(b, c);
        }
        free(c);
    }
}

static size_t clean_count(const json_t *arr)
{
    size_t i, k = 0;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        char *c = clean_ip(v);
        k += c != NULL;
        free(c);
    }
    return k;
}

static void dns_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    spy_buf b = {0};
    spy_il_puts(&b, "DNS query for ");
    spy_il_put(&b, r, "hostname", "");
    spy_il_puts(&b, " by ");
    spy_il_put(&b, r, "package_name", "");
    const json_t *matched = json_object_get(r, "matched_ips");
    const json_t *ips = json_object_get(r, "ip_addresses");
    if (json_array_size(matched)) {
        spy_il_puts(&b, " [Matched IPs: ");
        join(&b, matched, false);
        spy_il_puts(&b, "]");
    } else if (clean_count(ips)) {
        spy_il_puts(&b, " [IPs: ");
        join(&b, ips, true);
        spy_il_puts(&b, "]");
    }
    char *data = spy_il_take(&b);
    spy_timeline_event(ctx, json_string_value(json_object_get(r, "timestamp")), "dns_query", data);
    free(data);
}

const spy_module spy_mod_dns_event = {
    .name = "DnsEvent",
    .slug = "dns_event",
    .acquisitions = SPY_ACQ_ANDROID_INTRUSION_LOGS,
    .run = dns_run,
    .check = dns_check,
    .timeline = dns_timeline,
};
