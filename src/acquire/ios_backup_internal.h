/* Shared by the files of the iOS backup reader. */
#ifndef SPY_IOS_BACKUP_INTERNAL_H
#define SPY_IOS_BACKUP_INTERNAL_H

#include "acquire/acq.h"

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>

struct ios_backup {
    char *dir; /* the resolved backup folder */
    int dirfd; /* O_DIRECTORY fd: every file is opened relative to it */
    json_t *info_plist, *manifest_plist, *status_plist;
    sqlite3 *manifest; /* lookups; guarded by lock (modules run on several threads) */
    pthread_mutex_t lock;
};

extern const spy_acq_ops spy_ios_backup_ops;

/* Opens <xx>/<fileID> without following links, so a blob can never resolve
 * outside the backup folder. SPY_ENOTFOUND when absent. */
int spy_backup_open_blob(const struct ios_backup *b, const char *file_id, int *fd);
/* Reads a whole file of at most max bytes (NUL-terminated copy). */
int spy_backup_read_fd(int fd, const char *label, size_t max, void **buf, size_t *len);
void spy_ios_backup_free_impl(void *impl);

#endif
