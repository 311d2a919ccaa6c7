/* NSKeyedArchiver decoder: Foundation classes, MBFile (generic and fast
 * path), cycles, limits, hostile archives. */
#include "testutil.h"

#include "bplist_writer.h"
#include "core/bplist.h"
#include "core/error.h"
#include "core/nska.h"

#include <stdlib.h>
#include <string.h>

static json_t *load(const char *s)
{
    json_error_t e;
    json_t *j = json_loads(s, JSON_DECODE_ANY, &e);
    if (!j)
        fail_msg("bad test JSON: %s (%s)", e.text, s);
    return j;
}

/* Writes the archive JSON as a bplist and decodes it. */
static int decode(const char *archive, json_t **out, char **why)
{
    json_t *a = load(archive);
    uint8_t *b;
    size_t n;
    bpw_write(a, NULL, &b, &n);
    json_decref(a);
    int err = spy_nska_decode_bytes(b, n, out, why);
    free(b);
    return err;
}

static const uint8_t ekey[44] = {3,  0,  0,  0,  0xde, 0xad, 0xbe, 0xef, 1,  2,  3,  4,  5,  6,  7,
                                 8,  9,  10, 11, 12,   13,   14,   15,   16, 17, 18, 19, 20, 21, 22,
                                 23, 24, 25, 26, 27,   28,   29,   30,   31, 32, 33, 34, 35, 36};
static const uint8_t digest[20] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                                   0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};

static bpw_mbfile sample(void)
{
    return (bpw_mbfile){.relative_path = "Library/SMS/sms.db",
                        .size = 1228800,
                        .mode = 0100644,
                        .user_id = 501,
                        .group_id = 501,
                        .inode = 123456,
                        .flags = 0,
                        .protection_class = 3,
                        .birth = 1609459200,
                        .last_modified = 1612137600,
                        .last_status_change = 1612137601,
                        .encryption_key = ekey,
                        .encryption_key_len = sizeof ekey,
                        .digest = digest,
                        .digest_len = sizeof digest};
}

static void test_mbfile_fast(void **st)
{
    (void)st;
    bpw_mbfile m = sample();
    uint8_t *b;
    size_t n;
    spy_mbfile f;
    char *why = NULL;
    bpw_mbfile_blob(&m, &b, &n);
    assert_int_equal(spy_nska_mbfile(b, n, &f, &why), SPY_OK);
    assert_string_equal(f.relative_path, "Library/SMS/sms.db");
    assert_null(f.target);
    assert_int_equal(f.size, 1228800);
    assert_int_equal(f.mode, 0100644);
    assert_int_equal(f.user_id, 501);
    assert_int_equal(f.group_id, 501);
    assert_int_equal(f.inode, 123456);
    assert_int_equal(f.protection_class, 3);
    assert_int_equal(f.have & SPY_MBF_FLAGS, SPY_MBF_FLAGS);
    assert_int_equal(f.birth.kind, SPY_MBTIME_UNIX);
    assert_int_equal(f.birth.unix_secs, 1609459200);
    assert_int_equal(f.last_modified.unix_secs, 1612137600);
    assert_int_equal(f.last_status_change.unix_secs, 1612137601);
    assert_int_equal(f.encryption_key_len, 44);
    assert_memory_equal(f.encryption_key, ekey, 44);
    assert_int_equal(f.digest_len, 20);
    assert_memory_equal(f.digest, digest, 20);
    assert_null(f.xattrs);
    spy_mbfile_clear(&f);
    free(b);
    /* A symlink with a non-ASCII path (UTF-16 in the plist). */
    m = (bpw_mbfile){.relative_path = "Media/DCIM/\xc3\xa9t\xc3\xa9/\xf0\x9f\x98\x80.jpg",
                     .target = "/private/var/x",
                     .mode = 0120755};
    bpw_mbfile_blob(&m, &b, &n);
    assert_int_equal(spy_nska_mbfile(b, n, &f, NULL), SPY_OK);
    assert_string_equal(f.relative_path, m.relative_path);
    assert_string_equal(f.target, "/private/var/x");
    assert_null(f.encryption_key);
    spy_mbfile_clear(&f);
    free(b);
}

