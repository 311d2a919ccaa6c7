/* The "objects" splitter used to parse large bundles on several threads:
 * element ranges exactly as jansson sees the array, and a refusal (whole
 * parse instead) for anything unusual. */
#include "testutil.h"

#include "core/iocs_internal.h"

#include <jansson.h>
#include <string.h>

static size_t split(const char *text, spy_stix_range **r)
{
    size_t n = 0;
    if (!spy_stix_split_objects((const unsigned char *)text, strlen(text), r, &n))
        return (size_t)-1;
    return n;
}

/* Each range parses to the same value as the array element jansson reads. */
static void check_same_as_jansson(const char *text)
{
    spy_stix_range *r = NULL;
    size_t n = split(text, &r);
    assert_int_not_equal(n, (size_t)-1);
    json_t *root = json_loads(text, 0, NULL);
    json_t *objs = json_object_get(root, "objects");
    assert_int_equal(n, json_array_size(objs));
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_loadb(text + r[i].start, r[i].len, 0, NULL);
        assert_non_null(v);
        assert_true(json_equal(v, json_array_get(objs, i)));
        json_decref(v);
    }
    json_decref(root);
    free(r);
}

static void test_elements(void **state)
{
    (void)state;
    check_same_as_jansson(
        "{\"type\": \"bundle\", \"objects\": [{\"a\": 1}, {\"b\": [1, {\"c\": \"]}\"}]}]}");
    check_same_as_jansson(
        " {\"objects\":[{\"pattern\":\"[domain-name:value='x\\\\\\\"]}{']\"}],\"id\":\"b\"} \n");
    check_same_as_jansson("{\"id\": {\"objects\": [1]}, \"objects\": [{\"x\": \"\\u005d\"}, {}]}");
    check_same_as_jansson("{\"objects\": []}");
    check_same_as_jansson("{\"spec\": [true, false, null, -1.5e3], \"objects\": [{\"k\": \"v\"}]}");
}

static void test_refusals(void **state)
{
    (void)state;
    spy_stix_range *r = NULL;
    const char *bad[] = {
        "{\"objects\": [{\"a\": 1}], \"objects\": [{\"b\": 2}]}", /* duplicate key: jansson keeps
                                                                     one */
        "{\"objects\": [{\"a\": 1}]} trailing",
        "{\"objects\": {\"a\": 1}}",
        "{\"other\": []}",
        "[{\"objects\": []}]",
        "{\"objects\": [{\"a\": 1},]",
        "{\"objects\": [{\"a\": \"unterminated]}",
        "{\"\\u006fbjects\": [{\"a\": 1}]}", /* escaped key: left to jansson */
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(split(bad[i], &r), (size_t)-1);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_elements),
                                       cmocka_unit_test(test_refusals)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
