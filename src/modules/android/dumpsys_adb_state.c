/* DumpsysADBState (spec/android.md §4.11): the ADB trust state of the bug
 * report. In an AndroidQF acquisition (§1.3.4) every trusted host key that
 * is not the acquisition laptop's means another computer was authorised
 * for ADB on the phone: LOW alerts; a stale acquisition key is
 * INFORMATIONAL. Without that context only debug lines, as MVT. */
#include "acquire/android.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/android/adb_b64.h"
#include "modules/android/adb_state_parse.h"
#include "modules/android/dumpsys_section.h"
#include "modules/module_kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int adb_run(spy_mod_ctx *ctx)
{
    const char *body = NULL;
    size_t len = 0;
    int err = spy_dumpsys_body(ctx, "adb", &body, &len);
    if (err != SPY_OK)
        return err;
    json_t *rec = NULL;
    const char *why = NULL;
    if (spy_adb_state_parse(body, len, &rec, &why) != SPY_OK) {
        spy_error(spy_ctx_logger(ctx), "%s", why);
        return len ? SPY_OK : SPY_ENOTFOUND;
    }
    return spy_emit(ctx, rec);
}

/* The first whitespace-separated token. */
static size_t first_token(const char *s, const char **p)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' && s[n] != '\r')
        n++;
    *p = s;
    return n;
}

/* "2026-08-20T10:11:12[.ffffff][Z|+HH:MM]" (naive = UTC) → Unix seconds. */
static bool parse_started(const char *s, double *out)
{
    int y, mo, d, h, mi, sec, used = 0;
    if (!s ||
        sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
        !used)
        return false;
    const char *p = s + used;
    double frac = 0, scale = 0.1;
    if (*p == '.' || *p == ',')
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            frac += (*p - '0') * scale;
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh = 0, om = 0;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) < 1)
            return false;
        off = (*p == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
        p += strlen(p);
    }
    if (*p)
        return false;
    *out = (double)spy_unix_from_utc(y, mo, d, h, mi, sec) + frac - (double)off;
    return true;
}

static bool parse_ms(const json_t *v, double *ms)
{
    const char *s = json_string_value(v);
    if (json_is_integer(v)) {
        *ms = (double)json_integer_value(v);
        return true;
    }
    if (!s || !*s)
        return false;
    char *end = NULL;
    double d = strtod(s, &end);
    if (*end || d != d)
        return false;
    *ms = d;
    return true;
}

typedef struct adb_ctxinfo {
    const char *acq_key; /* first token of adb_host_public_key, if strict base64 */
    size_t acq_key_n;
    bool has_cutoff;
    double cutoff; /* Unix seconds */
} adb_ctxinfo;

static void check_key(spy_mod_ctx *ctx, const adb_ctxinfo *ci, const json_t *k)
{
    const char *fp = spy_kit_str(k, "fingerprint");
    const char *user = spy_kit_str(k, "user");
    const char *key = spy_kit_str(k, "key");
    char *desc = spy_xasprintf("%s (%s)", fp && *fp ? fp : "<unknown key>",
                               user && *user ? user : "unknown user");
    char when[SPY_ISO_LEN] = "";
    double ms = 0;
    bool known = parse_ms(json_object_get(k, "last_connected"), &ms);
    if (known)
        spy_iso_from_unix(ms / 1000.0, when);
    const char *mat = "";
    size_t mat_n = first_token(key ? key : "", &mat);
    if (!spy_b64_strict(mat, mat_n)) {
        spy_alert_raise(ctx, SPY_LEVEL_LOW, when, k, "Found an invalid trusted ADB host key: %s",
                        desc);
    } else if (!ci->acq_key_n) {
        spy_alert_raise(ctx, SPY_LEVEL_LOW, when, k,
                        "Found a trusted ADB host key, but the AndroidQF acquisition does not "
                        "include its host key: %s",
                        desc);
    } else if (mat_n != ci->acq_key_n || memcmp(mat, ci->acq_key, mat_n) != 0) {
        spy_alert_raise(ctx, SPY_LEVEL_LOW, when, k,
                        "Found a trusted ADB host key different from the AndroidQF acquisition "
                        "host: %s",
                        desc);
    } else if (ci->has_cutoff && known && ms / 1000.0 <= ci->cutoff) {
        spy_alert_raise(ctx, SPY_LEVEL_INFORMATIONAL, when, k,
                        "Found a trusted ADB host key last connected at least one day before the "
                        "AndroidQF acquisition: %s",
                        desc);
    }
    free(desc);
}

/* Keystore entries (when decoded) then user keys, once per key material. */
static json_t *trusted_keys(const json_t *r)
{
    json_t *out = json_array();
    const json_t *lists[2] = {json_object_get(r, "keystore"), json_object_get(r, "user_keys")};
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        json_t *k;
        json_array_foreach(lists[l], i, k)
        {
            const char *key = spy_kit_str(k, "key"), *m, *m2;
            size_t n = first_token(key ? key : "", &m), j;
            bool seen = false;
            json_t *o;
            json_array_foreach(out, j, o)
            {
                const char *ok = spy_kit_str(o, "key");
                size_t n2 = first_token(ok ? ok : "", &m2);
                seen = seen || (n2 == n && memcmp(m, m2, n) == 0);
            }
            if (!seen && json_is_object(k))
                json_array_append(out, k);
        }
    }
    return out;
}

static void adb_check(spy_mod_ctx *ctx, const json_t *r)
{
    const spy_acq *acq = spy_ctx_acq(ctx);
    const json_t *qf = acq ? spy_android_context(acq) : NULL;
    json_t *keys = trusted_keys(r);
    size_t i;
    json_t *k;
    if (!json_is_object(qf)) {
        json_array_foreach(keys, i, k)
        {
            const char *user = spy_kit_str(k, "user"), *fp = spy_kit_str(k, "fingerprint");
            spy_debug(spy_ctx_logger(ctx),
                      "Found trusted ADB key for user '%s' with fingerprint '%s'", user ? user : "",
                      fp ? fp : "");
        }
        json_decref(keys);
        return;
    }
    adb_ctxinfo ci = {0};
    const char *hk = json_string_value(json_object_get(qf, "adb_host_public_key"));
    if (hk) {
        ci.acq_key_n = first_token(hk, &ci.acq_key);
        if (!spy_b64_strict(ci.acq_key, ci.acq_key_n))
            ci.acq_key_n = 0;
    }
    double started;
    if (parse_started(json_string_value(json_object_get(qf, "started")), &started)) {
        ci.has_cutoff = true;
        ci.cutoff = started - 86400.0;
    }
    json_array_foreach(keys, i, k) check_key(ctx, &ci, k);
    json_decref(keys);
}

const spy_module spy_mod_dumpsys_adb_state = {
    "DumpsysADBState", "dumpsys_adb_state", SPY_ACQ_ANDROID_BUGREPORT, 0, adb_run, adb_check, NULL};
