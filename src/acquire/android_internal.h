/* Shared by the files of the Android acquisition readers (android.h): the
 * member list, the folder and ZIP back ends, the dumpstate sections. */
#ifndef SPY_ANDROID_INTERNAL_H
#define SPY_ANDROID_INTERNAL_H

#include "acquire/android.h"
#include "core/strmap.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One regular file of the acquisition, in enumeration order. */
typedef struct andr_member {
    char *path;     /* as listed (and matched by globs) */
    char *mtime;    /* naive local ISO time, or NULL */
    size_t ordinal; /* ZIP: position in the archive's entry order */
} andr_member;

typedef struct andr_zip andr_zip; /* android_zip.c */

/* A dumpsys section: offsets into the dumpstate text. */
typedef struct andr_section {
    const char *name; /* points into the text; not NUL-terminated */
    size_t name_len;
    size_t off, len;
} andr_section;

struct android_acq {
    spy_acq_kind kind;
    char *label; /* how messages name the acquisition (the input path) */
    /* Folder mode: fd of the walked folder; listed paths are prefix + the
     * path under it (prefix "" for a bug report, "<folder>/" for AndroidQF). */
    int dirfd;
    char *prefix;
    andr_zip *zip; /* ZIP mode */
    andr_member *m;
    size_t n, cap;
    spy_strmap *by_path; /* listed path -> member index + 1 */

    /* The dumpstate file and its sections, loaded on first use. */
    pthread_mutex_t lock;
    bool dump_done;
    int dump_err;
    char *dump;
    size_t dump_len;
    andr_section *sec;
    size_t n_sec;
    bool has_props;
    size_t props_off, props_len;

    json_t *context;                  /* AndroidQF (§1.3.4); NULL for a bug report */
    const struct android_acq *parent; /* the AndroidQF holding a nested bug report */
    bool view;                        /* the members are the parent's own files, read through it */
};

typedef struct android_acq android_acq;

extern const spy_acq_ops spy_android_ops;

/* Python fnmatch on a whole string: '*' crosses '/', '?', '[...]' with
 * '!' negation and ranges; case-sensitive. */
bool spy_fnmatch(const char *pat, const char *s);

android_acq *andr_new(spy_acq_kind kind, const char *label);
void andr_free(android_acq *a);
/* Appends a member (copies path and mtime) and indexes it. */
void andr_add(android_acq *a, const char *path, const char *mtime, size_t ordinal);
const andr_member *andr_lookup(const android_acq *a, const char *path);
/* The first member matching glob, or NULL. */
const andr_member *andr_first(const android_acq *a, const char *glob);
/* Reads a member whole, at most max bytes (SPY_ELIMIT beyond, with a
 * logged line). */
int andr_read(const android_acq *a, const andr_member *m, size_t max, void **buf, size_t *len);
/* The same as a stream (acq.h), at most max bytes; a view reads through
 * its parent. */
int andr_open_stream(const android_acq *a, const andr_member *m, uint64_t max, spy_stream **s);

/* Folder mode: walks dir and lists its regular files under prefix. */
int andr_folder_open(android_acq *a, const char *dir, const char *prefix);
int andr_folder_read(const android_acq *a, const andr_member *m, size_t max, void **buf,
                     size_t *len);
int andr_folder_stream(const android_acq *a, const andr_member *m, uint64_t max, spy_stream **s);
/* Opens a member of a folder acquisition as an fd (for a nested ZIP). */
int andr_folder_open_fd(const android_acq *a, const andr_member *m, int *fd);

/* ZIP mode (android_zip.c). The source is a file fd (taken) or a memory
 * buffer (taken, free()d at close). */
int andr_zip_open_fd(android_acq *a, int fd, const char *label);
int andr_zip_open_mem(android_acq *a, void *buf, size_t len, const char *label);
/* Lists the members; root_prefix is put before every name when some
 * regular file sits at the archive's root (AndroidQF), NULL otherwise.
 * SPY_EFORMAT with *why (free()) when the archive cannot be read. */
int andr_zip_list(android_acq *a, const char *root_prefix, char **why);
int andr_zip_read(const android_acq *a, const andr_member *m, size_t max, void **buf, size_t *len);
/* A stream with a reader of its own (android_zip_data.c). */
int andr_zip_stream(const android_acq *a, const andr_member *m, uint64_t max, spy_stream **s);
void andr_zip_close(andr_zip *z);

/* DOS times from the central directory (android_zip_dos.c). */
typedef bool (*andr_zip_rd)(void *ud, uint64_t off, void *buf, size_t len);
typedef struct andr_dos_entry {
    uint64_t offset; /* local header */
    size_t seq;      /* central directory order */
    unsigned date, time;
    bool utf8; /* the name is flagged UTF-8 */
    const unsigned char *name;
    size_t name_len;
} andr_dos_entry;
/* The entries in libarchive's seekable order (local header offset, the
 * first of equal offsets kept); 0 when the directory cannot be read. Names
 * point into *cd (free() both). */
size_t andr_zip_dos_list(andr_zip_rd rd, void *ud, uint64_t size, andr_dos_entry **out,
                         unsigned char **cd);
/* Python's datetime(*ZipInfo.date_time) as ISO text; false (and "") when
 * the fields are out of range. */
bool andr_dos_iso(unsigned date, unsigned time, char out[32]);

/* Naive local ISO time of Unix seconds + nanoseconds (Python's
 * datetime.fromtimestamp rounding). */
void andr_local_iso(int64_t sec, long nsec, char out[32]);

/* Splits a dumpstate text into sections and the properties block (§1.2,
 * §4.7), in one pass. Fills a->sec/n_sec and props; the text must stay. */
void andr_split_dumpstate(android_acq *a, const char *text, size_t len);

#endif
