#include "module_test.h"

#include "acquire/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *mt_fixture(const char *slug, const char *file)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/fixtures/ios/%s/%s", slug, file);
    char *path = tu_join(tu_source_dir(), rel);
    char *sql = tu_read(path, NULL);
    if (!sql)
        fail_msg("missing fixture %s", rel);
    free(path);
    return sql;
}

char *mt_split_wal(char *sql, const char *marker)
{
    char *cut = strstr(sql, marker);
    if (!cut)
        fail_msg("no \"%s\" in the fixture", marker);
    char *wal = strdup(cut);
    assert_non_null(wal);
    *cut = '\0';
    return wal;
}

void mt_info(bf_backup *b)
{
    json_t *info =
        json_pack("{s:s, s:s}", "Product Version", "17.5.1", "Product Type", "iPhone14,2");
    bf_set_plists(b, info, NULL, NULL);
    json_decref(info);
}

void mt_info_version(bf_backup *b, const char *version)
{
    json_t *info = json_pack("{s:s}", "Product Version", version);
    bf_set_plists(b, info, NULL, NULL);
    json_decref(info);
}

char *mt_db_backup(const char *root, const char *domain, const char *relpath, const char *sql,
                   const char *wal_sql, const char *version)
{
    char *dir = tu_join(root, "backup");
    bf_backup *b = bf_new(dir);
    bf_add_sqlite(b, domain, relpath, sql, wal_sql);
    mt_info_version(b, version);
    bf_finish(b);
    return dir;
}

const json_t *mt_rec(const mh_result *r, size_t i)
{
    assert_non_null(r->records);
    assert_true(i < json_array_size(r->records));
    return json_array_get(r->records, i);
}

const json_t *mt_find(const json_t *arr, const char *key, long long v)
{
    size_t i;
    json_t *r;
    json_array_foreach(arr, i, r)
    {
        const json_t *x = json_object_get(r, key);
        if (json_is_integer(x) && json_integer_value(x) == v)
            return r;
    }
    fail_msg("no record with %s = %lld", key, v);
    return NULL;
}

const json_t *mt_find_str(const json_t *arr, const char *key, const char *v)
{
    size_t i;
    json_t *r;
    json_array_foreach(arr, i, r)
    {
        const char *x = json_string_value(json_object_get(r, key));
        if (x && strcmp(x, v) == 0)
            return r;
    }
    fail_msg("no record with %s = %s", key, v);
    return NULL;
}

void mt_str(const json_t *o, const char *key, const char *want)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        fail_msg("key %s is not a string", key);
    assert_string_equal(json_string_value(v), want);
}

void mt_int(const json_t *o, const char *key, long long want)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("key %s is not an integer", key);
    assert_int_equal(json_integer_value(v), want);
}

void mt_null(const json_t *o, const char *key)
{
    if (!json_is_null(json_object_get(o, key)))
        fail_msg("key %s is not null", key);
}

void mt_keys(const json_t *o, const char *want)
{
    char buf[1024] = "";
    size_t n = 0;
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        (void)v;
        int w = snprintf(buf + n, sizeof buf - n, "%s%s", n ? "," : "", k);
        if (w < 0 || (size_t)w >= sizeof buf - n)
            fail_msg("too many keys to compare");
        n += (size_t)w;
    }
    assert_string_equal(buf, want);
}

void mt_equal(const json_t *o, const char *want_text)
{
    json_error_t e;
    json_t *want = json_loads(want_text, JSON_PRESERVE_ORDER, &e);
    if (!want)
        fail_msg("bad expected JSON: %s", e.text);
    void *i1 = json_object_iter((json_t *)o), *i2 = json_object_iter(want);
    for (; i1 && i2;
         i1 = json_object_iter_next((json_t *)o, i1), i2 = json_object_iter_next(want, i2)) {
        const char *k1 = json_object_iter_key(i1), *k2 = json_object_iter_key(i2);
        if (strcmp(k1, k2) != 0)
            fail_msg("key order: got %s, want %s", k1, k2);
        if (!json_equal(json_object_iter_value(i1), json_object_iter_value(i2))) {
            char *a = json_dumps(json_object_iter_value(i1), JSON_ENCODE_ANY);
            fail_msg("value of %s differs: got %s", k1, a);
        }
    }
    if (i1 || i2)
        fail_msg("key count differs (extra %s)",
                 i1 ? json_object_iter_key(i1) : json_object_iter_key(i2));
    json_decref(want);
}

