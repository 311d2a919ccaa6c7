/* What the AndroidQF modules share: finding and reading their member
 * (spec/android.md §1.3), cleaning text as MVT decodes it, and walking the
 * JSON files AndroidQF writes (an array, or one value per line). */
#ifndef SPY_AQF_UTIL_H
#define SPY_AQF_UTIL_H

#include "core/module.h"

#include "core/flat.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The first member matching glob (e.g. "*\/getprop.txt") read whole, at
 * most max bytes, NUL-terminated (*buf, free()); *label (free(), may be
 * NULL) names it. SPY_ENOTFOUND (nothing logged) when there is none; other
 * errors are logged with the member's name. */
int spy_aqf_read_first(spy_mod_ctx *ctx, const char *glob, size_t max, char **buf, size_t *len,
                       char **label);
/* The same for one artifact already found. */
int spy_aqf_read(spy_mod_ctx *ctx, const spy_artifact *art, size_t max, char **buf, size_t *len);
/* The same two as streams (acq.h) of at most max bytes, for members too
 * large to hold whole (spy_stream_close() *s). */
int spy_aqf_open_first(spy_mod_ctx *ctx, const char *glob, uint64_t max, spy_stream **s,
                       char **label);
int spy_aqf_open(spy_mod_ctx *ctx, const spy_artifact *art, uint64_t max, spy_stream **s);

/* Removes the bytes that are not part of valid UTF-8 sequences, in place
 * (Python's decode(errors="ignore")); returns the new length. */
size_t spy_utf8_drop_invalid(char *s, size_t len);
/* The same for one piece of a longer text: unless final, a sequence cut
 * at the end is not judged yet but moved to s[returned length], *held
 * bytes of it, to go before the next piece. */
size_t spy_utf8_clean(char *s, size_t len, bool final, size_t *held);

/* Called with each element (the callback owns the reference); non-zero
 * stops the walk and is returned. */
typedef int (*spy_aqf_json_cb)(json_t *elem, void *ud);

typedef struct spy_aqf_json_stats {
    size_t bad;      /* lines (or a damaged array tail) that did not parse */
    const char *why; /* the first problem, static text */
    bool stopped;    /* a stream walk could not read on (why says why) */
} spy_aqf_json_stats;

/* Walks text as AndroidQF writes its JSON (aqf_json.c): when it starts
 * with '[', the array's elements one at a time; otherwise, when lines is
 * true, one JSON value per non-blank line. Invalid UTF-8 is dropped and
 * integers beyond 64 bits (certificate serial numbers) are kept as
 * strings, since jansson cannot hold them (quoted within each element or
 * line). text must be writable and NUL-terminated (it may be rewritten or
 * moved). SPY_EFORMAT when nothing could be read; elements before damage
 * are delivered either way. */
int spy_aqf_json_foreach(char **text, size_t *len, bool lines, spy_aqf_json_cb cb, void *ud,
                         spy_aqf_json_stats *st);
/* The same walk over a stream read in pieces, with the same results
 * whatever the pieces: memory stays flat in the size of the file. One
 * value or line longer than max_value bytes ends the walk with SPY_ELIMIT,
 * a read error (logged by the reader) with the reader's code; both set
 * st->stopped and st->why. */
int spy_aqf_json_stream(spy_stream *s, bool lines, size_t max_value, spy_aqf_json_cb cb, void *ud,
                        spy_aqf_json_stats *st);

/* Called with an element that is a flat object with unique keys, as
 * parsed (core/flat.h); the record is reused once the callback returns. */
typedef int (*spy_aqf_flat_cb)(spy_flat *elem, void *ud);
/* spy_aqf_json_stream, with flat elements given to flat_cb instead of
 * being built as jansson objects; every other element goes to cb. */
int spy_aqf_json_stream_flat(spy_stream *s, bool lines, size_t max_value, spy_aqf_flat_cb flat_cb,
                             spy_aqf_json_cb cb, void *ud, spy_aqf_json_stats *st);

/* Text after the last '/'. */
const char *spy_aqf_basename(const char *path);

#endif
