/* Reading indicator files and walking folders of them. */
#include "core/error.h"
#include "core/iocs_internal.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return SPY_EIO;
        got += (size_t)r;
    }
    return SPY_OK;
}

int spy_iocs_read_file(const char *path, int level, unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: indicator file not found", path);
            return SPY_ENOTFOUND;
        }
        spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: cannot open indicator file (errno %d)",
                path, errno);
        return SPY_EIO;
    }
    struct stat st;
    int rc = SPY_OK;
    if (fstat(fd, &st) != 0) {
        spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: cannot read indicator file (errno %d)",
                path, errno);
        rc = SPY_EIO;
    } else if (!S_ISREG(st.st_mode)) {
        spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: not a regular file", path);
        rc = SPY_EFORMAT;
    } else if ((unsigned long long)st.st_size > SPY_MAX_IOC_FILE_BYTES) {
        spy_log((spy_log_level)level, SPY_IOCS_LOGGER,
                "%s: indicator file too large (%lld bytes, limit %u)", path, (long long)st.st_size,
                SPY_MAX_IOC_FILE_BYTES);
        rc = SPY_ELIMIT;
    } else {
        size_t n = (size_t)st.st_size;
        unsigned char *buf = spy_xmalloc(n + 1);
        rc = read_all(fd, buf, n);
        if (rc != SPY_OK) {
            spy_log((spy_log_level)level, SPY_IOCS_LOGGER, "%s: cannot read indicator file", path);
            free(buf);
        } else {
            buf[n] = '\0';
            *data = buf;
            *len = n;
        }
    }
    close(fd);
    return rc;
}

/* SHA-256 of data as lower-case hex (2 * 32 + 1 bytes); "" when the
 * digest fails. */
static void sha256_hex(const unsigned char *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    hex[0] = '\0';
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) == 1 && mdlen <= 32) {
        static const char digits[] = "0123456789abcdef";
        for (unsigned i = 0; i < mdlen; i++) {
            hex[2 * i] = digits[md[i] >> 4];
            hex[2 * i + 1] = digits[md[i] & 15];
        }
        hex[2 * mdlen] = '\0';
    }
}

/* spy_iocs_add_file with the SHA-256 already computed (lower-case hex). */
static void add_file_hex(spy_iocs *set, const char *path, const char *hex)
{
    if (set->nfiles == set->capfiles) {
        set->capfiles = set->capfiles ? set->capfiles * 2 : 8;
        set->file_paths = spy_xreallocarray(set->file_paths, set->capfiles, sizeof(char *));
        set->file_sha256 = spy_xreallocarray(set->file_sha256, set->capfiles, sizeof(char *));
    }
    set->file_paths[set->nfiles] = spy_xstrdup(path);
    set->file_sha256[set->nfiles] = spy_xstrdup(hex);
    set->nfiles++;
}

void spy_iocs_add_file(spy_iocs *set, const char *path, const unsigned char *data, size_t len)
{
    char hex[65];
    sha256_hex(data, len, hex);
    add_file_hex(set, path, hex);
}

int spy_iocs_load_stix2_file(spy_iocs *set, const char *path)
{
    if (!set || !path || set->finalized)
        return SPY_EINTERNAL;
    if (set->files_read >= SPY_MAX_IOC_FILES) {
        spy_log((spy_log_level)set->fail_level, SPY_IOCS_LOGGER,
                "%s: too many indicator files (limit %u)", path, SPY_MAX_IOC_FILES);
        return SPY_ELIMIT;
    }
    set->files_read++;
    unsigned char *data;
    size_t len;
    int rc = spy_iocs_read_file(path, set->fail_level, &data, &len);
    if (rc != SPY_OK)
        return rc;
    spy_debug(SPY_IOCS_LOGGER, "Parsing STIX2 indicators file at path '%s'", path);
    size_t before = set->ncolls;
    rc = spy_iocs_load_stix2_buffer(set, path, data, len);
    if (rc == SPY_OK && set->ncolls > before)
        spy_iocs_add_file(set, path, data, len);
    free(data);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of a folder (directory order is not deterministic). */
static char **list_dir(const char *dir, size_t *count)
{
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        spy_warn(SPY_IOCS_LOGGER, "%s: cannot open indicator folder (errno %d)", dir, errno);
        return NULL;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = spy_xreallocarray(names, cap, sizeof *names);
        }
        names[n++] = spy_xstrdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    *count = n;
    return names;
}

