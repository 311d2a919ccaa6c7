/* NSKeyedArchiver decoding (docs/formats/bplist.md §NSKeyedArchiver).
 *
 * An archive is a plist {"$archiver": "NSKeyedArchiver", "$version": 100000,
 * "$top": {name: UID...}, "$objects": [...]} whose objects refer to each
 * other by UID (index into $objects). The generic decoder resolves every
 * UID into a plain JSON value:
 *   NSDictionary/NSMutableDictionary   -> object (NS.keys / NS.objects)
 *   NSArray/NSSet/NSOrderedSet (+Mutable) -> array (NS.objects)
 *   NSString/NSMutableString           -> string (NS.string)
 *   NSData/NSMutableData               -> {"$data": base64} (NS.data)
 *   NSDate                             -> {"$date": secs since 2001} (NS.time)
 *   "$null", NSNull                    -> null
 *   any other class -> object of its resolved fields plus "$class": name
 * Class families are recognised through "$classes" (the superclass chain).
 * A UID that points back to an object being resolved (a cycle, legal in
 * archives: parent pointers) becomes {"$ref": n}; depth and the number of
 * values produced are bounded (SPY_NSKA_MAX_DEPTH, SPY_BPLIST_MAX_NODES). */
#ifndef SPY_NSKA_H
#define SPY_NSKA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* archive: a plist as returned by spy_bplist_parse(). *out (new reference)
 * is an object with every key of "$top" resolved, e.g. {"root": {...}}.
 * Errors: SPY_EFORMAT (not an archive, UID out of range...), SPY_ELIMIT;
 * *why (optional, free()) explains. */
int spy_nska_decode(const json_t *archive, json_t **out, char **why);
/* Parses a binary plist and decodes it. */
int spy_nska_decode_bytes(const void *buf, size_t len, json_t **out, char **why);

/* ---- Manifest.db MBFile fast path (spec/ios.md §2.1) ---- */

/* A time field: Unix seconds as an int (what current iOS writes), or a date
 * (older backups: a plist date or an NSDate, seconds since 2001-01-01). */
typedef struct spy_mbtime {
    enum { SPY_MBTIME_NONE = 0, SPY_MBTIME_UNIX, SPY_MBTIME_MACABS } kind;
    int64_t unix_secs; /* SPY_MBTIME_UNIX */
    double mac_abs;    /* SPY_MBTIME_MACABS */
} spy_mbtime;

/* Bits of spy_mbfile.have. */
enum {
    SPY_MBF_SIZE = 1u << 0,
    SPY_MBF_MODE = 1u << 1,
    SPY_MBF_USER_ID = 1u << 2,
    SPY_MBF_GROUP_ID = 1u << 3,
    SPY_MBF_INODE = 1u << 4,
    SPY_MBF_FLAGS = 1u << 5,
    SPY_MBF_PROTECTION_CLASS = 1u << 6
};

typedef struct spy_mbfile {
    unsigned have; /* SPY_MBF_* for the integer fields below */
    int64_t size, mode, user_id, group_id, inode, flags, protection_class;
    spy_mbtime birth, last_modified, last_status_change;
    char *relative_path; /* heap UTF-8 or NULL */
    char *target;        /* symlink target, heap UTF-8 or NULL */
    /* Borrowed from the blob (valid while it lives); NULL when absent. */
    const uint8_t *digest; /* Digest (20-byte SHA-1) */
    size_t digest_len;
    const uint8_t *encryption_key; /* EncryptionKey NS.data: 4-byte LE class + wrapped key */
    size_t encryption_key_len;
    const uint8_t *xattrs; /* ExtendedAttributes (a binary plist) */
    size_t xattrs_len;
} spy_mbfile;

/* Extracts the MBFile fields of a Manifest.db `file` blob without building
 * JSON. The root object is $top.root (index 1 when $top has no root, as MVT
 * hard-codes). Unknown keys are ignored; a known key of an unexpected type
 * is left absent. Returns SPY_OK or an error with *why (optional, free());
 * on error *out is cleared. Free with spy_mbfile_clear(). */
int spy_nska_mbfile(const void *blob, size_t len, spy_mbfile *out, char **why);
void spy_mbfile_clear(spy_mbfile *m);

#endif
