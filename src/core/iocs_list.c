/* Plain indicator lists (design.md §4 --ioc-list, spec/iocs.md §11): one
 * value a line, '#' comments, blank lines skipped. One collection per list
 * file, named after its folder, so that a folder of lists loads exactly like
 * the STIX2 file generate_stix.py builds from it. */
#include "core/error.h"
#include "core/iocs_internal.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    spy_ioc_key key;
} k_list_types[] = {
    {"domain", SPY_KEY_DOMAIN},
    {"url", SPY_KEY_URL},
    {"ipv4", SPY_KEY_IPV4},
    {"process", SPY_KEY_PROCESS},
    {"email", SPY_KEY_EMAIL},
    {"file_name", SPY_KEY_FILE_NAME},
    {"file_path", SPY_KEY_FILE_PATH},
    {"sha256", SPY_KEY_SHA256},
    {"sha1", SPY_KEY_SHA1},
    {"md5", SPY_KEY_MD5},
    {"app_id", SPY_KEY_APP_ID},
    {"cert_sha256", SPY_KEY_CERT_SHA256},
    {"profile_id", SPY_KEY_PROFILE_ID},
    {"android_property", SPY_KEY_ANDROID_PROPERTY},
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_hex_str(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

/* A file hash list may mix algorithms (sha256.txt-like files): the length
 * of a hex value names the algorithm; anything else keeps the given type. */
static spy_ioc_key hash_key(spy_ioc_key given, const char *v, size_t n)
{
    if (!is_hex_str(v, n))
        return given;
    switch (n) {
    case 32: return SPY_KEY_MD5;
    case 40: return SPY_KEY_SHA1;
    case 64: return SPY_KEY_SHA256;
    case 128: return SPY_KEY_SHA512;
    default: return given;
    }
}

static void add_token(spy_iocs *set, uint32_t coll, spy_ioc_key key, const char *v, size_t n)
{
    if (n > SPY_MAX_IOC_VALUE_BYTES) {
        spy_warn(SPY_IOCS_LOGGER, "Skipping an indicator value longer than %u bytes",
                 SPY_MAX_IOC_VALUE_BYTES);
        return;
    }
    if (key == SPY_KEY_SHA256 || key == SPY_KEY_SHA1 || key == SPY_KEY_MD5)
        key = hash_key(key, v, n);
    spy_iocs_add_value(set, coll, key, v, n);
}

/* Domain lists are split on any whitespace, as the generators do. */
static void add_line(spy_iocs *set, uint32_t coll, spy_ioc_key key, const char *s, size_t n)
{
    while (n && is_ws(*s)) {
        s++;
        n--;
    }
    while (n && is_ws(s[n - 1]))
        n--;
    if (n == 0 || s[0] == '#')
        return;
    if (key != SPY_KEY_DOMAIN) {
        add_token(set, coll, key, s, n);
        return;
    }
    size_t i = 0;
    while (i < n) {
        while (i < n && is_ws(s[i]))
            i++;
        size_t st = i;
        while (i < n && !is_ws(s[i]))
            i++;
        if (i > st)
            add_token(set, coll, key, s + st, i - st);
    }
}

/* The base name of the folder holding path ("2021-07-18_nso"). */
static char *folder_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd))
            return spy_xstrdup(".");
        const char *b = spy_iocs_basename(cwd);
        return spy_xstrdup(*b ? b : "/");
    }
    const char *end = slash;
    while (end > path && end[-1] == '/')
        end--;
    const char *st = end;
    while (st > path && st[-1] != '/')
        st--;
    if (st == end)
        return spy_xstrdup("/");
    return spy_xstrndup(st, (size_t)(end - st));
}

static int list_type(const char *type_name, spy_ioc_key *key)
{
    for (size_t i = 0; i < sizeof k_list_types / sizeof *k_list_types; i++)
        if (type_name && strcmp(type_name, k_list_types[i].name) == 0) {
            *key = k_list_types[i].key;
            return SPY_OK;
        }
    return SPY_EUSAGE;
}

int spy_iocs_load_list(spy_iocs *set, const char *type_name, const char *path)
{
    if (!set || !path || set->finalized)
        return SPY_EINTERNAL;
    spy_ioc_key key;
    if (list_type(type_name, &key) != SPY_OK) {
        spy_error(SPY_IOCS_LOGGER,
                  "%s: unknown indicator list type '%s' (expected one of domain, url, ipv4, "
                  "process, email, file_name, file_path, sha256, sha1, md5, app_id, "
                  "cert_sha256, profile_id, android_property)",
                  path, type_name ? type_name : "");
        return SPY_EUSAGE;
    }
    unsigned char *data;
    size_t len;
    int rc = spy_iocs_read_file(path, set->fail_level, &data, &len);
    if (rc != SPY_OK)
        return rc;
    char *name = folder_name(path);
    char *desc = spy_xasprintf("Indicators of type %s listed in %s", type_name, path);
    uint32_t coll = spy_iocs_add_collection(set, path, name, desc, path);
    free(name);
    free(desc);
    const char *s = (const char *)data;
    size_t off = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        off = 3; /* UTF-8 byte order mark */
    while (off < len) {
        const char *nl = memchr(s + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - s) : len;
        add_line(set, coll, key, s + off, end - off);
        off = end + 1;
    }
    if (set->colls[coll].info.count == 0)
        spy_warn(SPY_IOCS_LOGGER, "%s: no indicators in this list", path);
    spy_iocs_add_file(set, path, data, len);
    free(data);
    return SPY_OK;
}