typedef struct pathlist {
    char **v;
    size_t n, cap;
} pathlist;

static void collect(pathlist *out, const char *dir, spy_iocs_name_filter want, bool recursive,
                    unsigned depth)
{
    if (depth > SPY_MAX_IOC_DIR_DEPTH) {
        spy_warn(SPY_IOCS_LOGGER, "%s: indicator folders nested too deep (limit %u), skipped", dir,
                 SPY_MAX_IOC_DIR_DEPTH);
        return;
    }
    size_t n;
    char **names = list_dir(dir, &n);
    for (size_t i = 0; i < n; i++) {
        char *p = spy_xasprintf("%s/%s", dir, names[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && recursive) {
            collect(out, p, want, recursive, depth + 1);
        } else if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && want(names[i]) &&
                   out->n < SPY_MAX_IOC_FILES) {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 16;
                out->v = spy_xreallocarray(out->v, out->cap, sizeof *out->v);
            }
            out->v[out->n++] = p;
            p = NULL;
        }
        free(p);
        free(names[i]);
    }
    free(names);
}

/* Loading a folder runs on worker threads: JSON parsing is most of the
 * load time. Files are independent until applied to the set, which happens
 * on the calling thread in path order (so collections, attribution and
 * messages are those of a one-by-one load). The work is pipelined:
 *   1. read and pre-scan every file (files shared among threads);
 *   2. parse in units: a whole small file, or a run of ELEMS_PER_UNIT
 *      elements of a large bundle's "objects" array (iocs_split.c), so one
 *      2 MB bundle does not keep one core busy while the other waits;
 *   3. the calling thread applies file i as soon as it is parsed, and
 *      parses units itself while it waits. */
typedef struct parsed {
    const char *path;
    unsigned char *data;
    size_t len;
    int rc;
    json_t *root; /* a whole-file parse */
    char *why;
    spy_stix_range *elems; /* split bundles: element ranges ... */
    json_t **values;       /* ... and their parsed values */
    size_t nelems;
    char sha256[65];
    atomic_size_t pending; /* parse units not finished */
    atomic_bool split_failed;
    bool ready; /* under the pool mutex */
} parsed;

typedef struct unit {
    size_t file, first, count; /* count 0: the whole file */
} unit;

#define MAX_THREADS 4u

typedef struct parse_pool {
    parsed *files;
    size_t nfiles;
    unit *units;
    size_t nunits;
    atomic_size_t next_prep; /* phase 1: next file */
    atomic_size_t next;      /* phase 2: next parse unit */
    atomic_size_t next_arena;
    spy_arena arenas[MAX_THREADS];
    pthread_mutex_t mu;
    pthread_cond_t cv;
} parse_pool;

/* Bundles above this size are parsed in runs of ELEMS_PER_UNIT elements. */
#define SPLIT_BYTES    (256u * 1024u)
#define ELEMS_PER_UNIT 512u

