/* Links of the message modules (SMS, Whatsapp): extracted from text the
 * way MVT does, and checked as one batch per message (spec/ios.md §5). */
#ifndef SPY_MSG_LINKS_H
#define SPY_MSG_LINKS_H

#include "core/links.h"

#include <jansson.h>
#include <stdbool.h>

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
