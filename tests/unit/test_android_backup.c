/* The Android backup reader (spec/android.md §1.4-§1.5, §1.3.3 step 4):
 * plain, compressed and encrypted .ab files (format 1 and 5, a master key
 * with bytes >= 0x80 for Java's checksum quirk) give the same members and
 * bytes; wrong and missing passwords; damaged zlib, padding, headers and
 * tar; members escaping the backup; bounds; the unpacked folder; the
 * backup.ab nested in AndroidQF folders and ZIPs. */
#include "ab_fixture.h"
#include "acquire/android.h"
#include "acquire/android_backup.h"
#include "android_fixture.h"
#include "core/error.h"
#include "core/log.h"
#include "testutil.h"
#include "zip_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *root;
static char *logbuf;
static size_t loglen;
static FILE *log_stream;
static size_t seen; /* log bytes already looked at */

static int setup(void **state)
{
    (void)state;
    root = tu_mkdtemp();
    unsetenv("SPYSCAN_BACKUP_PASSWORD");
    unsetenv("MVT_ANDROID_BACKUP_PASSWORD");
    log_stream = open_memstream(&logbuf, &loglen);
    seen = 0;
    spy_log_set_console(log_stream);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    spy_log_set_console(stderr);
    fclose(log_stream);
    free(logbuf);
    tu_rmtree(root);
    free(root);
    return 0;
}

/* The console text logged since the last call. */
static const char *logged(void)
{
    fflush(log_stream);
    const char *l = logbuf + seen;
    seen = loglen;
    return l;
}

static void assert_logged(const char *what)
{
    const char *l = logged();
    if (!strstr(l, what))
        fail_msg("log lacks '%s':\n%s", what, l);
}

#define SMS_DIR "apps/com.android.providers.telephony/d_f/"
#define LONG_NAME                                                                                  \
    "apps/com.example.with.a.rather.long.package.name.for.testing/sp/"                             \
    "com.example.with.a.rather.long.package.name.for.testing_preferences.xml"

static unsigned char big[200 * 1024 + 7]; /* crosses the 64 KiB steps */
static const char manifest[] = "1\ncom.android.providers.telephony\n33\n13\nGoogle\n";
static const char sms_json[] =
    "[{\"address\":\"+41791234567\",\"body\":\"see https://free-sms-gifts.example/x\","
    "\"date\":\"1709287200000\",\"date_sent\":\"0\",\"type\":\"1\"}]";
static const char prefs[] = "<?xml version='1.0' encoding='utf-8'?>\n<map />\n";

static abf_member members[6];
static size_t n_members;

static void make_members(void)
{
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof big; i++) {
        x = x * 1103515245u + 12345u;
        big[i] = (unsigned char)(x >> 24) & 0x3f; /* compressible, not trivial */
    }
    size_t zlen = 0;
    static void *zsms;
    free(zsms);
    zsms = abf_zlib(sms_json, sizeof sms_json - 1, &zlen);
    abf_member m[] = {
        {.name = "apps/com.android.providers.telephony", .type = '5'},
        {.name = "apps/com.android.providers.telephony/_manifest",
         .data = manifest,
         .len = sizeof manifest - 1},
        {.name = SMS_DIR "000000_sms_backup", .data = zsms, .len = zlen},
        {.name = SMS_DIR "000000_mms_backup", .data = "", .len = 0},
        {.name = "apps/com.whatsapp/f/big.bin", .data = big, .len = sizeof big},
        {.name = LONG_NAME, .data = prefs, .len = sizeof prefs - 1},
    };
    memcpy(members, m, sizeof m);
    n_members = sizeof m / sizeof m[0];
}

static size_t find_all(const spy_acq *acq, const char *glob, spy_artifacts *arts)
{
    const char *globs[] = {glob, NULL};
    spy_query q = {.globs = globs};
    *arts = (spy_artifacts){0};
    assert_int_equal(spy_acq_find(acq, &q, arts), SPY_OK);
    return arts->n;
}

static void assert_member(const spy_acq *acq, const abf_member *m)
{
    spy_artifact art = {.path = (char *)m->name};
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(spy_acq_read(acq, &art, 1 << 20, &buf, &len), SPY_OK);
    assert_int_equal(len, m->len);
    if (len)
        assert_memory_equal(buf, m->data, len);
    free(buf);
}

