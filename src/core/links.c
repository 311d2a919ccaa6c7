#include "core/links.h"

#include <string.h>

size_t spy_links_space_len(const char *s, size_t avail)
{
    const unsigned char *p = (const unsigned char *)s;
    if (avail == 0)
        return 0;
    if ((p[0] >= 0x09 && p[0] <= 0x0d) || (p[0] >= 0x1c && p[0] <= 0x20))
        return 1;
    if (p[0] == 0xc2 && avail >= 2 && (p[1] == 0x85 || p[1] == 0xa0))
        return 2; /* U+0085 NEL, U+00A0 NO-BREAK SPACE */
    if (avail < 3)
        return 0;
    if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
        return 3; /* U+1680 OGHAM SPACE MARK */
    if (p[0] == 0xe2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
        return 3; /* U+2000-200A, U+2028, U+2029, U+202F */
    if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
        return 3; /* U+205F MEDIUM MATHEMATICAL SPACE */
    if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
        return 3; /* U+3000 IDEOGRAPHIC SPACE */
    return 0;
}

bool spy_links_blank(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t w = spy_links_space_len(text + i, len - i);
        if (w == 0)
            return false;
        i += w;
    }
    return true;
}

static bool ascii_ieq(unsigned char c, char lower)
{
    return c == (unsigned char)lower || c == (unsigned char)(lower - 'a' + 'A');
}

/* Length of the "http" [s] "://" prefix at p, or 0 when it is not there.
 * `s?` is optional: "https://" and "http://" match; an 's' (or U+017F)
 * not followed by "://" fails both alternatives. */
static size_t scheme_len(const unsigned char *p, size_t avail)
{
    if (avail < 7 || !ascii_ieq(p[0], 'h') || !ascii_ieq(p[1], 't') || !ascii_ieq(p[2], 't') ||
        !ascii_ieq(p[3], 'p'))
        return 0;
    size_t i = 4;
    if (ascii_ieq(p[4], 's'))
        i = 5;
    else if (p[4] == 0xc5 && p[5] == 0xbf) /* U+017F folds to 's' */
        i = 6;
    if (i > 4 && avail >= i + 3 && memcmp(p + i, "://", 3) == 0)
        return i + 3;
    if (memcmp(p + 4, "://", 3) == 0)
        return 7;
    return 0;
}

size_t spy_links_extract(const char *text, size_t len, spy_link_fn fn, void *ud)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t count = 0, i = 0;
    if (!text)
        return 0;
    while (i < len && len - i >= 8) {
        size_t h = scheme_len(t + i, len - i);
        /* `[^\s]+` needs at least one non-space byte after the scheme. */
        if (h == 0 || i + h >= len || spy_links_space_len(text + i + h, len - i - h) != 0) {
            i++;
            continue;
        }
        size_t end = i + h;
        while (end < len && spy_links_space_len(text + end, len - end) == 0)
            end++;
        count++;
        if (!fn(text + i, end - i, ud))
            break;
        i = end;
    }
    return count;
}
