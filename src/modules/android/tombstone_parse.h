/* Android tombstones (spec/android.md §4.13): debuggerd's text crash
 * reports and their protobuf form (AOSP tombstone.proto), both turned into
 * the same Tombstones record. */
#ifndef SPY_TOMBSTONE_PARSE_H
#define SPY_TOMBSTONE_PARSE_H

#include <jansson.h>
#include <stddef.h>

/* Each returns SPY_OK with *out (the validated record), or SPY_EFORMAT with
 * *why (free()) saying what was wrong. file_name is the member's base name,
 * file_timestamp its mtime as ISO text. */
int spy_tomb_text_parse(const char *data, size_t len, const char *file_name,
                        const char *file_timestamp, json_t **out, char **why);
int spy_tomb_pb_parse(const unsigned char *data, size_t len, const char *file_name,
                      const char *file_timestamp, json_t **out, char **why);

/* Shared by both readers (tombstone_record.c). */
/* A record with every key, in MVT's order, all null but the file keys. */
json_t *spy_tomb_record_new(const char *file_name, const char *file_timestamp);
/* The required keys are present (pydantic's validation); else *why. */
int spy_tomb_validate(const json_t *rec, char **why);
/* debuggerd's "2023-04-12 12:32:40.518290770+0200": the wall clock kept,
 * the offset dropped, the fraction truncated to microseconds (MVT). */
int spy_tomb_timestamp(const char *s, size_t n, char out[32]);

#endif
