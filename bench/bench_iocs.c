/* Indicator engine benchmark: load time of every public indicator file,
 * then checks per second for URLs, process names and file paths on one
 * core. Usage: bench_iocs [IOCS_DIR] (default $SPYSCAN_SHARED_DIR/iocs or
 * ../shared/iocs). See bench/README.md. */
#include "core/iocs.h"
#include "core/iocs_internal.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_CHECKS  1000000u
#define LOAD_RUNS 7

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* xorshift64*: deterministic inputs run to run (the C library generator is banned). */
static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return (uint32_t)((g_rng * 0x2545F4914F6CDD1Dull) >> 32) % n;
}

typedef struct strs {
    char *buf;
    size_t len, cap;
    size_t *off;
    size_t n;
} strs;

static void strs_add(strs *s, const char *v)
{
    size_t l = strlen(v) + 1;
    if (s->len + l > s->cap) {
        s->cap = (s->cap + l) * 2;
        s->buf = spy_xrealloc(s->buf, s->cap);
    }
    memcpy(s->buf + s->len, v, l);
    s->off = spy_xreallocarray(s->off, s->n + 1, sizeof *s->off);
    s->off[s->n++] = s->len;
    s->len += l;
}

static const char *strs_get(const strs *s, size_t i)
{
    return s->buf + s->off[i];
}

static void values_of(const spy_iocs *set, spy_ioc_key k1, spy_ioc_key k2, strs *out)
{
    for (size_t i = 0; i < set->nentries; i++)
        if (set->entries[i].key == k1 || set->entries[i].key == k2)
            strs_add(out, set->entries[i].value);
}

static const char *const k_words[] = {"mail",  "cdn", "static", "api",    "news",  "shop", "img",
                                      "login", "m",   "video",  "assets", "track", "app",  "blog"};
static const char *const k_tlds[] = {"com", "net",  "org",    "co.uk", "de",        "fr",
                                     "io",  "info", "com.br", "ru",    "github.io", "local"};
#define PICK(a) a[rnd(sizeof a / sizeof *a)]

static void make_url(char *u, size_t n, const strs *hits)
{
    static const char *const schemes[] = {"https://", "http://", "", "HTTPS://", "//"};
    char host[512];
    uint32_t kind = rnd(100);
    if (kind < 10 && hits->n) /* hit: an indicator domain, maybe a sub-domain of it */
        snprintf(host, sizeof host, "%s%s", rnd(3) ? "" : "www.",
                 strs_get(hits, rnd((uint32_t)hits->n)));
    else if (kind < 15)
        snprintf(host, sizeof host, "%u.%u.%u.%u", rnd(256), rnd(256), rnd(256), rnd(256));
    else if (kind < 60)
        snprintf(host, sizeof host, "%s%s.example%u.%s", rnd(2) ? "www." : "", PICK(k_words),
                 rnd(100000), PICK(k_tlds));
    else
        snprintf(host, sizeof host, "%s.%s.site%u.%s", PICK(k_words), PICK(k_words), rnd(100000),
                 PICK(k_tlds));
    char port[16] = "";
    if (rnd(10) == 0)
        snprintf(port, sizeof port, ":%u", 1024 + rnd(60000));
    const char *path = rnd(3) == 0 ? "" : rnd(2) ? "/index.html" : "/a/b/c.php?id=42&ref=feed";
    snprintf(u, n, "%s%s%s%s", PICK(schemes), host, port, path);
}

static void make_process(char *p, size_t n, const strs *hits)
{
    uint32_t kind = rnd(100);
    if (kind < 5 && hits->n) {
        const char *h = strs_get(hits, rnd((uint32_t)hits->n));
        snprintf(p, n, "%.*s", rnd(2) ? 16 : 64, h); /* some truncated */
    } else if (kind < 50) {
        snprintf(p, n, "com.apple.%s%u", PICK(k_words), rnd(1000));
    } else {
        snprintf(p, n, "/usr/libexec/%sd%u", PICK(k_words), rnd(100000));
    }
}

