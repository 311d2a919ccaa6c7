#include "module_harness.h"

#include "acquire/commands.h"
#include "core/log.h"
#include "core/mem.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *mh_stix(const char *const *patterns)
{
    json_t *objs = json_array();
    json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s}", "type", "malware", "id",
                                          "malware--test", "name", "TestMalware", "description",
                                          "Test indicators"));
    for (size_t i = 0; patterns && patterns[i]; i++) {
        char id[64], rid[64];
        snprintf(id, sizeof id, "indicator--%zu", i);
        snprintf(rid, sizeof rid, "relationship--%zu", i);
        json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s}", "type", "indicator", "id", id,
                                              "pattern", patterns[i], "pattern_type", "stix"));
        json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "relationship",
                                              "id", rid, "relationship_type", "indicates",
                                              "source_ref", id, "target_ref", "malware--test"));
    }
    json_t *bundle =
        json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", "bundle--test", "objects", objs);
    char *s = json_dumps(bundle, 0);
    json_decref(bundle);
    return s;
}

static json_t *load_or(const char *dir, const char *name, json_t *fallback)
{
    char *p = tu_join(dir, name);
    json_t *j = json_load_file(p, JSON_ALLOW_NUL, NULL);
    free(p);
    if (!j)
        return fallback;
    json_decref(fallback);
    return j;
}

/* A field of MVT's CSV dialect: quoted, "" for a quote, \\ for a backslash. */
static const char *csv_field(const char *p, json_t *row)
{
    size_t cap = 64, n = 0;
    char *buf = spy_xmalloc(cap);
    if (*p == '"')
        p++;
    while (*p) {
        if (n + 2 >= cap)
            buf = spy_xrealloc(buf, cap *= 2);
        if (p[0] == '"' && p[1] == '"') {
            buf[n++] = '"';
            p += 2;
        } else if (p[0] == '\\' && p[1] == '\\') {
            buf[n++] = '\\';
            p += 2;
        } else if (p[0] == '"') {
            p++;
            break;
        } else {
            buf[n++] = *p++;
        }
    }
    json_array_append_new(row, json_stringn_nocheck(buf, n));
    free(buf);
    return p;
}

json_t *mh_read_csv(const char *path)
{
    char *text = tu_read(path, NULL);
    if (!text)
        return NULL;
    json_t *rows = json_array();
    const char *p = text;
    while (*p) {
        json_t *row = json_array();
        for (;;) {
            p = csv_field(p, row);
            if (*p == ',') {
                p++;
                continue;
            }
            break;
        }
        if (p[0] == '\r' && p[1] == '\n')
            p += 2;
        json_array_append_new(rows, row);
    }
    free(text);
    return rows;
}

static void collect(const char *out, const char *slug, mh_result *r)
{
    char *name = spy_xasprintf("%s.json", slug);
    r->records = load_or(out, name, NULL);
    free(name);
    name = spy_xasprintf("%s_detected.json", slug);
    r->alerts = load_or(out, name, json_array());
    free(name);
    r->urls = load_or(out, "urls.json", json_array());
    char *tl = tu_join(out, "timeline.csv");
    json_t *rows = mh_read_csv(tl);
    free(tl);
    r->timeline = json_array();
    for (size_t i = 1; rows && i < json_array_size(rows); i++) /* skip the header */
        json_array_append(r->timeline, json_array_get(rows, i));
    json_decref(rows);
}

static char *write_stix(const char *dir, const char *stix)
{
    char *p = tu_join(dir, "indicators.stix2");
    tu_write_str(p, stix);
    return p;
}

void mh_run(const spy_check_cmd *cmd, const spy_module *const *modules, const char *input,
            const char *stix, const char *slug, mh_result *r)
{
    memset(r, 0, sizeof *r);
    char *scratch = tu_mkdtemp();
    r->out_dir = tu_join(scratch, "out");
    char *ioc = stix ? write_stix(scratch, stix) : NULL;
    const char *paths[] = {ioc};
    spy_check_opts o = {.input = input, .output = r->out_dir, .modules = modules, .threads = 2};
    o.iocs.paths = paths;
    o.iocs.n_paths = ioc ? 1 : 0;
    o.iocs.no_defaults = true;
    spy_log_set_quiet(true);
    FILE *devnull = fopen("/dev/null", "w");
    FILE *saved = stdout;
    stdout = devnull; /* the summary table */
    r->exit_code = spy_session_check(cmd, &o);
    stdout = saved;
    fclose(devnull);
    collect(r->out_dir, slug, r);
    free(ioc);
    free(scratch);
}

void mh_run_backup(const spy_module *m, const char *backup_dir, const char *stix, mh_result *r)
{
    const spy_module *mods[] = {m, NULL};
    mh_run(&spy_cmd_ios_check_backup, mods, backup_dir, stix, m->slug, r);
}

void mh_check_iocs(const spy_check_cmd *cmd, const spy_module *const *modules,
                   const char *saved_dir, const char *stix, const char *slug, mh_result *r)
{
    memset(r, 0, sizeof *r);
    char *scratch = tu_mkdtemp();
    r->out_dir = tu_join(scratch, "out");
    char *ioc = write_stix(scratch, stix);
    const char *paths[] = {ioc};
    spy_check_opts o = {.input = saved_dir, .output = r->out_dir, .modules = modules, .threads = 2};
    o.iocs.paths = paths;
    o.iocs.n_paths = 1;
    o.iocs.no_defaults = true;
    spy_log_set_quiet(true);
    FILE *devnull = fopen("/dev/null", "w");
    FILE *saved = stdout;
    stdout = devnull;
    r->exit_code = spy_session_check_iocs(cmd, &o);
    stdout = saved;
    fclose(devnull);
    collect(r->out_dir, slug, r);
    free(ioc);
    free(scratch);
}

void mh_result_free(mh_result *r)
{
    if (r->out_dir) {
        /* out_dir is <scratch>/out: remove the scratch folder */
        char *slash = strrchr(r->out_dir, '/');
        if (slash)
            *slash = '\0';
        tu_rmtree(r->out_dir);
    }
    free(r->out_dir);
    json_decref(r->records);
    json_decref(r->alerts);
    json_decref(r->timeline);
    json_decref(r->urls);
    memset(r, 0, sizeof *r);
}

const char *mh_alert_str(const mh_result *r, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(r->alerts, i), key));
}
