/* The SMS and MMS files of an Android backup (spec/android.md §4.22):
 * apps/com.android.providers.telephony/d_f/<n>_sms_backup and _mms_backup,
 * each a zlib stream of a JSON array written by TelephonyBackupAgent.
 *
 * The member is inflated in memory (bounded size and ratio; nothing reaches
 * a file) and its array walked one element at a time, each message object
 * turned into MVT's record and handed to a callback. A stream that starts
 * with '[' is taken as already inflated JSON (an extension: MVT only reads
 * zlib), which also lets the fuzzer reach the JSON walk directly. */
#ifndef SPY_SMS_BACKUP_H
#define SPY_SMS_BACKUP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Ceilings (kept here until limits.h gets an Android backup block). A
 * phone's SMS file is a few MiB deflated, ~10x that as JSON; 100k messages
 * make ~40 MiB of JSON. */
#define SPY_SMS_MAX_MEMBER_BYTES (512u * 1024u * 1024u)
#define SPY_SMS_MAX_JSON_BYTES   (2048u * 1024u * 1024u)

/* One message record (the callback owns the reference); non-zero stops
 * the walk and is returned. */
typedef int (*spy_sms_fn)(json_t *rec, void *ud);

typedef struct spy_sms_stats {
    size_t messages;   /* records delivered */
    size_t not_object; /* array elements that were not objects (skipped) */
    const char *why;   /* the file-level problem, static text; NULL when none */
} spy_sms_stats;

/* Turns one message object into MVT's record, in place: mms_body renamed
 * to body, then isodate, direction and (per the body) links added. mms:
 * the object comes from an _mms_backup file, whose dates are seconds. */
void spy_sms_record(json_t *msg, bool mms);

/* zlib stream → NUL-terminated text (*out, free()), at most max_out bytes.
 * SPY_EFORMAT (not zlib, corrupt, truncated) or SPY_ELIMIT (too large, or
 * an expansion ratio no real text reaches), with *why set. */
int spy_sms_inflate(const void *data, size_t len, size_t max_out, char **out, size_t *out_len,
                    const char **why);

/* Walks inflated JSON text (writable, NUL-terminated; may be replaced):
 * every object element becomes a record for fn; other elements are
 * counted in st->not_object. SPY_EFORMAT with st->why when the text is
 * not a JSON array or is damaged (records before the damage are
 * delivered). */
int spy_sms_parse_json(char **text, size_t *len, bool mms, spy_sms_fn fn, void *ud,
                       spy_sms_stats *st);

/* A whole member as read from the backup: inflate (or raw JSON) + walk. */
int spy_sms_backup_parse(const void *data, size_t len, bool mms, spy_sms_fn fn, void *ud,
                         spy_sms_stats *st);

#endif
