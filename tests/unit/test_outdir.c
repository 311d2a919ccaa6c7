/* The output folder: permissions, refusal rules, atomic files, scratch. */
#include "testutil.h"
#include "wr_util.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/outdir.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int setup(void **state)
{
    (void)state;
    spy_log_set_quiet(true);
    return 0;
}

static void check_modes_with_umask(mode_t mask)
{
    char *tmp = tu_mkdtemp();
    char *out = spy_xasprintf("%s/a/b/out", tmp);
    mode_t old = umask(mask);
    spy_outdir *d;
    assert_int_equal(spy_outdir_open(&d, out, NULL, 0, false), SPY_OK);
    assert_int_equal(spy_outdir_write_file(d, "x.json", "[]", 2), SPY_OK);
    int sfd = spy_outdir_scratch_fd(d);
    assert_true(sfd >= 0);
    umask(old);

    char *a = spy_xasprintf("%s/a", tmp), *ab = spy_xasprintf("%s/a/b", tmp);
    char *x = tu_join(out, "x.json"), *scratch = tu_join(out, ".spyscan-scratch");
    assert_int_equal(wr_mode(a), 0700);
    assert_int_equal(wr_mode(ab), 0700);
    assert_int_equal(wr_mode(out), 0700);
    assert_int_equal(wr_mode(x), 0600);
    assert_int_equal(wr_mode(scratch), 0700);
    spy_outdir_close(d);
    assert_int_equal(wr_mode(scratch), -1); /* scratch removed */
    assert_int_equal(wr_mode(x), 0600);
    tu_rmtree(tmp);
    free(a), free(ab), free(x), free(scratch), free(out), free(tmp);
}

static void test_modes_regardless_of_umask(void **state)
{
    (void)state;
    check_modes_with_umask(0);
    check_modes_with_umask(022);
    check_modes_with_umask(0777);
}

static void test_existing_folder_chmod(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    char *out = tu_join(tmp, "out");
    assert_int_equal(mkdir(out, 0755), 0);
    spy_outdir *d;
    assert_int_equal(spy_outdir_open(&d, out, NULL, 0, false), SPY_OK);
    assert_int_equal(wr_mode(out), 0700);
    assert_string_equal(spy_outdir_path(d), out);
    assert_true(spy_outdir_fd(d) >= 0);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(out), free(tmp);
}

static int try_open(const char *out, const char *input)
{
    const char *inputs[] = {"/nonexistent/spyscan/input", input};
    spy_outdir *d = NULL;
    int rc = spy_outdir_open(&d, out, inputs, 2, true);
    spy_outdir_close(d);
    return rc;
}

static void test_refuse_input_overlap(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    char *in = tu_join(tmp, "in");
    assert_int_equal(mkdir(in, 0755), 0);
    char *f = tu_join(in, "evidence.db");
    tu_write_str(f, "data");
    char *link = tu_join(tmp, "link");
    assert_int_equal(symlink(in, link), 0);

    char *inside = spy_xasprintf("%s/in/new/deeper", tmp);
    char *dotdot = spy_xasprintf("%s/nothere/../in/sub", tmp);
    char *via_link = spy_xasprintf("%s/link/out", tmp);
    assert_int_equal(try_open(in, in), SPY_EUSAGE);       /* equal */
    assert_int_equal(try_open(link, in), SPY_EUSAGE);     /* equal through a symlink */
    assert_int_equal(try_open(inside, in), SPY_EUSAGE);   /* inside, not yet existing */
    assert_int_equal(try_open(dotdot, in), SPY_EUSAGE);   /* inside after ".." */
    assert_int_equal(try_open(via_link, in), SPY_EUSAGE); /* inside through a symlink */
    assert_int_equal(try_open(in, f), SPY_EUSAGE);        /* contains the input file */
    assert_int_equal(try_open(tmp, in), SPY_EUSAGE);      /* contains */
    assert_int_equal(wr_count_entries(in), 1);            /* nothing created inside */
    char *nothere = tu_join(tmp, "nothere");
    assert_int_equal(wr_mode(nothere), -1);
    free(nothere);

    /* A sibling whose name extends the input's is not inside it. */
    char *sibling = spy_xasprintf("%s/in2", tmp);
    assert_int_equal(try_open(sibling, in), SPY_OK);
    tu_rmtree(tmp);
    free(in), free(f), free(link), free(inside), free(dotdot), free(via_link), free(sibling);
    free(tmp);
}

