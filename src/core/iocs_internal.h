/* Private to src/core/iocs*.c (and the fuzz targets/tests that exercise the
 * pieces directly). The public contract is core/iocs.h. */
#ifndef SPY_IOCS_INTERNAL_H
#define SPY_IOCS_INTERNAL_H

#include "core/arena.h"
#include "core/iocs.h"
#include "core/strmap.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#define SPY_IOCS_LOGGER "spyscan.iocs"
#define SPY_IOC_NONE    UINT32_MAX

/* ---- pattern parser (iocs_pattern.c) ---------------------------------- */

/* One comparison `<key> = <constant>`: key after MVT's normalisation
 * (spec/iocs.md §5.2 step 3), value as written in the constant (escapes
 * decoded), before type-specific normalisation. */
typedef struct spy_ioc_cmp {
    char *key;
    char *value;
} spy_ioc_cmp;

/* A pattern in disjunctive normal form: an OR of clauses, each clause an
 * AND of comparisons (indexes into cmps). */
typedef struct spy_ioc_clause {
    uint16_t *terms;
    size_t n;
} spy_ioc_clause;

typedef struct spy_ioc_pattern {
    spy_ioc_cmp *cmps;
    size_t ncmps;
    spy_ioc_clause *clauses;
    size_t nclauses;
} spy_ioc_pattern;

/* SPY_OK; SPY_EUNSUPPORTED for valid STIX spyscan cannot evaluate
 * (operators other than '=', FOLLOWEDBY, qualifiers, NOT, too many terms);
 * SPY_EFORMAT for text that is not a pattern even by MVT's lax rule. *why
 * gets a static reason on failure. */
int spy_ioc_pattern_parse(const char *text, size_t len, spy_ioc_pattern *out, const char **why);
void spy_ioc_pattern_clear(spy_ioc_pattern *p);
/* MVT's key normalisation (hash algorithm names); returns a new string. */
char *spy_ioc_key_normalise(const char *key, size_t len);
/* The key enum of a normalised key, or SPY_KEY_COUNT when unsupported. */
spy_ioc_key spy_ioc_key_from_name(const char *key);
spy_ioc_bucket spy_ioc_key_bucket(spy_ioc_key k);

/* ---- the set ------------------------------------------------------------ */

/* A single indicator, or an AND compound (key SPY_KEY_COMPOUND, value = the
 * pattern text, terms in set->terms[first_term .. first_term + nterms)). */
typedef struct ioc_entry {
    char *value;
    uint32_t coll;
    uint32_t seq;  /* load order */
    uint32_t rank; /* search order (§6.5): collection order, then insertion */
    uint32_t first_term, nterms;
    uint32_t cidx; /* compound number, SPY_IOC_NONE for single values */
    uint8_t key;
} ioc_entry;

typedef struct ioc_term {
    char *value; /* normalised like a single value of that key */
    uint32_t entry;
    uint8_t key;
} ioc_term;

typedef struct ioc_coll {
    spy_ioc_collection_info info; /* strings owned */
    spy_strmap *seen;             /* bucket byte + value: per-collection de-dup */
} ioc_coll;

/* Lookup indexes (iocs_index.c). Every map sends a normalised value to a
 * node number + 1; a node holds the single indicator that wins for that
 * value and the compound terms equal to it. */
enum ioc_idx {
    IDX_URL,
    IDX_DOMAIN,
    IDX_DOMAIN_TAIL,
    IDX_PROC,
    IDX_PROC_PREFIX,
    IDX_EMAIL,
    IDX_FNAME,
    IDX_FPATH,
    IDX_MD5,
    IDX_SHA1,
    IDX_SHA256,
    IDX_SHA512,
    IDX_CERT,
    IDX_APPID,
    IDX_PROFILE,
    IDX_PROP,
    IDX_COUNT
};

typedef struct ioc_node {
    uint32_t single; /* entry index or SPY_IOC_NONE */
    uint32_t trefs;  /* head of the term list or SPY_IOC_NONE */
} ioc_node;

typedef struct ioc_tref {
    uint32_t term;
    uint32_t next;
} ioc_tref;

/* The top bit of each byte of x that is 'A'-'Z': on the low 7 bits (so no
 * carry crosses a byte), +0x3F sets the top bit from 'A' up and +0x25 from
 * '[' up; bytes with the top bit set are not letters. */
static inline uint64_t ioc_upper8(uint64_t x)
{
    const uint64_t lo7 = 0x7F7F7F7F7F7F7F7Full, top = 0x8080808080808080ull;
    uint64_t y = x & lo7;
    return (y + 0x3F3F3F3F3F3F3F3Full) & ~(y + 0x2525252525252525ull) & ~x & top;
}

#define IOC_HASH_PFX_BITS 65536u

/* The bit of a hash value's (or key's) first four bytes, ASCII letters
 * folded to lower case as the hash keys are; v has at least four bytes. */
static inline uint32_t ioc_hash_pfx(const char *v)
{
    uint32_t w;
    memcpy(&w, v, 4);
    uint64_t x = w;
    x |= ioc_upper8(x) >> 2; /* 0x20 turns 'A'-'Z' into 'a'-'z' */
    return ((uint32_t)x * 0x9E3779B1u) >> 16;
}

typedef struct ioc_index {
    spy_strmap *maps[IDX_COUNT];
    ioc_node *nodes;
    size_t nnodes, capnodes;
    ioc_tref *trefs;
    size_t ntrefs, captrefs;
    size_t *path_lens; /* distinct lengths of file_paths keys, ascending */
    size_t npath_lens;
    uint32_t *profiles; /* profile entries/terms for the linear fallback */
    size_t nprofiles;
    bool profile_linear;
    const void *psl; /* psl_ctx_t */
    /* The hash keys' first four bytes, hashed to one bit each: a file
     * listing checks three hashes per entry by the million, and nearly
     * all of them miss here without a lookup. */
    uint64_t hash_pfx[IOC_HASH_PFX_BITS / 64];
} ioc_index;

