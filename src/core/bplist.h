/* Bounded reader of Apple binary property lists ("bplist00"),
 * docs/formats/bplist.md.
 *
 * Two levels:
 * - spy_bplist_parse(): the whole plist as a jansson value (for modules that
 *   emit JSON records). Conventions for types JSON lacks:
 *     date  -> {"$date": <seconds since 2001-01-01 UTC, real>}
 *     data  -> {"$data": "<base64>"}
 *     UID   -> {"CF$UID": <integer>}          (as Python's plistlib)
 *     real that is NaN/inf -> {"$real": "nan" | "inf" | "-inf"}
 *       (a non-finite date -> {"$date": "nan" | "inf" | "-inf"})
 *     set   -> array;  fill byte and null -> null
 *     16-byte int -> its low 64 bits as a signed integer (two's complement)
 *   Strings come out as UTF-8: UTF-16BE strings are converted (unpaired
 *   surrogates -> U+FFFD); "ASCII" strings with bytes >= 0x80 are read as
 *   Latin-1. Dictionary keys must be strings.
 * - spy_bplist_open()/spy_bplist_object(): allocation-free access to single
 *   objects, for hot paths (core/nska.c's MBFile reader).
 *
 * Every offset, length and reference is checked before use; nesting, the
 * object count, the values produced and the decoded bytes are bounded
 * (core/limits.h SPY_BPLIST_*); a reference cycle is an error. Errors say
 * which object at which offset was bad. */
#ifndef SPY_BPLIST_H
#define SPY_BPLIST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true when buf starts with the "bplist00" magic. */
bool spy_bplist_sniff(const void *buf, size_t len);

/* Parses a whole binary plist. On success *out is a new reference. On
 * failure returns SPY_EFORMAT / SPY_ETRUNCATED / SPY_ELIMIT and *why
 * (optional, free()) says what, e.g. "object 12 at offset 0x1f3: reference
 * 40 out of range (9 objects)". */
int spy_bplist_parse(const void *buf, size_t len, json_t **out, char **why);

/* ---- low level ---- */

typedef struct spy_bplist {
    const uint8_t *buf;
    size_t len;
    unsigned off_size; /* bytes per offset-table entry, 1..8 */
    unsigned ref_size; /* bytes per object reference, 1..8 */
    uint64_t nobj;     /* number of objects */
    uint64_t top;      /* index of the root object */
    uint64_t otab;     /* offset of the offset table = end of the object area */
    char why[160];     /* last error message */
} spy_bplist;

typedef enum spy_bptype {
    SPY_BP_NULL,
    SPY_BP_BOOL,
    SPY_BP_FILL,
    SPY_BP_INT,
    SPY_BP_REAL,
    SPY_BP_DATE,
    SPY_BP_DATA,
    SPY_BP_ASCII,
    SPY_BP_UTF16,
    SPY_BP_UID,
    SPY_BP_ARRAY,
    SPY_BP_SET,
    SPY_BP_DICT
} spy_bptype;

/* One decoded object header. Pointers point into the plist buffer. */
typedef struct spy_bpobj {
    spy_bptype type;
    uint64_t index;   /* object number */
    uint64_t offset;  /* offset of its marker byte */
    int64_t i;        /* INT (see 16-byte rule), BOOL (0/1) */
    uint64_t uid;     /* UID */
    double r;         /* REAL, DATE (seconds since 2001-01-01) */
    const uint8_t *p; /* DATA/ASCII bytes, UTF16 big-endian units, container refs */
    uint64_t count;   /* DATA/ASCII bytes, UTF16 code units, container entries
                         (a dict has count keys then count values in p) */
} spy_bpobj;

/* Checks the magic and the trailer. SPY_OK or an error with bp->why set. */
int spy_bplist_open(spy_bplist *bp, const void *buf, size_t len);
/* Decodes object idx (bounds-checked; containers' refs are not followed). */
int spy_bplist_object(spy_bplist *bp, uint64_t idx, spy_bpobj *out);
/* The ref in slot i of a container (dict: slot i < count is key i, slot
 * count + i is value i), checked against the object count. */
int spy_bplist_ref(spy_bplist *bp, const spy_bpobj *c, uint64_t slot, uint64_t *ref);
/* true when obj is a string (ASCII or UTF-16) equal to the ASCII key. */
bool spy_bplist_str_eq(const spy_bpobj *obj, const char *key, size_t keylen);
/* Looks a key up in a dict: SPY_OK with *val, SPY_ENOTFOUND, or an error. */
int spy_bplist_dict_get(spy_bplist *bp, const spy_bpobj *dict, const char *key, spy_bpobj *val);
/* A string object as a fresh NUL-terminated UTF-8 string (*len optional:
 * its length, which may include NUL characters). SPY_EFORMAT if not a string. */
int spy_bplist_string(const spy_bpobj *obj, char **out, size_t *len);

#endif
