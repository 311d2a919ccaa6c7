/* Integers beyond 64 bits in AndroidQF's JSON (certificate serial numbers
 * in packages.json): jansson cannot hold them, so they are quoted and kept
 * as strings. */
#include "modules/android/aqf_bigint.h"

#include "core/mem.h"

#include <string.h>

/* Does the digit run [p, p+n) (after an optional '-') fit in an int64? */
static bool fits_int64(const char *p, size_t n, bool neg)
{
    static const char max[] = "9223372036854775807";
    if (n < 19)
        return true;
    if (n > 19)
        return false;
    int c = memcmp(p, max, 19);
    return c < 0 || c == 0 || (neg && memcmp(p, "9223372036854775808", 19) == 0);
}

/* Is s[i] the first digit of a number (not of a fraction or exponent)? */
static bool int_start(const char *s, size_t i)
{
    size_t k = i > 0 && s[i - 1] == '-' ? i - 1 : i;
    if (k == 0)
        return true;
    char p = s[k - 1];
    return !((p >= '0' && p <= '9') || p == '.' || p == 'e' || p == 'E' || p == '+' || p == '-');
}

/* The index just past the string whose opening quote is at s[i] (len
 * when it is not closed); memchr finds each candidate quote. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    for (;;) {
        const char *q = j < len ? memchr(s + j, '"', len - j) : NULL;
        if (!q)
            return len;
        size_t k = (size_t)(q - s), b = 0;
        while (k - b > i + 1 && s[k - b - 1] == '\\')
            b++;
        if (b % 2 == 0)
            return k + 1;
        j = k + 1;
    }
}

/* One scan: are there integers too large for jansson outside strings? */
bool spy_aqf_has_bigint(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, len, i);
            continue;
        }
        if (c >= '0' && c <= '9') {
            size_t j = i;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
            bool is_int =
                int_start(s, i) && (j >= len || (s[j] != '.' && s[j] != 'e' && s[j] != 'E'));
            if (is_int && !fits_int64(s + i, j - i, i > 0 && s[i - 1] == '-'))
                return true;
            i = j;
            continue;
        }
        i++;
    }
    return false;
}

/* Copy of s with every oversized integer literal quoted. */
char *spy_aqf_quote_bigints(const char *s, size_t len, size_t *out_len)
{
    size_t cap = len + 64, n = 0;
    char *o = spy_xmalloc(cap);
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        if (n + 48 >= cap)
            o = spy_xrealloc(o, cap *= 2);
        char c = s[i];
        if (in_str) {
            o[n++] = c;
            if (c == '\\' && i + 1 < len)
                o[n++] = s[++i];
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"')
            in_str = true;
        bool neg = c == '-' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9';
        if (neg || (c >= '0' && c <= '9')) {
            size_t d = i + neg, j = d;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
            bool is_int =
                int_start(s, d) && (j >= len || (s[j] != '.' && s[j] != 'e' && s[j] != 'E'));
            /* The whole run is copied either way: its digits after a '-'
             * must not be judged again as a positive number (INT64_MIN). */
            bool quote = is_int && !fits_int64(s + d, j - d, neg);
            size_t k = j - i;
            while (n + k + 3 >= cap)
                o = spy_xrealloc(o, cap *= 2);
            if (quote)
                o[n++] = '"';
            memcpy(o + n, s + i, k);
            n += k;
            if (quote)
                o[n++] = '"';
            i = j - 1;
            continue;
        }
        o[n++] = c;
    }
    o = spy_xrealloc(o, n + 1);
    o[n] = '\0';
    *out_len = n;
    return o;
}
