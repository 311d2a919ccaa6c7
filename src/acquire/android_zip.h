/* The ZIP back end's state, shared by android_zip.c (listing, whole-member
 * reads) and android_zip_stream.c: the source (a file or a memory buffer)
 * and cursors over it. Each cursor is a libarchive reader with its own
 * position in the source, so a stream needs no lock while other modules
 * read other members through the shared cursor. */
#ifndef SPY_ANDROID_ZIP_H
#define SPY_ANDROID_ZIP_H

#include "acquire/android_internal.h"

#include <archive.h>
#include <archive_entry.h>

typedef struct andr_zcur {
    andr_zip *z;
    uint64_t off;         /* the reader's position in the source */
    uint64_t consumed;    /* source bytes handed to libarchive */
    unsigned char *block; /* file sources: the bytes last handed out */
    struct archive *ar;
    size_t pos; /* entries the reader has passed */
} andr_zcur;

struct andr_zip {
    int fd;             /* -1: memory source */
    unsigned char *mem; /* owned */
    uint64_t size;
    char *label;
    pthread_mutex_t lock; /* guards cur and total_out */
    andr_zcur cur;        /* the reader of whole-member reads, one module at a time */
    uint64_t total_out;   /* decompressed bytes handed out so far */
};

void andr_zcur_init(andr_zcur *c, andr_zip *z);
/* Frees the reader and the block; the cursor can be used again. */
void andr_zcur_free(andr_zcur *c);
/* A fresh reader at the first entry; why gets libarchive's reason. */
int andr_zcur_reopen(andr_zcur *c, char **why);
/* Positions the reader on entry ordinal: SPY_OK with *e set. */
int andr_zcur_seek(andr_zcur *c, size_t ordinal, struct archive_entry **e, char **why);

/* SPY_ELIMIT with *why when the entry declares more than max bytes. */
int andr_zip_check_declared(struct archive_entry *e, uint64_t max, char **why);
/* The ZIP-bomb bounds once a member has given len bytes out of in source
 * bytes, the archive having given total in all: SPY_ELIMIT with *why. */
int andr_zip_check_out(uint64_t len, uint64_t in, uint64_t max, uint64_t total, char **why);

#endif
