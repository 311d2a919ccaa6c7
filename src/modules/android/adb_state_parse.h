/* The `dumpsys adb` section (spec/android.md §4.11): the indented
 * key/value dump of AdbDebuggingManager, its trusted user keys and the
 * keystore (XML or Android binary XML, kept raw). */
#ifndef SPY_ADB_STATE_PARSE_H
#define SPY_ADB_STATE_PARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The DumpsysADBState record: the debugging_manager object with user_keys
 * and keystore replaced by key infos ({user, fingerprint, key[,
 * last_connected]}) or the raw keystore bytes. SPY_OK with *out, or
 * SPY_EFORMAT with *why set to MVT's error message (static text). */
int spy_adb_state_parse(const char *data, size_t len, json_t **out, const char **why);

#endif