typedef struct ioc_vec {
    void *p;
    size_t n, cap;
} ioc_vec;

struct spy_iocs {
    ioc_coll *colls;
    size_t ncolls, capcolls;
    ioc_entry *entries;
    size_t nentries, capentries;
    ioc_term *terms;
    size_t nterms, capterms;
    size_t ncompounds;
    char **file_paths;
    char **file_sha256;
    size_t nfiles, capfiles;
    size_t files_read;
    size_t unsupported;
    size_t total;
    int fail_level; /* spy_log_level of "file unusable" lines: ERROR, or
                       WARNING while walking folders and implicit sources */
    bool finalized;
    ioc_index idx;
};

/* Loading helpers shared by the STIX and list loaders (iocs.c). */
uint32_t spy_iocs_add_collection(spy_iocs *set, const char *id, const char *name,
                                 const char *description, const char *path);
/* Removes the newest collection, which must have no values (a Default
 * collection that stayed empty, §4.4). */
void spy_iocs_drop_last_collection(spy_iocs *set);
/* Adds one single value (normalising it per key) to a collection; false when
 * it was a duplicate or empty. */
bool spy_iocs_add_value(spy_iocs *set, uint32_t coll, spy_ioc_key key, const char *value,
                        size_t len);
/* Adds an AND indicator; false when a duplicate. */
bool spy_iocs_add_compound(spy_iocs *set, uint32_t coll, const char *pattern,
                           const spy_ioc_key *keys, const char *const *values, size_t n);
/* Value normalisation of §5.2 step 4 and §4.3 into a new string (NULL when
 * it ends up empty). */
char *spy_ioc_normalise_value(spy_ioc_key key, const char *v, size_t len);
void spy_iocs_add_file(spy_iocs *set, const char *path, const unsigned char *data, size_t len);
/* Reads a whole indicator file (open + fstat, size-limited); logs one error
 * line naming the file on failure. */
int spy_iocs_read_file(const char *path, int level, unsigned char **data, size_t *len);
const char *spy_iocs_basename(const char *path);

/* The STIX2 loader proper, from bytes (fuzz target entry point). name is
 * used in messages and as the collections' file path. */
/* Parsing a bundle, split so that files can be parsed on several threads
 * (no logging, no access to the set) and applied in order on one. */
int spy_iocs_parse_stix2(const unsigned char *data, size_t len, json_t **root, char **why);
/* The checks spy_iocs_parse_stix2 makes before parsing (size, blank, depth). */
int spy_iocs_precheck_stix2(const unsigned char *data, size_t len, char **why);
/* The closing quote of the JSON string whose contents start at d[i], or
 * len when it is not closed (iocs_split.c). memchr jumps from quote to
 * quote: a quote after an odd run of backslashes is escaped, the same as
 * stepping over the character after each backslash. */
size_t spy_json_string_end(const unsigned char *d, size_t len, size_t i);
/* Byte ranges of the elements of the top-level "objects" array (iocs_split.c);
 * false when the text is not shaped so (then parse it whole). */
typedef struct spy_stix_range {
    size_t start, len;
} spy_stix_range;
bool spy_stix_split_objects(const unsigned char *d, size_t len, spy_stix_range **out, size_t *n);
int spy_iocs_apply_stix2(spy_iocs *set, const char *name, json_t *root);
/* The same from the elements of "objects" (a bundle parsed element by
 * element is never assembled into one tree). */
int spy_iocs_apply_stix2_objects(spy_iocs *set, const char *name, json_t *const *objs, size_t n);
int spy_iocs_load_stix2_buffer(spy_iocs *set, const char *name, const unsigned char *data,
                               size_t len);

/* Index build/free (iocs_index.c). */
void spy_iocs_index_build(spy_iocs *set);
void spy_iocs_index_free(ioc_index *idx);
/* The node of a value in one index, or NULL. */
const ioc_node *spy_iocs_index_find(const spy_iocs *set, enum ioc_idx which, const char *key,
                                    size_t len);

/* The last two labels of a domain name (the whole name when shorter). */
const char *spy_iocs_domain_tail(const char *d, size_t n);

/* Scratch marking (iocs_match.c). */
void spy_ioc_scratch_mark(spy_ioc_scratch *s, const spy_iocs *set, const ioc_node *node);

/* spy_iocs_load_defaults() with the environment passed in (tests must not
 * call setenv). */
typedef struct spy_iocs_env {
    const char *xdg_data_home, *home, *spyscan_iocs, *mvt_stix2;
} spy_iocs_env;
int spy_iocs_load_defaults_env(spy_iocs *set, const spy_iocs_env *env);

/* Per-thread arenas for the folder loader's jansson trees (iocs_arena.c):
 * while the hooks are installed, jansson allocates from the arena the
 * calling thread entered, if any; the trees are dropped with the arena,
 * never freed one by one. */
void spy_tree_hooks_install(void);
void spy_tree_hooks_remove(void);
void spy_tree_arena_enter(spy_arena *a);
void spy_tree_arena_leave(void);

/* Walks a folder (recursive up to SPY_MAX_IOC_DIR_DEPTH, names sorted) and
 * loads every file accepted by want(name). Problems are warnings. */
typedef bool (*spy_iocs_name_filter)(const char *name);
void spy_iocs_load_tree(spy_iocs *set, const char *dir, spy_iocs_name_filter want, bool recursive);

#endif
