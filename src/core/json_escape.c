/* String escaping of the JSON emitter (json_emit_internal.h), as Python's
 * json.dump(ensure_ascii=True) writes strings: the two-letter escapes,
 * \u00XX for other controls and DEL, \uXXXX (surrogate pairs above U+FFFF)
 * for valid UTF-8, and the text \xNN for bytes that are not. Plain runs are
 * scanned and copied 8-16 bytes at a time. */
#include "core/json_emit_internal.h"

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Per byte: 0 when written as is; otherwise the letter of its two-byte
 * escape, 'u' for \u00XX, 'x' for non-ASCII (a UTF-8 sequence or \xNN). */
/* clang-format off */
static const char jw_esc[256] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u', /* 0_ */
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 1_ */
    0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 2_ */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 3_ */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 4_ */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0, /* 5_ */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 6_ */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'u', /* 7_ */
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', /* 8_ */
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', /* 9_ */
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', /* a_ */
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', /* b_ */
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', /* c_ */
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', /* d_ */
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', /* e_ */
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', /* f_ */
};
/* clang-format on */

static const char hexdig[] = "0123456789abcdef";

static inline char *jw_u16(char *o, unsigned cp)
{
    o[0] = '\\';
    o[1] = 'u';
    o[2] = hexdig[(cp >> 12) & 15];
    o[3] = hexdig[(cp >> 8) & 15];
    o[4] = hexdig[(cp >> 4) & 15];
    o[5] = hexdig[cp & 15];
    return o + 6;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), 0 when invalid; *cp gets the code point. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
        c &= 0x07;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (i > 1 && (s[i] < 0x80 || s[i] > 0xBF))
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    *cp = c;
    return len;
}

/* Non-ASCII at s (avail bytes readable): a code point as \uXXXX (a pair
 * above U+FFFF), or one invalid byte as the text \xNN (Python's
 * backslashreplace). Returns the bytes consumed. */
static size_t jw_nonascii(char **op, const unsigned char *s, size_t avail)
{
    unsigned cp;
    char *o = *op;
    size_t k = utf8_decode(s, avail, &cp);
    if (k == 0) {
        o[0] = '\\';
        o[1] = '\\';
        o[2] = 'x';
        o[3] = hexdig[s[0] >> 4];
        o[4] = hexdig[s[0] & 15];
        *op = o + 5;
        return 1;
    }
    if (cp >= 0x10000) {
        cp -= 0x10000;
        o = jw_u16(o, 0xD800 | (cp >> 10));
        o = jw_u16(o, 0xDC00 | (cp & 0x3FF));
    } else {
        o = jw_u16(o, cp);
    }
    *op = o;
    return k;
}

char *jw_escape(char *o, const unsigned char *s, size_t n, size_t avail, size_t *used)
{
    size_t i = 0;
    for (;;) {
#ifdef __SSE2__
        while (i + 16 <= n) { /* 16 bytes per step */
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            if (jw_special16(x))
                break;
            _mm_storeu_si128((__m128i *)(void *)o, x);
            o += 16;
            i += 16;
        }
#endif
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (jw_special8(x))
                break;
            memcpy(o, &x, 8);
            o += 8;
            i += 8;
        }
        while (i < n && !jw_esc[s[i]])
            *o++ = (char)s[i++];
        if (i >= n)
            break;
        unsigned char c = s[i];
        char e = jw_esc[c];
        if (e == 'x') {
            i += jw_nonascii(&o, s + i, avail - i);
        } else if (e == 'u') {
            o = jw_u16(o, c); /* other controls and DEL */
            i++;
        } else {
            o[0] = '\\';
            o[1] = e;
            o += 2;
            i++;
        }
    }
    *used = i;
    return o;
}