static int read_quiet(const char *path, unsigned char **data, size_t *len, char **why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    int rc = SPY_EIO;
    *data = NULL;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = spy_xstrdup("cannot read indicator file");
    } else if ((unsigned long long)st.st_size > SPY_MAX_IOC_FILE_BYTES) {
        *why = spy_xasprintf("indicator file too large (%lld bytes, limit %u)",
                             (long long)st.st_size, SPY_MAX_IOC_FILE_BYTES);
        rc = SPY_ELIMIT;
    } else {
        *len = (size_t)st.st_size;
        *data = spy_xmalloc(*len + 1);
        rc = read_all(fd, *data, *len);
        if (rc != SPY_OK)
            *why = spy_xstrdup("cannot read indicator file");
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Phase 1 for one file: read it and find the elements of a large bundle
 * (f->values stays NULL when it is parsed whole). */
static void prep_file(parsed *f)
{
    f->rc = read_quiet(f->path, &f->data, &f->len, &f->why);
    if (f->rc != SPY_OK)
        return;
    char *why = NULL;
    if (f->len < SPLIT_BYTES || spy_iocs_precheck_stix2(f->data, f->len, &why) != SPY_OK ||
        !spy_stix_split_objects(f->data, f->len, &f->elems, &f->nelems)) {
        free(why); /* the whole parse reports it */
        return;
    }
    if (f->nelems == 0) { /* "objects": [] is parsed whole, like a small file */
        free(f->elems);
        f->elems = NULL;
        return;
    }
    f->values = spy_xcalloc(f->nelems, sizeof *f->values);
}

static void *prep_worker(void *arg)
{
    parse_pool *pp = arg;
    for (size_t i; (i = atomic_fetch_add(&pp->next_prep, 1)) < pp->nfiles;)
        prep_file(&pp->files[i]);
    return NULL;
}

/* After its last unit: a split bundle where an element failed is parsed
 * whole for the real error message (the split scan never decides it). The
 * elements parsed so far stay in the arenas. */
static void finish_file(parse_pool *pp, parsed *f)
{
    if (f->values && atomic_load(&f->split_failed)) {
        free(f->values);
        f->values = NULL;
        f->rc = spy_iocs_parse_stix2(f->data, f->len, &f->root, &f->why);
    }
    pthread_mutex_lock(&pp->mu);
    f->ready = true;
    pthread_cond_broadcast(&pp->cv);
    pthread_mutex_unlock(&pp->mu);
}

static void run_unit(parse_pool *pp, const unit *u, spy_arena *arena)
{
    parsed *f = &pp->files[u->file];
    if (u->first == 0) /* info.json's hash: here no thread waits for it (phase 1 has a barrier) */
        sha256_hex(f->data, f->len, f->sha256);
    spy_tree_arena_enter(arena);
    if (u->count == 0) {
        f->rc = spy_iocs_parse_stix2(f->data, f->len, &f->root, &f->why);
    } else {
        for (size_t k = u->first; k < u->first + u->count && !atomic_load(&f->split_failed); k++) {
            json_error_t err;
            f->values[k] =
                json_loadb((const char *)f->data + f->elems[k].start, f->elems[k].len, 0, &err);
            if (!f->values[k])
                atomic_store(&f->split_failed, true);
        }
    }
    if (atomic_fetch_sub(&f->pending, 1) == 1)
        finish_file(pp, f);
    spy_tree_arena_leave();
}

/* Runs the next parse unit; false when none is left. */
static bool take_unit(parse_pool *pp, spy_arena *arena)
{
    if (atomic_load(&pp->next) >= pp->nunits)
        return false;
    size_t i = atomic_fetch_add(&pp->next, 1);
    if (i >= pp->nunits)
        return false;
    run_unit(pp, &pp->units[i], arena);
    return true;
}

static spy_arena *own_arena(parse_pool *pp)
{
    return &pp->arenas[atomic_fetch_add(&pp->next_arena, 1)];
}

static void *parse_worker(void *arg)
{
    parse_pool *pp = arg;
    spy_arena *arena = own_arena(pp);
    while (take_unit(pp, arena))
        ;
    return NULL;
}

/* The calling thread's wait for a file: it parses meanwhile. */
static void wait_ready(parse_pool *pp, parsed *f, spy_arena *arena)
{
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        bool ready = f->ready;
        pthread_mutex_unlock(&pp->mu);
        if (ready)
            return;
        if (take_unit(pp, arena))
            continue;
        pthread_mutex_lock(&pp->mu);
        while (!f->ready)
            pthread_cond_wait(&pp->cv, &pp->mu);
        pthread_mutex_unlock(&pp->mu);
    }
}

static void add_unit(parse_pool *pp, size_t *cap, unit u)
{
    if (pp->nunits == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        pp->units = spy_xreallocarray(pp->units, *cap, sizeof *pp->units);
    }
    pp->units[pp->nunits++] = u;
}

/* Cuts the parsing into units, in path order (cheap, on this thread). */
static void plan_units(parse_pool *pp)
{
    size_t cap = 0;
    for (size_t i = 0; i < pp->nfiles; i++) {
        parsed *f = &pp->files[i];
        size_t first = pp->nunits;
        if (f->rc != SPY_OK) {
            f->ready = true;
            continue;
        }
        if (!f->values)
            add_unit(pp, &cap, (unit){i, 0, 0});
        for (size_t k = 0; f->values && k < f->nelems; k += ELEMS_PER_UNIT)
            add_unit(pp, &cap,
                     (unit){i, k, f->nelems - k < ELEMS_PER_UNIT ? f->nelems - k : ELEMS_PER_UNIT});
        atomic_store(&f->pending, pp->nunits - first);
    }
}

