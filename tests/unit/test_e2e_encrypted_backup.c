/* End to end on an encrypted backup (issue #5): the bundled sample backup is
 * encrypted by the test (tests/lib/backup_crypt.c: keybag, encrypted
 * Manifest.db, per-file keys, WAL database as its own entry) and the real
 * `spyscan` binary must:
 *   - give exactly the outputs of the plain twin (every file but info.json
 *     and command.log, byte for byte), with the password from the
 *     environment, from -p, or a key file from extract-key;
 *   - say "wrong password" and exit 3 with no results for a wrong one;
 *   - decrypt-backup into a copy whose check gives the same outputs again;
 *   - write nothing outside the output folder while checking in place: an
 *     LD_PRELOAD shim records every file creation, TMPDIR is an empty folder
 *     that must stay empty, and the backup tree and the folder beside it are
 *     hashed and listed before and after (design.md §3, §8). */
#pragma GCC diagnostic ignored "-Wunused-function" /* helpers used by other e2e tests */
#include "e2e_sample_helpers.h"

#include "backup_crypt.h"

#include <errno.h>
#include <signal.h>
#include <termios.h>

#define PW "sample backup password"

extern char **environ;

static char *g_tmp, *g_enc, *g_slot, *g_plain_out;

/* Points tmp/slot/backup at dir, so every run sees the same input path
 * (outputs name it) whatever it holds. */
static void slot_to(const char *dir)
{
    unlink(g_slot);
    assert_int_equal(symlink(dir, g_slot), 0);
}

/* Runs spyscan with argv (after the binary) in its own session (no
 * terminal: a prompt can never block), stdin from /dev/null, the password
 * variables removed from the environment and `extra` (NULL-terminated
 * "K=V") added. Output to log. Returns the exit code. */