static void test_relative_paths(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmp), 0);
    assert_int_equal(mkdir("in", 0755), 0);
    assert_int_equal(try_open("in/out", "in"), SPY_EUSAGE);
    assert_int_equal(try_open(".", "in"), SPY_EUSAGE);
    assert_int_equal(try_open("out", "./in/"), SPY_OK);
    assert_int_equal(try_open("x/y", "in"), SPY_OK);
    assert_int_equal(chdir(cwd), 0);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_non_empty_needs_force(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    char *f = tu_join(tmp, "old.txt");
    tu_write_str(f, "x");
    spy_outdir *d = NULL;
    assert_int_equal(spy_outdir_open(&d, tmp, NULL, 0, false), SPY_EEXISTS);
    assert_null(d);
    assert_int_equal(spy_outdir_open(&d, tmp, NULL, 0, true), SPY_OK);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(f), free(tmp);
}

static void test_cannot_create(void **state)
{
    (void)state;
    char *tmp = tu_mkdtemp();
    char *f = tu_join(tmp, "file");
    tu_write_str(f, "x");
    char *out = tu_join(f, "out");
    char *log = NULL;
    size_t log_len = 0;
    FILE *mem = open_memstream(&log, &log_len);
    spy_log_set_quiet(false);
    spy_log_set_console(mem);
    spy_outdir *d = NULL;
    assert_int_equal(spy_outdir_open(&d, out, NULL, 0, false), SPY_EIO);
    spy_log_set_console(stderr);
    spy_log_set_quiet(true);
    fclose(mem);
    assert_non_null(strstr(log, out)); /* one line naming the folder */
    assert_non_null(strstr(log, "spyscan.output"));
    free(log);
    tu_rmtree(tmp);
    free(f), free(out), free(tmp);
}

static void test_atomic_file(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    const char *dir = spy_outdir_path(d);
    spy_afile *f;
    assert_int_equal(spy_afile_open(&f, d, "result.json"), SPY_OK);
    assert_int_equal(spy_write_all(spy_afile_fd(f), "[1]", 3), SPY_OK);
    /* Until commit only the temporary name exists. */
    assert_null(wr_read_in(dir, "result.json", NULL));
    assert_true(wr_has_entry_prefix(dir, ".result.json.tmp-"));
    assert_int_equal(spy_afile_commit(f), SPY_OK);
    size_t len;
    char *s = wr_read_in(dir, "result.json", &len);
    assert_string_equal(s, "[1]");
    free(s);
    assert_false(wr_has_entry_prefix(dir, ".result.json.tmp-"));
    assert_int_equal(wr_count_entries(dir), 1);

    /* Commit replaces an earlier version (--force runs). */
    assert_int_equal(spy_outdir_write_file(d, "result.json", "[2]", 3), SPY_OK);
    s = wr_read_in(dir, "result.json", NULL);
    assert_string_equal(s, "[2]");
    free(s);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_abort_leaves_nothing(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_afile *f1, *f2;
    assert_int_equal(spy_afile_open(&f1, d, "a.json"), SPY_OK);
    assert_int_equal(spy_afile_open(&f2, d, "a.json"), SPY_OK); /* distinct temp names */
    assert_int_equal(wr_count_entries(spy_outdir_path(d)), 2);
    spy_write_all(spy_afile_fd(f1), "partial", 7);
    spy_afile_abort(f1);
    spy_afile_abort(f2);
    assert_int_equal(wr_count_entries(spy_outdir_path(d)), 0);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_bad_names(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    spy_afile *f;
    assert_int_equal(spy_afile_open(&f, d, "../escape"), SPY_EINTERNAL);
    assert_int_equal(spy_afile_open(&f, d, ".."), SPY_EINTERNAL);
    assert_int_equal(spy_afile_open(&f, d, ""), SPY_EINTERNAL);
    assert_int_equal(wr_count_entries(tmp), 1);
    spy_outdir_close(d);
    tu_rmtree(tmp);
    free(tmp);
}

static void test_scratch_cleanup(void **state)
{
    (void)state;
    char *tmp;
    spy_outdir *d = wr_outdir_new(&tmp);
    int sfd = spy_outdir_scratch_fd(d);
    assert_true(sfd >= 0);
    assert_int_equal(spy_outdir_scratch_fd(d), sfd); /* created once */
    int fd = openat(sfd, "spill", O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    char *out = spy_xstrdup(spy_outdir_path(d));
    spy_outdir_close(d);
    assert_int_equal(wr_count_entries(out), 0);
    tu_rmtree(tmp);
    free(out), free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modes_regardless_of_umask),
        cmocka_unit_test(test_existing_folder_chmod),
        cmocka_unit_test(test_refuse_input_overlap),
        cmocka_unit_test(test_relative_paths),
        cmocka_unit_test(test_non_empty_needs_force),
        cmocka_unit_test(test_cannot_create),
        cmocka_unit_test(test_atomic_file),
        cmocka_unit_test(test_abort_leaves_nothing),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_scratch_cleanup),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
