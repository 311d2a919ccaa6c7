/* The bundle splitter against jansson: when it accepts a text, its ranges
 * must be in order, inside the buffer, and (when jansson reads the text as a
 * bundle) as many as the "objects" elements, each parsing to the same value. */
#include "core/iocs_internal.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spy_stix_range *r = NULL;
    size_t n = 0;
    if (!spy_stix_split_objects(data, size, &r, &n))
        return 0;
    size_t prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].start < prev_end || r[i].start + r[i].len > size || r[i].len == 0)
            abort();
        prev_end = r[i].start + r[i].len;
    }
    json_t *root = json_loadb((const char *)data, size, 0, NULL);
    json_t *objs = json_object_get(root, "objects");
    if (json_is_array(objs)) {
        if (json_array_size(objs) != n)
            abort();
        for (size_t i = 0; i < n; i++) {
            json_t *v =
                json_loadb((const char *)data + r[i].start, r[i].len, JSON_DECODE_ANY, NULL);
            if (!v || !json_equal(v, json_array_get(objs, i)))
                abort();
            json_decref(v);
        }
    }
    json_decref(root);
    free(r);
    return 0;
}
