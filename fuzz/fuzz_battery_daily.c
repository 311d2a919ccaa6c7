/* Fuzz target: the daily stats of dumpsys batterystats and the
 * uninstall/downgrade walk (spec/android.md §4.4). */
#include "fuzz_dumpsys_common.h"
#include "modules/android/dumpsys_parse.h"

static void on_alert(void *ud, spy_level level, const char *time, const json_t *record,
                     const char *message)
{
    (void)ud;
    if (level != SPY_LEVEL_MEDIUM || !time || !message || !json_is_object(record))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"action", "from", "to", "package_name", "vers", NULL};
    char *buf = fd_copy(data, size);
    if (!buf)
        return 0;
    size_t dropped;
    json_t *records = spy_parse_battery_daily(buf, size, on_alert, NULL, &dropped);
    size_t i;
    json_t *rec;
    json_array_foreach(records, i, rec)
    {
        fd_strings(rec, keys);
    }
    fd_emit(records);
    json_decref(records);
    free(buf);
    return 0;
}
