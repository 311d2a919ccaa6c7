/* SecurityEvent (spec/android.md §4.25): the SecurityLog events of
 * Android 16's intrusion logs. Heuristics (installed CA certificates,
 * certificate and key-integrity failures, failed wipes and self tests) need
 * no indicators; app ids of started processes, installed packages and ADB
 * commands, and paths pushed or pulled over ADB, are checked against them. */
#include "acquire/intrusion_logs.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/strmap.h"
#include "modules/android/il_util.h"
#include "modules/android/security_event_tags.h"
#include "modules/android/security_event_text.h"
#include "modules/ios/pyfmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct tag_count {
    const char *tag; /* borrowed from the events */
    size_t n, first; /* count, first-seen rank (a stable sort) */
} tag_count;

static int by_count(const void *a, const void *b)
{
    const tag_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static int by_tag(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The tag breakdown and the unknown-tag warning MVT logs after parsing. */
static void log_breakdown(spy_mod_ctx *ctx, tag_count *c, size_t n)
{
    const char *log = spy_ctx_logger(ctx);
    if (!n)
        return;
    qsort(c, n, sizeof *c, by_count);
    spy_info(log, "Security event breakdown:");
    const char **unknown = spy_xcalloc(n, sizeof *unknown);
    size_t n_unknown = 0;
    for (size_t i = 0; i < n; i++) {
        const spy_se_tag *t = spy_se_tag_find(c[i].tag);
        spy_info(log, "  - %s: %zu", t ? t->name : c[i].tag, c[i].n);
        if (!t)
            unknown[n_unknown++] = c[i].tag;
    }
    if (n_unknown) {
        qsort(unknown, n_unknown, sizeof *unknown, by_tag);
        spy_buf b = {0};
        for (size_t i = 0; i < n_unknown; i++) {
            spy_il_puts(&b, i ? ", " : "");
            spy_il_puts(&b, unknown[i]);
        }
        spy_warn(log,
                 "Found unknown intrusion logging security event type(s): %s. Please open an "
                 "issue on GitHub so MVT can add support for them.",
                 b.p);
        spy_buf_free(&b);
    }
    free(unknown);
}

static int se_run(spy_mod_ctx *ctx)
{
    const json_t *events = NULL;
    int err = spy_intrusion_events(spy_ctx_acq(ctx), "security_event", &events);
    if (err != SPY_OK) {
        spy_error(spy_ctx_logger(ctx), "Failed to read the security_event events of %s: %s",
                  spy_ctx_acq(ctx)->path, spy_err_str(err));
        return err;
    }
    /* Counted first, so the breakdown is logged before the alerts, as MVT
     * logs it after parsing and before checking. */
    spy_strmap *seen = spy_strmap_new(64);
    tag_count *c = NULL;
    size_t n = 0, total = 0, i;
    const json_t *ev;
    json_array_foreach(events, i, ev)
    {
        if (!json_is_object(ev))
            continue;
        total++;
        const char *tag = spy_se_event_tag(ev);
        if (!tag)
            continue;
        bool inserted;
        void **slot = spy_strmap_put(seen, tag, strlen(tag), &inserted);
        if (inserted) {
            c = spy_xreallocarray(c, n + 1, sizeof *c);
            c[n] = (tag_count){tag, 0, n};
            *slot = (void *)(uintptr_t)(n++ + 1);
        }
        c[(uintptr_t)*slot - 1].n++;
    }
    spy_strmap_free(seen);
    spy_info(spy_ctx_logger(ctx), "Identified %zu security events", total);
    log_breakdown(ctx, c, n);
    free(c);
    json_array_foreach(events, i, ev)
    {
        if (json_is_object(ev) && (err = spy_emit(ctx, spy_il_record(ctx, ev, true))) != SPY_OK)
            return err;
    }
    return SPY_OK;
}

/* Key-generation failures of the SIM PIN store's cross-reboot key (uid
 * 1001, the phone process) are routine; MVT leaves them out. */
static bool benign_key_failure(const json_t *info)
{
    const char *id = json_string_value(spy_il_get(info, "key_id"));
    const json_t *uid = spy_il_get(info, "uid");
    return id && strcmp(id, "PinStorage_crossReboot_key") == 0 && json_is_number(uid) &&
           json_number_value(uid) == 1001.0;
}

static void heuristics(spy_mod_ctx *ctx, const json_t *r, const char *ts)
{
    const json_t *v;
    if ((v = spy_se_get(r, SPY_SE_CERT_VALIDATION_FAILURE))) {
        char *s = spy_py_strdup(v);
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts, NULL,
                        "Certificate validation failure detected: %s", s);
        free(s);
    }
    if ((v = spy_se_get(r, SPY_SE_KEY_INTEGRITY_VIOLATION))) {
        char *s = spy_py_strdup(v);
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts, NULL, "Key integrity violation detected: %s", s);
        free(s);
    }
    if ((v = spy_se_get(r, SPY_SE_CERT_AUTHORITY_INSTALLED))) {
        const json_t *subject = spy_il_get(v, "subject");
        char *s = spy_il_truthy(subject, false) ? spy_py_strdup(subject) : spy_xstrdup("unknown");
        /* success true or absent: a CA that could intercept TLS traffic */
        if (spy_il_truthy(spy_il_get(v, "success"), true))
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts, NULL, "Certificate authority installed: %s",
                            s);
        else
            spy_warn(spy_ctx_logger(ctx), "Failed certificate authority install attempt: %s", s);
        free(s);
    }
    if (spy_se_get(r, SPY_SE_WIPE_FAILURE))
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts, NULL, "Device wipe failure detected");
    if ((v = spy_se_get(r, SPY_SE_CRYPTO_SELF_TEST_COMPLETED))) {
        bool ok = json_is_object(v) ? spy_il_truthy(json_object_get(v, "success"), true)
                                    : (json_is_true(v) || json_number_value(v) == 1.0);
        if (!ok)
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, ts, NULL, "Cryptographic self test failed");
    }
    if ((v = spy_se_get(r, SPY_SE_KEY_GENERATED)) &&
        !spy_il_truthy(spy_il_get(v, "success"), true) && !benign_key_failure(v)) {
        const json_t *id = spy_il_get(v, "key_id");
        char *s = id ? spy_py_strdup(id) : spy_xstrdup("unknown");
        spy_warn(spy_ctx_logger(ctx), "Failed key generation detected for key_id: %s", s);
        free(s);
    }
}

