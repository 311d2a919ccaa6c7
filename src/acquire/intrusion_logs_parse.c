/* The intrusion-log line parser (spec/android.md §1.6): one JSON object a
 * line; each object-valued member is an event of the member's type, kept
 * once however many files repeat it (daily files overlap). */
#include "acquire/intrusion_logs_internal.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "modules/android/aqf_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KNOWN_TYPES[] = {"dns_event", "connect_event", "security_event", NULL};

void il_parse_init(il_parse *p)
{
    memset(p, 0, sizeof *p);
    p->buckets = json_object();
}

void il_parse_free(il_parse *p)
{
    json_decref(p->buckets);
    free(p->seen);
    free(p->shared);
    free(p->fp.s);
    free(p->fp2.s);
    memset(p, 0, sizeof *p);
}

/* Length of the code point at s (valid UTF-8, s < end). */
static size_t cp_len(const unsigned char *s, const unsigned char *end)
{
    size_t n = *s < 0x80 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
    return n > (size_t)(end - s) ? (size_t)(end - s) : n;
}

/* Python's str.splitlines() boundaries: \n \r \v \f \x1c-\x1e U+0085
 * U+2028 U+2029 (\r\n counts once). Returns the boundary's length at s. */
static size_t line_break(const unsigned char *s, const unsigned char *end)
{
    switch (*s) {
    case '\r': return s + 1 < end && s[1] == '\n' ? 2 : 1;
    case '\n':
    case '\v':
    case '\f':
    case 0x1c:
    case 0x1d:
    case 0x1e: return 1;
    case 0xC2: return s + 1 < end && s[1] == 0x85 ? 2 : 0;
    case 0xE2: return s + 2 < end && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9) ? 3 : 0;
    default: return 0;
    }
}

