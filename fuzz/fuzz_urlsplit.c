/* Fuzz target: the URL splitter, with its invariants, and the URL check
 * against a small indicator set. */
#include "core/error.h"
#include "core/iocs.h"
#include "core/iocs_internal.h"
#include "core/log.h"
#include "core/urlsplit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static spy_iocs *g_set;

static void init(void)
{
    FILE *null = fopen("/dev/null", "w");
    if (null)
        spy_log_set_console(null);
    static const char bundle[] =
        "{\"objects\":[{\"type\":\"malware\",\"id\":\"malware--1\",\"name\":\"F\"},"
        "{\"type\":\"indicator\",\"id\":\"i1\",\"pattern\":\"[domain-name:value='example.com']\"},"
        "{\"type\":\"indicator\",\"id\":\"i2\",\"pattern\":\"[domain-name:value='co.uk']\"},"
        "{\"type\":\"indicator\",\"id\":\"i3\",\"pattern\":\"[ipv4-addr:value='198.51.100.1']\"},"
        "{\"type\":\"indicator\",\"id\":\"i4\",\"pattern\":\"[domain-name:value='evil.local']\"},"
        "{\"type\":\"indicator\",\"id\":\"i5\",\"pattern\":\"[domain-name:value='sub.target.org']"
        "\"},"
        "{\"type\":\"indicator\",\"id\":\"i6\",\"pattern\":\"[url:value='http://example.com/x']\"},"
        "{\"type\":\"indicator\",\"id\":\"i7\",\"pattern\":\"[domain-name:value='2001:db8::1']\"},"
        "{\"type\":\"indicator\",\"id\":\"i8\",\"pattern\":\"[domain-name:value='a.org' AND "
        "app:id='x']\"}]}";
    spy_iocs_new(&g_set);
    spy_iocs_load_stix2_buffer(g_set, "f", (const unsigned char *)bundle, sizeof bundle - 1);
    spy_iocs_finalize(g_set);
}

static bool is_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_set)
        init();
    char buf[SPY_URLSPLIT_BUF];
    spy_url u;
    /* The input may hold NUL bytes: the splitter works on (pointer,
     * length), so the host may too; it is NUL-terminated after host_len. */
    if (spy_urlsplit((const char *)data, size, buf, sizeof buf, &u) == SPY_OK) {
        if (!u.host_len || u.host_len > u.netloc_len || u.path_off > size ||
            u.host[u.host_len] != '\0' || !is_lower(u.host, u.host_len) ||
            !is_lower(u.netloc, u.netloc_len) || u.host[u.host_len - 1] == '.')
            abort();
    }
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    spy_ioc_scratch *sc = spy_ioc_scratch_new(g_set);
    spy_ioc_match m;
    if (spy_iocs_check(g_set, sc, SPY_CHECK_URL, s, &m)) {
        if (!m.message || !m.value)
            abort();
        spy_ioc_match_clear(&m);
    }
    spy_ioc_scratch_free(sc);
    free(s);
    return 0;
}
