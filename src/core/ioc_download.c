#include "core/ioc_download.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/outdir.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOGGER "spyscan.download"
/* The largest public file (stalkerware) is a few MiB; the index is small. */
#define MAX_INDEX_BYTES (1u << 20)
#define MAX_FILE_BYTES  (64u << 20)

typedef struct membuf {
    char *p;
    size_t len, max;
    int too_big;
} membuf;

static size_t on_data(char *data, size_t size, size_t nmemb, void *ud)
{
    membuf *b = ud;
    size_t n = size * nmemb;
    if (b->len + n > b->max) {
        b->too_big = 1;
        return 0; /* aborts the transfer */
    }
    b->p = spy_xrealloc(b->p, b->len + n + 1);
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return n;
}

/* GET url into memory; SPY_OK only for a complete 2xx (or file://) body. */
static int fetch(const char *url, size_t max, long timeout_s, membuf *out)
{
    CURL *c = curl_easy_init();
    if (!c)
        return SPY_ENOMEM;
    *out = (membuf){.max = max};
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "spyscan/" SPY_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    int err = SPY_OK;
    if (out->too_big) {
        spy_error(LOGGER, "%s: larger than %zu bytes, not downloaded", url, max);
        err = SPY_ELIMIT;
    } else if (rc != CURLE_OK) {
        spy_error(LOGGER, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
        err = SPY_EIO;
    } else if (status != 0 && (status < 200 || status > 299)) {
        spy_error(LOGGER, "%s: server answered HTTP %ld", url, status);
        err = SPY_EIO;
    }
    if (err != SPY_OK) {
        free(out->p);
        *out = (membuf){0};
    }
    return err;
}

char *spy_ioc_download_name(const char *url)
{
    while (*url && strchr("htps:/", *url))
        url++;
    if (!*url || *url == '.')
        return NULL;
    char *name = spy_xstrdup(url);
    for (char *p = name; *p; p++) {
        if (*p == '/')
            *p = '_';
        else if ((unsigned char)*p < 0x20 || *p == '\\')
            *p = '_';
    }
    return name;
}

char *spy_ioc_download_dir(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg == '/')
        return spy_xasprintf("%s/spyscan/indicators", xdg);
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    return spy_xasprintf("%s/.local/share/spyscan/indicators", home);
}

/* mkdir -p with 0700 for every level it creates. */
static int make_dirs(const char *path)
{
    char *p = spy_xstrdup(path);
    int err = SPY_OK;
    for (char *s = p + 1; err == SPY_OK; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char saved = *s;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            err = SPY_EIO;
        *s = saved;
        if (!saved)
            break;
    }
    free(p);
    return err;
}

static int write_atomic(const char *dir, const char *name, const char *data, size_t len)
{
    char *final = spy_xasprintf("%s/%s", dir, name);
    char *tmp = spy_xasprintf("%s/.%s.tmp-XXXXXX", dir, name);
    int err = SPY_EIO;
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        fchmod(fd, 0600);
        if (spy_write_all(fd, data, len) == SPY_OK && fsync(fd) == 0 && close(fd) == 0) {
            fd = -1;
            err = rename(tmp, final) == 0 ? SPY_OK : SPY_EIO;
        }
        if (fd >= 0)
            close(fd);
        if (err != SPY_OK)
            unlink(tmp);
    }
    free(final);
    free(tmp);
    return err;
}

/* Only a JSON object with an "objects" array replaces a good local copy. */
static bool looks_like_bundle(const membuf *b)
{
    json_error_t e;
    json_t *j = json_loadb(b->p, b->len, 0, &e);
    bool ok = json_is_object(j) && json_is_array(json_object_get(j, "objects"));
    json_decref(j);
    return ok;
}

static void download_one(const spy_ioc_source *s, const char *dest, spy_download_report *rep)
{
    char *name = spy_ioc_download_name(s->url);
    membuf b = {0};
    int err = name ? fetch(s->url, MAX_FILE_BYTES, 60, &b) : SPY_EFORMAT;
    if (!name)
        spy_error(LOGGER, "%s: no safe local file name for %s", s->name, s->url);
    else if (err == SPY_OK && !looks_like_bundle(&b)) {
        spy_error(LOGGER, "%s: %s is not a STIX2 bundle; keeping any previous copy", s->name,
                  s->url);
        err = SPY_EFORMAT;
    }
    if (err == SPY_OK && (err = write_atomic(dest, name, b.p, b.len)) != SPY_OK)
        spy_error(LOGGER, "%s/%s: cannot be written", dest, name);
    if (err == SPY_OK) {
        spy_info(LOGGER, "Downloaded indicators \"%s\" to %s/%s", s->name, dest, name);
        rep->downloaded++;
    } else {
        rep->failed++;
    }
    free(b.p);
    free(name);
}

static void write_stamp(const char *dest)
{
    char *parent = spy_xstrdup(dest);
    char *slash = strrchr(parent, '/');
    if (slash)
        *slash = '\0';
    char stamp[32];
    int n = snprintf(stamp, sizeof stamp, "%lld", (long long)time(NULL));
    if (write_atomic(parent, "latest_indicators_update", stamp, (size_t)n) != SPY_OK)
        spy_warn(LOGGER, "%s/latest_indicators_update: cannot be written", parent);
    free(parent);
}

int spy_ioc_download_all(const char *index_url, const char *dest, spy_download_report *rep)
{
    *rep = (spy_download_report){0};
    if (make_dirs(dest) != SPY_OK) {
        spy_error(LOGGER, "%s: cannot create the indicators folder", dest);
        return SPY_EIO;
    }
    chmod(dest, 0700);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    membuf idx = {0};
    int err = fetch(index_url, MAX_INDEX_BYTES, 15, &idx);
    spy_ioc_source *src = NULL;
    size_t n = 0;
    if (err == SPY_OK && (err = spy_ioc_index_parse(idx.p, idx.len, &src, &n)) != SPY_OK)
        spy_error(LOGGER, "%s: not an indicator index (%s)", index_url, spy_err_str(err));
    for (size_t i = 0; err == SPY_OK && i < n; i++)
        download_one(&src[i], dest, rep);
    if (err == SPY_OK)
        write_stamp(dest);
    spy_ioc_sources_free(src, n);
    free(idx.p);
    curl_global_cleanup();
    return err;
}