void mt_json(const json_t *v, const char *want)
{
    char *got = json_dumps(v, JSON_PRESERVE_ORDER | JSON_COMPACT);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* Row field i as text ("" when missing, so a short row fails a compare). */
static const char *field(const json_t *row, size_t i)
{
    const char *s = json_string_value(json_array_get(row, i));
    return s ? s : "";
}

bool mt_timeline_has(const mh_result *r, const char *ts, const char *plugin, const char *event,
                     const char *desc)
{
    size_t i;
    json_t *row;
    json_array_foreach(r->timeline, i, row)
    {
        if (!strcmp(field(row, 0), ts) && !strcmp(field(row, 1), plugin) &&
            !strcmp(field(row, 2), event) && !strcmp(field(row, 3), desc))
            return true;
    }
    return false;
}

void mt_row(const mh_result *r, size_t i, const char *ts, const char *plugin, const char *event,
            const char *desc)
{
    assert_true(i < json_array_size(r->timeline));
    const json_t *row = json_array_get(r->timeline, i);
    const char *want[4] = {ts, plugin, event, desc};
    for (size_t f = 0; f < 4; f++)
        if (want[f])
            assert_string_equal(json_string_value(json_array_get(row, f)), want[f]);
}

void mt_check_iocs(const spy_module *m, const char *saved_dir, const char *stix, mh_result *c)
{
    const spy_module *mods[] = {m, NULL};
    mh_check_iocs(&spy_cmd_ios_check_iocs, mods, saved_dir, stix, m->slug, c);
}

const char *mt_match(const mh_result *r, size_t i, const char *key)
{
    const json_t *m = json_object_get(json_array_get(r->alerts, i), "matched_indicator");
    return json_string_value(json_object_get(m, key));
}

void mt_one_alert(const mh_result *r, const char *level, const char *event_time,
                  const char *msg_part, const char *value, const char *type)
{
    assert_int_equal(json_array_size(r->alerts), 1);
    assert_string_equal(mh_alert_str(r, 0, "level"), level);
    assert_string_equal(mh_alert_str(r, 0, "event_time"), event_time);
    assert_non_null(strstr(mh_alert_str(r, 0, "message"), msg_part));
    assert_string_equal(mt_match(r, 0, "value"), value);
    assert_string_equal(mt_match(r, 0, "type"), type);
}

void mt_same_alerts(const mh_result *a, const mh_result *b)
{
    assert_int_equal(json_array_size(a->alerts), json_array_size(b->alerts));
    for (size_t i = 0; i < json_array_size(a->alerts); i++) {
        assert_string_equal(mh_alert_str(a, i, "level"), mh_alert_str(b, i, "level"));
        assert_string_equal(mh_alert_str(a, i, "message"), mh_alert_str(b, i, "message"));
        assert_string_equal(mh_alert_str(a, i, "event_time"), mh_alert_str(b, i, "event_time"));
        const char *va = mt_match(a, i, "value"), *vb = mt_match(b, i, "value");
        if (va || vb) {
            assert_non_null(va);
            assert_non_null(vb);
            assert_string_equal(va, vb);
        }
    }
}

/* The CRITICAL alerts of r that name an indicator, as a new array. */
static json_t *match_alerts(const mh_result *r)
{
    json_t *out = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(r->alerts, i, a)
    {
        const char *level = json_string_value(json_object_get(a, "level"));
        if (level && !strcmp(level, "CRITICAL") &&
            json_is_object(json_object_get(a, "matched_indicator")))
            json_array_append(out, a);
    }
    return out;
}

void mt_same_match_alerts(const mh_result *a, const mh_result *b)
{
    mh_result ma = {.alerts = match_alerts(a)}, mb = {.alerts = match_alerts(b)};
    mt_same_alerts(&ma, &mb);
    json_decref(ma.alerts);
    json_decref(mb.alerts);
}

size_t mt_check_iocs_same(const spy_module *m, const char *backup_dir, const char *stix)
{
    mh_result direct, clean, c;
    mh_run_backup(m, backup_dir, stix, &direct);
    mh_run_backup(m, backup_dir, NULL, &clean);
    mt_check_iocs(m, clean.out_dir, stix, &c);
    mt_same_alerts(&direct, &c);
    /* 4 (a module failed) cannot recur: check-iocs reads what was saved */
    assert_int_equal(c.exit_code, direct.exit_code % 4);
    size_t n = json_array_size(c.alerts);
    mh_result_free(&c);
    mh_result_free(&clean);
    mh_result_free(&direct);
    return n;
}
