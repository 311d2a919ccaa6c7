/* The intrusion-log parser on arbitrary bytes: line splitting, trimming,
 * JSON, de-duplication, the summary, and the event-time conversion; the
 * streamed parse must agree with the whole-text one. */
#include "acquire/intrusion_logs.h"
#include "acquire/intrusion_logs_internal.h"
#include "acquire/stream.h"
#include "core/log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same bytes as a stream of small pieces: it must give what the whole
 * text gives (lines cut between reads, UTF-8 sequences cut too). */
typedef struct piece_stream {
    spy_stream base;
    const uint8_t *data;
    size_t len, at, piece;
} piece_stream;

static int piece_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    piece_stream *ps = (piece_stream *)s;
    size_t n = ps->len - ps->at;
    n = n < ps->piece ? n : ps->piece;
    n = n < cap ? n : cap;
    memcpy(buf, ps->data + ps->at, n);
    ps->at += n;
    *got = n;
    return 0;
}

static void piece_close(spy_stream *s)
{
    (void)s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spy_log_set_quiet(true);
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    il_parse p;
    il_parse_init(&p);
    il_parse_text(&p, "fuzz.txt", text, size);
    const char *type;
    json_t *bucket;
    json_object_foreach(p.buckets, type, bucket)
    {
        size_t i;
        json_t *ev;
        json_array_foreach(bucket, i, ev)
        {
            json_decref(
                spy_intrusion_timestamp(NULL, json_object_get(ev, "event_time"), i % 2 == 0));
        }
    }
    il_parse_report(&p);
    il_parse q;
    il_parse_init(&q);
    piece_stream ps = {{.read = piece_read, .close = piece_close},
                       data,
                       size,
                       0,
                       size ? (size_t)data[0] % 13 + 1 : 1};
    il_parse_stream(&q, "fuzz.txt", &ps.base);
    if (!json_equal(p.buckets, q.buckets) || p.lines != q.lines || p.skipped != q.skipped ||
        p.duplicates != q.duplicates)
        __builtin_trap();
    il_parse_free(&q);
    il_parse_free(&p);
    free(text);
    return 0;
}
