/* spyscan's own URL splitter (design.md §4, spec/iocs.md §7.2).
 *
 * It reproduces what MVT gets from Python's urllib.parse.urlsplit() after the
 * `tld` library's fix_protocol step: when the lower-cased input does not
 * start with the regex ^[a-z0-9.+:-]{0,}// (a "*" in tld's source),
 * "https://" is assumed in front of it. Only the authority is extracted
 * (that is all indicator matching needs):
 *   netloc   the text between "//" and the next '/', '?' or '#', lower-cased
 *            (user:pass@ and :port included), as Python's netloc.lower();
 *   host     Python's .hostname: userinfo and port removed, brackets of an
 *            IPv6 literal removed, lower-cased; then trailing dots removed.
 * Like Python, tab, CR and LF anywhere in the input are ignored.
 *
 * No allocation: both strings are written, NUL-terminated, into the caller's
 * buffer, which needs 2 * (netloc length + 1) bytes (SPY_URLSPLIT_BUF covers
 * any host name). Reentrant. */
#ifndef SPY_URLSPLIT_H
#define SPY_URLSPLIT_H

#include <stdbool.h>
#include <stddef.h>

/* A stack buffer of this size handles netlocs up to 2047 bytes (DNS names
 * are at most 253). */
#define SPY_URLSPLIT_BUF 4096u

typedef struct spy_url {
    const char *netloc; /* in buf, lower-cased */
    size_t netloc_len;
    const char *host; /* in buf, lower-cased, no brackets, no trailing dots */
    size_t host_len;
    size_t path_off;   /* offset in the input of the '/', '?' or '#' ending
                          the netloc, or the input length */
    bool scheme_added; /* "https://" was assumed (no scheme prefix) */
    bool has_userinfo; /* an '@' in the netloc */
    bool has_port;     /* a ':' after the host */
    bool bracketed;    /* host was an [IPv6] (or [vX.future]) literal */
} spy_url;

/* Returns SPY_OK, SPY_EFORMAT when Python would give no hostname or raise
 * (bad brackets), SPY_ELIMIT when len > SPY_MAX_URL_BYTES or the netloc does
 * not fit in buf. s need not be NUL-terminated. */
int spy_urlsplit(const char *s, size_t len, char *buf, size_t bufsz, spy_url *out);

/* True when host (already lower-cased, no brackets) is a dotted-quad IPv4
 * address as inet_pton() accepts it. */
bool spy_url_is_ipv4(const char *host, size_t len);

#endif
