/* Fuzz target: dumpsys appops parser (spec/android.md §4.3). */
#include "fuzz_dumpsys_common.h"
#include "modules/android/dumpsys_parse.h"

static int sink(json_t *rec, void *ud)
{
    static const char *const keys[] = {"package_name", NULL};
    (void)ud;
    fd_strings(rec, keys);
    if (!json_is_array(json_object_get(rec, "permissions")))
        abort();
    fd_emit(rec);
    json_decref(rec);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fd_copy(data, size);
    if (buf) {
        size_t dropped;
        spy_parse_appops(buf, size, sink, NULL, &dropped);
    }
    free(buf);
    return 0;
}
