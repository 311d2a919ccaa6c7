/* Member streams of the Android acquisitions (acq.h spy_acq_open_stream):
 * folder and ZIP (deflated and stored) members come out byte for byte
 * whatever the read size, two streams and whole reads interleave over one
 * ZIP (each stream has its own reader), the size bound is kept, a ZIP bomb
 * is stopped mid-stream, the dumpsys.txt view streams through its parent,
 * and an acquisition without a stream op is served from memory. */
#include "acquire/android.h"
#include "acquire/stream.h"
#include "android_fixture.h"
#include "core/error.h"
#include "core/log.h"
#include "testutil.h"
#include "zip_fixture.h"

#include <stdlib.h>
#include <string.h>

static char *root;

static int setup(void **state)
{
    (void)state;
    root = tu_mkdtemp();
    spy_log_set_quiet(true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(root);
    free(root);
    return 0;
}

#define BIG_LEN (300u * 1024u + 17u) /* several of the readers' 64 KiB blocks */
#define GETPROP "[ro.product.model]: [Pixel 7]\n"

/* Deterministic bytes that deflate a little (text-like runs and noise). */
static unsigned char *big_bytes(void)
{
    unsigned char *b = malloc(BIG_LEN);
    uint32_t x = 12345;
    for (size_t i = 0; i < BIG_LEN; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (x >> 16) % 7 ? (unsigned char)('a' + i % 26) : (unsigned char)(x >> 24);
    }
    return b;
}

static spy_artifact art_of(const char *path)
{
    return (spy_artifact){.path = (char *)path, .label = (char *)path};
}

/* The stream read to its end in pieces of at most cap; compared with want. */
static void stream_equals(const spy_acq *acq, const char *path, size_t cap, const void *want,
                          size_t want_len)
{
    spy_artifact art = art_of(path);
    spy_stream *s = NULL;
    assert_int_equal(spy_acq_open_stream(acq, &art, UINT64_MAX, &s), SPY_OK);
    unsigned char *got = malloc(want_len + 1);
    unsigned char *piece = malloc(cap);
    size_t len = 0, n = 0;
    do {
        assert_int_equal(spy_stream_read(s, piece, cap, &n), SPY_OK);
        assert_true(n <= cap && len + n <= want_len);
        memcpy(got + len, piece, n);
        len += n;
    } while (n > 0);
    assert_int_equal(len, want_len);
    assert_memory_equal(got, want, want_len);
    assert_int_equal(spy_stream_read(s, piece, cap, &n), SPY_OK); /* still the end */
    assert_int_equal(n, 0);
    spy_stream_close(s);
    free(piece);
    free(got);
}

static void check_members(const spy_acq *acq, const unsigned char *big)
{
    static const size_t caps[] = {1, 7, 4096, 1u << 20};
    for (size_t i = 0; i < 4; i++) {
        stream_equals(acq, AF_QF_UUID "/FS/big.bin", caps[i], big, BIG_LEN);
        stream_equals(acq, AF_QF_UUID "/getprop.txt", caps[i], GETPROP, strlen(GETPROP));
        stream_equals(acq, AF_QF_UUID "/empty.txt", caps[i], "", 0);
    }
    /* the bound: the exact size passes, one byte less is refused up front */
    spy_artifact art = art_of(AF_QF_UUID "/FS/big.bin");
    spy_stream *s = NULL;
    assert_int_equal(spy_acq_open_stream(acq, &art, BIG_LEN - 1, &s), SPY_ELIMIT);
    assert_null(s);
    assert_int_equal(spy_acq_open_stream(acq, &art, BIG_LEN, &s), SPY_OK);
    spy_stream_close(s);
    art = art_of(AF_QF_UUID "/missing.txt");
    assert_int_equal(spy_acq_open_stream(acq, &art, 100, &s), SPY_ENOTFOUND);
}

static void test_folder(void **state)
{
    (void)state;
    unsigned char *big = big_bytes();
    char *dir = af_androidqf_dir(root);
    af_write(dir, "FS/big.bin", big, BIG_LEN);
    af_write_str(dir, "getprop.txt", GETPROP);
    af_write_str(dir, "empty.txt", "");
    spy_acq acq;
    assert_int_equal(spy_androidqf_open(dir, &acq), SPY_OK);
    check_members(&acq, big);
    spy_acq_close(&acq);
    free(dir);
    free(big);
}

static char *qf_zip(const unsigned char *big, bool stored)
{
    zf_zip *z = zf_new();
    if (stored)
        zf_add_stored(z, AF_QF_UUID "/FS/big.bin", big, BIG_LEN);
    else
        zf_add(z, AF_QF_UUID "/FS/big.bin", big, BIG_LEN, 0);
    zf_add_str(z, AF_QF_UUID "/getprop.txt", GETPROP);
    zf_add_str(z, AF_QF_UUID "/empty.txt", "");
    char *path = tu_join(root, stored ? "stored.zip" : "deflated.zip");
    zf_finish_to(z, path);
    return path;
}

static void test_zip(void **state)
{
    (void)state;
    unsigned char *big = big_bytes();
    for (int stored = 0; stored < 2; stored++) {
        char *path = qf_zip(big, stored);
        spy_acq acq;
        assert_int_equal(spy_androidqf_open(path, &acq), SPY_OK);
        check_members(&acq, big);
        spy_acq_close(&acq);
        free(path);
    }
    free(big);
}

/* Two streams and whole reads of other members, interleaved: each stream
 * keeps its own place (no shared reader, no lock held between reads). */
static void test_zip_interleaved(void **state)
{
    (void)state;
    unsigned char *big = big_bytes();
    char *path = qf_zip(big, false);
    spy_acq acq;
    assert_int_equal(spy_androidqf_open(path, &acq), SPY_OK);
    spy_artifact art = art_of(AF_QF_UUID "/FS/big.bin");
    spy_stream *s1 = NULL, *s2 = NULL;
    assert_int_equal(spy_acq_open_stream(&acq, &art, UINT64_MAX, &s1), SPY_OK);
    assert_int_equal(spy_acq_open_stream(&acq, &art, UINT64_MAX, &s2), SPY_OK);
    unsigned char *a = malloc(BIG_LEN), *b = malloc(BIG_LEN);
    size_t la = 0, lb = 0, n = 0;
    for (int round = 0; la < BIG_LEN || lb < BIG_LEN; round++) {
        if (la < BIG_LEN) {
            size_t want = BIG_LEN - la < 5000 ? BIG_LEN - la : 5000;
            assert_int_equal(spy_stream_read(s1, a + la, want, &n), SPY_OK);
            assert_true(n > 0);
            la += n;
        }
        if (lb < BIG_LEN) {
            size_t want = BIG_LEN - lb < 3000 ? BIG_LEN - lb : 3000;
            assert_int_equal(spy_stream_read(s2, b + lb, want, &n), SPY_OK);
            assert_true(n > 0);
            lb += n;
        }
        if (round % 10 == 0) { /* the shared reader moves meanwhile */
            spy_artifact gp = art_of(AF_QF_UUID "/getprop.txt");
            void *buf = NULL;
            size_t len = 0;
            assert_int_equal(spy_acq_read(&acq, &gp, 1024, &buf, &len), SPY_OK);
            assert_int_equal(len, strlen(GETPROP));
            free(buf);
        }
    }
    assert_int_equal(spy_stream_read(s1, a, 1, &n), SPY_OK);
    assert_int_equal(n, 0);
    assert_int_equal(spy_stream_read(s2, b, 1, &n), SPY_OK);
    assert_int_equal(n, 0);
    assert_int_equal(la, BIG_LEN);
    assert_int_equal(lb, BIG_LEN);
    assert_memory_equal(a, big, BIG_LEN);
    assert_memory_equal(b, big, BIG_LEN);
    spy_stream_close(s1);
    spy_stream_close(s2);
    spy_acq_close(&acq);
    free(a);
    free(b);
    free(path);
    free(big);
}

/* 64 MiB of spaces deflate to ~64 KiB: the stream stops beyond 1000:1,
 * whatever the size allowed, and keeps failing; the rest stays readable. */
static void test_zip_bomb(void **state)
{
    (void)state;
    size_t big = 64u * 1024u * 1024u;
    char *spaces = malloc(big);
    memset(spaces, ' ', big);
    zf_zip *z = zf_new();
    zf_add_str(z, AF_QF_UUID "/getprop.txt", GETPROP);
    zf_add(z, AF_QF_UUID "/files.json", spaces, big, 0);
    free(spaces);
    char *path = tu_join(root, "bomb.zip");
    zf_finish_to(z, path);
    spy_acq acq;
    assert_int_equal(spy_androidqf_open(path, &acq), SPY_OK);
    spy_artifact art = art_of(AF_QF_UUID "/files.json");
    spy_stream *s = NULL;
    assert_int_equal(spy_acq_open_stream(&acq, &art, UINT64_MAX, &s), SPY_OK);
    char *piece = malloc(1u << 20);
    size_t total = 0, n = 0;
    int err;
    while ((err = spy_stream_read(s, piece, 1u << 20, &n)) == SPY_OK && n > 0)
        total += n;
    assert_int_equal(err, SPY_ELIMIT);
    assert_true(total > 4u * 1024u * 1024u && total <= 8u * 1024u * 1024u); /* the floor */
    assert_int_equal(spy_stream_read(s, piece, 10, &n), SPY_ELIMIT);
    assert_int_equal(n, 0);
    spy_stream_close(s);
    /* a member declaring more than the caller reads is refused up front */
    assert_int_equal(spy_acq_open_stream(&acq, &art, 1024, &s), SPY_ELIMIT);
    stream_equals(&acq, AF_QF_UUID "/getprop.txt", 64, GETPROP, strlen(GETPROP));
    spy_acq_close(&acq);
    free(piece);
    free(path);
}

/* Without bugreport.zip, dumpsys.txt is a one-file bug report read
 * through the AndroidQF acquisition. */
static void test_dumpsys_view(void **state)
{
    (void)state;
    char *dir = af_androidqf_dir(root);
    const char *text = "DUMP OF SERVICE package:\nPackages:\n";
    af_write_str(dir, "getprop.txt", GETPROP);
    af_write_str(dir, "dumpsys.txt", text);
    spy_acq qf, br;
    assert_int_equal(spy_androidqf_open(dir, &qf), SPY_OK);
    assert_int_equal(spy_androidqf_open_nested_bugreport(&qf, &br), SPY_OK);
    stream_equals(&br, AF_QF_UUID "/dumpsys.txt", 5, text, strlen(text));
    spy_acq_close(&br);
    spy_acq_close(&qf);
    free(dir);
}

static int plain_read(const spy_acq *a, const spy_artifact *art, size_t max, void **buf,
                      size_t *len)
{
    (void)a;
    if (strcmp(art->path, "x") != 0)
        return SPY_ENOTFOUND;
    if (max < 5)
        return SPY_ELIMIT;
    *buf = strdup("hello");
    *len = 5;
    return SPY_OK;
}

static void test_fallback_and_memory(void **state)
{
    (void)state;
    static const spy_acq_ops ops = {.read = plain_read};
    spy_acq acq = {.kind = SPY_ACQ_TEST, .path = "t", .ops = &ops};
    stream_equals(&acq, "x", 2, "hello", 5);
    spy_artifact art = art_of("x");
    spy_stream *s = NULL;
    assert_int_equal(spy_acq_open_stream(&acq, &art, 4, &s), SPY_ELIMIT);
    art = art_of("y");
    assert_int_equal(spy_acq_open_stream(&acq, &art, 100, &s), SPY_ENOTFOUND);
    assert_null(s);
    static const spy_acq_ops none = {.find = NULL};
    spy_acq bare = {.kind = SPY_ACQ_TEST, .path = "t", .ops = &none};
    assert_int_equal(spy_acq_open_stream(&bare, &art, 100, &s), SPY_EUNSUPPORTED);
    /* a borrowed memory stream */
    char text[] = "abc";
    s = spy_stream_mem(text, 3, false);
    char out[8];
    size_t n = 0;
    assert_int_equal(spy_stream_read(s, out, 2, &n), SPY_OK);
    assert_int_equal(n, 2);
    assert_int_equal(spy_stream_read(s, out + 2, 8, &n), SPY_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(out, "abc", 3);
    assert_int_equal(spy_stream_read(s, out, 8, &n), SPY_OK);
    assert_int_equal(n, 0);
    spy_stream_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_interleaved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_bomb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dumpsys_view, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fallback_and_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
