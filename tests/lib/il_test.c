#include "il_test.h"

#include "acquire/commands.h"

#include <stdlib.h>
#include <string.h>

char *it_logs(const char *root, const char *name, const char *text)
{
    char *dir = tu_join(root, "intrusion_logs");
    af_write_str(dir, name, text);
    return dir;
}

void it_run(const spy_module *m, const char *dir, const char *stix, mh_result *r)
{
    const spy_module *mods[] = {m, NULL};
    mh_run(&spy_cmd_android_check_intrusion_logs, mods, dir, stix, m->slug, r);
}

void it_run_text(const spy_module *m, const char *text, const char *stix, mh_result *r)
{
    char *root = tu_mkdtemp();
    char *dir = it_logs(root, "intrusion_2024-12-16.txt", text);
    it_run(m, dir, stix, r);
    tu_rmtree(root);
    free(root);
    free(dir);
}

static char *command_log(const mh_result *r)
{
    char *p = tu_join(r->out_dir, "command.log");
    char *text = tu_read(p, NULL);
    free(p);
    if (!text)
        fail_msg("no command.log in %s", r->out_dir);
    return text;
}

size_t it_log_count(const mh_result *r, const char *needle)
{
    char *text = command_log(r);
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    free(text);
    return n;
}

size_t it_log_pos(const mh_result *r, const char *needle)
{
    char *text = command_log(r);
    const char *p = strstr(text, needle);
    if (!p)
        fail_msg("command.log has no line with \"%s\"", needle);
    size_t pos = (size_t)(p - text);
    free(text);
    return pos;
}

void it_recheck_same(const spy_module *m, void (*run)(const char *stix, mh_result *r),
                     const char *stix, size_t n_alerts)
{
    mh_result with, plain, again;
    run(stix, &with);
    run(NULL, &plain);
    at_recheck(m, plain.out_dir, stix, &again);
    assert_int_equal(json_array_size(again.alerts), n_alerts);
    mt_same_alerts(&with, &again);
    assert_int_equal(again.exit_code, with.exit_code);
    mh_result_free(&with);
    mh_result_free(&plain);
    mh_result_free(&again);
}