static int run(const char *const *args, const char *const *extra, const char *log)
{
    const char *bin = getenv("SPYSCAN_BIN");
    assert_non_null(bin);
    const char *argv[32] = {bin};
    size_t n = 1;
    for (; args[n - 1]; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    const char *envp[256];
    size_t k = 0;
    for (char **e = environ; *e && k < 200; e++)
        if (strncmp(*e, "SPYSCAN_BACKUP_PASSWORD=", 24) &&
            strncmp(*e, "MVT_IOS_BACKUP_PASSWORD=", 24))
            envp[k++] = *e;
    for (size_t i = 0; extra && extra[i]; i++)
        envp[k++] = extra[i];
    envp[k] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setsid();
        int in = open("/dev/null", O_RDONLY);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in >= 0)
            dup2(in, 0);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execve(bin, (char *const *)argv, (char *const *)envp);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* check-backup of the slot into out with the demo indicators. */
static int check(const char *out, const char *const *more, const char *const *extra,
                 const char *log)
{
    char *stix = tu_join(tu_source_dir(), "samples/demo-indicators.stix2");
    const char *args[24] = {"ios", "check-backup", "--no-default-iocs", "-i", stix, "-o", out};
    size_t n = 7;
    for (size_t i = 0; more && more[i]; i++)
        args[n++] = more[i];
    args[n++] = g_slot;
    args[n] = NULL;
    int code = run(args, extra, log);
    free(stix);
    return code;
}

/* Same file names, same bytes (info.json and command.log aside: dates). */
static void assert_same_outputs(const char *want_dir, const char *got_dir)
{
    json_t *a = e2e_listing(want_dir), *b = e2e_listing(got_dir);
    e2e_assert_same(a, b, "the list of output files");
    size_t i;
    json_t *name;
    size_t compared = 0;
    json_array_foreach(a, i, name)
    {
        const char *s = json_string_value(name);
        if (s[0] == '.' || !strcmp(s, "info.json") || !strcmp(s, "command.log"))
            continue;
        char *p1 = tu_join(want_dir, s), *p2 = tu_join(got_dir, s);
        size_t n1 = 0, n2 = 0;
        char *d1 = tu_read(p1, &n1), *d2 = tu_read(p2, &n2);
        if (n1 != n2 || memcmp(d1, d2, n1) != 0)
            fail_msg("%s differs between the plain and the encrypted check", s);
        compared++;
        free(d1), free(d2), free(p1), free(p2);
    }
    assert_true(compared >= 10); /* module results, alerts, timeline, urls */
    json_decref(a);
    json_decref(b);
}

static char *out_path(const char *name)
{
    return tu_join(g_tmp, name);
}

static int setup(void **state)
{
    (void)state;
    g_tmp = tu_mkdtemp();
    char *evidence =
        tu_join(g_tmp, "evidence"); /* alone in its folder: nothing may appear beside it */
    mkdir(evidence, 0755);
    g_enc = tu_join(evidence, "encrypted");
    free(evidence);
    char *slots = tu_join(g_tmp, "slot");
    mkdir(slots, 0755);
    g_slot = tu_join(slots, "backup");
    free(slots);
    bc_opts o = {.password = PW, .iter = 10, .dpic = 100};
    bc_encrypt_backup(e2e_sample_dir(), g_enc, &o, NULL);
    /* The plain twin's outputs, once. */
    slot_to(e2e_sample_dir());
    g_plain_out = out_path("plain-results");
    char *log = out_path("plain.log");
    int code = check(g_plain_out, NULL, NULL, log);
    if (code != 1)
        e2e_dump_log(log);
    assert_int_equal(code, 1); /* the planted demo indicators */
    free(log);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(g_tmp);
    free(g_tmp), free(g_enc), free(g_slot), free(g_plain_out);
    return 0;
}

static void test_same_outputs_as_plain_twin(void **state)
{
    (void)state;
    slot_to(g_enc);
    char *out = out_path("enc-env"), *log = out_path("enc-env.log");
    const char *const env[] = {"SPYSCAN_BACKUP_PASSWORD=" PW, NULL};
    const char *const more[] = {"-n", NULL};
    int code = check(out, more, env, log);
    if (code != 1)
        e2e_dump_log(log);
    assert_int_equal(code, 1);
    assert_same_outputs(g_plain_out, out);
    /* The derivation shows it is working; the password appears nowhere. */
    char *text = tu_read(log, NULL);
    assert_non_null(strstr(text, "Deriving the decryption key"));
    assert_null(strstr(text, PW));
    char *cl = tu_join(out, "command.log");
    char *cltext = tu_read(cl, NULL);
    assert_null(strstr(cltext, PW));
    free(cltext), free(cl), free(text), free(out), free(log);

    /* MVT's variable and -p work the same. */
    out = out_path("enc-mvt-env"), log = out_path("enc-mvt-env.log");
    const char *const env2[] = {"MVT_IOS_BACKUP_PASSWORD=" PW, NULL};
    assert_int_equal(check(out, more, env2, log), 1);
    assert_same_outputs(g_plain_out, out);
    free(out), free(log);
    out = out_path("enc-p"), log = out_path("enc-p.log");
    const char *const withp[] = {"-p", PW, NULL};
    assert_int_equal(check(out, withp, NULL, log), 1);
    assert_same_outputs(g_plain_out, out);
    free(out), free(log);
}

static void test_wrong_and_missing_password(void **state)
{
    (void)state;
    slot_to(g_enc);
    char *out = out_path("wrong"), *log = out_path("wrong.log");
    const char *const more[] = {"-n", "-p", "not the password", NULL};
    assert_int_equal(check(out, more, NULL, log), 3);
    char *text = tu_read(log, NULL);
    assert_non_null(strstr(text, "wrong password"));
    free(text);
    /* Nothing presented as results: no module file, no info.json. */
    char *p = tu_join(out, "info.json");
    assert_int_equal(access(p, F_OK), -1);
    free(p);
    p = tu_join(out, "manifest.json");
    assert_int_equal(access(p, F_OK), -1);
    free(p), free(out), free(log);

    /* No password anywhere and -n (or no terminal): said, exit 3. */
    out = out_path("nopw"), log = out_path("nopw.log");
    const char *const n_only[] = {"-n", NULL};
    assert_int_equal(check(out, n_only, NULL, log), 3);
    text = tu_read(log, NULL);
    assert_non_null(strstr(text, "encrypted"));
    free(text), free(out), free(log);
    /* -p with -k: a usage error. */
    out = out_path("both"), log = out_path("both.log");
    const char *const both[] = {"-p", "x", "-k", "/nonexistent", NULL};
    assert_int_equal(check(out, both, NULL, log), 2);
    free(out), free(log);
}

static void test_extract_key_and_key_file(void **state)
{
    (void)state;
    char *key = out_path("backup.key"), *log = out_path("extract.log");
    const char *const env[] = {"SPYSCAN_BACKUP_PASSWORD=" PW, NULL};
    const char *const save[] = {"ios", "extract-key", "-n", "-k", key, g_enc, NULL};
    assert_int_equal(run(save, env, log), 0);
    size_t n = 0;
    char *hex = tu_read(key, &n);
    assert_int_equal(n, 64);
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = tu_read(log, NULL);
    assert_null(strstr(text, hex)); /* saved, never logged */
    free(text);
    assert_int_equal(run(save, env, log), 2); /* an existing file is not replaced */
    /* Printed on stdout when no file is named. */
    const char *const print[] = {"ios", "extract-key", "-n", g_enc, NULL};
    assert_int_equal(run(print, env, log), 0);
    text = tu_read(log, NULL);
    assert_non_null(strstr(text, hex));
    free(text);
    /* A wrong password: exit 3, no key. */
    const char *const wrong[] = {"ios", "extract-key", "-n", "-p", "nope", g_enc, NULL};
    assert_int_equal(run(wrong, NULL, log), 3);

    slot_to(g_enc);
    char *out = out_path("enc-key");
    const char *const more[] = {"-n", "-k", key, NULL};
    assert_int_equal(check(out, more, NULL, log), 1);
    assert_same_outputs(g_plain_out, out);
    text = tu_read(log, NULL);
    assert_null(strstr(text, "Deriving")); /* the key file skips the derivation */
    free(text);
    free(out), free(hex), free(key), free(log);
}

static void test_decrypt_backup_then_check(void **state)
{
    (void)state;
    char *dest = out_path("decrypted"), *log = out_path("decrypt.log");
    const char *const inside_args[] = {"ios", "decrypt-backup", "-n",  "-p", PW,
                                       "-d",  "PLACEHOLDER",    g_enc, NULL};
    char *inside = tu_join(g_enc, "copy");
    const char *args[9];
    memcpy(args, inside_args, sizeof args);
    args[6] = inside;
    assert_int_equal(run(args, NULL, log), 2); /* DEST inside the input */
    struct stat st;
    assert_int_equal(stat(inside, &st), -1);
    args[6] = dest;
    int code = run(args, NULL, log);
    if (code != 0)
        e2e_dump_log(log);
    assert_int_equal(code, 0);
    /* decrypt-backup of something plain: refused. */
    const char *const plain_args[] = {"ios", "decrypt-backup", "-n", "-p", PW, "-d",
                                      "x",   e2e_sample_dir(), NULL};
    assert_int_equal(run(plain_args, NULL, log), 3);

    slot_to(dest);
    char *out = out_path("dec-results");
    code = check(out, (const char *const[]){"-n", NULL}, NULL, log);
    if (code != 1)
        e2e_dump_log(log);
    assert_int_equal(code, 1);
    assert_same_outputs(g_plain_out, out);
    free(out), free(inside), free(dest), free(log);
}

/* The shim must load (it cannot under AddressSanitizer). */
static bool shim_usable(const char *shim)
{
    char *log = out_path("shim-probe.log");
    char *pre = spy_xasprintf("LD_PRELOAD=%s", shim);
    const char *const args[] = {"version", NULL};
    const char *const env[] = {pre, NULL};
    int code = run(args, env, log);
    char *text = tu_read(log, NULL);
    bool ok = code == 0 && text && !strstr(text, "ASan") && !strstr(text, "AddressSanitizer");
    free(text), free(pre), free(log);
    return ok;
}

static void test_no_plaintext_on_disk(void **state)
{
    (void)state;
    const char *shim = getenv("SPYSCAN_WRITE_SPY");
    const char *bin = getenv("SPYSCAN_BIN");
    char *ldd = spy_xasprintf("ldd '%s' 2>/dev/null | grep -q libasan", bin);
    bool asan = system(ldd) == 0;
    free(ldd);
    bool spy = shim && !asan && shim_usable(shim);
    if (!spy)
        print_message("the shim part is skipped: LD_PRELOAD is unusable here (sanitizer build)\n");
    slot_to(g_enc);
    char *parent = e2e_parent(g_enc);
    json_t *tree_before = e2e_snapshot(g_enc), *beside_before = e2e_listing(parent);
    char *tmpdir = out_path("empty-tmp");
    mkdir(tmpdir, 0700);
    char *runs = out_path("nowrite");
    mkdir(runs, 0700);
    char *out = tu_join(runs, "results"), *log = out_path("nowrite.log");
    char *wlog = out_path("nowrite.spy");
    char *e1 = spy_xasprintf("TMPDIR=%s", tmpdir), *e2 = spy_xasprintf("LD_PRELOAD=%s", shim),
         *e3 = spy_xasprintf("SPYSCAN_WRITE_SPY_LOG=%s", wlog);
    const char *const env[] = {"SPYSCAN_BACKUP_PASSWORD=" PW, e1, spy ? e2 : NULL, e3, NULL};
    assert_int_equal(check(out, (const char *const[]){"-n", NULL}, env, log), 1);
    if (spy) {
        size_t n = 0;
        char *rec = tu_read(wlog, &n);
        assert_non_null(rec); /* it saw the outputs being written */
        char *line = rec, *end;
        size_t inside = 0;
        for (; line && *line; line = end ? end + 1 : NULL) {
            end = strchr(line, '\n');
            if (end)
                *end = '\0';
            char call[64] = "", path[4096] = "", result[32] = "";
            if (sscanf(line, "%63[^\t]\t%4095[^\t]\t%31s", call, path, result) != 3)
                continue;
            size_t ol = strlen(out);
            if (!strncmp(path, out, ol) && (path[ol] == '\0' || path[ol] == '/')) {
                inside++;
                continue;
            }
            /* mkdir -p of existing parents: EEXIST changes nothing */
            if (!strncmp(call, "mkdir", 5) && !strcmp(result, "17") &&
                !strncmp(out, path, strlen(path)))
                continue;
            fail_msg("%s outside the output folder: %s (%s)", call, path, result);
        }
        assert_true(inside > 5);
        free(rec);
    }
    json_t *left = e2e_listing(tmpdir);
    assert_int_equal(json_array_size(left), 2); /* "." and ".." only */
    json_decref(left);
    json_t *tree_after = e2e_snapshot(g_enc), *beside_after = e2e_listing(parent);
    e2e_assert_same(tree_before, tree_after, "the encrypted backup tree");
    e2e_assert_same(beside_before, beside_after, "the folder holding the encrypted backup");
    json_decref(tree_before), json_decref(tree_after);
    json_decref(beside_before), json_decref(beside_after);
    free(e1), free(e2), free(e3), free(wlog), free(log), free(out), free(runs), free(tmpdir);
    free(parent);
}

/* ---- the no-echo prompt, on a pseudo-terminal ---- */

/* Starts spyscan with the pty's slave as its controlling terminal. */
static pid_t spawn_on_pty(int *master, const char *const *args)
{
    *master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(*master >= 0);
    assert_int_equal(grantpt(*master), 0);
    assert_int_equal(unlockpt(*master), 0);
    const char *slave = ptsname(*master);
    assert_non_null(slave);
    const char *bin = getenv("SPYSCAN_BIN");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setsid();
        int fd = open(slave, O_RDWR); /* the first terminal opened: controlling */
        if (fd < 0)
            _exit(126);
        dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
        const char *argv[16] = {bin};
        for (size_t i = 0; args[i] && i < 14; i++)
            argv[i + 1] = args[i];
        char *envp[] = {NULL};
        execve(bin, (char *const *)argv, envp);
        _exit(127);
    }
    return pid;
}

