/* The .ab acquisition object, shared by the reader's files
 * (android_backup.c: tar listing and member reads; android_backup_open.c:
 * opening, passwords, the AndroidQF nested backup) and the fuzz targets. */
#ifndef SPY_ANDROID_BACKUP_ACQ_H
#define SPY_ANDROID_BACKUP_ACQ_H

#include "acquire/android_backup_internal.h"
#include "acquire/android_internal.h"

#include <pthread.h>

struct archive;

/* Members kept from the listing pass: each at most ABK_CACHE_MEMBER bytes,
 * ABK_CACHE_BUDGET in all (first come, first kept). */
#define ABK_CACHE_MEMBER (16u * 1024u * 1024u)
#define ABK_CACHE_BUDGET (64u * 1024u * 1024u)

typedef struct abk_cached {
    char *data;
    size_t len;
} abk_cached;

typedef struct ab_acq {
    char *label; /* the input path, or the member path of a nested one */
    abk_src src; /* src.fd owned; or src.mem, owned when mem_owned */
    void *mem_owned;
    abk_header h;
    abk_keys keys;     /* the data key when h.encrypted; wiped at free */
    android_acq *list; /* the member list (paths, mtimes, tar ordinals) */
    size_t n_refused;
    abk_cached *cache; /* by member index; data NULL when not kept */
    size_t cache_cap;
    uint64_t cache_total;
    uint64_t cache_budget; /* ABK_CACHE_BUDGET (the fuzz target varies it) */
    /* One tar reader, moved forward by reads; restarted when needed. */
    pthread_mutex_t lock;
    struct archive *ar;
    struct abk_stream *st;
    size_t pos; /* entries the reader has passed */
} ab_acq;

extern const spy_acq_ops abk_acq_ops;

ab_acq *abk_acq_new(const char *label);
void abk_acq_free(ab_acq *a);
/* Lists the tar members (h, keys and src set). SPY_OK, or an error with
 * *why (free()): SPY_EFORMAT (MVT's ABK_NO_INFLATE, a damaged tar or
 * encryption layer), SPY_ELIMIT, SPY_EIO. */
int abk_acq_list(ab_acq *a, char **why);

#endif