/* The five regular members, in tar order, with their bytes; read out of
 * order too (the reader restarts the stream). */
static void assert_backup(const spy_acq *acq)
{
    assert_int_equal(acq->kind, SPY_ACQ_ANDROID_BACKUP);
    spy_artifacts arts;
    assert_int_equal(find_all(acq, "*", &arts), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(arts.v[i].path, members[i + 1].name);
    spy_artifacts_free(&arts);
    assert_int_equal(find_all(acq, SMS_DIR "*_sms_backup", &arts), 1);
    spy_artifacts_free(&arts);
    assert_int_equal(find_all(acq, "*/com.android.providers.telephony/d_f/*", &arts), 2);
    spy_artifacts_free(&arts);
    assert_member(acq, &members[5]);
    assert_member(acq, &members[2]);
    assert_member(acq, &members[4]);
    assert_member(acq, &members[1]);
    assert_member(acq, &members[3]);
    spy_artifact missing = {.path = "apps/none"};
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(spy_acq_read(acq, &missing, 100, &buf, &len), SPY_ENOTFOUND);
}

static void open_ok(const abf_opts *o, const spy_secret_opts *so)
{
    make_members();
    char *path = abf_write(root, "backup.ab", members, n_members, o);
    spy_acq acq;
    assert_int_equal(spy_android_backup_open(path, so, &acq), SPY_OK);
    assert_backup(&acq);
    spy_acq_close(&acq);
    free(path);
}

static void test_plain(void **state)
{
    (void)state;
    open_ok(&(abf_opts){.version = 5}, NULL);
    assert_logged("Android backup format 5, not compressed, not encrypted: 5 files");
}

static void test_compressed(void **state)
{
    (void)state;
    open_ok(&(abf_opts){.version = 1, .compress = true}, NULL);
    assert_logged("Android backup format 1, compressed, not encrypted: 5 files");
}

/* A master key with bytes >= 0x80: format 5 needs Java's UTF-8 quirk. */
static const uint8_t high_key[32] = {
    0x80, 0xff, 0x41, 0xc3, 0x00, 0x7f, 0x9a, 0xe0, 0x10, 0x20, 0x30, 0xfe, 0xbc, 0x81, 0x55, 0x66,
    0x01, 0x02, 0xa0, 0xb0, 0xc0, 0xd0, 0xef, 0xf0, 0x11, 0x22, 0x33, 0x44, 0x99, 0x88, 0x77, 0x66};

static void test_encrypted(void **state)
{
    (void)state;
    spy_secret_opts so = {.password = "123456", .non_interactive = true};
    open_ok(
        &(abf_opts){.version = 5, .password = "123456", .iterations = 1000, .master_key = high_key},
        &so);
    assert_logged("not compressed, AES-256 encrypted: 5 files");
    open_ok(&(abf_opts){.version = 5,
                        .compress = true,
                        .password = "123456",
                        .iterations = 1000,
                        .master_key = high_key},
            &so);
    open_ok(&(abf_opts){.version = 1,
                        .compress = true,
                        .password = "123456",
                        .iterations = 1000,
                        .master_key = high_key},
            &so);
    /* A password that is not ASCII, as UTF-8 bytes. */
    so.password = "p\xc3\xa4ssw\xc3\xb6rd";
    open_ok(&(abf_opts){.version = 2, .password = so.password, .iterations = 1000}, &so);
}

/* The checksum input depends on the format version: the same file with
 * "1" written over "5" no longer verifies, and the other way round. */
static void test_checksum_quirk(void **state)
{
    (void)state;
    make_members();
    spy_secret_opts so = {.password = "pw", .non_interactive = true};
    for (int v = 1; v <= 5; v += 4) {
        size_t len = 0;
        char *ab = abf_build(
            members, n_members,
            &(abf_opts){.version = v, .password = "pw", .iterations = 1000, .master_key = high_key},
            &len);
        assert_int_equal(ab[15], '0' + v);
        ab[15] = (char)(v == 1 ? '5' : '1');
        char *path = abf_write_bytes(root, "swapped.ab", ab, len);
        spy_acq acq;
        assert_int_equal(spy_android_backup_open(path, &so, &acq), SPY_EPASSWORD);
        assert_logged("swapped.ab: Invalid backup password");
        free(path);
        free(ab);
    }
}

static void test_passwords(void **state)
{
    (void)state;
    make_members();
    char *path = abf_write(root, "enc.ab", members, n_members,
                           &(abf_opts){.password = "right", .iterations = 1000});
    spy_acq acq;
    spy_secret_opts wrong = {.password = "wrong", .non_interactive = true};
    assert_int_equal(spy_android_backup_open(path, &wrong, &acq), SPY_EPASSWORD);
    assert_logged("enc.ab: Invalid backup password");
    spy_secret_opts none = {.non_interactive = true};
    assert_int_equal(spy_android_backup_open(path, &none, &acq), SPY_EPASSWORD);
    assert_logged("Cannot decrypt backup because interactivity was disabled");
    /* A stored checksum that does not match refuses the right password. */
    char *bad =
        abf_write(root, "badck.ab", members, n_members,
                  &(abf_opts){.password = "right", .iterations = 1000, .bad_checksum = true});
    spy_secret_opts right = {.password = "right", .non_interactive = true};
    assert_int_equal(spy_android_backup_open(bad, &right, &acq), SPY_EPASSWORD);
    assert_logged("Invalid backup password");
    /* The right one opens the first file (unencrypted ones ignore it). */
    assert_int_equal(spy_android_backup_open(path, &right, &acq), SPY_OK);
    spy_acq_close(&acq);
    free(bad);
    free(path);
}

/* Opening fails with SPY_EFORMAT and the log names the file and why. */
static void assert_refused(const void *data, size_t len, const char *why)
{
    char *path = abf_write_bytes(root, "bad.ab", data, len);
    spy_acq acq;
    spy_secret_opts so = {.password = "pw", .non_interactive = true};
    assert_int_equal(spy_android_backup_open(path, &so, &acq), SPY_EFORMAT);
    char want[256];
    snprintf(want, sizeof want, "bad.ab: %s", why);
    assert_logged(want);
    free(path);
}

#define PARSE "Impossible to parse this backup file: "

static void test_bad_headers(void **state)
{
    (void)state;
    static const struct {
        const char *text, *why;
    } cases[] = {
        {"ANDROID BACKUP\n", "Invalid backup format, file should be in .ab format"},
        {"ANDROID BACKUP\n5\n0\n", "Invalid backup format, file should be in .ab format"},
        {"ANDROID BACKUP\nfive\n0\nnone\n", "Invalid backup format, file should be in .ab format"},
        {"ANDROID BACKUP\n5\nx\nnone\n", "Invalid backup format, file should be in .ab format"},
        {"ANDROID BACKUP\n5\n0\nnone\xff\n", "Invalid backup format, file should be in .ab format"},
        {"PK\x03\x04 a zip file\n\n\n\n", "Invalid backup format, file should be in .ab format"},
        {"", "Invalid backup format, file should be in .ab format"},
        {"ANDROID BACKUP\n5\n0\nAES-128\nxx", PARSE "Encryption Algorithm not implemented"},
        {"ANDROID BACKUP\n5\n0\nAES-256\ntruncated", PARSE "Invalid encrypted backup header"},
        {"ANDROID BACKUP\n5\n0\nAES-256\n00\n00\n1000\n00112233445566778899AABBCCDDEEFF\n",
         PARSE "Invalid encrypted backup header"},
        {"ANDROID BACKUP\n5\n0\nAES-256\nZZ\n00\n1000\n00112233445566778899AABBCCDDEEFF\n"
         "00112233445566778899AABBCCDDEEFF\n",
         PARSE "Invalid encrypted backup header"},
        {"ANDROID BACKUP\n5\n0\nAES-256\n00\n00\n0\n00112233445566778899AABBCCDDEEFF\n"
         "00112233445566778899AABBCCDDEEFF\n",
         PARSE "Invalid encrypted backup header"},
        {"ANDROID BACKUP\n5\n0\nAES-256\n00\n00\n10\n0011\n00112233445566778899AABBCCDDEEFF\n",
         PARSE "Invalid encrypted backup header"},
        {"ANDROID BACKUP\n5\n0\nAES-256\n00\n00\n10\n00112233445566778899AABBCCDDEEFF\n0011\n",
         PARSE "Invalid encrypted backup header"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_refused(cases[i].text, strlen(cases[i].text), cases[i].why);
    /* A header without payload holds no tar: refused as a tar failure. */
    assert_refused("ANDROID BACKUP\n5\n0\nnone\n", 24, PARSE);
    /* Python's int() leniency on the numbers. */
    make_members();
    size_t tlen = 0;
    void *tar = abf_tar(members, n_members, &tlen);
    const char head[] = "ANDROID BACKUP\n +5 \n0\r\nnone\n";
    char *ab = malloc(sizeof head - 1 + tlen);
    memcpy(ab, head, sizeof head - 1);
    memcpy(ab + sizeof head - 1, tar, tlen);
    char *path = abf_write_bytes(root, "lenient.ab", ab, sizeof head - 1 + tlen);
    spy_acq acq;
    assert_int_equal(spy_android_backup_open(path, NULL, &acq), SPY_OK);
    assert_backup(&acq);
    spy_acq_close(&acq);
    free(path);
    free(ab);
    free(tar);
}

static void test_damaged_streams(void **state)
{
    (void)state;
    make_members();
    size_t len = 0;
    /* zlib cut short, and zlib with damaged bytes. */
    char *ab = abf_build(members, n_members, &(abf_opts){.compress = true}, &len);
    assert_refused(ab, len - 40, PARSE "Impossible to decompress the backup file");
    size_t payload = 24; /* "ANDROID BACKUP\n5\n1\nnone\n" */
    for (size_t i = payload + 100; i < payload + 140; i++)
        ab[i] ^= 0x5a;
    assert_refused(ab, len, PARSE "Impossible to decompress the backup file");
    free(ab);
    /* The Adler-32 trailer alone: everything else reads. */
    ab = abf_build(members, n_members, &(abf_opts){.compress = true}, &len);
    ab[len - 1] ^= 1;
    assert_refused(ab, len, PARSE "Impossible to decompress the backup file");
    free(ab);
    /* Encrypted: the last block (the PKCS#7 padding) damaged, or cut. */
    ab = abf_build(members, n_members, &(abf_opts){.password = "pw", .iterations = 1000}, &len);
    ab[len - 1] ^= 0x33;
    assert_refused(ab, len, PARSE "the encrypted data is damaged");
    assert_refused(ab, len - 5, PARSE "the encrypted data is damaged");
    free(ab);
    /* Not a tar stream, and a tar cut in a member's data. */
    static const char junk[] = "ANDROID BACKUP\n5\n0\nnone\nthis is not a tar stream at all, "
                               "only words, and more words to fill a tar header block.";
    assert_refused(junk, sizeof junk - 1, PARSE "not a tar stream");
    ab = abf_build(members, n_members, &(abf_opts){0}, &len);
    assert_refused(ab, 24 + 512 * 7 + 1000, PARSE "damaged tar stream"); /* in big.bin */
    free(ab);
}

static void test_hostile_members(void **state)
{
    (void)state;
    abf_member m[] = {
        {.name = "../../etc/cron.d/evil", .data = "x", .len = 1},
        {.name = "/etc/passwd", .data = "x", .len = 1},
        {.name = "apps/a/../../../evil", .data = "x", .len = 1},
        {.name = "apps/link", .type = '2', .link = "/etc/shadow"},
        {.name = "apps/hard", .type = '1', .link = "apps/x/good"},
        {.name = "apps/dev", .type = '3'},
        {.name = "apps/x/good", .data = "good", .len = 4},
        {.name = "apps/x/..data", .data = "dots", .len = 4},
    };
    char *path = abf_write(root, "hostile.ab", m, sizeof m / sizeof m[0], &(abf_opts){0});
    spy_acq acq;
    assert_int_equal(spy_android_backup_open(path, NULL, &acq), SPY_OK);
    const char *l = logged();
    assert_non_null(strstr(l, "leaving out member '../../etc/cron.d/evil': a path escaping"));
    assert_non_null(strstr(l, "leaving out member '/etc/passwd': an absolute path"));
    assert_non_null(strstr(l, "leaving out member 'apps/link': a symbolic link"));
    assert_non_null(strstr(l, "leaving out member 'apps/hard': a hard link"));
    assert_non_null(strstr(l, "leaving out member 'apps/dev': a device"));
    spy_artifacts arts;
    assert_int_equal(find_all(&acq, "*", &arts), 2);
    assert_string_equal(arts.v[0].path, "apps/x/good");
    assert_string_equal(arts.v[1].path, "apps/x/..data");
    spy_artifacts_free(&arts);
    assert_member(&acq, &m[6]);
    assert_member(&acq, &m[7]);
    spy_acq_close(&acq);
    free(path);
}

static void test_bounds(void **state)
{
    (void)state;
    make_members();
    char *path = abf_write(root, "b.ab", members, n_members, &(abf_opts){.compress = true});
    spy_acq acq;
    assert_int_equal(spy_android_backup_open(path, NULL, &acq), SPY_OK);
    spy_artifact art = {.path = "apps/com.whatsapp/f/big.bin"};
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(spy_acq_read(&acq, &art, 1000, &buf, &len), SPY_ELIMIT);
    assert_logged("big.bin: has 204807 bytes, more than the 1000 read for it");
    assert_int_equal(spy_acq_read(&acq, &art, sizeof big, &buf, &len), SPY_OK);
    assert_int_equal(len, sizeof big);
    free(buf);
    spy_acq_close(&acq);
    free(path);
    /* 64 MiB of zeros deflate ~1030:1: refused as a bomb. */
    size_t zeros_len = 64u << 20;
    void *zeros = calloc(1, zeros_len);
    abf_member bomb[] = {{.name = "apps/bomb", .data = zeros, .len = zeros_len}};
    char *bp = abf_write(root, "bomb.ab", bomb, 1, &(abf_opts){.compress = true});
    free(zeros);
    assert_int_equal(spy_android_backup_open(bp, NULL, &acq), SPY_EFORMAT);
    assert_logged("bomb.ab: " PARSE "the backup expands more than 1000:1");
    free(bp);
}

/* Members beyond the reader's in-memory budget (16 MiB each) are read by
 * walking the stream forward, or restarting it for one behind. */
static void test_large_members(void **state)
{
    (void)state;
    size_t n = (16u << 20) + 4096;
    unsigned char *one = malloc(n), *two = malloc(n);
    for (size_t i = 0; i < n; i++) {
        one[i] = (unsigned char)(i * 7 + (i >> 12));
        two[i] = (unsigned char)(i * 13 + (i >> 10));
    }
    abf_member m[] = {
        {.name = "apps/a/small", .data = "first", .len = 5},
        {.name = "apps/a/one.bin", .data = one, .len = n},
        {.name = "apps/a/middle", .data = "middle", .len = 6},
        {.name = "apps/a/two.bin", .data = two, .len = n},
    };
    char *path = abf_write(root, "large.ab", m, 4,
                           &(abf_opts){.compress = true, .password = "pw", .iterations = 1000});
    spy_acq acq;
    spy_secret_opts so = {.password = "pw", .non_interactive = true};
    assert_int_equal(spy_android_backup_open(path, &so, &acq), SPY_OK);
    const int order[] = {3, 1, 3, 0, 2, 1};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        spy_artifact art = {.path = (char *)m[order[k]].name};
        void *buf = NULL;
        size_t len = 0;
        assert_int_equal(spy_acq_read(&acq, &art, 32u << 20, &buf, &len), SPY_OK);
        assert_int_equal(len, m[order[k]].len);
        assert_memory_equal(buf, m[order[k]].data, len);
        free(buf);
    }
    spy_artifact art = {.path = "apps/a/two.bin"};
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(spy_acq_read(&acq, &art, n - 1, &buf, &len), SPY_ELIMIT);
    spy_acq_close(&acq);
    free(path);
    free(one);
    free(two);
}

static void test_folder(void **state)
{
    (void)state;
    make_members();
    char *dir = abf_write_folder(root, "unpacked", members, n_members);
    spy_acq acq;
    assert_int_equal(spy_android_backup_open(dir, NULL, &acq), SPY_OK);
    assert_int_equal(acq.kind, SPY_ACQ_ANDROID_BACKUP);
    spy_artifacts arts;
    assert_int_equal(find_all(&acq, "*", &arts), 5);
    spy_artifacts_free(&arts);
    assert_int_equal(find_all(&acq, SMS_DIR "*_sms_backup", &arts), 1);
    assert_string_equal(arts.v[0].path, SMS_DIR "000000_sms_backup");
    spy_artifacts_free(&arts);
    for (size_t i = 1; i < n_members; i++)
        assert_member(&acq, &members[i]);
    spy_acq_close(&acq);
    char *missing = tu_join(root, "missing.ab");
    assert_int_equal(spy_android_backup_open(missing, NULL, &acq), SPY_ENOTFOUND);
    assert_logged("missing.ab: no such file or folder");
    free(missing);
    free(dir);
}

static void nested_ok(const char *qf, const spy_secret_opts *so)
{
    spy_acq parent, nested;
    assert_int_equal(spy_androidqf_open(qf, &parent), SPY_OK);
    assert_int_equal(spy_androidqf_open_nested_backup(&parent, so, &nested), SPY_OK);
    assert_string_equal(nested.path, AF_QF_UUID "/backup.ab");
    assert_backup(&nested);
    spy_acq_close(&nested);
    spy_acq_close(&parent);
}

static int nested_err(const char *qf, const spy_secret_opts *so)
{
    spy_acq parent, nested;
    assert_int_equal(spy_androidqf_open(qf, &parent), SPY_OK);
    int err = spy_androidqf_open_nested_backup(&parent, so, &nested);
    assert_int_not_equal(err, SPY_OK);
    spy_acq_close(&parent);
    return err;
}

static void test_nested_folder(void **state)
{
    (void)state;
    make_members();
    char *qf = af_androidqf_dir(root);
    af_write_str(qf, "getprop.txt", "[ro.build.version.release]: [14]\n");
    assert_int_equal(nested_err(qf, NULL), SPY_ENOTFOUND);
    assert_logged("Skipping backup modules as no backup.ab found in AndroidQF data.");
    size_t len = 0;
    void *ab = abf_build(members, n_members,
                         &(abf_opts){.compress = true, .password = "pw", .iterations = 1000}, &len);
    af_write(qf, "backup.ab", ab, len);
    spy_secret_opts so = {.password = "pw", .non_interactive = true};
    nested_ok(qf, &so);
    spy_secret_opts wrong = {.password = "nope", .non_interactive = true};
    assert_int_equal(nested_err(qf, &wrong), SPY_EPASSWORD);
    assert_logged("backup.ab: Invalid backup password");
    af_write_str(qf, "backup.ab", "ANDROID BACKUP\n");
    assert_int_equal(nested_err(qf, &so), SPY_EFORMAT);
    assert_logged("Skipping backup modules as backup.ab is malformed: Invalid backup format, "
                  "file should be in .ab format");
    af_write(qf, "backup.ab", ab, len - 20);
    assert_int_equal(nested_err(qf, &so), SPY_EFORMAT);
    assert_logged("Skipping backup modules as backup.ab is malformed: the encrypted data");
    free(ab);
    free(qf);
}

static void test_nested_zip(void **state)
{
    (void)state;
    make_members();
    size_t len = 0, zlen = 0;
    void *ab = abf_build(members, n_members, &(abf_opts){.version = 1, .compress = true}, &len);
    zf_zip *z = zf_new();
    zf_add_str(z, AF_QF_UUID "/getprop.txt", "[ro.build.version.release]: [14]\n");
    zf_add(z, AF_QF_UUID "/backup.ab", ab, len, 0);
    void *zip = zf_finish(z, &zlen);
    char *path = tu_join(root, "qf.zip");
    tu_write(path, zip, zlen);
    nested_ok(path, NULL);
    free(path);
    free(zip);
    free(ab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compressed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encrypted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checksum_quirk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passwords, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_streams, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_members, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_members, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_zip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
