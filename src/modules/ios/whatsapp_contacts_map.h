/* WhatsApp contact maps (spec/ios.md §5.8 "identifier resolution", §5.20),
 * built from ContactsV2.sqlite by one implementation for WhatsappContacts
 * and InteractionC. spyscan modules run in parallel and share no results,
 * so InteractionC reads the contacts database itself through this. */
#ifndef SPY_WHATSAPP_CONTACTS_MAP_H
#define SPY_WHATSAPP_CONTACTS_MAP_H

#include "core/module.h"

#include <jansson.h>

/* by_lid: lid (and the part of it before '@') -> [phone_number, name];
 * by_phone: digits of phone_number, then the part of whatsapp_id before
 * '@' when not already present -> [phone_number, name]. name = full_name,
 * else given_name (null when neither). */
typedef struct wa_contacts_map {
    json_t *by_lid;
    json_t *by_phone;
} wa_contacts_map;

void wa_contacts_map_init(wa_contacts_map *m);
void wa_contacts_map_free(wa_contacts_map *m);
/* Adds one WhatsappContacts record (the JSON whatsapp_contacts.json holds). */
void wa_contacts_map_add(wa_contacts_map *m, const json_t *record);
/* Reads ContactsV2.sqlite of the acquisition into m. SPY_ENOTFOUND when the
 * database is absent, SPY_EFORMAT when unreadable (m stays usable). */
int wa_contacts_map_load(spy_mod_ctx *ctx, wa_contacts_map *m);

/* Digits of s (at most n bytes) as a new string (free()). */
char *wa_digits(const char *s, size_t n);

#endif
