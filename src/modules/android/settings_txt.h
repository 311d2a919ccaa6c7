/* AndroidQF's settings_<namespace>.txt files: `cmd settings list` output,
 * one "key=value" a line (spec/android.md §4.17). */
#ifndef SPY_SETTINGS_TXT_H
#define SPY_SETTINGS_TXT_H

#include <jansson.h>
#include <stddef.h>

/* Sets ns[key] = value for each trimmed line holding '=' (split at the
 * first one; a later line wins for a repeated key); returns how many lines
 * were read as settings. */
size_t spy_settings_parse(const char *text, size_t len, json_t *ns);

/* The namespace of a member path: the text between its last '_' and its
 * 4-character extension ("x/settings_secure.txt" -> "secure"), free(). */
char *spy_settings_namespace(const char *path);

#endif