/* info[key] of the tag (or its alias) as a string to check, or NULL. */
static const char *info_str(const json_t *r, spy_se_tag_id tag, const char *key)
{
    return json_string_value(spy_il_get(spy_se_get(r, tag), key));
}

/* A started process: its whole name, then the first matching of its
 * ':'-separated components after the first (service processes such as
 * "com.app:remote" name other components there). */
static void check_process(spy_mod_ctx *ctx, const char *proc, const char *ts)
{
    if (!proc || !*proc)
        return;
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, proc, ts, NULL);
    const char *colon = strchr(proc, ':');
    if (!colon)
        return;
    char *copy = spy_xstrdup(colon + 1);
    for (char *p = copy, *end; p; p = end ? end + 1 : NULL) {
        end = strchr(p, ':');
        if (end)
            *end = '\0';
        if (*p && spy_check_ioc(ctx, SPY_CHECK_APP_ID, p, ts, NULL))
            break;
    }
    free(copy);
}

static void se_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *ts = spy_il_time(r);
    heuristics(ctx, r, ts);
    if (!spy_ctx_iocs(ctx))
        return;
    check_process(ctx, info_str(r, SPY_SE_APP_PROCESS_START, "process"), ts);
    static const spy_se_tag_id PKG[] = {SPY_SE_PACKAGE_INSTALLED, SPY_SE_PACKAGE_UPDATED,
                                        SPY_SE_PACKAGE_UNINSTALLED};
    for (size_t i = 0; i < sizeof PKG / sizeof PKG[0]; i++)
        spy_check_ioc(ctx, SPY_CHECK_APP_ID, info_str(r, PKG[i], "package_name"), ts, NULL);
    /* MVT compares the whole command with the app ids */
    spy_check_ioc(ctx, SPY_CHECK_APP_ID, info_str(r, SPY_SE_ADB_SHELL_CMD, "command"), ts, NULL);
    spy_check_ioc(ctx, SPY_CHECK_FILE_PATH, info_str(r, SPY_SE_ADB_SYNC_RECV_FILE, "path"), ts,
                  NULL);
    spy_check_ioc(ctx, SPY_CHECK_FILE_PATH, info_str(r, SPY_SE_ADB_SYNC_SEND_FILE, "path"), ts,
                  NULL);
}

static void se_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    const char *event = NULL;
    char *data = spy_se_describe(r, &event);
    spy_timeline_event(ctx, json_string_value(json_object_get(r, "timestamp")), event, data);
    free(data);
}

const spy_module spy_mod_security_event = {
    .name = "SecurityEvent",
    .slug = "security_event",
    .acquisitions = SPY_ACQ_ANDROID_INTRUSION_LOGS,
    .run = se_run,
    .check = se_check,
    .timeline = se_timeline,
};
