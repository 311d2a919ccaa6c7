#include "aqf_test.h"

#include "acquire/commands.h"

#include <stdlib.h>
#include <string.h>

char *at_qf(const char *root, const char *const *files)
{
    char *dir = af_androidqf_dir(root);
    for (size_t i = 0; files && files[i] && files[i + 1]; i += 2)
        af_write_str(dir, files[i], files[i + 1]);
    return dir;
}

void at_run(const spy_module *m, const char *dir, const char *stix, mh_result *r)
{
    const spy_module *mods[] = {m, NULL};
    mh_run(&spy_cmd_android_check_androidqf, mods, dir, stix, m->slug, r);
}

void at_recheck(const spy_module *m, const char *saved_dir, const char *stix, mh_result *r)
{
    const spy_module *mods[] = {m, NULL};
    mh_check_iocs(&spy_cmd_android_check_iocs, mods, saved_dir, stix, m->slug, r);
}

void at_alert(const mh_result *r, size_t i, const char *level, const char *message)
{
    const char *l = mh_alert_str(r, i, "level");
    const char *msg = mh_alert_str(r, i, "message");
    if (!l || !msg)
        fail_msg("alert %zu missing (%zu alerts)", i, json_array_size(r->alerts));
    assert_string_equal(l, level);
    assert_string_equal(msg, message);
}