static void test_mbfile_generic(void **st)
{
    (void)st;
    bpw_mbfile m = sample();
    uint8_t *b;
    size_t n;
    json_t *out = NULL;
    char *why = NULL;
    bpw_mbfile_blob(&m, &b, &n);
    if (spy_nska_decode_bytes(b, n, &out, &why) != SPY_OK)
        fail_msg("%s", why);
    json_t *root = json_object_get(out, "root");
    assert_string_equal(json_string_value(json_object_get(root, "$class")), "MBFile");
    assert_string_equal(json_string_value(json_object_get(root, "RelativePath")),
                        "Library/SMS/sms.db");
    assert_int_equal(json_integer_value(json_object_get(root, "Mode")), 0100644);
    assert_int_equal(json_integer_value(json_object_get(root, "LastModified")), 1612137600);
    const char *ek =
        json_string_value(json_object_get(json_object_get(root, "EncryptionKey"), "$data"));
    assert_non_null(ek);
    assert_int_equal(strlen(ek), 60); /* base64 of 44 bytes */
    assert_int_equal(strncmp(ek, "AwAAAN6tvu8", 11), 0);
    json_decref(out);
    free(b);
}

static void test_foundation_classes(void **st)
{
    (void)st;
    json_t *out = NULL;
    char *why = NULL;
    const char *a =
        "{\"$archiver\": \"NSKeyedArchiver\", \"$version\": 100000,"
        " \"$top\": {\"root\": {\"CF$UID\": 1}},"
        " \"$objects\": [\"$null\","
        "  {\"NS.keys\": [{\"CF$UID\": 2}, {\"CF$UID\": 3}, {\"CF$UID\": 4}, {\"CF$UID\": 11}],"
        "   \"NS.objects\": [{\"CF$UID\": 5}, {\"CF$UID\": 7}, {\"CF$UID\": 0}, {\"CF$UID\": 13}],"
        "   \"$class\": {\"CF$UID\": 6}},"
        "  \"list\", \"when\", \"nothing\","
        "  {\"NS.objects\": [{\"CF$UID\": 8}, {\"CF$UID\": 9}, {\"CF$UID\": 10}],"
        "   \"$class\": {\"CF$UID\": 12}},"
        "  {\"$classname\": \"NSMutableDictionary\","
        "   \"$classes\": [\"NSMutableDictionary\", \"NSDictionary\", \"NSObject\"]},"
        "  {\"NS.time\": 588611289.5, \"$class\": {\"CF$UID\": 14}},"
        "  {\"NS.string\": \"hello\", \"$class\": {\"CF$UID\": 15}},"
        "  {\"NS.data\": {\"$data\": \"AQID\"}, \"$class\": {\"CF$UID\": 16}},"
        "  42, \"custom\","
        "  {\"$classname\": \"NSArray\", \"$classes\": [\"NSArray\", \"NSObject\"]},"
        "  {\"Field\": {\"CF$UID\": 9}, \"Other\": 7, \"$class\": {\"CF$UID\": 17}},"
        "  {\"$classname\": \"NSDate\", \"$classes\": [\"NSDate\", \"NSObject\"]},"
        "  {\"$classname\": \"NSMutableString\", \"$classes\": [\"NSMutableString\", \"NSString\", "
        "\"NSObject\"]},"
        "  {\"$classname\": \"NSData\", \"$classes\": [\"NSData\", \"NSObject\"]},"
        "  {\"$classname\": \"MyThing\", \"$classes\": [\"MyThing\", \"NSObject\"]}"
        " ]}";
    if (decode(a, &out, &why) != SPY_OK)
        fail_msg("%s", why);
    json_t *want = load("{\"root\": {\"list\": [\"hello\", {\"$data\": \"AQID\"}, 42],"
                        " \"when\": {\"$date\": 588611289.5}, \"nothing\": null,"
                        " \"custom\": {\"Field\": {\"$data\": \"AQID\"}, \"Other\": 7,"
                        "              \"$class\": \"MyThing\"}}}");
    if (!json_equal(out, want))
        fail_msg("got %s", json_dumps(out, JSON_COMPACT));
    json_decref(want);
    json_decref(out);
}

