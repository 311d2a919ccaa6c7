/* Shared by the AndroidQF JSON fuzz targets: the walk over a writable,
 * NUL-terminated copy of the input (as modules read members). */
#ifndef SPY_FUZZ_AQF_JSON_H
#define SPY_FUZZ_AQF_JSON_H

#include "core/mem.h"
#include "modules/android/aqf_util.h"
#include "modules/android/flat_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int fz_drop(json_t *v, void *ud)
{
    (*(size_t *)ud)++;
    json_decref(v);
    return 0;
}

/* The fast path must agree with jansson on every object it accepts: same
 * value, same key order, same extent. */
static void fz_compare(const char *s, size_t len)
{
    size_t used = 0;
    json_t *fast = spy_flat_json_object(s, len, &used);
    if (!fast)
        return;
    json_error_t e;
    json_t *ref = json_loadb(s, used, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!ref)
        abort();
    char *a = json_dumps(fast, JSON_COMPACT | JSON_ENCODE_ANY);
    char *b = json_dumps(ref, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!json_equal(fast, ref) || !a || !b || strcmp(a, b) != 0)
        abort();
    free(a);
    free(b);
    json_decref(fast);
    json_decref(ref);
}

static void fz_walk(const uint8_t *data, size_t size, bool lines)
{
    char *text = spy_xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < size; i++)
        if (i == 0 || text[i - 1] == '\n' || text[i - 1] == '[' || text[i - 1] == ',')
            fz_compare(text + i, size - i);
    size_t len = size, n = 0;
    spy_aqf_json_stats st;
    spy_aqf_json_foreach(&text, &len, lines, fz_drop, &n, &st);
    free(text);
}

#endif
