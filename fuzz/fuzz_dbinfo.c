/* Fuzz target: dumpsys dbinfo parser and its backtracking-free match of
 * MVT's operation regex (spec/android.md §4.6). */
#include "fuzz_dumpsys_common.h"
#include "modules/android/dumpsys_parse.h"

static int sink(json_t *rec, void *ud)
{
    static const char *const keys[] = {"isodate", "action", "sql", "path", NULL};
    (void)ud;
    fd_strings(rec, keys);
    /* the regex wants one character of sql and one of action at least */
    if (json_string_length(json_object_get(rec, "sql")) == 0 ||
        json_string_length(json_object_get(rec, "action")) == 0)
        abort();
    fd_emit(rec);
    json_decref(rec);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fd_copy(data, size);
    if (buf)
        spy_parse_dbinfo(buf, size, sink, NULL);
    free(buf);
    return 0;
}
