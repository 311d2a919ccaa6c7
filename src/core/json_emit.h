/* Streaming JSON emitter (design.md §7: jansson cannot stream and rejects
 * invalid UTF-8). Output follows Python's json.dump conventions as MVT writes
 * them (spec/outputs.md §3.1): indent 4 (or compact), ", " / ": "
 * separators, non-ASCII escaped as \uXXXX (surrogate pairs above U+FFFF),
 * and bytes that are not valid UTF-8 written as the literal text \xNN.
 * Memory use is bounded by the nesting depth, not the document size. */
#ifndef SPY_JSON_EMIT_H
#define SPY_JSON_EMIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct spy_jw spy_jw;

/* Writes to fd (not closed by the emitter). indent 0 = one line with
 * ", " and ": " separators; 4 = MVT's files. */
spy_jw *spy_jw_new_fd(int fd, int indent);
/* Lets an fd emitter hand its full buffers to a writer thread (bgwrite.h)
 * rather than wait in write(2). spy_jw_finish and spy_jw_free wait for
 * it, so the fd is the caller's again only after one of them. */
void spy_jw_background(spy_jw *w);
/* Writes into a growing memory buffer (for CSV cells and tests). */
spy_jw *spy_jw_new_mem(int indent);

int spy_jw_begin_object(spy_jw *w);
int spy_jw_end_object(spy_jw *w);
int spy_jw_begin_array(spy_jw *w);
int spy_jw_end_array(spy_jw *w);
int spy_jw_key(spy_jw *w, const char *key, size_t len);
int spy_jw_string(spy_jw *w, const char *s, size_t len);
int spy_jw_cstr(spy_jw *w, const char *s); /* NULL writes null */
/* spy_jw_key() and spy_jw_string() for text the caller knows needs no
 * escaping: only bytes 0x20-0x7E other than '"' and '\\' (what the two
 * write unchanged). Copied as is, without the escape scan. */
int spy_jw_key_plain(spy_jw *w, const char *key, size_t len);
int spy_jw_string_plain(spy_jw *w, const char *s, size_t len);
/* Which texts of a member are plain (as above). */
enum { SPY_JW_KEY_PLAIN = 1u << 0, SPY_JW_STR_PLAIN = 1u << 1 };
/* An object member, key and value in one call (the same bytes as
 * spy_jw_key() then spy_jw_string() or spy_jw_int(), in one reservation
 * when short): records of hundreds of thousands of members. */
int spy_jw_member_string(spy_jw *w, const char *key, size_t klen, const char *s, size_t len,
                         unsigned plain);
int spy_jw_member_int(spy_jw *w, const char *key, size_t klen, long long v, unsigned plain);
int spy_jw_int(spy_jw *w, long long v);
int spy_jw_real(spy_jw *w, double v); /* shortest round-trip, like Python repr */
int spy_jw_bool(spy_jw *w, bool v);
int spy_jw_null(spy_jw *w);
int spy_jw_value(spy_jw *w, const json_t *v); /* any jansson value, in key order */

/* Flushes; returns the first error any call met (SPY_OK otherwise). Calls
 * after an error are no-ops that return it again. */
int spy_jw_finish(spy_jw *w);
/* Memory emitters: the text so far (NUL-terminated). */
const char *spy_jw_mem(const spy_jw *w, size_t *len);
void spy_jw_free(spy_jw *w);

#endif
