/* Binary plist writer for test fixtures (and the sample-backup builder).
 * Not for production output: spyscan never writes plists into evidence.
 *
 * bpw_write() turns a jansson value into a valid "bplist00" using the same
 * conventions as core/bplist.h reads back:
 *   {"$date": seconds since 2001}  -> date
 *   {"$data": "<base64>"}          -> data
 *   {"CF$UID": n}                  -> UID
 *   {"$set": [...]}                -> set
 *   integers -> the smallest int width (1, 2, 4 bytes unsigned; 8 signed)
 *   reals -> 8-byte reals; strings -> ASCII when 7-bit, else UTF-16BE
 * Objects are numbered depth-first with the top object 0 (as CF writes).
 *
 * bpw_raw_* build hostile plists object by object: any refs, any sizes. */
#ifndef SPY_BPLIST_WRITER_H
#define SPY_BPLIST_WRITER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct bpw_opts {
    unsigned ref_size;    /* 0: smallest that fits */
    unsigned offset_size; /* 0: smallest that fits */
} bpw_opts;

/* 0 on success; *out (malloc) and *len. opts may be NULL. */
int bpw_write(const json_t *v, const bpw_opts *opts, uint8_t **out, size_t *len);

/* ---- raw builder ---- */
typedef struct bpw_raw bpw_raw;
bpw_raw *bpw_raw_new(unsigned ref_size);
/* Appends one object's bytes (marker included); returns its index. */
uint64_t bpw_raw_add(bpw_raw *r, const void *bytes, size_t n);
uint64_t bpw_raw_int(bpw_raw *r, int64_t v);
uint64_t bpw_raw_ascii(bpw_raw *r, const char *s);
uint64_t bpw_raw_uid(bpw_raw *r, uint64_t uid);
uint64_t bpw_raw_array(bpw_raw *r, const uint64_t *refs, size_t n);
uint64_t bpw_raw_dict(bpw_raw *r, const uint64_t *keys, const uint64_t *vals, size_t n);
/* Index the next added object will get. */
uint64_t bpw_raw_next(const bpw_raw *r);
/* Writes header, objects, offset table and trailer; frees r. */
void bpw_raw_finish(bpw_raw *r, uint64_t top, unsigned offset_size, uint8_t **out, size_t *len);

/* ---- Manifest.db MBFile archives (spec/ios.md §2.1) ---- */
typedef struct bpw_mbfile {
    const char *relative_path;
    const char *target; /* symlinks only, or NULL */
    int64_t size, mode, user_id, group_id, inode, flags, protection_class;
    int64_t birth, last_modified, last_status_change; /* Unix seconds */
    const uint8_t *encryption_key;                    /* NULL or 44 bytes */
    size_t encryption_key_len;
    const uint8_t *digest; /* NULL or 20 bytes */
    size_t digest_len;
} bpw_mbfile;

/* The NSKeyedArchiver plist as iOS writes it ($version 100000, $top.root =
 * UID 1, $objects[0] = "$null", MBFile at 1, then strings, EncryptionKey's
 * NSMutableData, class dicts), as JSON with the conventions above. */
json_t *bpw_mbfile_json(const bpw_mbfile *m);
/* The same as a binary plist (malloc). */
int bpw_mbfile_blob(const bpw_mbfile *m, uint8_t **out, size_t *len);

#endif
