/* What the dumpsys parser fuzz targets share: the input as a heap copy of
 * exactly its size (ASan sees any read past the end), and a record sink
 * that checks each record is an object and writes it with the project's
 * JSON emitter, as the run loop would. */
#ifndef SPY_FUZZ_DUMPSYS_COMMON_H
#define SPY_FUZZ_DUMPSYS_COMMON_H

#include "core/json_emit.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline char *fd_copy(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (buf && size)
        memcpy(buf, data, size);
    return buf;
}

/* Emits v; aborts when the emitter refuses it. */
static inline void fd_emit(const json_t *v)
{
    spy_jw *w = spy_jw_new_mem(4);
    if (spy_jw_value(w, v) != 0 || spy_jw_finish(w) != 0)
        abort();
    spy_jw_free(w);
}

/* Every key in keys (NULL-terminated) is present as a string. */
static inline void fd_strings(const json_t *rec, const char *const *keys)
{
    if (!json_is_object(rec))
        abort();
    for (size_t i = 0; keys[i]; i++)
        if (!json_is_string(json_object_get(rec, keys[i])))
            abort();
}

#endif