static void make_path(char *p, size_t n, const strs *names, const strs *paths)
{
    uint32_t kind = rnd(100);
    if (kind < 3 && names->n)
        snprintf(p, n, "/private/var/mobile/%s", strs_get(names, rnd((uint32_t)names->n)));
    else if (kind < 6 && paths->n)
        snprintf(p, n, "%s/x%u", strs_get(paths, rnd((uint32_t)paths->n)), rnd(100));
    else
        snprintf(p, n, "/private/var/mobile/Library/%s/%s%u.db", PICK(k_words), PICK(k_words),
                 rnd(1000000));
}

/* with_match: fill a match (and format its message) on hits, as modules
 * do; without, the pure lookup cost. */
static void run1(const spy_iocs *set, spy_check_kind kind, const char *label, const strs *in,
                 bool with_match)
{
    size_t hits = 0;
    double t0 = now_ms();
    for (size_t i = 0; i < in->n; i++) {
        spy_ioc_match m;
        if (spy_iocs_check(set, NULL, kind, strs_get(in, i), with_match ? &m : NULL)) {
            hits++;
            if (with_match)
                spy_ioc_match_clear(&m);
        }
    }
    double ms = now_ms() - t0;
    printf("%-14s %-8s %8zu checks %7.1f ms %6.2f M checks/s (%zu hits)\n", label,
           with_match ? "+message" : "lookup", in->n, ms, (double)in->n / ms / 1e3, hits);
}

static void run(const spy_iocs *set, spy_check_kind kind, const char *label, const strs *in)
{
    run1(set, kind, label, in, false);
    run1(set, kind, label, in, true);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y);
}

static spy_iocs *load(const char *dir, double *ms)
{
    spy_iocs *set;
    double t0 = now_ms();
    spy_iocs_new(&set);
    spy_iocs_load_path(set, dir);
    spy_iocs_finalize(set);
    *ms = now_ms() - t0;
    return set;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : NULL;
    char *owned = NULL;
    if (!dir) {
        const char *sh = getenv("SPYSCAN_SHARED_DIR");
        owned = spy_xasprintf("%s/iocs", sh && *sh ? sh : "../shared");
        dir = owned;
    }
    spy_log_set_quiet(true);
    double t[LOAD_RUNS];
    spy_iocs *set = NULL;
    for (int r = 0; r < LOAD_RUNS; r++) {
        spy_iocs_free(set);
        set = load(dir, &t[r]);
    }
    qsort(t, LOAD_RUNS, sizeof *t, cmp_double);
    printf("load %s: %zu indicators, %zu collections, %zu files\n", dir, spy_iocs_total(set),
           spy_iocs_collection_count(set), spy_iocs_file_count(set));
    printf("load time: median %.1f ms, min %.1f ms (target <= 50 ms)\n", t[LOAD_RUNS / 2], t[0]);
    strs doms = {0}, procs = {0}, names = {0}, paths = {0};
    values_of(set, SPY_KEY_DOMAIN, SPY_KEY_IPV4, &doms);
    values_of(set, SPY_KEY_PROCESS, SPY_KEY_PROCESS, &procs);
    values_of(set, SPY_KEY_FILE_NAME, SPY_KEY_FILE_NAME, &names);
    values_of(set, SPY_KEY_FILE_PATH, SPY_KEY_FILE_PATH, &paths);
    strs urls = {0}, pnames = {0}, fpaths = {0};
    char tmp[1024];
    for (unsigned i = 0; i < N_CHECKS; i++) {
        make_url(tmp, sizeof tmp, &doms);
        strs_add(&urls, tmp);
        make_process(tmp, sizeof tmp, &procs);
        strs_add(&pnames, tmp);
        make_path(tmp, sizeof tmp, &names, &paths);
        strs_add(&fpaths, tmp);
    }
    run(set, SPY_CHECK_URL, "url", &urls);
    run(set, SPY_CHECK_PROCESS, "process", &pnames);
    run(set, SPY_CHECK_PATH_PROCESS, "path-process", &fpaths);
    run(set, SPY_CHECK_FILE_PATH, "file path", &fpaths);
    strs *all[] = {&doms, &procs, &names, &paths, &urls, &pnames, &fpaths};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        free(all[i]->buf);
        free(all[i]->off);
    }
    spy_iocs_free(set);
    free(owned);
    return 0;
}
