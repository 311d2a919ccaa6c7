/* The SMS/MMS backup file reader (modules/android/sms_backup.c) on its
 * own: Python int() rules on dates, MMS dates in seconds, the mms_body
 * rename, links rules on odd bodies, damaged JSON, and the inflate bounds. */
#include "testutil.h"

#include "core/error.h"
#include "module_test.h"
#include "modules/android/sms_backup.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int collect(json_t *rec, void *ud)
{
    json_array_append_new(ud, rec);
    return SPY_OK;
}

static json_t *parse(const char *text, bool mms, int want_rc, spy_sms_stats *st)
{
    json_t *out = json_array();
    assert_int_equal(spy_sms_backup_parse(text, strlen(text), mms, collect, out, st), want_rc);
    return out;
}

/* The record rules on their own: Python int() on dates, MMS seconds, the
 * mms_body rename keeping an existing body's place, non-string bodies. */
static void test_record_rules(void **state)
{
    (void)state;
    spy_sms_stats st;
    json_t *a = parse("[{\"date\": 1709287200123, \"date_sent\": \" 12 \", \"body\": 5},"
                      " {\"date\": \"+1_709_287_200_123\", \"date_sent\": \"1.5\"},"
                      " {\"date\": \"-1500\", \"date_sent\": 99999999999999999999},"
                      " {\"date\": \"99999999999999999\", \"date_sent\": 0.7, \"body\": null},"
                      " {\"date\": true, \"date_sent\": false}]",
                      false, SPY_OK, &st);
    assert_int_equal(st.messages, 5);
    mt_json(json_array_get(a, 0), "{\"date\":1709287200123,\"date_sent\":\" 12 \",\"body\":5,"
                                  "\"isodate\":\"2024-03-01 10:00:00.123000\","
                                  "\"direction\":\"sent\"}");
    mt_str(json_array_get(a, 1), "isodate", "2024-03-01 10:00:00.123000");
    mt_str(json_array_get(a, 1), "direction", "received"); /* int("1.5") raises */
    mt_str(json_array_get(a, 2), "isodate", "1969-12-31 23:59:58.500000");
    mt_str(json_array_get(a, 2), "direction", "sent");
    mt_str(json_array_get(a, 3), "isodate", ""); /* beyond year 9999 */
    mt_str(json_array_get(a, 3), "direction", "received");
    mt_str(json_array_get(a, 4), "isodate", "1970-01-01 00:00:00.001000");
    json_decref(a);

    /* MMS: seconds; mms_body replaces an existing body in its place */
    a = parse(" \n[{\"body\": \"old\", \"date\": \"1709391600\", \"mms_body\": \"HTTP://X.ORG/a "
              "b\", \"date_sent\": \"0\"}]",
              true, SPY_OK, &st);
    mt_json(json_array_get(a, 0),
            "{\"body\":\"HTTP://X.ORG/a b\",\"date\":\"1709391600\",\"date_sent\":\"0\","
            "\"isodate\":\"2024-03-02 15:00:00.000000\",\"direction\":\"received\","
            "\"links\":[\"HTTP://X.ORG/a\"]}");
    json_decref(a);

    a = parse("[{\"body\": \"x\"}, {\"body\": \"y\"", false, SPY_EFORMAT, &st);
    assert_int_equal(json_array_size(a), 1); /* before the damage */
    assert_string_equal(st.why, "invalid JSON in the array");
    json_decref(a);
    a = parse("", false, SPY_EFORMAT, &st);
    json_decref(a);
}

/* links: Unicode-blank bodies count as blank ([]), as str.strip() does;
 * a body that is not text gets no links key and does not stop the file. */
static void test_links_rules(void **state)
{
    (void)state;
    spy_sms_stats st;
    json_t *a = parse("[{\"body\": \"\\u2003\\u00a0\\n\"}, {\"body\": \"\\u200b\"},"
                      " {\"body\": [\"https://x.org/\"]}, {\"body\": null},"
                      " {\"body\": \"a https://x.org/\\u00a0b hTtP://y.org\"}]",
                      false, SPY_OK, &st);
    assert_int_equal(st.messages, 5);
    mt_json(json_object_get(json_array_get(a, 0), "links"), "[]");
    assert_null(json_object_get(json_array_get(a, 1), "links")); /* U+200B is not \\s */
    assert_null(json_object_get(json_array_get(a, 2), "links"));
    assert_null(json_object_get(json_array_get(a, 3), "links"));
    mt_json(json_object_get(json_array_get(a, 4), "links"),
            "[\"https://x.org/\",\"hTtP://y.org\"]");
    json_decref(a);
}

static void test_inflate_limits(void **state)
{
    (void)state;
    char *big = calloc(1, 100000);
    size_t n;
    uLongf zlen = compressBound(100000);
    unsigned char *z = malloc(zlen);
    assert_int_equal(compress(z, &zlen, (const Bytef *)big, 100000), Z_OK);
    char *out = NULL;
    const char *why = NULL;
    assert_int_equal(spy_sms_inflate(z, zlen, 1000, &out, &n, &why), SPY_ELIMIT);
    assert_null(out);
    assert_string_equal(why, "inflated data too large");
    assert_int_equal(spy_sms_inflate(z, zlen, 100000, &out, &n, &why), SPY_OK);
    assert_int_equal(n, 100000);
    assert_int_equal(out[n], '\0');
    free(out);
    /* trailing bytes after the stream's end are ignored, as zlib.decompress does */
    char *more = malloc(zlen + 4);
    memcpy(more, z, zlen);
    memcpy(more + zlen, "JUNK", 4);
    assert_int_equal(spy_sms_inflate(more, zlen + 4, 200000, &out, &n, &why), SPY_OK);
    assert_int_equal(n, 100000);
    free(out);
    free(more);
    free(z);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_rules),
        cmocka_unit_test(test_links_rules),
        cmocka_unit_test(test_inflate_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
