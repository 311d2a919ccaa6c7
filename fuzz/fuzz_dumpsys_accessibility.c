/* Fuzz target: dumpsys accessibility parser (spec/android.md §4.1). */
#include "fuzz_dumpsys_common.h"
#include "modules/android/dumpsys_parse.h"

static int sink(json_t *rec, void *ud)
{
    static const char *const keys[] = {"package_name", "service", NULL};
    (void)ud;
    fd_strings(rec, keys);
    fd_emit(rec);
    json_decref(rec);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fd_copy(data, size);
    if (buf)
        spy_parse_accessibility(buf, size, sink, NULL);
    free(buf);
    return 0;
}
