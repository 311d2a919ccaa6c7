/* Base64 decoding with Python's semantics (spec/android.md §4.11). */
#ifndef SPY_ADB_B64_H
#define SPY_ADB_B64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

/* base64.b64decode(s): SPY-style bool, *out (free()) on success. */
bool spy_b64_decode_lenient(const char *s, size_t n, unsigned char **out, size_t *out_len);
/* base64.b64decode(s, validate=True) succeeds and s is not empty. */
bool spy_b64_strict(const char *s, size_t n);

#endif
