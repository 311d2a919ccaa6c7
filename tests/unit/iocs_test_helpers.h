/* Fixtures shared by the test_iocs_*.c programs: small STIX2 bundles built
 * in memory, and assertions on matches. (Header-only: each test is its own
 * program.) */
#ifndef SPY_IOCS_TEST_HELPERS_H
#define SPY_IOCS_TEST_HELPERS_H

#include "testutil.h"

#include "core/error.h"
#include "core/iocs.h"
#include "core/iocs_internal.h"
#include "core/log.h"
#include "core/mem.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bundle with one malware object and one indicator + "indicates"
 * relationship per pattern, shaped like generate_stix.py's output. */
static inline char *ft_bundle(const char *malware, const char *const *patterns, size_t n)
{
    json_t *objs = json_array();
    json_array_append_new(objs, json_pack("{s:s,s:s,s:s,s:s,s:b}", "type", "malware", "id",
                                          "malware--00000000-0000-4000-8000-000000000001", "name",
                                          malware, "description", "test malware", "is_family", 0));
    for (size_t i = 0; i < n; i++) {
        char id[64];
        snprintf(id, sizeof id, "indicator--00000000-0000-4000-8000-%012zu", i);
        json_array_append_new(objs, json_pack("{s:s,s:s,s:s,s:s}", "type", "indicator", "id", id,
                                              "pattern", patterns[i], "pattern_type", "stix"));
        json_array_append_new(objs, json_pack("{s:s,s:s,s:s,s:s}", "type", "relationship",
                                              "relationship_type", "indicates", "source_ref", id,
                                              "target_ref",
                                              "malware--00000000-0000-4000-8000-000000000001"));
    }
    json_t *b = json_pack("{s:s,s:s,s:o}", "type", "bundle", "id",
                          "bundle--00000000-0000-4000-8000-000000000000", "objects", objs);
    char *s = json_dumps(b, JSON_INDENT(1));
    json_decref(b);
    return s;
}

static inline void ft_load_json(spy_iocs *set, const char *json, const char *name)
{
    assert_int_equal(
        spy_iocs_load_stix2_buffer(set, name, (const unsigned char *)json, strlen(json)), SPY_OK);
}

static inline spy_iocs *ft_set_from_patterns(const char *malware, const char *const *patterns,
                                             size_t n)
{
    spy_iocs *set;
    assert_int_equal(spy_iocs_new(&set), SPY_OK);
    char *json = ft_bundle(malware, patterns, n);
    ft_load_json(set, json, "/fixtures/test.stix2");
    free(json);
    assert_int_equal(spy_iocs_finalize(set), SPY_OK);
    return set;
}

/* Asserts a match of value v (indicator value `ind`, message `msg`). */
static inline void ft_expect_scratch(const spy_iocs *set, spy_ioc_scratch *sc, spy_check_kind k,
                                     const char *v, const char *ind, const char *msg)
{
    spy_ioc_match m;
    bool hit = spy_iocs_check(set, sc, k, v, &m);
    if (!hit)
        fail_msg("expected a match for '%s'", v ? v : "(null)");
    assert_string_equal(m.value, ind);
    if (msg)
        assert_string_equal(m.message, msg);
    spy_ioc_match_clear(&m);
    assert_true(spy_iocs_check(set, sc, k, v, NULL));
}

static inline void ft_expect(const spy_iocs *set, spy_check_kind k, const char *v, const char *ind,
                             const char *msg)
{
    ft_expect_scratch(set, NULL, k, v, ind, msg);
}

static inline void ft_expect_none(const spy_iocs *set, spy_check_kind k, const char *v)
{
    spy_ioc_match m;
    bool hit = spy_iocs_check(set, NULL, k, v, &m);
    if (hit)
        fail_msg("unexpected match for '%s': %s", v ? v : "(null)",
                 m.message ? m.message : "(null)");
    assert_null(m.message);
}

/* Captures log lines (console at INFO) into a memory stream. */
typedef struct ft_logcap {
    char *buf;
    size_t len;
    FILE *f;
} ft_logcap;

static inline void ft_log_begin(ft_logcap *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    spy_log_set_console(c->f);
}

static inline char *ft_log_end(ft_logcap *c)
{
    fflush(c->f);
    spy_log_set_console(NULL);
    fclose(c->f);
    return c->buf;
}

static inline size_t ft_count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

#endif
