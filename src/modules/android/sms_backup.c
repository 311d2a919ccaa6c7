#include "modules/android/sms_backup.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/links.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/android/aqf_util.h"
#include "modules/ios/msg_links.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Python int() of a JSON value, as MVT applies it to "date" and
 * "date_sent" (strings on Android): 1 with *v set, 2 when the value is an
 * integer beyond 64 bits (never zero), 0 when int() would raise. */
static int py_int(const json_t *j, long long *v)
{
    if (json_is_integer(j)) {
        *v = json_integer_value(j);
        return 1;
    }
    if (json_is_boolean(j)) {
        *v = json_is_true(j);
        return 1;
    }
    if (json_is_real(j)) { /* int(float) truncates */
        double d = trunc(json_real_value(j));
        if (!isfinite(d))
            return 0;
        if (fabs(d) >= 9.2e18)
            return 2;
        *v = (long long)d;
        return 1;
    }
    const char *s = json_string_value(j);
    if (!s)
        return 0;
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    unsigned long long acc = 0;
    bool digits = false, big = false;
    for (; *s; s++) {
        if (*s == '_' && digits && s[1] >= '0' && s[1] <= '9')
            continue; /* Python allows one '_' between digits */
        if (*s < '0' || *s > '9')
            break;
        digits = true;
        if (acc > (UINT64_MAX - 9) / 10)
            big = true;
        acc = acc * 10 + (unsigned)(*s - '0');
    }
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    if (!digits || *s)
        return 0;
    if (big || acc > (unsigned long long)INT64_MAX)
        return 2;
    *v = neg ? -(long long)acc : (long long)acc;
    return 1;
}

/* MVT: utcfromtimestamp(int(date) / 1000). MMS dates are seconds; MVT
 * divides them too (1970 dates), spyscan does not (differences doc). */
static json_t *isodate(const json_t *date, bool mms)
{
    long long v = 0;
    char iso[SPY_ISO_LEN] = "";
    if (py_int(date, &v) == 1)
        spy_iso_from_unix(mms ? (double)v : (double)v / 1000.0, iso);
    return json_string(iso);
}

/* MVT: "sent" if int(date_sent) else "received". */
static const char *direction(const json_t *date_sent)
{
    long long v = 0;
    int r = py_int(date_sent, &v);
    return r == 2 || (r == 1 && v != 0) ? "sent" : "received";
}

/* links: the body's links when there are any; null for an empty body; []
 * for a blank one; absent otherwise (and absent without a text body, where
 * MVT fails the whole file). */
static void set_links(json_t *msg)
{
    const json_t *body = json_object_get(msg, "body");
    if (!json_is_string(body))
        return;
    const char *s = json_string_value(body);
    size_t n = json_string_length(body);
    if (n == 0) {
        json_object_set_new_nocheck(msg, "links", json_null());
        return;
    }
    json_t *links = json_array();
    msg_links_append(links, s, n, false);
    if (json_array_size(links) > 0 || spy_links_blank(s, n))
        json_object_set_new_nocheck(msg, "links", links);
    else
        json_decref(links);
}

void spy_sms_record(json_t *msg, bool mms)
{
    json_t *mms_body = json_object_get(msg, "mms_body");
    if (mms_body) { /* body keeps its place if it existed, as in a dict */
        json_object_set_nocheck(msg, "body", mms_body);
        json_object_del(msg, "mms_body");
    }
    json_object_set_new_nocheck(msg, "isodate", isodate(json_object_get(msg, "date"), mms));
    json_object_set_new_nocheck(msg, "direction",
                                json_string(direction(json_object_get(msg, "date_sent"))));
    set_links(msg);
}

