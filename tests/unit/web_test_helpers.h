/* Shared by the browser-history module tests (test_ios_safari_*.c,
 * test_ios_chrome_*.c, test_ios_firefox_*.c,
 * test_ios_webkit_resource_load_statistics.c). */
#ifndef WEB_TEST_HELPERS_H
#define WEB_TEST_HELPERS_H

#include "testutil.h"

#include "acquire/commands.h"
#include "backup_fixture.h"
#include "module_harness.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* tests/fixtures/ios/<slug>/<variant>.sql (free()). */
static inline char *wt_fixture(const char *slug, const char *variant)
{
    char *rel = NULL;
    size_t n = strlen(slug) + strlen(variant) + 32;
    rel = malloc(n);
    snprintf(rel, n, "tests/fixtures/ios/%s/%s.sql", slug, variant);
    char *path = tu_join(tu_source_dir(), rel);
    char *sql = tu_read(path, NULL);
    assert_non_null(sql);
    free(path);
    free(rel);
    return sql;
}

static inline void wt_info(bf_backup *b)
{
    json_t *info =
        json_pack("{s:s, s:s}", "Product Version", "17.5.1", "Product Type", "iPhone14,2");
    bf_set_plists(b, info, NULL, NULL);
    json_decref(info);
}

static inline const json_t *wt_rec(const mh_result *r, size_t i)
{
    assert_non_null(r->records);
    assert_true(i < json_array_size(r->records));
    return json_array_get(r->records, i);
}

static inline void wt_str(const json_t *o, const char *key, const char *want)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        fail_msg("key %s is not a string", key);
    assert_string_equal(json_string_value(v), want);
}

static inline void wt_int(const json_t *o, const char *key, long long want)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("key %s is not an integer", key);
    assert_int_equal(json_integer_value(v), want);
}

static inline void wt_null(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_null(v))
        fail_msg("key %s is not null", key);
}

/* The record's keys, in order, joined by ','. */
static inline void wt_keys(const json_t *o, const char *want)
{
    char buf[1024] = "";
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        (void)v;
        if (buf[0])
            strncat(buf, ",", sizeof buf - strlen(buf) - 1);
        strncat(buf, k, sizeof buf - strlen(buf) - 1);
    }
    assert_string_equal(buf, want);
}

/* Is there a timeline row with exactly these four fields? */
static inline int wt_timeline_has(const mh_result *r, const char *ts, const char *plugin,
                                  const char *event, const char *desc)
{
    size_t i;
    json_t *row;
    json_array_foreach(r->timeline, i, row)
    {
        if (!strcmp(json_string_value(json_array_get(row, 0)), ts) &&
            !strcmp(json_string_value(json_array_get(row, 1)), plugin) &&
            !strcmp(json_string_value(json_array_get(row, 2)), event) &&
            !strcmp(json_string_value(json_array_get(row, 3)), desc))
            return 1;
    }
    return 0;
}

static inline const char *wt_match(const mh_result *r, size_t i, const char *key)
{
    const json_t *m = json_object_get(json_array_get(r->alerts, i), "matched_indicator");
    return json_string_value(json_object_get(m, key));
}

/* Same alerts (level, message, event_time, indicator value) in the same order. */
static inline void wt_same_alerts(const mh_result *a, const mh_result *b)
{
    assert_int_equal(json_array_size(a->alerts), json_array_size(b->alerts));
    for (size_t i = 0; i < json_array_size(a->alerts); i++) {
        assert_string_equal(mh_alert_str(a, i, "level"), mh_alert_str(b, i, "level"));
        assert_string_equal(mh_alert_str(a, i, "message"), mh_alert_str(b, i, "message"));
        assert_string_equal(mh_alert_str(a, i, "event_time"), mh_alert_str(b, i, "event_time"));
        const char *va = wt_match(a, i, "value"), *vb = wt_match(b, i, "value");
        if (va || vb) {
            assert_non_null(va);
            assert_non_null(vb);
            assert_string_equal(va, vb);
        }
    }
}

#endif
