/* Shared by the message-module tests (test_ios_sms*.c, test_ios_whatsapp*.c,
 * test_ios_interaction_c.c). */
#ifndef MSG_TEST_HELPERS_H
#define MSG_TEST_HELPERS_H

#include "testutil.h"

#include "acquire/commands.h"
#include "backup_fixture.h"
#include "module_harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tests/fixtures/ios/<slug>/<variant>.sql (free()). */
static inline char *mt_fixture(const char *slug, const char *variant)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/fixtures/ios/%s/%s", slug, variant);
    char *path = tu_join(tu_source_dir(), rel);
    char *sql = tu_read(path, NULL);
    if (!sql)
        fail_msg("missing fixture %s", rel);
    free(path);
    return sql;
}

static inline void mt_info(bf_backup *b)
{
    json_t *info =
        json_pack("{s:s, s:s}", "Product Version", "17.5.1", "Product Type", "iPhone14,2");
    bf_set_plists(b, info, NULL, NULL);
    json_decref(info);
}

/* The record whose integer key equals v (fails when none). */
static inline const json_t *mt_find(const json_t *arr, const char *key, long long v)
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

/* The record whose string key equals v (fails when none). */
static inline const json_t *mt_find_str(const json_t *arr, const char *key, const char *v)
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

static inline void mt_str(const json_t *o, const char *key, const char *want)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        fail_msg("key %s is not a string", key);
    assert_string_equal(json_string_value(v), want);
}

static inline void mt_int(const json_t *o, const char *key, long long want)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("key %s is not an integer", key);
    assert_int_equal(json_integer_value(v), want);
}

static inline void mt_null(const json_t *o, const char *key)
{
    if (!json_is_null(json_object_get(o, key)))
        fail_msg("key %s is not null", key);
}

/* Compares o with the JSON text want: same keys in the same order, equal values. */
static inline void mt_equal(const json_t *o, const char *want_text)
{
    json_error_t e;
    json_t *want = json_loads(want_text, JSON_PRESERVE_ORDER, &e);
    if (!want)
        fail_msg("bad expected JSON: %s", e.text);
    const char *k1, *k2;
    void *i1 = json_object_iter((json_t *)o), *i2 = json_object_iter(want);
    for (; i1 && i2;
         i1 = json_object_iter_next((json_t *)o, i1), i2 = json_object_iter_next(want, i2)) {
        k1 = json_object_iter_key(i1);
        k2 = json_object_iter_key(i2);
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

static inline int mt_timeline_has(const mh_result *r, const char *ts, const char *plugin,
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

static inline const char *mt_match(const mh_result *r, size_t i, const char *key)
{
    const json_t *m = json_object_get(json_array_get(r->alerts, i), "matched_indicator");
    return json_string_value(json_object_get(m, key));
}

/* Same alerts (level, message, event_time, indicator value) in the same order. */
static inline void mt_same_alerts(const mh_result *a, const mh_result *b)
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

#endif
