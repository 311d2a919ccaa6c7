/* Runs of ' ' skipped a block at a time: dumpsys indents most of its
 * millions of lines by many spaces, and both the section splitter and the
 * line helpers start by passing them. */
#ifndef SPY_BLANKS_H
#define SPY_BLANKS_H

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* p past the ' ' bytes that start [p, end). */
static inline const char *spy_skip_blanks(const char *p, const char *end)
{
#ifdef __SSE2__
    const __m128i blank = _mm_set1_epi8(' ');
    while (end - p >= 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), blank));
        if (m != 0xFFFF)
            return p + __builtin_ctz(~m); /* the spaces before the first other byte */
        p += 16;
    }
#endif
    uint64_t w;
    while (end - p >= 8 && (memcpy(&w, p, 8), w == 0x2020202020202020ull))
        p += 8;
    while (p < end && *p == ' ')
        p++;
    return p;
}

#endif
