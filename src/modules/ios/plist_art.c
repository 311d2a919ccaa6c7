#include "modules/ios/plist_art.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int spy_plart_load(spy_mod_ctx *ctx, const spy_artifact *art, json_t **out)
{
    void *buf = NULL;
    size_t len = 0;
    char *why = NULL;
    *out = NULL;
    int err = spy_acq_read(spy_ctx_acq(ctx), art, SPY_PLART_MAX_BYTES, &buf, &len);
    if (err != SPY_OK)
        spy_error(spy_ctx_logger(ctx), "%s: cannot be read (%s)", art->label, spy_err_str(err));
    else if ((err = spy_plist_parse(buf, len, out, &why)) != SPY_OK)
        spy_error(spy_ctx_logger(ctx), "%s: not a readable plist (%s)", art->label,
                  why ? why : spy_err_str(err));
    free(why);
    free(buf);
    return err == SPY_OK ? SPY_OK : SPY_EFORMAT;
}

int spy_plart_first(spy_mod_ctx *ctx, const spy_query *q, json_t **out, char **label)
{
    spy_query first = *q;
    first.first_only = true;
    spy_artifacts l = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), &first, &l);
    if (err == SPY_OK && l.n == 0) {
        spy_info(spy_ctx_logger(ctx), "Unable to find the %s plist", spy_ctx_module(ctx)->name);
        err = SPY_ENOTFOUND;
    }
    if (err == SPY_OK) {
        spy_info(spy_ctx_logger(ctx), "Found %s plist at path: %s", spy_ctx_module(ctx)->name,
                 l.v[0].label);
        err = spy_plart_load(ctx, &l.v[0], out);
        if (err == SPY_OK && label)
            *label = spy_xstrdup(l.v[0].label);
    }
    spy_artifacts_free(&l);
    return err;
}

int spy_plart_foreach(spy_mod_ctx *ctx, const spy_query *q, spy_plart_fn fn, void *ud)
{
    spy_artifacts l = {0};
    int err = spy_acq_find(spy_ctx_acq(ctx), q, &l);
    if (err == SPY_OK && l.n == 0) {
        spy_info(spy_ctx_logger(ctx), "Unable to find the %s plist", spy_ctx_module(ctx)->name);
        err = SPY_ENOTFOUND;
    }
    size_t bad = 0;
    for (size_t i = 0; err == SPY_OK && i < l.n; i++) {
        json_t *pl = NULL;
        spy_info(spy_ctx_logger(ctx), "Found %s plist at path: %s", spy_ctx_module(ctx)->name,
                 l.v[i].label);
        if (spy_plart_load(ctx, &l.v[i], &pl) != SPY_OK) {
            bad++;
            continue;
        }
        int e = fn(ctx, pl, &l.v[i], ud);
        json_decref(pl);
        if (e == SPY_EFORMAT)
            bad++; /* parsed, but not shaped as the module reads it */
        else
            err = e;
    }
    /* Graded as the database modules are: one bad file among several is
     * skipped; when none could be read the module failed, so "no finding"
     * never hides "could not read it". */
    if (err == SPY_OK && bad == l.n)
        err = SPY_EFORMAT;
    else if (err == SPY_OK && bad)
        spy_skipped(ctx, bad, "%zu of %zu %s files could not be read", bad, l.n,
                    spy_ctx_module(ctx)->name);
    spy_artifacts_free(&l);
    return err;
}

bool spy_plart_expect_dict(spy_mod_ctx *ctx, const json_t *plist, const char *label)
{
    if (json_is_object(plist))
        return true;
    spy_error(spy_ctx_logger(ctx), "%s: the top-level value is not a dictionary", label);
    return false;
}

bool spy_plart_pydate(double mac, char out[SPY_ISO_LEN])
{
    if (!spy_iso_from_mac(mac, out))
        return false;
    if (strcmp(out + 19, ".000000") == 0)
        out[19] = '\0'; /* Python's str(datetime) omits a zero fraction */
    return true;
}

/* {"$data": base64} → its bytes as a (possibly non-UTF-8) JSON string. */
static json_t *data_bytes(const char *b64)
{
    size_t n = strlen(b64);
    if (n % 4 != 0 || n > INT32_MAX)
        return json_string(b64);
    unsigned char *raw = spy_xmalloc(n / 4 * 3 + 1);
    int got = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
    json_t *s;
    if (got < 0) {
        s = json_string(b64);
    } else {
        /* EVP_DecodeBlock counts the padding as zero bytes */
        for (size_t i = n; i > 0 && b64[i - 1] == '=' && got > 0; i--)
            got--;
        s = json_stringn_nocheck((const char *)raw, (size_t)got);
    }
    free(raw);
    return s;
}

static json_t *value_at(const json_t *v, unsigned depth);

static json_t *object_value(const json_t *v, unsigned depth)
{
    const json_t *x;
    char t[48];
    if (json_object_size(v) == 1 && (x = json_object_get(v, "$date"))) {
        char iso[SPY_ISO_LEN];
        return json_is_number(x) && spy_plart_pydate(json_number_value(x), iso) ? json_string(iso)
                                                                                : json_null();
    }
    if (json_object_size(v) == 1 && (x = json_object_get(v, "$data")) && json_is_string(x))
        return data_bytes(json_string_value(x));
    if (json_object_size(v) == 1 && (x = json_object_get(v, "CF$UID"))) {
        snprintf(t, sizeof t, "UID(%" JSON_INTEGER_FORMAT ")", json_integer_value(x));
        return json_string(t);
    }
    json_t *o = json_object();
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)v, k, val)
    {
        json_object_set_new_nocheck(o, k, value_at(val, depth + 1));
    }
    return o;
}

static json_t *value_at(const json_t *v, unsigned depth)
{
    /* the parser bounds nesting already; this keeps the recursion honest */
    if (!v || depth > SPY_BPLIST_MAX_DEPTH)
        return json_null();
    if (json_is_object(v))
        return object_value(v, depth);
    if (json_is_array(v)) {
        json_t *a = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            json_array_append_new(a, value_at(e, depth + 1));
        }
        return a;
    }
    return json_incref((json_t *)v);
}

json_t *spy_plart_value(const json_t *v)
{
    return value_at(v, 0);
}
