#include "core/saved_results.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/mem.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

/* A sliding window over the input: jansson parses one element from the
 * window (JSON_DISABLE_EOF_CHECK reports how many bytes it used); when an
 * element runs past the window the window grows, up to a limit. */
typedef struct reader {
    int fd; /* -1 for memory input */
    const char *mem;
    size_t mem_len;
    char *buf;
    size_t start, end, cap;
    size_t consumed; /* bytes before buf[start] */
    int eof;
} reader;

#define WINDOW (1u << 20)
/* One record larger than this is refused (a hostile file, not a device's). */
#define MAX_RECORD (256u << 20)

static int fill(reader *r)
{
    if (r->eof)
        return 0;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->consumed += r->start;
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap) {
        if (r->cap >= MAX_RECORD)
            return -1;
        r->cap *= 2;
        r->buf = spy_xrealloc(r->buf, r->cap);
    }
    ssize_t n;
    do
        n = read(r->fd, r->buf + r->end, r->cap - r->end);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n == 0)
        r->eof = 1;
    r->end += (size_t)n;
    return n > 0;
}

static const char *window(reader *r, size_t *len)
{
    if (r->fd < 0) {
        *len = r->mem_len - r->start;
        return r->mem + r->start;
    }
    *len = r->end - r->start;
    return r->buf + r->start;
}

/* The next non-space byte (filling as needed), or -1 at the end. */
static int peek(reader *r)
{
    for (;;) {
        size_t len;
        const char *w = window(r, &len);
        size_t i = 0;
        while (i < len && strchr(" \t\r\n", w[i]) && w[i])
            i++;
        r->start += i;
        if (i < len)
            return (unsigned char)w[i];
        if (r->fd < 0 || fill(r) <= 0)
            return -1;
    }
}

static size_t offset_of(const reader *r)
{
    return r->consumed + r->start;
}

/* Parses one value at the window start; grows the window when the value
 * continues past it. */
static json_t *parse_one(reader *r, const char **why)
{
    for (;;) {
        size_t len;
        const char *w = window(r, &len);
        json_error_t e;
        json_t *v =
            json_loadb(w, len, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
        bool more = r->fd >= 0 && !r->eof;
        /* A scalar ending exactly at the window end may continue (123|45). */
        if (v && (json_is_object(v) || json_is_array(v) || (size_t)e.position < len || !more)) {
            r->start += (size_t)e.position;
            return v;
        }
        json_decref(v);
        /* An element cut by the window end (even mid-character) fails near
         * the end: read more and parse again. */
        bool near_end = v || json_error_code(&e) == json_error_premature_end_of_input ||
                        (size_t)e.position + 8 >= len;
        if (!near_end || !more || fill(r) < 0) {
            *why = near_end ? "truncated record" : "invalid JSON";
            return NULL;
        }
    }
}

static int walk_array(reader *r, spy_saved_cb cb, void *ud, const char **why)
{
    r->start++; /* '[' */
    if (peek(r) == ']')
        return SPY_OK;
    for (;;) {
        json_t *v = parse_one(r, why);
        if (!v)
            return SPY_EFORMAT;
        int rc = cb(v, ud);
        if (rc)
            return rc;
        int c = peek(r);
        if (c == ']')
            return SPY_OK;
        if (c != ',') {
            *why = c < 0 ? "truncated array" : "expected ',' or ']'";
            return SPY_EFORMAT;
        }
        r->start++;
    }
}

static int walk(reader *r, spy_saved_cb cb, void *ud, const char **why, size_t *offset)
{
    *why = NULL;
    int c = peek(r);
    int rc;
    if (c == '[') {
        rc = walk_array(r, cb, ud, why);
    } else if (c == '{') {
        json_t *v = parse_one(r, why);
        rc = v ? cb(v, ud) : SPY_EFORMAT;
    } else {
        *why = c < 0 ? "empty file" : "not a JSON array or object";
        rc = SPY_EFORMAT;
    }
    if (offset)
        *offset = offset_of(r);
    return rc;
}

int spy_saved_foreach_fd(int fd, spy_saved_cb cb, void *ud, const char **why, size_t *offset)
{
    reader r = {.fd = fd, .cap = WINDOW};
    r.buf = spy_xmalloc(r.cap);
    int rc = walk(&r, cb, ud, why, offset);
    free(r.buf);
    return rc;
}

int spy_saved_foreach_mem(const char *data, size_t len, spy_saved_cb cb, void *ud, const char **why,
                          size_t *offset)
{
    reader r = {.fd = -1, .mem = data, .mem_len = len};
    return walk(&r, cb, ud, why, offset);
}
