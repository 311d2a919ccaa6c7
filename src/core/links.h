/* Links in message text, found the way MVT finds them in SMS, iMessage and
 * WhatsApp messages (spec/ios.md §5.15, §5.19; spec/android.md SMS): every
 * non-overlapping match, left to right, of the Python regular expression
 * `https?://[^\s]+` with re.IGNORECASE on a str.
 *
 * Python facts reproduced:
 * - `\s` on str is Unicode whitespace (str.isspace): U+0009-000D,
 *   U+001C-001F, U+0020, U+0085, U+00A0, U+1680, U+2000-200A, U+2028,
 *   U+2029, U+202F, U+205F, U+3000. Everything else, NUL and invalid UTF-8
 *   bytes included, belongs to a link.
 * - IGNORECASE folds ASCII letters, and also lets `s` match U+017F (LATIN
 *   SMALL LETTER LONG S), whose case folding is "s"; h, t and p have no
 *   other folds.
 * The scan is linear in len, allocates nothing, and reads only inside
 * [text, text + len). */
#ifndef SPY_LINKS_H
#define SPY_LINKS_H

#include <stdbool.h>
#include <stddef.h>

/* One link: [p, p + n) inside the scanned text. Return false to stop. */
typedef bool (*spy_link_fn)(const char *p, size_t n, void *ud);

/* Calls fn for each link in order; returns how many were reported. */
size_t spy_links_extract(const char *text, size_t len, spy_link_fn fn, void *ud);

/* Length in bytes of the Unicode whitespace character (as Python's \s and
 * str.isspace() see it) at p, or 0 when p does not start with one. */
size_t spy_links_space_len(const char *p, size_t avail);

/* Is the text only whitespace (Python: text.strip() == "")? */
bool spy_links_blank(const char *text, size_t len);

#endif
