/* Base64 as Python's binascii decodes it, for ADB key fingerprints
 * (spec/android.md §4.11). OpenSSL's EVP_DecodeBlock rejects what Python
 * silently skips (characters outside the alphabet) and counts padding as
 * data, so the two rules MVT relies on are written out here. */
#include "modules/android/adb_b64.h"

#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* binascii.a2b_base64 without strict mode: characters outside the alphabet
 * are skipped, a complete padding sequence ends the input, and a dangling
 * group is an error. */
bool spy_b64_decode_lenient(const char *s, size_t n, unsigned char **out, size_t *out_len)
{
    unsigned char *buf = spy_xmalloc(n / 4 * 3 + 3);
    size_t o = 0;
    unsigned acc = 0;
    int quad = 0, pads = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=') {
            if (quad >= 2 && quad + ++pads >= 4)
                break;
            continue;
        }
        int v = b64_value(c);
        if (v < 0)
            continue;
        pads = 0;
        acc = (acc << 6) | (unsigned)v;
        if (++quad == 4) {
            buf[o++] = (unsigned char)(acc >> 16);
            buf[o++] = (unsigned char)(acc >> 8);
            buf[o++] = (unsigned char)acc;
            acc = 0;
            quad = 0;
        }
    }
    if (quad == 1 || (quad > 1 && quad + pads < 4)) {
        free(buf);
        return false;
    }
    if (quad == 2) {
        buf[o++] = (unsigned char)(acc >> 4);
    } else if (quad == 3) {
        buf[o++] = (unsigned char)(acc >> 10);
        buf[o++] = (unsigned char)(acc >> 2);
    }
    *out = buf;
    *out_len = o;
    return true;
}

bool spy_b64_strict(const char *s, size_t n)
{
    /* [A-Za-z0-9+/]*={0,2}, then a decode without a dangling group */
    size_t i = 0;
    while (i < n && b64_value((unsigned char)s[i]) >= 0)
        i++;
    size_t data = i;
    while (i < n && s[i] == '=' && i - data < 2)
        i++;
    if (i != n || n == 0)
        return false;
    size_t pads = n - data;
    size_t rem = data % 4;
    if (rem == 1)
        return false;
    /* a full last group may still carry '=' (Python stops reading there) */
    return rem == 0 || (rem == 2 && pads == 2) || (rem == 3 && pads >= 1);
}
