#include "modules/ios/web_common.h"

#include "core/error.h"
#include "core/psl.h"
#include "core/urlsplit.h"

#include <stdio.h>
#include <string.h>

json_t *web_db_relpath(const spy_artifact *art)
{
    if (art->file_id && strlen(art->file_id) >= 2)
        return json_sprintf("%.2s/%s", art->file_id, art->file_id);
    return json_string(art->path ? art->path : "");
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
