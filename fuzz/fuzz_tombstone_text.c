/* Fuzz target: the text tombstone reader (spec/android.md §4.13). */
#include "core/error.h"
#include "modules/android/tombstone_parse.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *rec = NULL;
    char *why = NULL;
    if (spy_tomb_text_parse((const char *)data, size, "tombstone_00", "2024-03-01 10:00:00.000000",
                            &rec, &why) == SPY_OK) {
        char *s = json_dumps(rec, JSON_COMPACT);
        free(s);
        json_decref(rec);
    }
    free(why);
    char iso[32];
    (void)spy_tomb_timestamp((const char *)data, size, iso);
    return 0;
}