static size_t start_threads(pthread_t *tids, size_t want, void *(*fn)(void *), parse_pool *pp)
{
    size_t started = 0;
    while (started + 1 < want && pthread_create(&tids[started], NULL, fn, pp) == 0)
        started++;
    return started;
}

static size_t thread_count(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cpus > 1 ? (size_t)cpus : 1;
    return nt > MAX_THREADS ? MAX_THREADS : nt;
}

/* Applies one parsed file (the messages of a one-by-one load). */
static void apply_file(spy_iocs *set, parsed *f)
{
    set->files_read++;
    spy_debug(SPY_IOCS_LOGGER, "Parsing STIX2 indicators file at path '%s'", f->path);
    if (f->rc != SPY_OK) {
        spy_log((spy_log_level)set->fail_level, SPY_IOCS_LOGGER, "%s: %s", f->path, f->why);
        return;
    }
    size_t before = set->ncolls;
    int rc = f->values ? spy_iocs_apply_stix2_objects(set, f->path, f->values, f->nelems)
                       : spy_iocs_apply_stix2(set, f->path, f->root);
    if (rc == SPY_OK && set->ncolls > before)
        add_file_hex(set, f->path, f->sha256);
}

static void load_all(spy_iocs *set, parse_pool *pp)
{
    size_t nt = thread_count();
    pthread_t tids[MAX_THREADS];
    size_t started = start_threads(tids, nt < pp->nfiles ? nt : pp->nfiles, prep_worker, pp);
    prep_worker(pp); /* this thread works too */
    for (size_t t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    plan_units(pp);
    spy_tree_hooks_install();
    spy_arena *mine = own_arena(pp);
    started = start_threads(tids, nt < pp->nunits ? nt : pp->nunits, parse_worker, pp);
    bool full = false;
    for (size_t i = 0; i < pp->nfiles; i++) {
        parsed *f = &pp->files[i];
        wait_ready(pp, f, mine);
        full = full || set->files_read >= SPY_MAX_IOC_FILES;
        if (!full)
            apply_file(set, f);
        free(f->data);
        f->data = NULL;
    }
    for (size_t t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    for (size_t a = 0; a < MAX_THREADS; a++)
        spy_arena_clear(&pp->arenas[a]);
    spy_tree_hooks_remove();
}

void spy_iocs_load_tree(spy_iocs *set, const char *dir, spy_iocs_name_filter want, bool recursive)
{
    /* A bad file inside a folder is skipped with a warning, not an error:
     * the folder as a whole was usable. */
    int saved = set->fail_level;
    set->fail_level = SPY_LOG_WARNING;
    pathlist paths = {0};
    collect(&paths, dir, want, recursive, 0);
    parse_pool pp = {.files = spy_xcalloc(paths.n ? paths.n : 1, sizeof(parsed)),
                     .nfiles = paths.n};
    pthread_mutex_init(&pp.mu, NULL);
    pthread_cond_init(&pp.cv, NULL);
    for (size_t i = 0; i < paths.n; i++)
        pp.files[i].path = paths.v[i];
    load_all(set, &pp);
    for (size_t i = 0; i < paths.n; i++) {
        free(pp.files[i].data);
        free(pp.files[i].why);
        free(pp.files[i].elems);
        free(pp.files[i].values);
        free(paths.v[i]);
    }
    pthread_mutex_destroy(&pp.mu);
    pthread_cond_destroy(&pp.cv);
    free(pp.files);
    free(pp.units);
    free(paths.v);
    set->fail_level = saved;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

static bool want_bundle(const char *name)
{
    return ends_with(name, ".stix2") || ends_with(name, ".json");
}

int spy_iocs_load_path(spy_iocs *set, const char *path)
{
    if (!set || !path || set->finalized)
        return SPY_EINTERNAL;
    struct stat st;
    if (stat(path, &st) != 0) {
        spy_log((spy_log_level)set->fail_level, SPY_IOCS_LOGGER, "%s: indicator file not found",
                path);
        return SPY_ENOTFOUND;
    }
    if (!S_ISDIR(st.st_mode))
        return spy_iocs_load_stix2_file(set, path);
    spy_iocs_load_tree(set, path, want_bundle, true);
    return SPY_OK;
}
