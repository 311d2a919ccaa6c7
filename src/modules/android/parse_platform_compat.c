/* dumpsys platform_compat (spec/android.md §4.9): the raw overrides of the
 * DOWNSCALED change name every package that had one, and an override
 * outlives the app, so the list reveals uninstalled apps:
 *
 *   ChangeId(168419799; name=DOWNSCALED; disabled; rawOverrides={com.a=true, com.b=false}; ...)
 */
#include "modules/android/dumpsys_parse.h"
#include "modules/android/pytext.h"

int spy_parse_platform_compat(const char *text, size_t len, spy_record_cb cb, void *ud)
{
    spy_lines it;
    spy_text line;
    spy_lines_init(&it, text, len);
    while (spy_lines_next(&it, &line)) {
        if (!spy_text_starts(line, "ChangeId(168419799; name=DOWNSCALED;"))
            continue;
        spy_text before, field, rest;
        if (!spy_text_partition(line, "rawOverrides={", &before, &field))
            continue;
        spy_text_partition(field, "};", &field, &rest);
        /* as MVT: every ", "-separated item, even an empty one, is a record */
        spy_text item, name, value;
        while (spy_text_field(&field, ", ", &item)) {
            spy_text_partition(item, "=", &name, &value);
            json_t *rec = json_object();
            json_object_set_new_nocheck(rec, "package_name", spy_text_json(spy_text_strip(name)));
            int rc = cb(rec, ud);
            if (rc)
                return rc;
        }
    }
    return 0;
}
