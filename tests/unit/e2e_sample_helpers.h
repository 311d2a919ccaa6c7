/* Shared by the end-to-end tests on the bundled sample backup
 * (test_e2e_sample_backup.c, test_e2e_sample_pegasus.c): runs the real
 * `spyscan ios check-backup` binary on it, collects the alerts, and proves the
 * evidence was left alone (design.md §3, §8: hash and list the input tree
 * before and after, and list the folder beside it). */
#ifndef SPY_E2E_SAMPLE_HELPERS_H
#define SPY_E2E_SAMPLE_HELPERS_H

#define _XOPEN_SOURCE 700
#include "testutil.h"

#include "core/mem.h"
#include "modules/registry.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* One alert we expect: the module that raises it and the indicator value. */
typedef struct e2e_expect {
    const char *slug;
    const char *value;
} e2e_expect;

static const char *e2e_sample_dir(void)
{
    const char *d = getenv("SPYSCAN_SAMPLE_BACKUP");
    struct stat st;
    if (!d || !*d || stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "SPYSCAN_SAMPLE_BACKUP does not name the built sample backup\n");
        abort();
    }
    return d;
}

static bool e2e_module_registered(const char *slug)
{
    for (size_t i = 0; spy_builtin_modules[i]; i++)
        if (strcmp(spy_builtin_modules[i]->slug, slug) == 0)
            return true;
    return false;
}

/* ---- the tree snapshot: sorted "path type size sha256" lines ---- */

static json_t *e2e_lines; /* nftw has no user pointer */
static size_t e2e_root_len;

static char *e2e_sha256_file(const char *path)
{
    size_t len = 0;
    char *data = tu_read(path, &len);
    unsigned char md[32];
    unsigned int n = 0;
    char *hex = spy_xcalloc(65, 1);
    if (!data)
        return spy_xstrdup("unreadable");
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    free(data);
    return hex;
}

static int e2e_snap_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)flag;
    (void)ftw;
    char *hash = S_ISREG(st->st_mode) ? e2e_sha256_file(path) : spy_xstrdup("-");
    /* The modification time too: rewriting a file with the same bytes is
     * still a write. */
    char *line = spy_xasprintf("%s %o %lld %lld.%09ld %s", path + e2e_root_len,
                               (unsigned)st->st_mode, (long long)st->st_size,
                               (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec, hash);
    json_array_append_new(e2e_lines, json_string(line));
    free(line);
    free(hash);
    return 0;
}

static int e2e_cmp_lines(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* Every file and folder under root (recursively, without following links)
 * with its mode, size, mtime and content hash, sorted. Caller json_decref()s. */
static json_t *e2e_snapshot(const char *root)
{
    e2e_lines = json_array();
    e2e_root_len = strlen(root);
    assert_int_equal(nftw(root, e2e_snap_cb, 16, FTW_PHYS), 0);
    size_t n = json_array_size(e2e_lines);
    json_t **items = spy_xcalloc(n ? n : 1, sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(e2e_lines, i));
    qsort(items, n, sizeof *items, e2e_cmp_lines);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sorted, items[i]);
    free(items);
    json_decref(e2e_lines);
    e2e_lines = NULL;
    return sorted;
}

/* The names in one folder (not recursive), sorted: what lives beside the input. */
static json_t *e2e_listing(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    json_t *names = json_array();
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        json_array_append_new(names, json_string(e->d_name));
    closedir(d);
    size_t n = json_array_size(names);
    json_t **items = spy_xcalloc(n ? n : 1, sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(names, i));
    qsort(items, n, sizeof *items, e2e_cmp_lines);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sorted, items[i]);
    free(items);
    json_decref(names);
    return sorted;
}

static char *e2e_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash != path ? spy_xstrndup(path, (size_t)(slash - path)) : spy_xstrdup(".");
}

static void e2e_assert_same(const json_t *before, const json_t *after, const char *what)
{
    if (!json_equal((json_t *)before, (json_t *)after)) {
        char *b = json_dumps(before, JSON_INDENT(1));
        char *a = json_dumps(after, JSON_INDENT(1));
        fprintf(stderr, "%s changed.\nbefore: %s\nafter: %s\n", what, b, a);
        free(b);
        free(a);
        fail_msg("%s changed during the check", what);
    }
}

/* ---- running the real binary ---- */

/* Runs `spyscan ios check-backup --no-default-iocs -i stix -o out sample`;
 * stdout/stderr go to log (shown when the test fails). Returns the exit code. */
