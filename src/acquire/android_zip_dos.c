/* The DOS date and time of each ZIP entry, as Python's zipfile reports them
 * (ZipInfo.date_time, which MVT turns into member times). libarchive
 * prefers the "UT" extended timestamp when an entry has one (UTC, odd
 * seconds kept), so the central directory is read here for the DOS fields
 * alone. Entries come out in libarchive's seekable order: by local header
 * offset, the first of equal offsets kept. Any doubt (no end record, a
 * directory outside the file, a short read) gives no list, and the caller
 * keeps libarchive's times. */
#include "acquire/android_internal.h"

#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The central directory read whole: real ones are ~100 bytes an entry. */
#define MAX_CD_BYTES (512u * 1024u * 1024u)

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Offset and size of the central directory, from the end records. */
static bool find_cd(andr_zip_rd rd, void *ud, uint64_t size, uint64_t *cd_off, uint64_t *cd_len)
{
    size_t tail = size < 65557 ? (size_t)size : 65557; /* 22-byte record + largest comment */
    if (tail < 22)
        return false;
    unsigned char *t = spy_xmalloc(tail);
    bool ok = rd(ud, size - tail, t, tail);
    size_t eocd = tail;
    for (size_t i = tail - 22; ok; i--) {
        if (!memcmp(t + i, "PK\x05\x06", 4)) {
            eocd = i;
            break;
        }
        if (i == 0)
            break;
    }
    ok = ok && eocd < tail;
    if (ok) {
        *cd_len = le32(t + eocd + 12);
        *cd_off = le32(t + eocd + 16);
        if ((*cd_off == 0xffffffffu || *cd_len == 0xffffffffu) && eocd >= 20 &&
            !memcmp(t + eocd - 20, "PK\x06\x07", 4)) {
            uint64_t rec = le64(t + eocd - 12);
            unsigned char z[56];
            ok = size >= sizeof z && rec <= size - sizeof z && rd(ud, rec, z, sizeof z) &&
                 !memcmp(z, "PK\x06\x06", 4);
            if (ok) {
                *cd_len = le64(z + 40);
                *cd_off = le64(z + 48);
            }
        }
    }
    free(t);
    return ok && *cd_off <= size && *cd_len <= size - *cd_off && *cd_len <= MAX_CD_BYTES;
}

/* The local header offset, from the zip64 extra field when it says so. */
static uint64_t local_offset(const unsigned char *p, const unsigned char *extra, size_t xlen)
{
    uint64_t off = le32(p + 42);
    if (off != 0xffffffffu)
        return off;
    for (size_t i = 0; i + 4 <= xlen;) {
        unsigned id = le16(extra + i), n = le16(extra + i + 2);
        if (i + 4 + n > xlen)
            break;
        if (id == 0x0001) {
            /* Present in order, only for the fields that overflowed. */
            size_t at =
                (le32(p + 24) == 0xffffffffu ? 8u : 0u) + (le32(p + 20) == 0xffffffffu ? 8u : 0u);
            return at + 8 <= n ? le64(extra + i + 4 + at) : UINT64_MAX;
        }
        i += 4 + n;
    }
    return UINT64_MAX;
}

static int by_offset(const void *a, const void *b)
{
    const andr_dos_entry *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t andr_zip_dos_list(andr_zip_rd rd, void *ud, uint64_t size, andr_dos_entry **out,
                         unsigned char **cd_out)
{
    *out = NULL;
    *cd_out = NULL;
    uint64_t cd_off = 0, cd_len = 0;
    if (!find_cd(rd, ud, size, &cd_off, &cd_len) || cd_len == 0)
        return 0;
    unsigned char *cd = spy_xmalloc((size_t)cd_len);
    if (!rd(ud, cd_off, cd, (size_t)cd_len)) {
        free(cd);
        return 0;
    }
    size_t n = 0, cap = 0;
    andr_dos_entry *v = NULL;
    for (size_t i = 0; i + 46 <= cd_len && !memcmp(cd + i, "PK\x01\x02", 4);) {
        const unsigned char *p = cd + i;
        size_t nlen = le16(p + 28), xlen = le16(p + 30), clen = le16(p + 32);
        if (i + 46 + nlen + xlen + clen > cd_len)
            break;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            v = spy_xreallocarray(v, cap, sizeof *v);
        }
        v[n] = (andr_dos_entry){.offset = local_offset(p, p + 46 + nlen, xlen),
                                .seq = n,
                                .time = le16(p + 12),
                                .date = le16(p + 14),
                                .utf8 = (le16(p + 8) & 0x0800) != 0,
                                .name = p + 46,
                                .name_len = nlen};
        n++;
        i += 46 + nlen + xlen + clen;
    }
    if (n == 0) {
        free(cd);
        return 0;
    }
    qsort(v, n, sizeof *v, by_offset);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (!kept || v[i].offset != v[kept - 1].offset)
            v[kept++] = v[i];
    *out = v;
    *cd_out = cd;
    return kept;
}

bool andr_dos_iso(unsigned date, unsigned time, char out[32])
{
    /* zipfile's date_time tuple; datetime() refuses what is out of range
     * (MVT fails there), so no time at all rather than a wrong one. */
    unsigned y = (date >> 9) + 1980, mo = (date >> 5) & 0xf, d = date & 0x1f;
    unsigned h = time >> 11, mi = (time >> 5) & 0x3f, s = (time & 0x1f) * 2;
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    out[0] = '\0';
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || s > 59)
        return false;
    snprintf(out, 32, "%04u-%02u-%02u %02u:%02u:%02u.000000", y, mo, d, h, mi, s);
    return true;
}
