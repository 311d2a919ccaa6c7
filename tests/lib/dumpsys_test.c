#include "dumpsys_test.h"

#include "acquire/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dt_run(const spy_module *m, const char *root, const char *service, const char *body,
            const char *stix, mh_result *r)
{
    const char *pairs[] = {service, body, NULL};
    char *dumpstate = af_dumpstate(pairs);
    char *dir = af_bugreport_dir(root, dumpstate);
    const spy_module *mods[] = {m, NULL};
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, stix, m->slug, r);
    free(dir);
    free(dumpstate);
}

void dt_run_no_dumpstate(const spy_module *m, const char *root, mh_result *r)
{
    char *dir = af_bugreport_dir(root, NULL);
    const spy_module *mods[] = {m, NULL};
    mh_run(&spy_cmd_android_check_bugreport, mods, dir, NULL, m->slug, r);
    free(dir);
}

void dt_recheck(const spy_module *m, const char *saved_dir, const char *stix, mh_result *r)
{
    const spy_module *mods[] = {m, NULL};
    mh_check_iocs(&spy_cmd_android_check_iocs, mods, saved_dir, stix, m->slug, r);
}

void dt_alert(const mh_result *r, size_t i, const char *level, const char *event_time,
              const char *message)
{
    if (i >= json_array_size(r->alerts))
        fail_msg("alert %zu absent (%zu alerts)", i, json_array_size(r->alerts));
    assert_string_equal(mh_alert_str(r, i, "level"), level);
    assert_string_equal(mh_alert_str(r, i, "event_time"), event_time);
    assert_string_equal(mh_alert_str(r, i, "message"), message);
}

void dt_app_alert(const mh_result *r, size_t i, const char *value)
{
    char msg[512];
    snprintf(msg, sizeof msg,
             "Found a known suspicious app with ID \"%s\" matching indicators from \"TestMalware\"",
             value);
    dt_alert(r, i, "CRITICAL", "", msg);
    assert_string_equal(mt_match(r, i, "value"), value);
    assert_string_equal(mt_match(r, i, "type"), "app_ids");
}

static char *compact(const json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("(none)");
    assert_non_null(s);
    return s;
}

void dt_expect(const json_t *v, const char *slug, const char *file)
{
    char *text = af_fixture(slug, file, NULL);
    json_error_t e;
    json_t *want = json_loads(text, 0, &e);
    if (!want)
        fail_msg("%s/%s: %s", slug, file, e.text);
    if (!v)
        fail_msg("no results, want %s/%s", slug, file);
    char *a = compact(v), *b = compact(want);
    if (strcmp(a, b) != 0) {
        for (size_t i = 0; json_is_array(want) && i < json_array_size(want); i++) {
            char *x = compact(json_array_get(v, i)), *y = compact(json_array_get(want, i));
            if (strcmp(x, y) != 0)
                fail_msg("element %zu:\n got  %s\n want %s", i, x, y);
            free(x);
            free(y);
        }
        fail_msg("got  %s\nwant %s", a, b);
    }
    free(a);
    free(b);
    json_decref(want);
    free(text);
}

char *dt_crlf(const char *text)
{
    size_t n = strlen(text), k = 0;
    char *out = malloc(2 * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n')
            out[k++] = '\r';
        out[k++] = text[i];
    }
    out[k] = '\0';
    return out;
}

void dt_recheck_same(const spy_module *m, const char *saved_dir, const char *stix,
                     const mh_result *with)
{
    mh_result re;
    dt_recheck(m, saved_dir, stix, &re);
    assert_int_equal(re.exit_code, 1);
    mt_same_alerts(with, &re);
    mh_result_free(&re);
}

int dt_collect(json_t *record, void *array)
{
    json_array_append_new(array, record);
    return 0;
}
