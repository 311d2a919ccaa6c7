/* Private to the files of the JSON emitter (the public contract is
 * core/json_emit.h):
 *   json_emit.c    the emitter: buffer, frames, containers, values
 *   json_escape.c  string escaping as Python's ensure_ascii=True writes it
 *   json_number.c  reals as Python's float repr (integers: jw_int_at here,
 *                  inline because results hold millions of them) */
#ifndef SPY_JSON_EMIT_INTERNAL_H
#define SPY_JSON_EMIT_INTERNAL_H

#include <stddef.h>

/* A string is escaped JW_CHUNK input bytes per reservation: at most 6 output
 * bytes each (\u00XX), so a chunk always fits the fd buffer and a string of
 * any length streams through it. */
#define JW_CHUNK 4096u
/* Room beyond 6 bytes per input byte: the quotes, a UTF-8 sequence that
 * starts in the chunk and ends past it (12 bytes out for 4 in), and the
 * 16-byte block copies of the indentation. */
#define JW_SLACK 48u

/* Escapes the bytes that start in s[0..n) at o, which has room for 6n +
 * JW_SLACK bytes; a UTF-8 sequence may run past n (avail bytes readable).
 * Plain runs go 16 (SSE2) or 8 bytes per load and store. Sets *used (>= n). */
char *jw_escape(char *o, const unsigned char *s, size_t n, size_t avail, size_t *used);

/* v in decimal at o (room: 20 bytes). By hand, not snprintf: results hold
 * millions of integers. Digits are counted, then written from the last. */
static inline char *jw_int_at(char *o, long long v)
{
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    size_t nd = 1;
    for (unsigned long long t = u; t >= 10; t /= 10)
        nd++;
    if (v < 0)
        *o++ = '-';
    char *p = o + nd;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    return o + nd;
}

/* Python's repr of a finite v (shortest digits that read back as v, fixed
 * notation for exponents -4..15) at out; returns its length. */
size_t jw_real_repr(double v, char *out, size_t cap);

#endif
