/* The saved-results reader: records stream out one at a time across window
 * boundaries (mid-element, mid-character), objects come out whole, and
 * damage is reported with its offset after the good records. */
#include "testutil.h"

#include "core/error.h"
#include "core/mem.h"
#include "core/saved_results.h"

#include <fcntl.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

typedef struct collect {
    json_t *all;
} collect;

static int add(json_t *rec, void *ud)
{
    collect *c = ud;
    json_array_append_new(c->all, rec);
    return 0;
}

static int walk_file(const char *text, size_t len, collect *c, const char **why, size_t *off)
{
    char *dir = tu_mkdtemp();
    char *p = tu_join(dir, "r.json");
    tu_write(p, text, len);
    int fd = open(p, O_RDONLY);
    int rc = spy_saved_foreach_fd(fd, add, c, why, off);
    close(fd);
    tu_rmtree(dir);
    free(dir);
    free(p);
    return rc;
}

/* ~4 MiB of records with non-ASCII text, so 1 MiB windows cut elements and
 * multi-byte characters. */
static void test_large_array_streams_exactly(void **state)
{
    (void)state;
    json_t *expected = json_array();
    for (int i = 0; i < 20000; i++)
        json_array_append_new(
            expected, json_pack("{s:i, s:s, s:f, s:[i,i], s:n}", "id", i, "text",
                                "Привет — message ☎ with a link https://example.org/é and padding "
                                "to make records long enough to cross many window edges",
                                "ratio", i / 7.0, "pair", i, -i, "none"));
    char *text = json_dumps(expected, JSON_INDENT(4));
    collect c = {json_array()};
    const char *why = NULL;
    size_t off = 0;
    assert_int_equal(walk_file(text, strlen(text), &c, &why, &off), SPY_OK);
    assert_true(json_equal(expected, c.all));
    json_decref(c.all);
    collect m = {json_array()};
    assert_int_equal(spy_saved_foreach_mem(text, strlen(text), add, &m, &why, &off), SPY_OK);
    assert_true(json_equal(expected, m.all));
    json_decref(m.all);
    free(text);
    json_decref(expected);
}

static void test_mapping_object(void **state)
{
    (void)state;
    const char *t = "  {\"Device Name\": \"iPhone\", \"Installed Applications\": [\"a\", \"b\"]}\n";
    collect c = {json_array()};
    const char *why;
    size_t off;
    assert_int_equal(walk_file(t, strlen(t), &c, &why, &off), SPY_OK);
    assert_int_equal(json_array_size(c.all), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(c.all, 0), "Device Name")),
                        "iPhone");
    json_decref(c.all);
}

static void test_damage_reported_after_good_records(void **state)
{
    (void)state;
    struct {
        const char *text;
        size_t good;
    } cases[] = {
        {"[{\"a\": 1}, {\"a\": 2}, {\"a\"", 2},
        {"[{\"a\": 1} {\"a\": 2}]", 1},
        {"[{\"a\": 1},", 1},
        {"[{\"a\": 1}", 1},
        {"", 0},
        {"\"just a string\"", 0},
        {"[{\"a\": tru}]", 0},
        {"\xff\xfe[]", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        collect c = {json_array()};
        const char *why = NULL;
        size_t off = 0;
        assert_int_equal(walk_file(cases[i].text, strlen(cases[i].text), &c, &why, &off),
                         SPY_EFORMAT);
        assert_non_null(why);
        assert_int_equal(json_array_size(c.all), cases[i].good);
        json_decref(c.all);
    }
}

static void test_empty_array(void **state)
{
    (void)state;
    collect c = {json_array()};
    const char *why;
    size_t off;
    assert_int_equal(walk_file("[\n]", 3, &c, &why, &off), SPY_OK);
    assert_int_equal(json_array_size(c.all), 0);
    json_decref(c.all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_large_array_streams_exactly),
                                       cmocka_unit_test(test_mapping_object),
                                       cmocka_unit_test(test_damage_reported_after_good_records),
                                       cmocka_unit_test(test_empty_array)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
