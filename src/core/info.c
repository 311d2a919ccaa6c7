/* info.json and input hashing (spec/outputs.md §3.5, design.md §6). */
#include "core/writers.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER   "spyscan.output"
#define HASH_BUF (256u * 1024u)

static const char *errstr(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0)
        snprintf(buf, n, "error %d", e);
    return buf;
}

/* ---- info.json -------------------------------------------------------- */

static void emit_str_array(spy_jw *w, const char *key, const char *const *v, size_t n)
{
    spy_jw_key(w, key, strlen(key));
    spy_jw_begin_array(w);
    for (size_t i = 0; i < n; i++)
        spy_jw_cstr(w, v ? v[i] : NULL);
    spy_jw_end_array(w);
}

static void emit_hashes(spy_jw *w, const spy_hash_entry *h, size_t n)
{
    spy_jw_key(w, "hashes", 6);
    spy_jw_begin_array(w);
    for (size_t i = 0; i < n; i++) {
        spy_jw_begin_object(w);
        spy_jw_key(w, "file_path", 9);
        spy_jw_cstr(w, h[i].file_path);
        spy_jw_key(w, "sha256", 6);
        spy_jw_cstr(w, h[i].sha256);
        spy_jw_end_object(w);
    }
    spy_jw_end_array(w);
}

static int emit_info(spy_jw *w, void *ctx)
{
    const spy_info *in = ctx;
    spy_jw_begin_object(w);
    spy_jw_key(w, "target_path", 11);
    spy_jw_cstr(w, in->target_path);
    spy_jw_key(w, "spyscan_version", 15);
    spy_jw_cstr(w, in->version);
    spy_jw_key(w, "date", 4);
    spy_jw_cstr(w, in->date);
    emit_str_array(w, "ioc_files", in->ioc_files, in->n_ioc_files);
    emit_str_array(w, "ioc_files_sha256", in->ioc_files_sha256, in->n_ioc_files);
    emit_hashes(w, in->hashes, in->n_hashes);
    return spy_jw_end_object(w); /* errors are sticky: this reports any */
}

int spy_info_write(spy_outdir *d, const spy_info *info)
{
    return spy_write_json_file(d, "info.json", emit_info, (void *)info);
}

/* ---- listing the files ------------------------------------------------ */

typedef struct file_list {
    spy_hash_entry *v;
    int *err; /* errno per entry, 0 when hashed */
    size_t n, cap;
} file_list;

static void list_add(file_list *l, char *path)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = spy_xreallocarray(l->v, l->cap, sizeof *l->v);
        l->err = spy_xreallocarray(l->err, l->cap, sizeof *l->err);
    }
    l->v[l->n] = (spy_hash_entry){.file_path = path};
    l->err[l->n++] = 0;
}

/* os.path.join(root, name) as MVT's walk builds paths. */
static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return spy_xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

/* Adds the regular files of one folder and pushes its sub-folders;
 * symlinks are neither followed nor hashed. */
static void walk_one(const char *dir, file_list *files, char ***stack, size_t *n_stack)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        char eb[128];
        spy_warn(LOGGER, "Cannot list %s, its files are not hashed: %s", dir,
                 errstr(errno, eb, sizeof eb));
        return;
    }
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = path_join(dir, e->d_name);
        unsigned char type = e->d_type;
        struct stat st;
        if (type == DT_UNKNOWN && lstat(p, &st) == 0)
            type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_LNK;
        if (type == DT_REG) {
            list_add(files, p);
        } else if (type == DT_DIR) {
            *stack = spy_xreallocarray(*stack, *n_stack + 1, sizeof **stack);
            (*stack)[(*n_stack)++] = p;
        } else {
            free(p);
        }
    }
    closedir(dp);
}

/* An explicit stack: acquisition trees can be deeper than we want to recurse. */
static void walk_tree(const char *root, file_list *files)
{
    char **stack = spy_xmalloc(sizeof *stack);
    size_t n_stack = 1;
    stack[0] = spy_xstrdup(root);
    while (n_stack > 0) {
        char *dir = stack[--n_stack];
        walk_one(dir, files, &stack, &n_stack);
        free(dir);
    }
    free(stack);
}

/* ---- hashing ---------------------------------------------------------- */

static int sha256_file(const char *path, char hex[65])
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return EINVAL; /* swapped for something else since the walk */
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *buf = spy_xmalloc(HASH_BUF), md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    int err = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 ? 0 : ENOMEM;
    ssize_t r;
    while (!err && (r = read(fd, buf, HASH_BUF)) != 0) {
        if (r < 0 && errno != EINTR)
            err = errno;
        else if (r > 0 && EVP_DigestUpdate(ctx, buf, (size_t)r) != 1)
            err = ENOMEM;
    }
    if (!err && EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
        err = ENOMEM;
    for (unsigned i = 0; !err && i < mdlen && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    EVP_MD_CTX_free(ctx);
    free(buf);
    close(fd);
    return err;
}

typedef struct hash_job {
    file_list *files;
    size_t next; /* atomic: the work queue is an index */
} hash_job;

static void *hash_worker(void *arg)
{
    hash_job *j = arg;
    for (;;) {
        size_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
        if (i >= j->files->n)
            return NULL;
        j->files->err[i] = sha256_file(j->files->v[i].file_path, j->files->v[i].sha256);
    }
}

static void hash_all(file_list *files, unsigned threads)
{
    hash_job job = {.files = files};
    if (threads > SPY_MAX_THREADS)
        threads = SPY_MAX_THREADS;
    if (threads > files->n)
        threads = (unsigned)files->n;
    pthread_t tid[SPY_MAX_THREADS];
    unsigned started = 0;
    for (unsigned i = 1; i < threads; i++) {
        if (pthread_create(&tid[started], NULL, hash_worker, &job) != 0)
            break; /* fewer threads is slower, not wrong */
        started++;
    }
    hash_worker(&job);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const spy_hash_entry *)a)->file_path, ((const spy_hash_entry *)b)->file_path);
}

/* Drops (and logs, in path order) the files that could not be read. */
static void drop_failed(file_list *l)
{
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->err[i]) {
            char eb[128];
            spy_warn(LOGGER, "Cannot hash %s, skipped: %s", l->v[i].file_path,
                     errstr(l->err[i], eb, sizeof eb));
            free(l->v[i].file_path);
            continue;
        }
        l->v[o++] = l->v[i];
    }
    l->n = o;
}

int spy_hash_inputs(const char *path, unsigned threads, spy_hash_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        char eb[128];
        spy_error(LOGGER, "Cannot hash %s: %s", path, errstr(e, eb, sizeof eb));
        return e == ENOENT ? SPY_ENOTFOUND : SPY_EIO;
    }
    file_list files = {0};
    if (S_ISDIR(st.st_mode))
        walk_tree(path, &files);
    else
        list_add(&files, spy_xstrdup(path));
    /* The walk order is the file system's: sort first, so hashes are listed
     * and unreadable files logged in the same order every run. */
    qsort(files.v, files.n, sizeof *files.v, entry_cmp);
    hash_all(&files, threads ? threads : 1);
    drop_failed(&files);
    free(files.err);
    *out = files.v;
    *n = files.n;
    return SPY_OK;
}

void spy_hash_entries_free(spy_hash_entry *e, size_t n)
{
    for (size_t i = 0; e && i < n; i++)
        free(e[i].file_path);
    free(e);
}