/* Python's str.strip() whitespace at s: its length, or 0. */
static size_t space_len(const unsigned char *s, const unsigned char *end)
{
    if (*s == ' ' || (*s >= '\t' && *s <= '\r') || (*s >= 0x1c && *s <= 0x1f))
        return 1;
    size_t n = cp_len(s, end);
    if (n == 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
        return 2;
    if (n != 3)
        return 0;
    unsigned cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    bool ws = cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
              cp == 0x202F || cp == 0x205F || cp == 0x3000;
    return ws ? 3 : 0;
}

/* The trailing whitespace code point ending at end, or 0. */
static size_t space_before(const unsigned char *start, const unsigned char *end)
{
    const unsigned char *p = end - 1;
    while (p > start && (*p & 0xC0) == 0x80 && end - p < 4)
        p--;
    size_t n = space_len(p, end);
    return p + n == end ? n : 0;
}

static void trim_and_parse(il_parse *p, const char *name, size_t lineno, const unsigned char *s,
                           const unsigned char *e)
{
    size_t n;
    while (s < e && (n = space_len(s, e)) > 0)
        s += n;
    while (e > s && (n = space_before(s, e)) > 0)
        e -= n;
    if (s < e)
        il_parse_line(p, name, lineno, (const char *)s, (size_t)(e - s));
}

/* Splits text[0..len) (valid UTF-8, a line starting at text) into lines,
 * scanning from *scan on, and parses each one ended. Unless final, the last
 * line is left for more text, also when its break is a last '\r' whose
 * '\n' may come next: returns the bytes consumed (where that line starts)
 * and sets *scan to how far into it the scan got. */
static size_t split_lines(il_parse *p, const char *name, size_t *lineno, const char *text,
                          size_t len, size_t *scan, bool final)
{
    const unsigned char *base = (const unsigned char *)text, *end = base + len;
    const unsigned char *s = base + *scan, *line = base;
    while (s < end) {
        size_t br = line_break(s, end);
        if (!br) {
            s += cp_len(s, end);
            continue;
        }
        if (!final && *s == '\r' && s + 1 == end)
            break;
        trim_and_parse(p, name, ++*lineno, line, s);
        s += br;
        line = s;
    }
    if (final && line < end) {
        trim_and_parse(p, name, ++*lineno, line, end);
        line = s = end;
    }
    *scan = (size_t)(s - line);
    return (size_t)(line - base);
}

void il_parse_text(il_parse *p, const char *name, char *text, size_t len)
{
    len = spy_utf8_drop_invalid(text, len);
    p->files++;
    size_t lineno = 0, scan = 0;
    split_lines(p, name, &lineno, text, len, &scan, true);
}

/* Read size of il_parse_stream; the buffer grows only for longer lines. */
#define IL_CHUNK (256u * 1024u)

int il_parse_stream(il_parse *p, const char *name, spy_stream *st)
{
    p->files++;
    /* buf: [0, clean) cleaned text from a line start, then held bytes of a
     * UTF-8 sequence cut by the last read, then room for the next read */
    size_t cap = 2 * IL_CHUNK, clean = 0, held = 0, scan = 0, lineno = 0;
    char *buf = spy_xmalloc(cap);
    int err = SPY_OK;
    for (;;) {
        while (cap - clean - held < IL_CHUNK) {
            cap *= 2;
            buf = spy_xrealloc(buf, cap);
        }
        size_t got = 0;
        if ((err = spy_stream_read(st, buf + clean + held, cap - clean - held, &got)) != SPY_OK)
            break; /* logged by the reader; the lines before it are kept */
        bool eof = got == 0;
        clean += spy_utf8_clean(buf + clean, held + got, eof, &held);
        size_t used = split_lines(p, name, &lineno, buf, clean, &scan, eof);
        if (used) {
            memmove(buf, buf + used, clean + held - used);
            clean -= used;
        }
        if (eof)
            break;
    }
    free(buf);
    return err;
}

static void buf_add(il_buf *b, const char *a, const char *c)
{
    il_buf_put(b, a, strlen(a));
    if (c)
        il_buf_put(b, c, strlen(c));
}

static void add_event(il_parse *p, const char *type, json_t *value)
{
    if (!il_seen_add(p, value)) {
        p->duplicates++;
        return;
    }
    il_share_values(p, value);
    json_t *bucket = json_object_get(p->buckets, type);
    if (!bucket) {
        bucket = json_array();
        json_object_set_new(p->buckets, type, bucket);
    }
    json_array_append(bucket, value);
}

void il_parse_line(il_parse *p, const char *name, size_t lineno, const char *s, size_t n)
{
    p->lines++;
    json_error_t jerr;
    json_t *doc = json_loadb(s, n, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
    if (!doc) {
        p->skipped++;
        spy_warn(IL_LOGGER, "Failed to parse JSON on line %zu in %s: %s", lineno, name, jerr.text);
        return;
    }
    if (!json_is_object(doc)) {
        p->skipped++;
        spy_warn(IL_LOGGER, "Error processing line %zu in %s: not a JSON object", lineno, name);
        json_decref(doc);
        return;
    }
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value)
    {
        if (json_is_object(value))
            add_event(p, key, value);
    }
    json_decref(doc);
}

static bool known_type(const char *t)
{
    for (size_t i = 0; KNOWN_TYPES[i]; i++)
        if (!strcmp(t, KNOWN_TYPES[i]))
            return true;
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void il_parse_report(const il_parse *p)
{
    if (p->duplicates)
        spy_info(IL_LOGGER, "Removed %zu duplicate event(s) seen across multiple log files",
                 p->duplicates);
    /* MVT prints the per-type counts as a Python dict. */
    size_t n_types = json_object_size(p->buckets), total = 0, n_unknown = 0;
    const char **unknown = spy_xcalloc(n_types + 1, sizeof *unknown);
    il_buf counts = {0};
    buf_add(&counts, "{", NULL);
    const char *key;
    json_t *bucket;
    json_object_foreach((json_t *)p->buckets, key, bucket)
    {
        char num[32];
        snprintf(num, sizeof num, "': %zu", json_array_size(bucket));
        buf_add(&counts, counts.len > 1 ? ", '" : "'", key);
        buf_add(&counts, num, NULL);
        total += json_array_size(bucket);
        if (!known_type(key))
            unknown[n_unknown++] = key;
    }
    spy_info(IL_LOGGER,
             "Loaded %zu log files, parsed %zu lines (%zu skipped), found event types: %s}",
             p->files, p->lines, p->skipped, counts.s);
    free(counts.s);
    spy_info(IL_LOGGER, "Pre-loaded %zu events across %zu type(s); modules will reuse this data",
             total, n_types);
    if (n_unknown) {
        qsort(unknown, n_unknown, sizeof *unknown, cmp_str);
        il_buf list = {0};
        for (size_t i = 0; i < n_unknown; i++)
            buf_add(&list, i ? ", " : "", unknown[i]);
        spy_warn(IL_LOGGER,
                 "Found unknown intrusion logging event type(s): %s. Please open an issue on "
                 "GitHub so MVT can add support for them.",
                 list.s);
        free(list.s);
    }
    free(unknown);
}
