/* SecurityEvent timeline texts of arbitrary records (saved results or
 * intrusion-log events of any shape): Python str() of every value type,
 * non-object payloads, missing fields. */
#include "modules/android/security_event_text.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (json_is_object(v)) {
        const char *event = NULL;
        free(spy_se_describe(v, &event));
    }
    json_decref(v);
    return 0;
}
