/* Reals of the JSON emitter (json_emit_internal.h) as Python's float repr
 * writes them, so results diff cleanly against MVT's. */
#include "core/json_emit_internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest digits that read back as v: "d.ddde±XX" from %.*e, p = 1..17. */
static void real_shortest(double v, char *b, size_t cap)
{
    /* Reading back is monotonic in the digit count (17 always works), so a
     * binary search finds the shortest in ~5 tries instead of up to 17:
     * record times are reals, and a results file holds millions. */
    int lo = 1, hi = 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        snprintf(b, cap, "%.*e", mid - 1, v);
        if (strtod(b, NULL) == v)
            hi = mid;
        else
            lo = mid + 1;
    }
    snprintf(b, cap, "%.*e", hi - 1, v);
}

/* Lays out the digits of real_shortest as Python's float repr: fixed
 * notation for exponents -4..15 (with ".0" when integral), else d.ddde±XX. */
size_t jw_real_repr(double v, char *out, size_t cap)
{
    char e[40], digits[24];
    real_shortest(v, e, sizeof e);
    const char *p = e;
    size_t nd = 0, o = 0;
    bool neg = *p == '-';
    if (neg)
        p++;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    long ex = strtol(p + 1, NULL, 10);
    if (neg)
        out[o++] = '-';
    if (ex < -4 || ex >= 16) {
        out[o++] = digits[0];
        if (nd > 1) {
            out[o++] = '.';
            memcpy(out + o, digits + 1, nd - 1);
            o += nd - 1;
        }
        int k = snprintf(out + o, cap - o, "e%c%02ld", ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
        return o + (size_t)k;
    }
    if (ex < 0) {
        out[o++] = '0';
        out[o++] = '.';
        for (long i = -1; i > ex; i--)
            out[o++] = '0';
        memcpy(out + o, digits, nd);
        return o + nd;
    }
    for (long i = 0; i <= ex; i++)
        out[o++] = (size_t)i < nd ? digits[i] : '0';
    out[o++] = '.';
    if ((size_t)ex + 1 < nd) {
        memcpy(out + o, digits + ex + 1, nd - (size_t)ex - 1);
        return o + nd - (size_t)ex - 1;
    }
    out[o++] = '0';
    return o;
}
