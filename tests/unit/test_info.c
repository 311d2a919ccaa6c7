/* info.json and input hashing (spec/outputs.md §3.5). */
#include "testutil.h"
#include "wr_util.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHA_ABC   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static int setup(void **state)
{
    (void)state;
    spy_log_set_quiet(true);
    return 0;
}

static void test_hash_file(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    char *f = tu_join(tmp, "abc");
    tu_write_str(f, "abc");
    spy_hash_entry *e;
    size_t n;
    assert_int_equal(spy_hash_inputs(f, 4, &e, &n), SPY_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].file_path, f); /* the path as given */
    assert_string_equal(e[0].sha256, SHA_ABC);
    spy_hash_entries_free(e, n);
    char *missing = tu_join(tmp, "missing");
    assert_int_equal(spy_hash_inputs(missing, 1, &e, &n), SPY_ENOTFOUND);
    assert_int_equal(n, 0);
    tu_rmtree(tmp);
    free(f), free(missing), free(tmp);
}

static void mkfile(const char *root, const char *rel, const char *content)
{
    char *p = tu_join(root, rel);
    tu_write_str(p, content);
    free(p);
}

static void mksub(const char *root, const char *rel)
{
    char *p = tu_join(root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
    free(p);
}

static void test_hash_folder(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    char *in = tu_join(tmp, "in");
    assert_int_equal(mkdir(in, 0755), 0);
    mkfile(in, "b.txt", "abc");
    mksub(in, "sub");
    mksub(in, "sub/deeper");
    mkfile(in, "sub/empty", "");
    mkfile(in, "sub/deeper/c", "abc");
    char *link = tu_join(in, "link"), *dlink = tu_join(in, "dirlink");
    assert_int_equal(symlink("b.txt", link), 0); /* symlinks are not hashed */
    assert_int_equal(symlink("sub", dlink), 0);  /* nor followed */
    char *with_slash = spy_xasprintf("%s/", in);
    spy_hash_entry *e;
    size_t n;
    assert_int_equal(spy_hash_inputs(with_slash, 2, &e, &n), SPY_OK);
    assert_int_equal(n, 3);
    char *p0 = tu_join(in, "b.txt"), *p1 = tu_join(in, "sub/deeper/c"),
         *p2 = tu_join(in, "sub/empty");
    assert_string_equal(e[0].file_path, p0);
    assert_string_equal(e[1].file_path, p1);
    assert_string_equal(e[2].file_path, p2);
    assert_string_equal(e[0].sha256, SHA_ABC);
    assert_string_equal(e[1].sha256, SHA_ABC);
    assert_string_equal(e[2].sha256, SHA_EMPTY);
    spy_hash_entries_free(e, n);
    tu_rmtree(tmp);
    free(in), free(link), free(dlink), free(with_slash), free(p0), free(p1), free(p2), free(tmp);
}

static void test_relative_root(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmp), 0);
    assert_int_equal(mkdir("acq", 0755), 0);
    tu_write_str("acq/x", "abc");
    spy_hash_entry *e;
    size_t n;
    assert_int_equal(spy_hash_inputs("acq", 1, &e, &n), SPY_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].file_path, "acq/x");
    spy_hash_entries_free(e, n);
    assert_int_equal(chdir(cwd), 0);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_unreadable_skipped(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip(); /* root reads mode-000 files */
    char *tmp = tu_mkdtemp();
    mkfile(tmp, "ok", "abc");
    mkfile(tmp, "secret", "x");
    char *s = tu_join(tmp, "secret");
    chmod(s, 0);
    spy_hash_entry *e;
    size_t n;
    assert_int_equal(spy_hash_inputs(tmp, 2, &e, &n), SPY_OK);
    assert_int_equal(n, 1);
    spy_hash_entries_free(e, n);
    tu_rmtree(tmp);
    free(s), free(tmp);
}

static void test_parallel_equals_serial(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    for (int i = 0; i < 300; i++) {
        char rel[64], content[64];
        if (i % 50 == 0) {
            snprintf(rel, sizeof rel, "d%d", i / 50);
            mksub(tmp, rel);
        }
        snprintf(rel, sizeof rel, "d%d/f%03d", i / 50, i);
        snprintf(content, sizeof content, "content %d", i * 7);
        mkfile(tmp, rel, content);
    }
    spy_hash_entry *a, *b;
    size_t na, nb;
    assert_int_equal(spy_hash_inputs(tmp, 1, &a, &na), SPY_OK);
    assert_int_equal(spy_hash_inputs(tmp, 8, &b, &nb), SPY_OK);
    assert_int_equal(na, 300);
    assert_int_equal(nb, 300);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].file_path, b[i].file_path);
        assert_string_equal(a[i].sha256, b[i].sha256);
        if (i)
            assert_true(strcmp(a[i - 1].file_path, a[i].file_path) < 0);
    }
    spy_hash_entries_free(a, na);
    spy_hash_entries_free(b, nb);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_info_json(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    const char *iocs[] = {"/iocs/pegasus.stix2"};
    const char *shas[] = {SHA_ABC};
    spy_hash_entry h[] = {{.file_path = "in/a", .sha256 = SHA_EMPTY}};
    spy_info info = {.target_path = "/evidence/backup",
                     .version = "0.1.0",
                     .date = "2026-08-20 10:11:12.123456",
                     .ioc_files = iocs,
                     .ioc_files_sha256 = shas,
                     .n_ioc_files = 1,
                     .hashes = h,
                     .n_hashes = 1};
    assert_int_equal(spy_info_write(d, &info), SPY_OK);
    char *s = wr_read_in(spy_outdir_path(d), "info.json", NULL);
    assert_string_equal(s, "{\n"
                           "    \"target_path\": \"/evidence/backup\",\n"
                           "    \"spyscan_version\": \"0.1.0\",\n"
                           "    \"date\": \"2026-08-20 10:11:12.123456\",\n"
                           "    \"ioc_files\": [\n"
                           "        \"/iocs/pegasus.stix2\"\n"
                           "    ],\n"
                           "    \"ioc_files_sha256\": [\n"
                           "        \"" SHA_ABC "\"\n"
                           "    ],\n"
                           "    \"hashes\": [\n"
                           "        {\n"
                           "            \"file_path\": \"in/a\",\n"
                           "            \"sha256\": \"" SHA_EMPTY "\"\n"
                           "        }\n"
                           "    ]\n"
                           "}");
    free(s);
    spy_info empty = {.target_path = "t", .version = "v", .date = "d"};
    assert_int_equal(spy_info_write(d, &empty), SPY_OK);
    s = wr_read_in(spy_outdir_path(d), "info.json", NULL);
    assert_string_equal(s, "{\n    \"target_path\": \"t\",\n    \"spyscan_version\": \"v\",\n"
                           "    \"date\": \"d\",\n    \"ioc_files\": [],\n"
                           "    \"ioc_files_sha256\": [],\n    \"hashes\": []\n}");
    free(s);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_file),
        cmocka_unit_test(test_hash_folder),
        cmocka_unit_test(test_relative_root),
        cmocka_unit_test(test_unreadable_skipped),
        cmocka_unit_test(test_parallel_equals_serial),
        cmocka_unit_test(test_info_json),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