static void test_cycles_and_errors(void **st)
{
    (void)st;
    json_t *out = NULL;
    char *why = NULL;
    /* An array containing itself, and two objects pointing at each other. */
    const char *cyc = "{\"$archiver\": \"NSKeyedArchiver\", \"$top\": {\"a\": {\"CF$UID\": 1}, "
                      "\"b\": {\"CF$UID\": 3}},"
                      " \"$objects\": [\"$null\","
                      "  {\"NS.objects\": [{\"CF$UID\": 1}], \"$class\": {\"CF$UID\": 2}},"
                      "  {\"$classname\": \"NSArray\", \"$classes\": [\"NSArray\", \"NSObject\"]},"
                      "  {\"peer\": {\"CF$UID\": 4}, \"$class\": {\"CF$UID\": 5}},"
                      "  {\"peer\": {\"CF$UID\": 3}, \"$class\": {\"CF$UID\": 5}},"
                      "  {\"$classname\": \"Node\"}]}";
    assert_int_equal(decode(cyc, &out, &why), SPY_OK);
    json_t *want = load("{\"a\": [{\"$ref\": 1}], \"b\": {\"peer\": {\"peer\": {\"$ref\": 3},"
                        " \"$class\": \"Node\"}, \"$class\": \"Node\"}}");
    if (!json_equal(out, want))
        fail_msg("got %s", json_dumps(out, JSON_COMPACT));
    json_decref(want);
    json_decref(out);
    /* UID out of range. */
    assert_int_equal(
        decode("{\"$archiver\": \"NSKeyedArchiver\", \"$top\": {\"r\": {\"CF$UID\": 9}},"
               " \"$objects\": [\"$null\"]}",
               &out, &why),
        SPY_EFORMAT);
    assert_non_null(strstr(why, "UID 9 out of range"));
    free(why);
    /* Not an archive. */
    assert_int_equal(
        decode("{\"$archiver\": \"Other\", \"$top\": {}, \"$objects\": []}", &out, &why),
        SPY_EFORMAT);
    free(why);
    assert_int_equal(decode("[1, 2]", &out, &why), SPY_EFORMAT);
    free(why);
    /* A chain of 200 objects each holding the next: depth limit. */
    json_t *objs = json_array();
    json_array_append_new(objs, json_string("$null"));
    for (int i = 1; i <= 200; i++)
        json_array_append_new(objs, json_pack("{s:{s:i}}", "next", "CF$UID", i < 200 ? i + 1 : 0));
    json_t *a = json_pack("{s:s,s:{s:{s:i}},s:o}", "$archiver", "NSKeyedArchiver", "$top", "root",
                          "CF$UID", 1, "$objects", objs);
    uint8_t *b;
    size_t n;
    bpw_write(a, NULL, &b, &n);
    json_decref(a);
    assert_int_equal(spy_nska_decode_bytes(b, n, &out, &why), SPY_ELIMIT);
    free(why);
    free(b);
}

