#include "modules/ios/web_common.h"

#include "core/error.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "core/urlsplit.h"

#include "core/psl.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Python's repr() of a float: the shortest text that reads back as the same
 * double, with ".0" when it would look like an integer. (Python switches
 * to exponent form at 1e16 while %g does at the precision; values that far
 * out do not occur in the fields these modules print.) */
static char *py_float(double d)
{
    if (isnan(d))
        return spy_xstrdup("nan");
    if (isinf(d))
        return spy_xstrdup(d < 0 ? "-inf" : "inf");
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    if (!strpbrk(buf, ".e"))
        return spy_xasprintf("%s.0", buf);
    return spy_xstrdup(buf);
}

char *web_pystr(const json_t *v)
{
    if (!v)
        return spy_xstrdup("None"); /* a key missing from a saved record */
    switch (json_typeof(v)) {
    case JSON_STRING: return spy_xstrndup(json_string_value(v), json_string_length(v));
    case JSON_INTEGER: return spy_xasprintf("%lld", (long long)json_integer_value(v));
    case JSON_REAL: return py_float(json_real_value(v));
    case JSON_TRUE: return spy_xstrdup("True");
    case JSON_FALSE: return spy_xstrdup("False");
    case JSON_NULL: return spy_xstrdup("None");
    default: break;
    }
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    char *r = spy_xstrdup(s ? s : "");
    free(s);
    return r;
}

json_t *web_db_relpath(const spy_artifact *art)
{
    if (art->file_id && strlen(art->file_id) >= 2)
        return json_sprintf("%.2s/%s", art->file_id, art->file_id);
    return json_string(art->path ? art->path : "");
}

bool web_number(const json_t *v, double *out)
{
    if (json_is_integer(v))
        *out = (double)json_integer_value(v);
    else if (json_is_real(v))
        *out = json_real_value(v);
    else
        return false;
    return true;
}

json_t *web_iso_mac(const json_t *v)
{
    char iso[SPY_ISO_LEN] = "";
    double d;
    if (web_number(v, &d))
        spy_iso_from_mac(d, iso);
    return json_string(iso);
}

json_t *web_iso_unix(const json_t *v)
{
    char iso[SPY_ISO_LEN] = "";
    double d;
    if (web_number(v, &d))
        spy_iso_from_unix(d, iso);
    return json_string(iso);
}

json_t *web_iso_webkit(const json_t *v)
{
    char iso[SPY_ISO_LEN] = "";
    if (json_is_integer(v))
        spy_iso_from_webkit_us(json_integer_value(v), iso);
    else if (json_is_real(v) && isfinite(json_real_value(v)) && fabs(json_real_value(v)) < 9e18)
        spy_iso_from_webkit_us((int64_t)json_real_value(v), iso);
    return json_string(iso);
}

int web_foreach_dbs(spy_mod_ctx *ctx, const spy_query *const *qs, spy_kit_db_fn fn, void *ud)
{
    int result = SPY_ENOTFOUND;
    for (size_t i = 0; qs[i]; i++) {
        int err = spy_kit_foreach_db(ctx, qs[i], fn, ud);
        if (err == SPY_ENOTFOUND)
            continue;
        if (err != SPY_OK)
            return err;
        result = SPY_OK;
    }
    return result;
}

/* tld's parser fails when the host's last label has no public-suffix rule
 * (spec/iocs.md §7.2 step 3); every TLD of the list is a rule of its own. */
static bool has_suffix_rule(const char *host, size_t len)
{
    char tld[256];
    const char *dot = NULL;
    for (size_t i = 0; i < len; i++)
        if (host[i] == '.')
            dot = host + i;
    const char *l = dot ? dot + 1 : host;
    size_t n = (size_t)(host + len - l);
    if (n == 0 || n >= sizeof tld)
        return false;
    memcpy(tld, l, n);
    tld[n] = '\0';
    const psl_ctx_t *psl = spy_psl();
    return !psl || psl_is_public_suffix2(psl, tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

void web_mvt_domain(const char *url, char *out, size_t outsz)
{
    char buf[SPY_URLSPLIT_BUF];
    spy_url u;
    out[0] = '\0';
    if (!url || !*url || outsz == 0)
        return;
    if (spy_urlsplit(url, strlen(url), buf, sizeof buf, &u) != SPY_OK || u.bracketed ||
        spy_url_is_ipv4(u.host, u.host_len) || !has_suffix_rule(u.host, u.host_len))
        return;
    const char *d = u.netloc;
    while (*d == 'w' || *d == '.')
        d++;
    snprintf(out, outsz, "%s", d);
}
