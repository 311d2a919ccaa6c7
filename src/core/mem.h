/* Allocation helpers: out-of-memory is the one condition that aborts
 * (a forensic run that silently drops data on ENOMEM would mislead). */
#ifndef SPY_MEM_H
#define SPY_MEM_H

#include <stddef.h>

void *spy_xmalloc(size_t n);
void *spy_xcalloc(size_t count, size_t size);
void *spy_xrealloc(void *p, size_t n);
/* Grows an array: returns p resized to count*size, aborting on overflow. */
void *spy_xreallocarray(void *p, size_t count, size_t size);
char *spy_xstrdup(const char *s);
char *spy_xstrndup(const char *s, size_t n);
/* The n bytes at p, NUL bytes included, then a terminating NUL (strndup
 * would stop at the first NUL of binary or hostile text). */
char *spy_xmemdup0(const void *p, size_t n);
/* printf into a fresh heap string. */
char *spy_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