static void test_mbfile_variants(void **st)
{
    (void)st;
    spy_mbfile f;
    char *why = NULL;
    /* Older backups: dates instead of ints, an NSDate, NSString path, root
     * not named in $top (index 1 used). */
    const char *a =
        "{\"$archiver\": \"NSKeyedArchiver\", \"$version\": 100000, \"$top\": {},"
        " \"$objects\": [\"$null\","
        "  {\"LastModified\": {\"$date\": 100.5}, \"Birth\": {\"CF$UID\": 2},"
        "   \"RelativePath\": {\"CF$UID\": 4}, \"Size\": \"not an int\", \"Mode\": 33188,"
        "   \"$class\": {\"CF$UID\": 6}},"
        "  {\"NS.time\": 200.25, \"$class\": {\"CF$UID\": 3}},"
        "  {\"$classname\": \"NSDate\"},"
        "  {\"NS.string\": {\"CF$UID\": 5}, \"$class\": {\"CF$UID\": 3}},"
        "  \"a/b\", {\"$classname\": \"MBFile\"}]}";
    json_t *j = load(a);
    uint8_t *b;
    size_t n;
    bpw_write(j, NULL, &b, &n);
    json_decref(j);
    assert_int_equal(spy_nska_mbfile(b, n, &f, &why), SPY_OK);
    assert_int_equal(f.last_modified.kind, SPY_MBTIME_MACABS);
    assert_true(f.last_modified.mac_abs == 100.5);
    assert_int_equal(f.birth.kind, SPY_MBTIME_MACABS);
    assert_true(f.birth.mac_abs == 200.25);
    assert_int_equal(f.last_status_change.kind, SPY_MBTIME_NONE);
    assert_string_equal(f.relative_path, "a/b");
    assert_int_equal(f.have & SPY_MBF_SIZE, 0);
    assert_int_equal(f.mode, 33188);
    spy_mbfile_clear(&f);
    free(b);
    /* Hostile: root UID out of range, field UID out of range, no $objects. */
    const char *bad[] = {
        "{\"$top\": {\"root\": {\"CF$UID\": 7}}, \"$objects\": [\"$null\", {}]}",
        ("{\"$top\": {\"root\": {\"CF$UID\": 1}}, \"$objects\": [\"$null\", {\"Size\": "
         "{\"CF$UID\": 99}}]}"),
        "{\"$top\": {\"root\": {\"CF$UID\": 1}}, \"$objects\": {\"x\": 1}}",
        "{\"$top\": {\"root\": {\"CF$UID\": 1}}, \"$objects\": [\"$null\", 5]}",
        "[1]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = load(bad[i]);
        bpw_write(j, NULL, &b, &n);
        json_decref(j);
        assert_int_equal(spy_nska_mbfile(b, n, &f, &why), SPY_EFORMAT);
        assert_non_null(why);
        assert_null(f.relative_path);
        free(why);
        free(b);
    }
    assert_int_not_equal(spy_nska_mbfile("bplist00", 8, &f, NULL), SPY_OK);
}

/* The fast path and the generic decoder agree on varied blobs; both survive
 * every truncation of a real-shaped blob. */
static void test_fast_matches_generic(void **st)
{
    (void)st;
    for (int i = 0; i < 200; i++) {
        char path[64];
        snprintf(path, sizeof path, "Library/Caches/%d/f\xc3\xa9%d", i, i * 7);
        bpw_mbfile m = sample();
        m.relative_path = path;
        m.size = (int64_t)i * 100003;
        m.inode = (int64_t)i << 33;
        m.encryption_key = i % 3 ? ekey : NULL;
        uint8_t *b;
        size_t n;
        spy_mbfile f;
        json_t *g = NULL;
        bpw_mbfile_blob(&m, &b, &n);
        assert_int_equal(spy_nska_mbfile(b, n, &f, NULL), SPY_OK);
        assert_int_equal(spy_nska_decode_bytes(b, n, &g, NULL), SPY_OK);
        json_t *root = json_object_get(g, "root");
        assert_string_equal(f.relative_path,
                            json_string_value(json_object_get(root, "RelativePath")));
        assert_int_equal(f.size, json_integer_value(json_object_get(root, "Size")));
        assert_int_equal(f.inode, json_integer_value(json_object_get(root, "InodeNumber")));
        assert_int_equal(f.encryption_key != NULL, json_object_get(root, "EncryptionKey") != NULL);
        json_decref(g);
        spy_mbfile_clear(&f);
        if (i == 0) {
            for (size_t k = 0; k < n; k++) {
                assert_int_not_equal(spy_nska_mbfile(b, k, &f, NULL), SPY_OK);
                assert_int_not_equal(spy_nska_decode_bytes(b, k, &g, NULL), SPY_OK);
            }
        }
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mbfile_fast),        cmocka_unit_test(test_mbfile_generic),
        cmocka_unit_test(test_foundation_classes), cmocka_unit_test(test_cycles_and_errors),
        cmocka_unit_test(test_mbfile_variants),    cmocka_unit_test(test_fast_matches_generic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
