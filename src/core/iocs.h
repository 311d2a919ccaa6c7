/* Indicators of compromise: loading (STIX2 bundles, plain lists) and matching.
 *
 * Lifecycle: spy_iocs_new(), any number of spy_iocs_load_*() calls on one
 * thread, spy_iocs_finalize(), then the set is immutable and every check
 * function may be called from any thread concurrently.
 *
 * Semantics follow ../shared/spec/iocs.md (collections §4, patterns §5,
 * types §6, URL/domain matching §7, messages §8) and design.md §4. Every
 * check is a hash lookup (or a bounded number of them) per observed value;
 * no check scans the indicator lists. */
#ifndef SPY_IOCS_H
#define SPY_IOCS_H

#include <stdbool.h>
#include <stddef.h>

/* MVT's buckets (spec/iocs.md §6), plus spyscan's extensions at the end. */
typedef enum spy_ioc_bucket {
    SPY_BUCKET_DOMAINS = 0,            /* domain-name:value and ipv4-addr:value */
    SPY_BUCKET_URLS,                   /* url:value */
    SPY_BUCKET_PROCESSES,              /* process:name */
    SPY_BUCKET_EMAILS,                 /* email-addr:value */
    SPY_BUCKET_FILE_NAMES,             /* file:name */
    SPY_BUCKET_FILE_PATHS,             /* file:path */
    SPY_BUCKET_FILES_MD5,              /* file:hashes.md5 */
    SPY_BUCKET_FILES_SHA1,             /* file:hashes.sha1 */
    SPY_BUCKET_FILES_SHA256,           /* file:hashes.sha256 */
    SPY_BUCKET_APP_CERT_HASHES,        /* app:cert.md5|sha1|sha256 */
    SPY_BUCKET_APP_IDS,                /* app:id */
    SPY_BUCKET_IOS_PROFILE_IDS,        /* configuration-profile:id */
    SPY_BUCKET_ANDROID_PROPERTY_NAMES, /* android-property:name */
    SPY_BUCKET_FILES_SHA512,           /* extension: file:hashes.sha512 */
    SPY_BUCKET_COUNT
} spy_ioc_bucket;

/* Pattern keys after MVT's normalisation (spec/iocs.md §5.2, table §6):
 * counts are reported per key, since §12 counts domain-name and ipv4-addr
 * apart although they share a bucket. */
typedef enum spy_ioc_key {
    SPY_KEY_DOMAIN = 0,       /* domain-name:value */
    SPY_KEY_IPV4,             /* ipv4-addr:value */
    SPY_KEY_URL,              /* url:value */
    SPY_KEY_PROCESS,          /* process:name */
    SPY_KEY_EMAIL,            /* email-addr:value */
    SPY_KEY_FILE_NAME,        /* file:name */
    SPY_KEY_FILE_PATH,        /* file:path */
    SPY_KEY_MD5,              /* file:hashes.md5 */
    SPY_KEY_SHA1,             /* file:hashes.sha1 */
    SPY_KEY_SHA256,           /* file:hashes.sha256 */
    SPY_KEY_SHA512,           /* file:hashes.sha512 (extension) */
    SPY_KEY_CERT_MD5,         /* app:cert.md5 */
    SPY_KEY_CERT_SHA1,        /* app:cert.sha1 */
    SPY_KEY_CERT_SHA256,      /* app:cert.sha256 */
    SPY_KEY_APP_ID,           /* app:id */
    SPY_KEY_PROFILE_ID,       /* configuration-profile:id */
    SPY_KEY_ANDROID_PROPERTY, /* android-property:name */
    SPY_KEY_COMPOUND,         /* an AND pattern (counted once) */
    SPY_KEY_COUNT
} spy_ioc_key;

/* What kind of observed value a module asks about. */
typedef enum spy_check_kind {
    SPY_CHECK_URL = 0,          /* URL, bare host or IP: §7 (url bucket, then domains) */
    SPY_CHECK_PROCESS,          /* process name or path: §6.1 */
    SPY_CHECK_PATH_PROCESS,     /* iOS: any path component equal to a process indicator */
    SPY_CHECK_EMAIL,            /* §6 e-mail, case-insensitive */
    SPY_CHECK_FILE_PATH,        /* §6.2: basename vs file_names, then path prefix */
    SPY_CHECK_HASH,             /* §6.4: selected by length; sha512 when 128 */
    SPY_CHECK_APP_CERT,         /* app certificate hash, any length */
    SPY_CHECK_APP_ID,           /* app id / package name, case-insensitive */
    SPY_CHECK_PROFILE_ID,       /* §6.3: observed value is a substring of an indicator */
    SPY_CHECK_ANDROID_PROPERTY, /* property name, case-insensitive */
    SPY_CHECK_KIND_COUNT
} spy_check_kind;

