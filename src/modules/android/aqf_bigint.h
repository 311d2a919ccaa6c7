/* Integers too large for jansson in AndroidQF's JSON (aqf_bigint.c). */
#ifndef SPY_AQF_BIGINT_H
#define SPY_AQF_BIGINT_H

#include <stdbool.h>
#include <stddef.h>

/* Whether text holds, outside strings, an integer beyond int64. */
bool spy_aqf_has_bigint(const char *s, size_t len);
/* A copy of text (malloc'd, NUL-terminated, *out_len set) with each such
 * integer in quotes. */
char *spy_aqf_quote_bigints(const char *s, size_t len, size_t *out_len);

#endif
