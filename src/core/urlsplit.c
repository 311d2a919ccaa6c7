#include "core/urlsplit.h"

#include "core/error.h"
#include "core/limits.h"

#include <string.h>

static inline bool is_removed(char c)
{
    return c == '\t' || c == '\r' || c == '\n';
}
static inline char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}
static inline bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static inline bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* tld's fix_protocol test: ^[a-z0-9.+:-]{0,}// on the lower-cased string.
 * '/' is not in the class, so the greedy run is followed by "//" or the
 * regex fails (no backtracking can help). */
static bool has_scheme_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char c = lower(s[i]);
        if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '+' || c == ':' ||
              c == '-'))
            break;
        i++;
    }
    return i + 1 < len && s[i] == '/' && s[i + 1] == '/';
}

/* Next index >= i that is not a removed character (Python deletes tab, CR
 * and LF before splitting). */
static size_t skip_removed(const char *s, size_t len, size_t i)
{
    while (i < len && is_removed(s[i]))
        i++;
    return i;
}

/* Python's urlsplit scheme rule: text before the first ':' is a scheme when
 * it is non-empty, starts with an ASCII letter and has only letters, digits,
 * '+', '-', '.'. Returns the index after the "scheme:" or 0. */
static size_t skip_scheme(const char *s, size_t len)
{
    size_t i = skip_removed(s, len, 0);
    if (i >= len || !is_alpha(s[i]))
        return 0;
    for (; i < len; i++) {
        char c = s[i];
        if (is_removed(c))
            continue;
        if (c == ':')
            return i + 1;
        if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'))
            return 0;
    }
    return 0;
}

/* Copies the netloc starting at s[i], lower-cased and without removed
 * characters, into buf. Returns its length or (size_t)-1 when too long. */
static size_t copy_netloc(const char *s, size_t len, size_t i, char *buf, size_t max, size_t *end)
{
    size_t n = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (c == '/' || c == '?' || c == '#')
            break;
        if (is_removed(c))
            continue;
        if (n >= max)
            return (size_t)-1;
        buf[n++] = lower(c);
    }
    *end = i;
    buf[n] = '\0';
    return n;
}

/* Python 3.11+ _check_bracketed_host: an IPv6 address (optionally with a
 * %zone) or an IPvFuture "v<hex>.<more>". Approximate: ipaddress accepts a
 * subset of these character strings; anything else raises there too. */
static bool valid_bracketed(const char *h, size_t n)
{
    if (n > 0 && h[0] == 'v') {
        size_t i = 1;
        while (i < n && is_hex(h[i]))
            i++;
        return i > 1 && i + 1 < n && h[i] == '.';
    }
    bool colon = false;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == '%')
            return colon && i > 0 && i + 1 < n;
        if (h[i] == ':')
            colon = true;
        else if (!is_hex(h[i]) && h[i] != '.')
            return false;
    }
    return colon;
}

/* Python's _hostinfo plus the bracket checks urlsplit performs. */
static int split_host(spy_url *u, char *hostbuf)
{
    const char *nl = u->netloc;
    size_t n = u->netloc_len;
    const char *lb = memchr(nl, '[', n), *rb = memchr(nl, ']', n);
    if ((lb == NULL) != (rb == NULL))
        return SPY_EFORMAT; /* "Invalid IPv6 URL" */
    const char *at = NULL;
    for (size_t i = n; i > 0; i--)
        if (nl[i - 1] == '@') {
            at = nl + i - 1;
            break;
        }
    u->has_userinfo = at != NULL;
    const char *hi = at ? at + 1 : nl;
    size_t hn = (size_t)(nl + n - hi);
    const char *h;
    size_t hl;
    const char *ob = memchr(hi, '[', hn);
    if (ob) {
        if (ob != hi)
            return SPY_EFORMAT; /* text before '[' */
        const char *cb = memchr(ob, ']', (size_t)(hi + hn - ob));
        if (!cb)
            return SPY_EFORMAT;
        h = ob + 1;
        hl = (size_t)(cb - h);
        const char *rest = cb + 1;
        if (rest < hi + hn && *rest != ':')
            return SPY_EFORMAT;
        u->has_port = rest < hi + hn;
        u->bracketed = true;
        if (!valid_bracketed(h, hl))
            return SPY_EFORMAT;
    } else {
        /* Brackets only in the userinfo: Python checks nothing more. */
        const char *colon = memchr(hi, ':', hn);
        h = hi;
        hl = colon ? (size_t)(colon - hi) : hn;
        u->has_port = colon != NULL;
    }
    while (hl > 0 && h[hl - 1] == '.')
        hl--; /* tld strips trailing dots */
    if (hl == 0)
        return SPY_EFORMAT; /* no hostname */
    memcpy(hostbuf, h, hl);
    hostbuf[hl] = '\0';
    u->host = hostbuf;
    u->host_len = hl;
    return SPY_OK;
}

int spy_urlsplit(const char *s, size_t len, char *buf, size_t bufsz, spy_url *out)
{
    memset(out, 0, sizeof *out);
    if (!s || len > SPY_MAX_URL_BYTES)
        return SPY_ELIMIT;
    if (bufsz < 4)
        return SPY_ELIMIT;
    size_t start;
    if (!has_scheme_prefix(s, len)) {
        out->scheme_added = true; /* "https://" + s: the netloc starts at 0 */
        start = 0;
    } else {
        size_t i = skip_removed(s, len, skip_scheme(s, len));
        if (i >= len || s[i] != '/')
            return SPY_EFORMAT;
        i = skip_removed(s, len, i + 1);
        if (i >= len || s[i] != '/')
            return SPY_EFORMAT;
        start = i + 1;
    }
    size_t half = bufsz / 2;
    size_t n = copy_netloc(s, len, start, buf, half - 1, &out->path_off);
    if (n == (size_t)-1)
        return SPY_ELIMIT;
    out->netloc = buf;
    out->netloc_len = n;
    if (n == 0)
        return SPY_EFORMAT;
    return split_host(out, buf + half);
}

bool spy_url_is_ipv4(const char *host, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= len || host[i] != '.')
                return false;
            i++;
        }
        size_t st = i;
        unsigned v = 0;
        while (i < len && is_digit(host[i]) && i - st < 4)
            v = v * 10 + (unsigned)(host[i++] - '0');
        if (i == st || i - st > 3 || v > 255 || (i - st > 1 && host[st] == '0'))
            return false; /* inet_pton rejects leading zeros */
    }
    return i == len;
}
