/* Builds real-shaped iOS backup folders for tests (spec/ios.md §2.1):
 * Manifest.db with MBFile blobs, content files at <xx>/<fileID>, Info.plist
 * (XML, as the host writes it), Manifest.plist and Status.plist (binary). */
#ifndef SPY_BACKUP_FIXTURE_H
#define SPY_BACKUP_FIXTURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct bf_backup bf_backup;

/* Creates dir (which must not exist) and an empty Manifest.db in memory. */
bf_backup *bf_new(const char *dir);
/* SHA-1 hex of "<domain>-<relpath>" (41 bytes with the NUL). */
void bf_file_id(const char *domain, const char *relpath, char out[41]);
/* A regular file: content at <xx>/<fileID>, a Files row with its MBFile. */
void bf_add_file(bf_backup *b, const char *domain, const char *relpath, const void *data,
                 size_t len);
/* A Files row only (a partial backup whose content file is missing). */
void bf_add_missing(bf_backup *b, const char *domain, const char *relpath);
void bf_add_dir(bf_backup *b, const char *domain, const char *relpath);
/* A SQLite database built from a SQL script. With wal, the newest rows
 * (wal_sql) exist only in its -wal, which becomes its own Files entry. */
void bf_add_sqlite(bf_backup *b, const char *domain, const char *relpath, const char *sql,
                   const char *wal_sql);
/* The three top-level plists; info is written as XML, the others binary.
 * NULL skips the file. */
void bf_set_plists(bf_backup *b, const json_t *info, const json_t *manifest, const json_t *status);
/* Writes Manifest.db and frees b. */
void bf_finish(bf_backup *b);

#endif
