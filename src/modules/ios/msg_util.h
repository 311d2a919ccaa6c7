/* Helpers shared by the message modules (SMS, SMSAttachments, Whatsapp,
 * WhatsappContacts, InteractionC): MVT renders some values the way Python
 * does (str() of None/bool/int, base64 of BLOB columns, Mac dates), and the
 * records must carry exactly those renderings (spec/ios.md §1.1, §5). */
#ifndef SPY_MSG_UTIL_H
#define SPY_MSG_UTIL_H

#include "core/links.h"
#include "core/timeconv.h"
#include "core/writers.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

/* A BLOB (or TEXT) column as base64 text; null when NULL. */
json_t *msg_b64_col(sqlite3_stmt *st, int col);

/* MVT's convert_mactime_to_iso on a JSON value: integers with the 18-digit
 * nanosecond rule, reals as Mac seconds, anything else (NULL, text) "".
 * Returns false when the result is "". */
bool msg_mac_iso(const json_t *v, char out[SPY_ISO_LEN]);
/* The same, as a JSON string; null instead of "" when null_if_empty. */
json_t *msg_mac_iso_json(const json_t *v, bool null_if_empty);

/* Appends Python's str() of a JSON value: None, True/False, integers,
 * shortest round-trip floats, strings as they are. */
void msg_pystr(spy_buf *b, const json_t *v);
/* Appends s with each newline written as the two characters "\n". */
void msg_put_nl_escaped(spy_buf *b, const char *s);
void msg_puts(spy_buf *b, const char *s);

/* Links of a text (core/links.h) appended to arr as strings; when dedup,
 * a link already in arr is not added again. */
void msg_links_append(json_t *arr, const char *text, size_t len, bool dedup);

/* The record's `links` (an array of strings), or, when it is missing or
 * empty and text_key is given, the links of that text field (spec/ios.md
 * §5.15 "if the list is empty, re-extracted from text"). New reference. */
json_t *msg_record_links(const json_t *rec, const char *text_key);

/* Checks a message's links as one batch, MVT's check_url_batches: the
 * first link (in order) that matches raises the alert; the rest are not
 * reported. */
struct spy_mod_ctx;
void msg_check_links(struct spy_mod_ctx *ctx, const json_t *links, const char *event_time);

#endif
