/* Fuzz target: the binary plist reader, whole-document and low level. */
#include "core/bplist.h"
#include "core/error.h"

#include <stdint.h>
#include <stdlib.h>

/* Walks every object with the allocation-free API too. */
static void walk_objects(const uint8_t *data, size_t size)
{
    spy_bplist bp;
    spy_bpobj o, v;
    if (spy_bplist_open(&bp, data, size) != SPY_OK)
        return;
    for (uint64_t i = 0; i < bp.nobj && i < 4096; i++) {
        if (spy_bplist_object(&bp, i, &o) != SPY_OK)
            continue;
        if (o.type == SPY_BP_DICT)
            spy_bplist_dict_get(&bp, &o, "$objects", &v);
        char *s = NULL;
        if (spy_bplist_string(&o, &s, NULL) == SPY_OK)
            free(s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *out = NULL;
    char *why = NULL;
    if (spy_bplist_parse(data, size, &out, &why) == SPY_OK) {
        char *s = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
        free(s);
        json_decref(out);
    }
    free(why);
    walk_objects(data, size);
    return 0;
}
