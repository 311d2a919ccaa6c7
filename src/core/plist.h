/* Property lists of either kind as jansson values: binary plists through
 * spyscan's bounded reader (core/bplist.h), XML plists through libplist
 * after a nesting check (libplist 2.2 has no depth limit). Both use the
 * conventions of core/bplist.h for types JSON lacks ({"$date": secs since
 * 2001}, {"$data": base64}, {"CF$UID": n}). */
#ifndef SPY_PLIST_H
#define SPY_PLIST_H

#include <jansson.h>
#include <stddef.h>

/* SPY_EFORMAT / SPY_ELIMIT / SPY_ETRUNCATED with *why (optional, free())
 * on failure; *out is a new reference on success. */
int spy_plist_parse(const void *buf, size_t len, json_t **out, char **why);

/* Seconds since 2001-01-01 of a {"$date": x} value; false otherwise. */
int spy_plist_date(const json_t *v, double *mac_abs);

#endif