typedef struct spy_iocs spy_iocs;

/* One match. Strings other than message point into the set (valid while it
 * lives); message is heap-allocated: release with spy_ioc_match_clear(). */
typedef struct spy_ioc_match {
    const char *value;           /* the indicator value as stored */
    const char *type;            /* bucket name, e.g. "domains" */
    const char *name;            /* collection name, e.g. "Pegasus" */
    const char *stix2_file_name; /* base name of the file it came from */
    char *message;               /* the alert message of spec/iocs.md §8 */
} spy_ioc_match;

void spy_ioc_match_clear(spy_ioc_match *m);

/* Read-only view of one loaded collection (spec/iocs.md §4). */
typedef struct spy_ioc_collection_info {
    const char *id;
    const char *name;
    const char *description;
    const char *file_name; /* base name */
    const char *file_path; /* as given */
    size_t count;          /* indicators kept in this collection */
    size_t key_counts[SPY_KEY_COUNT];
} spy_ioc_collection_info;

int spy_iocs_new(spy_iocs **out);
void spy_iocs_free(spy_iocs *set);

/* A STIX2 bundle (any extension). Returns SPY_ENOTFOUND / SPY_EIO when it
 * cannot be read, SPY_EFORMAT when it is not a JSON bundle, SPY_ELIMIT when
 * too large; each of those after logging one error line naming the file.
 * Unsupported patterns are logged as one warning each; the rest loads. */
int spy_iocs_load_stix2_file(spy_iocs *set, const char *path);
/* A file, or a folder searched recursively for *.stix2 and *.json bundles
 * (files in folders that fail are warned about and skipped). */
int spy_iocs_load_path(spy_iocs *set, const char *path);
/* A plain list, one value a line, '#' comments, blank lines skipped; the
 * collection is named after the file's folder. type_name is one of:
 * domain url ipv4 process email file_name file_path sha256 sha1 md5 app_id
 * cert_sha256 profile_id android_property. */
int spy_iocs_load_list(spy_iocs *set, const char *type_name, const char *path);
/* The implicit sources of design.md §4: the downloaded folder
 * ($XDG_DATA_HOME/spyscan/indicators, default ~/.local/share/...), then
 * SPYSCAN_IOCS and MVT_STIX2 (':'-separated). Problems are warnings. */
int spy_iocs_load_defaults(spy_iocs *set);
/* Builds the lookup indexes; after it the set is read-only. */
int spy_iocs_finalize(spy_iocs *set);

size_t spy_iocs_total(const spy_iocs *set);
size_t spy_iocs_collection_count(const spy_iocs *set);
const spy_ioc_collection_info *spy_iocs_collection(const spy_iocs *set, size_t i);
/* Files that produced at least one collection (info.json "ioc_files"), with
 * the SHA-256 hex of each file's bytes (info.json "ioc_files_sha256"). */
size_t spy_iocs_file_count(const spy_iocs *set);
const char *spy_iocs_file_path(const spy_iocs *set, size_t i);
const char *spy_iocs_file_sha256(const spy_iocs *set, size_t i);
/* Patterns skipped as unsupported (also logged once each at load). */
size_t spy_iocs_unsupported_count(const spy_iocs *set);

const char *spy_ioc_bucket_name(spy_ioc_bucket b);
const char *spy_ioc_key_name(spy_ioc_key k); /* "domain-name:value", ... */

/* Compound (AND) indicators are evaluated per record: a scratch object
 * collects which terms the single-value checks of one record hit. One
 * scratch per thread; reset it before each record. */
typedef struct spy_ioc_scratch spy_ioc_scratch;
spy_ioc_scratch *spy_ioc_scratch_new(const spy_iocs *set);
void spy_ioc_scratch_free(spy_ioc_scratch *s);
void spy_ioc_scratch_reset(spy_ioc_scratch *s);
/* After a record's checks: fills *out with the next AND indicator all of
 * whose terms were hit; false when there are no more. */
bool spy_ioc_scratch_next_compound(spy_ioc_scratch *s, spy_ioc_match *out);

/* Checks one observed value. Returns true and fills *out (when out is not
 * NULL) on a match. scratch may be NULL (no compound evaluation). A NULL or
 * empty value never matches. */
bool spy_iocs_check(const spy_iocs *set, spy_ioc_scratch *scratch, spy_check_kind kind,
                    const char *value, spy_ioc_match *out);

#endif