/* Reads from the master until `want` appears (or EOF); returns the text. */
static char *read_until(int master, const char *want)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = spy_xcalloc(cap, 1);
    while (n + 1 < cap && !strstr(buf, want)) {
        ssize_t r = read(master, buf + n, cap - 1 - n);
        if (r <= 0)
            break; /* EIO once the child is gone */
        n += (size_t)r;
        buf[n] = '\0';
    }
    return buf;
}

static bool echo_on(int master)
{
    struct termios t;
    assert_int_equal(tcgetattr(master, &t), 0); /* Linux: the slave's settings */
    return (t.c_lflag & ECHO) != 0;
}

static void test_prompt_without_echo(void **state)
{
    (void)state;
    alarm(120); /* a prompt that never comes must fail the test, not hang it */
    slot_to(g_enc);
    char *out = out_path("prompt"),
         *stix = tu_join(tu_source_dir(), "samples/demo-indicators.stix2");
    const char *const args[] = {
        "ios", "check-backup", "--no-default-iocs", "-i", stix, "-o", out, g_slot, NULL};
    int master;
    pid_t pid = spawn_on_pty(&master, args);
    char *seen = read_until(master, "Password of the encrypted backup");
    assert_non_null(strstr(seen, "Password of the encrypted backup"));
    assert_false(echo_on(master));
    /* Ctrl-Z at the prompt (ignored here: a session leader's group is
     * orphaned, so it does not stop): echo must still be off afterwards. */
    kill(pid, SIGTSTP);
    usleep(300 * 1000);
    assert_false(echo_on(master));
    ssize_t w = write(master, PW "\n", strlen(PW) + 1);
    assert_int_equal(w, (ssize_t)strlen(PW) + 1);
    char *rest = read_until(master, "\x01never");
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_null(strstr(rest, PW)); /* typed, never echoed */
    assert_same_outputs(g_plain_out, out);
    free(rest), free(seen);
    close(master);

    /* Interrupted at the prompt: the terminal gets its echo back. */
    char *out2 = out_path("prompt-killed");
    const char *const args2[] = {"ios", "check-backup", "--no-default-iocs", "-o", out2, g_slot,
                                 NULL};
    pid = spawn_on_pty(&master, args2);
    seen = read_until(master, "Password of the encrypted backup");
    assert_false(echo_on(master));
    kill(pid, SIGTERM);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    assert_true(echo_on(master));
    close(master);
    free(seen), free(out2), free(out), free(stix);
    alarm(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_outputs_as_plain_twin),
        cmocka_unit_test(test_wrong_and_missing_password),
        cmocka_unit_test(test_extract_key_and_key_file),
        cmocka_unit_test(test_decrypt_backup_then_check),
        cmocka_unit_test(test_no_plaintext_on_disk),
        cmocka_unit_test(test_prompt_without_echo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