static int e2e_run_check(const char *stix, const char *out, const char *sample, const char *log)
{
    const char *bin = getenv("SPYSCAN_BIN");
    assert_non_null(bin);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        char *const argv[] = {(char *)bin,  "ios", "check-backup", "--no-default-iocs", "-i",
                              (char *)stix, "-o",  (char *)out,    (char *)sample,      NULL};
        execv(bin, argv);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* alerts.json of the run, or an empty array when the run raised none. */
static json_t *e2e_alerts(const char *out)
{
    char *path = tu_join(out, "alerts.json");
    json_t *a = NULL;
    if (access(path, F_OK) == 0) {
        json_error_t err;
        a = json_load_file(path, 0, &err);
        if (!a)
            fail_msg("alerts.json does not parse: %s", err.text);
    } else {
        a = json_array();
    }
    free(path);
    assert_true(json_is_array(a));
    return a;
}

/* The expected value of module mod that an alert's message names in quotes,
 * or NULL. For indicator matches raised without a matched_indicator (the
 * Manifest module raises its HIGH file-name matches through
 * spy_alert_raise, so the value is only in the message). */
static const char *e2e_value_in_message(const char *mod, const char *msg, const e2e_expect *exp,
                                        size_t n)
{
    for (size_t i = 0; mod && msg && i < n; i++) {
        if (strcmp(exp[i].slug, mod) != 0)
            continue;
        char *quoted = spy_xasprintf("\"%s\"", exp[i].value);
        bool hit = strstr(msg, quoted) != NULL;
        free(quoted);
        if (hit)
            return exp[i].value;
    }
    return NULL;
}

/* The "module|value" pairs of every indicator-match alert, sorted, without
 * duplicates. Any other alert at HIGH or CRITICAL fails the test: nothing in
 * the sample is meant to trigger a heuristic. */
static json_t *e2e_matched_pairs(const json_t *alerts, const e2e_expect *exp, size_t n_exp)
{
    json_t *names = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(alerts, i, a)
    {
        const char *mod = json_string_value(json_object_get(a, "module"));
        const char *level = json_string_value(json_object_get(a, "level"));
        const char *msg = json_string_value(json_object_get(a, "message"));
        const json_t *mi = json_object_get(a, "matched_indicator");
        const char *value = json_string_value(json_object_get(mi, "value"));
        bool severe = level && (!strcmp(level, "HIGH") || !strcmp(level, "CRITICAL"));
        if (!value && severe)
            value = e2e_value_in_message(mod, msg, exp, n_exp);
        if (!value) {
            if (severe)
                fail_msg("unexpected %s heuristic alert from %s: %s", level, mod, msg);
            continue;
        }
        char *pair = spy_xasprintf("%s|%s", mod ? mod : "?", value);
        json_array_append_new(names, json_string(pair));
        free(pair);
    }
    json_t *set = json_array();
    size_t n = json_array_size(names);
    json_t **items = spy_xcalloc(n ? n : 1, sizeof *items);
    for (size_t k = 0; k < n; k++)
        items[k] = json_array_get(names, k);
    qsort(items, n, sizeof *items, e2e_cmp_lines);
    for (size_t k = 0; k < n; k++)
        if (k == 0 || strcmp(json_string_value(items[k]), json_string_value(items[k - 1])))
            json_array_append(set, items[k]);
    free(items);
    json_decref(names);
    return set;
}

/* The expected pairs whose module is registered, in the same form. */
static json_t *e2e_expected_pairs(const e2e_expect *exp, size_t n)
{
    json_t *pairs = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!e2e_module_registered(exp[i].slug))
            continue;
        char *pair = spy_xasprintf("%s|%s", exp[i].slug, exp[i].value);
        json_array_append_new(pairs, json_string(pair));
        free(pair);
    }
    json_t *set = json_array();
    size_t m = json_array_size(pairs);
    json_t **items = spy_xcalloc(m ? m : 1, sizeof *items);
    for (size_t k = 0; k < m; k++)
        items[k] = json_array_get(pairs, k);
    qsort(items, m, sizeof *items, e2e_cmp_lines);
    for (size_t k = 0; k < m; k++)
        if (k == 0 || strcmp(json_string_value(items[k]), json_string_value(items[k - 1])))
            json_array_append(set, items[k]);
    free(items);
    json_decref(pairs);
    return set;
}

static void e2e_dump_log(const char *log)
{
    char *text = tu_read(log, NULL);
    if (text)
        fprintf(stderr, "---- spyscan output ----\n%s\n------------------------\n", text);
    free(text);
}

/* The whole scenario: snapshot, check with stix, compare the alerts with
 * exp (restricted to registered modules), exit code, snapshot again. */
static void e2e_check_sample(const char *stix, const e2e_expect *exp, size_t n_exp)
{
    const char *sample = e2e_sample_dir();
    char *parent = e2e_parent(sample);
    json_t *tree_before = e2e_snapshot(sample);
    json_t *beside_before = e2e_listing(parent);

    char *tmp = tu_mkdtemp();
    char *out = tu_join(tmp, "results");
    char *log = tu_join(tmp, "spyscan.log");
    int code = e2e_run_check(stix, out, sample, log);

    json_t *alerts = e2e_alerts(out);
    json_t *got = e2e_matched_pairs(alerts, exp, n_exp);
    json_t *want = e2e_expected_pairs(exp, n_exp);
    if (!json_equal(got, want))
        e2e_dump_log(log);
    e2e_assert_same(want, got, "the set of (module|matched value) alerts (before = expected)");
    /* design.md §5: 1 when an indicator matched, 0 when nothing did; 4/5
     * would mean a module failed on the sample. */
    if (code != (json_array_size(want) ? 1 : 0))
        e2e_dump_log(log);
    assert_int_equal(code, json_array_size(want) ? 1 : 0);

    json_t *tree_after = e2e_snapshot(sample);
    json_t *beside_after = e2e_listing(parent);
    e2e_assert_same(tree_before, tree_after, "the sample backup tree");
    e2e_assert_same(beside_before, beside_after, "the folder holding the sample backup");

    json_decref(tree_before);
    json_decref(tree_after);
    json_decref(beside_before);
    json_decref(beside_after);
    json_decref(alerts);
    json_decref(got);
    json_decref(want);
    tu_rmtree(tmp);
    free(tmp);
    free(out);
    free(log);
    free(parent);
}

#endif