int spy_sms_inflate(const void *data, size_t len, size_t max_out, char **out, size_t *out_len,
                    const char **why)
{
    z_stream z = {0};
    *out = NULL;
    *out_len = 0;
    if (inflateInit(&z) != Z_OK) {
        *why = "zlib could not start";
        return SPY_ENOMEM;
    }
    /* Start near the usual ~4x of text, grow by doubling up to max_out. */
    size_t cap = len < 4096 ? 16384 : len * 4, n = 0;
    if (cap > (64u << 20))
        cap = 64u << 20;
    if (cap > max_out)
        cap = max_out;
    char *buf = spy_xmalloc(cap + 1);
    z.next_in = (Bytef *)(uintptr_t)data;
    int zr = Z_OK, rc = SPY_OK;
    while (zr != Z_STREAM_END) {
        if (n == cap) {
            if (cap >= max_out) {
                *why = "inflated data too large";
                rc = SPY_ELIMIT;
                break;
            }
            cap = cap > max_out / 2 ? max_out : cap * 2;
            buf = spy_xrealloc(buf, cap + 1);
        }
        /* Feed at most 1 GiB at a time (z_stream counts are 32-bit). */
        size_t in_left = len - (size_t)((const char *)z.next_in - (const char *)data);
        z.avail_in = (uInt)(in_left > (1u << 30) ? (1u << 30) : in_left);
        size_t room = cap - n > (1u << 30) ? (1u << 30) : cap - n;
        z.next_out = (Bytef *)buf + n;
        z.avail_out = (uInt)room;
        zr = inflate(&z, Z_NO_FLUSH);
        n += room - z.avail_out;
        if (zr == Z_BUF_ERROR && z.avail_out > 0 && z.avail_in == 0) {
            *why = "truncated zlib stream";
            rc = SPY_EFORMAT;
            break;
        }
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
            *why = zr == Z_DATA_ERROR ? "not a zlib stream, or a corrupt one" : "zlib error";
            rc = zr == Z_MEM_ERROR ? SPY_ENOMEM : SPY_EFORMAT;
            break;
        }
        if (n > SPY_ANDROID_ZIP_RATIO_FLOOR && n / SPY_ANDROID_ZIP_MAX_RATIO > len) {
            *why = "zlib stream expands beyond any real text (a decompression bomb?)";
            rc = SPY_ELIMIT;
            break;
        }
    }
    inflateEnd(&z);
    if (rc != SPY_OK) {
        free(buf);
        return rc;
    }
    buf[n] = '\0'; /* bytes after the stream's end are ignored, as by zlib.decompress */
    *out = buf;
    *out_len = n;
    return SPY_OK;
}

typedef struct walk_ud {
    bool mms;
    spy_sms_fn fn;
    void *ud;
    spy_sms_stats *st;
} walk_ud;

static int on_elem(json_t *v, void *p)
{
    walk_ud *w = p;
    if (!json_is_object(v)) {
        w->st->not_object++;
        json_decref(v);
        return SPY_OK;
    }
    spy_sms_record(v, w->mms);
    w->st->messages++;
    return w->fn(v, w->ud);
}

int spy_sms_parse_json(char **text, size_t *len, bool mms, spy_sms_fn fn, void *ud,
                       spy_sms_stats *st)
{
    walk_ud w = {mms, fn, ud, st};
    spy_aqf_json_stats js;
    int rc = spy_aqf_json_foreach(text, len, false, on_elem, &w, &js);
    if (rc == SPY_EFORMAT && !st->why)
        st->why = js.why ? js.why : "not a JSON array";
    return rc;
}

/* Already inflated JSON: whitespace (or a BOM), then '['. A zlib stream
 * never starts so: its first byte's low nibble is 8 (deflate). */
static bool looks_like_json(const unsigned char *p, size_t len)
{
    size_t i = len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i < len && p[i] == '[';
}

int spy_sms_backup_parse(const void *data, size_t len, bool mms, spy_sms_fn fn, void *ud,
                         spy_sms_stats *st)
{
    memset(st, 0, sizeof *st);
    char *text = NULL;
    size_t n = 0;
    int rc;
    if (looks_like_json(data, len)) {
        text = spy_xmemdup0(data, len);
        n = len;
    } else if ((rc = spy_sms_inflate(data, len, SPY_SMS_MAX_JSON_BYTES, &text, &n, &st->why)) !=
               SPY_OK) {
        return rc;
    }
    rc = spy_sms_parse_json(&text, &n, mms, fn, ud, st);
    free(text);
    return rc;
}
