/* The AndroidQF reader: paths under the acquisition folder's name, ZIPs with
 * and without a top folder, the acquisition context (§1.3.4), the nested
 * bug report (folder and ZIP), and check-androidqf end to end with test
 * modules: the bug report modules run on the nested report with the
 * parent's context and their results merge into one alerts.json and
 * timeline.csv; -m narrows the AndroidQF step only. */
#include "acquire/android.h"
#include "acquire/commands.h"
#include "android_fixture.h"
#include "core/error.h"
#include "core/log.h"
#include "testutil.h"
#include "zip_fixture.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static size_t count(const spy_acq *acq, const char *glob, char *first, size_t cap)
{
    const char *globs[] = {glob, NULL};
    spy_query q = {.globs = globs};
    spy_artifacts arts = {0};
    assert_int_equal(spy_acq_find(acq, &q, &arts), SPY_OK);
    if (first && arts.n)
        snprintf(first, cap, "%s", arts.v[0].path);
    size_t n = arts.n;
    spy_artifacts_free(&arts);
    return n;
}

static char *read_text(const spy_acq *acq, const char *path)
{
    spy_artifact art = {.path = (char *)path};
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(spy_acq_read(acq, &art, 1 << 20, &buf, &len), SPY_OK);
    return buf;
}

#define ACQ_JSON                                                                                   \
    "{\"uuid\": \"" AF_QF_UUID "\", \"androidqf_version\": \"1.7.0\", "                            \
    "\"started\": \"2024-03-01T09:58:00Z\", \"completed\": \"2024-03-01T10:05:00Z\", "             \
    "\"adb_host_public_key\": \"QAAAAhostkey= analyst@laptop\"}"

/* A bug report ZIP (bytes) with a package section naming pkg. */
static void *bugreport_zip(const char *pkg, size_t *len)
{
    char section[256];
    snprintf(section, sizeof section, "Packages:\n  Package [%s] (1a2b):\n", pkg);
    const char *pairs[] = {"package", section, NULL};
    char *text = af_dumpstate(pairs);
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "bugreport-main.txt");
    zf_add_str(z, "bugreport-main.txt", text);
    zf_add_str(z, "FS/data/tombstones/tombstone_00", "crash");
    free(text);
    return zf_finish(z, len);
}

static char *qf_folder(bool with_bugreport)
{
    char *dir = af_androidqf_dir(root);
    af_write_str(dir, "acquisition.json", ACQ_JSON);
    af_write_str(dir, "getprop.txt",
                 "[ro.product.model]: [Pixel 7]\n[ro.build.version.release]: [14]\n");
    af_write_str(dir, "packages.json", "[]");
    af_write_str(dir, "logs/dropbox/event.txt", "log");
    if (with_bugreport) {
        size_t len = 0;
        void *zip = bugreport_zip("com.spy.nested", &len);
        af_write(dir, "bugreport.zip", zip, len);
        free(zip);
    }
    return dir;
}

static void test_folder_paths_and_context(void **state)
{
    (void)state;
    char *dir = qf_folder(false);
    spy_acq acq;
    assert_int_equal(spy_androidqf_open(dir, &acq), SPY_OK);
    assert_int_equal(acq.kind, SPY_ACQ_ANDROIDQF);
    char first[512] = "";
    /* Paths are relative to the folder's parent (§1.3.1). */
    assert_int_equal(count(&acq, "*/getprop.txt", first, sizeof first), 1);
    assert_string_equal(first, AF_QF_UUID "/getprop.txt");
    assert_int_equal(count(&acq, "*/logs/*", first, sizeof first), 1);
    assert_string_equal(first, AF_QF_UUID "/logs/dropbox/event.txt");
    assert_int_equal(count(&acq, "getprop.txt", NULL, 0), 0);
    char *text = read_text(&acq, AF_QF_UUID "/getprop.txt");
    assert_non_null(strstr(text, "Pixel 7"));
    free(text);
    const json_t *ctx = spy_android_context(&acq);
    assert_non_null(ctx);
    assert_int_equal(json_object_size(ctx), 2);
    assert_string_equal(json_string_value(json_object_get(ctx, "started")), "2024-03-01T09:58:00Z");
    assert_string_equal(json_string_value(json_object_get(ctx, "adb_host_public_key")),
                        "QAAAAhostkey= analyst@laptop");
    /* An AndroidQF acquisition has no dumpstate of its own. */
    const char *body;
    size_t len;
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_ENOTFOUND);
    spy_acq_close(&acq);
    free(dir);
}

static void test_context_fallbacks(void **state)
{
    (void)state;
    char *dir = af_androidqf_dir(root);
    af_write_str(dir, "getprop.txt", "[a]: [b]\n");
    spy_acq acq;
    /* No acquisition.json and no key: {} (always set in check-androidqf). */
    assert_int_equal(spy_androidqf_open(dir, &acq), SPY_OK);
    assert_int_equal(json_object_size(spy_android_context(&acq)), 0);
    spy_acq_close(&acq);
    /* A broken acquisition.json is skipped for the next one; a missing
     * host key comes from adb_host_key.pub, newline kept. */
    af_write_str(dir, "acquisition.json", "{not json");
    af_write_str(dir, "old/acquisition.json", "{\"started\": \"2023-01-01T00:00:00Z\"}");
    af_write_str(dir, "adb_host_key.pub", "QAAAApubfile= me@host\n");
    assert_int_equal(spy_androidqf_open(dir, &acq), SPY_OK);
    const json_t *ctx = spy_android_context(&acq);
    assert_string_equal(json_string_value(json_object_get(ctx, "started")), "2023-01-01T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(ctx, "adb_host_public_key")),
                        "QAAAApubfile= me@host\n");
    spy_acq_close(&acq);
    free(dir);
}

static void test_zip_forms(void **state)
{
    (void)state;
    spy_acq acq;
    char first[512] = "";
    /* As AndroidQF writes it: one top folder. */
    zf_zip *z = zf_new();
    zf_add_str(z, "acq1/getprop.txt", "[x]: [y]\n");
    zf_add_str(z, "acq1/acquisition.json", "{\"started\": \"2024-01-01T00:00:00Z\"}");
    char *p1 = tu_join(root, "acq1.zip");
    zf_finish_to(z, p1);
    assert_int_equal(spy_androidqf_open(p1, &acq), SPY_OK);
    assert_int_equal(count(&acq, "*/getprop.txt", first, sizeof first), 1);
    assert_string_equal(first, "acq1/getprop.txt");
    assert_string_equal(json_string_value(json_object_get(spy_android_context(&acq), "started")),
                        "2024-01-01T00:00:00Z");
    assert_true(json_is_null(json_object_get(spy_android_context(&acq), "adb_host_public_key")));
    spy_acq_close(&acq);
    /* Files at the archive root: listed under a virtual top folder named
     * after the ZIP, so "* /getprop.txt" finds them (extension). */
    z = zf_new();
    zf_add_str(z, "getprop.txt", "[x]: [y]\n");
    zf_add_str(z, "logs/a.log", "a");
    char *p2 = tu_join(root, "3f1e.zip");
    zf_finish_to(z, p2);
    assert_int_equal(spy_androidqf_open(p2, &acq), SPY_OK);
    assert_int_equal(count(&acq, "*/getprop.txt", first, sizeof first), 1);
    assert_string_equal(first, "3f1e/getprop.txt");
    assert_int_equal(count(&acq, "*/logs/*", first, sizeof first), 1);
    assert_string_equal(first, "3f1e/logs/a.log");
    char *text = read_text(&acq, "3f1e/logs/a.log");
    assert_string_equal(text, "a");
    free(text);
    spy_acq_close(&acq);
    /* A bug report given to check-androidqf is named as such. */
    size_t len = 0;
    void *br = bugreport_zip("x", &len);
    char *p3 = tu_join(root, "br.zip");
    tu_write(p3, br, len);
    assert_int_equal(spy_androidqf_open(p3, &acq), SPY_EFORMAT);
    free(br);
    free(p1);
    free(p2);
    free(p3);
}

static void assert_nested_package(const spy_acq *parent, const char *pkg)
{
    spy_acq nested;
    assert_int_equal(spy_androidqf_open_nested_bugreport(parent, &nested), SPY_OK);
    assert_int_equal(nested.kind, SPY_ACQ_ANDROID_BUGREPORT);
    const char *body = NULL;
    size_t len = 0;
    assert_int_equal(spy_android_dumpsys(&nested, "package", &body, &len), SPY_OK);
    char want[128];
    snprintf(want, sizeof want, "Package [%s]", pkg);
    char *copy = strndup(body, len);
    assert_non_null(strstr(copy, want));
    free(copy);
    /* The nested report answers with its parent's context. */
    assert_ptr_equal(spy_android_context(&nested), spy_android_context(parent));
    assert_int_equal(count(&nested, "*/tombstone_*", NULL, 0), 1);
    spy_acq_close(&nested);
}

static void test_nested_bugreport(void **state)
{
    (void)state;
    spy_acq acq, nested;
    char *dir = qf_folder(true);
    assert_int_equal(spy_androidqf_open(dir, &acq), SPY_OK);
    assert_nested_package(&acq, "com.spy.nested");
    spy_acq_close(&acq);

    /* Inside an AndroidQF ZIP: read from the outer ZIP into memory. */
    size_t len = 0;
    void *br = bugreport_zip("com.spy.inzip", &len);
    zf_zip *z = zf_new();
    zf_add_str(z, "acq/getprop.txt", "[x]: [y]\n");
    zf_add(z, "acq/bugreport.zip", br, len, 0);
    free(br);
    char *zp = tu_join(root, "acq.zip");
    zf_finish_to(z, zp);
    assert_int_equal(spy_androidqf_open(zp, &acq), SPY_OK);
    assert_nested_package(&acq, "com.spy.inzip");
    spy_acq_close(&acq);

    /* Absent, and broken. */
    char *bare = tu_join(root, "bare");
    af_write_str(bare, "getprop.txt", "[x]: [y]\n");
    assert_int_equal(spy_androidqf_open(bare, &acq), SPY_OK);
    assert_int_equal(spy_androidqf_open_nested_bugreport(&acq, &nested), SPY_ENOTFOUND);
    spy_acq_close(&acq);
    /* No bug report but AndroidQF's own dumpsys.txt: the dumpsys modules
     * read it (extension; MVT skips them). */
    af_write_str(bare, "dumpsys.txt",
                 "DUMP OF SERVICE package:\n  Package [com.spy.dumpsys] (1):\n");
    assert_int_equal(spy_androidqf_open(bare, &acq), SPY_OK);
    assert_int_equal(spy_androidqf_open_nested_bugreport(&acq, &nested), SPY_OK);
    const char *body = NULL;
    size_t blen = 0;
    assert_int_equal(spy_android_dumpsys(&nested, "package", &body, &blen), SPY_OK);
    assert_int_equal(blen, strlen("  Package [com.spy.dumpsys] (1):"));
    assert_ptr_equal(spy_android_context(&nested), spy_android_context(&acq));
    assert_int_equal(count(&nested, "FS/*", NULL, 0), 0);
    assert_int_equal(count(&nested, "*", NULL, 0), 1);
    spy_acq_close(&nested);
    spy_acq_close(&acq);
    /* A bugreport.zip wins over dumpsys.txt; a broken one is reported. */
    af_write_str(bare, "bugreport.zip", "PK\x03\x04 truncated");
    assert_int_equal(spy_androidqf_open(bare, &acq), SPY_OK);
    assert_int_equal(spy_androidqf_open_nested_bugreport(&acq, &nested), SPY_EFORMAT);
    spy_acq_close(&acq);
    free(bare);
    free(zp);
    free(dir);
}

/* ---- end to end with test modules ----------------------------------------- */

static int aqf_run(spy_mod_ctx *ctx)
{
    const char *globs[] = {"*/getprop.txt", NULL};
    spy_query q = {.globs = globs, .first_only = true};
    spy_artifacts arts = {0};
    spy_acq_find(spy_ctx_acq(ctx), &q, &arts);
    int err = arts.n ? SPY_OK : SPY_ENOTFOUND;
    for (size_t i = 0; i < arts.n; i++)
        spy_emit(ctx, json_pack("{s:s, s:s}", "path", arts.v[i].path, "kind", "androidqf"));
    spy_artifacts_free(&arts);
    return err;
}

static void aqf_check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "2024-03-01 10:00:00.000000", r, "aqf saw %s",
                    json_string_value(json_object_get(r, "path")));
}

static int br_run(spy_mod_ctx *ctx)
{
    const char *body = NULL;
    size_t len = 0;
    int err = spy_android_dumpsys(spy_ctx_acq(ctx), "package", &body, &len);
    if (err != SPY_OK)
        return err;
    const json_t *c = spy_android_context(spy_ctx_acq(ctx));
    const char *started = json_string_value(json_object_get(c, "started"));
    return spy_emit(
        ctx, json_pack("{s:s%, s:s}", "package", body, len, "started", started ? started : "none"));
}

static void br_check(spy_mod_ctx *ctx, const json_t *r)
{
    spy_alert_raise(ctx, SPY_LEVEL_HIGH, "", r, "bug report package section of %zu bytes",
                    strlen(json_string_value(json_object_get(r, "package"))));
}

static void br_timeline(spy_mod_ctx *ctx, const json_t *r)
{
    spy_timeline_event(ctx, "2024-03-01 10:00:01.000000", "package_seen",
                       json_string_value(json_object_get(r, "started")));
}

static const spy_module mod_aqf = {"TestAqf", "test_aqf", SPY_ACQ_ANDROIDQF, 0, aqf_run,
                                   aqf_check, NULL};
static const spy_module mod_br = {
    "TestBugreport", "test_bugreport", SPY_ACQ_ANDROID_BUGREPORT, 0, br_run, br_check, br_timeline};
static const spy_module *const test_modules[] = {&mod_br, &mod_aqf, NULL};

static json_t *load(const char *dir, const char *name)
{
    char *p = tu_join(dir, name);
    json_t *j = json_load_file(p, 0, NULL);
    free(p);
    return j;
}

static int check(const spy_check_cmd *cmd, const char *input, const char *out, const char *module)
{
    spy_check_opts o = {.input = input, .output = out, .module = module, .modules = test_modules};
    o.iocs.no_defaults = true;
    return spy_session_check(cmd, &o);
}

static void test_check_androidqf_runs_nested_modules(void **state)
{
    (void)state;
    char *dir = qf_folder(true);
    char *out = tu_join(root, "out");
    /* HIGH from the nested module: findings. */
    assert_int_equal(check(&spy_cmd_android_check_androidqf, dir, out, NULL), 1);
    json_t *aqf = load(out, "test_aqf.json");
    json_t *br = load(out, "test_bugreport.json");
    assert_int_equal(json_array_size(aqf), 1);
    assert_int_equal(json_array_size(br), 1);
    const json_t *rec = json_array_get(br, 0);
    assert_string_equal(json_string_value(json_object_get(rec, "started")), "2024-03-01T09:58:00Z");
    assert_non_null(strstr(json_string_value(json_object_get(rec, "package")), "com.spy.nested"));
    /* One alerts.json, AndroidQF modules first. */
    json_t *alerts = load(out, "alerts.json");
    assert_int_equal(json_array_size(alerts), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(alerts, 0), "module")),
                        "test_aqf");
    assert_string_equal(json_string_value(json_object_get(json_array_get(alerts, 1), "module")),
                        "test_bugreport");
    char *tl_path = tu_join(out, "timeline.csv");
    char *tl = tu_read(tl_path, NULL);
    assert_non_null(strstr(tl, "TestBugreport"));
    free(tl);
    free(tl_path);
    json_decref(aqf);
    json_decref(br);
    json_decref(alerts);

    /* -m narrows the AndroidQF step only: the nested modules still run. */
    char *out2 = tu_join(root, "out2");
    assert_int_equal(check(&spy_cmd_android_check_androidqf, dir, out2, "TestAqf"), 1);
    br = load(out2, "test_bugreport.json");
    assert_int_equal(json_array_size(br), 1);
    json_decref(br);

    /* Without a bug report: only the AndroidQF modules, MEDIUM only. */
    char *bare = tu_join(root, "bare");
    af_write_str(bare, "getprop.txt", "[x]: [y]\n");
    char *out3 = tu_join(root, "out3");
    assert_int_equal(check(&spy_cmd_android_check_androidqf, bare, out3, NULL), 0);
    char *brp = tu_join(out3, "test_bugreport.json");
    struct stat st;
    assert_int_not_equal(stat(brp, &st), 0);
    free(brp);

    /* check-bugreport on the nested report's own bytes: no context, hashes
     * in info.json without -H (MVT always hashes bug reports). */
    char *brzip = tu_join(dir, "bugreport.zip");
    char *out4 = tu_join(root, "out4");
    assert_int_equal(check(&spy_cmd_android_check_bugreport, brzip, out4, NULL), 1);
    br = load(out4, "test_bugreport.json");
    assert_string_equal(json_string_value(json_object_get(json_array_get(br, 0), "started")),
                        "none");
    json_decref(br);
    json_t *info = load(out4, "info.json");
    assert_true(json_array_size(json_object_get(info, "hashes")) == 1);
    json_decref(info);
    char *aqfp = tu_join(out4, "test_aqf.json");
    assert_int_not_equal(stat(aqfp, &st), 0);
    free(aqfp);

    /* A bug report that is there but unreadable: its modules could not
     * run, which the exit code says (+4). */
    char *broken = tu_join(root, "broken");
    af_write_str(broken, "getprop.txt", "[x]: [y]\n");
    af_write_str(broken, "bugreport.zip", "PK\x03\x04 truncated");
    char *out7 = tu_join(root, "out7");
    assert_int_equal(check(&spy_cmd_android_check_androidqf, broken, out7, NULL), 0 + 4);
    free(out7);
    free(broken);

    /* The wrong kind of input: exit 3, nothing run. */
    char *out5 = tu_join(root, "out5");
    assert_int_equal(check(&spy_cmd_android_check_bugreport, dir, out5, NULL), 3);
    char *out6 = tu_join(root, "out6");
    assert_int_equal(check(&spy_cmd_android_check_androidqf, brzip, out6, NULL), 3);
    free(out6);
    free(out5);
    free(out4);
    free(brzip);
    free(out3);
    free(bare);
    free(out2);
    free(out);
    free(dir);
}

/* ---- bad input: truncated, empty, not regular files ----------------------- */

/* The console line of a record, as log.c prints it. */
static void assert_line(const char *log, const char *label, const char *msg)
{
    char line[2048];
    snprintf(line, sizeof line, "%-14s [spyscan.acquire.android] %s\n", label, msg);
    if (!strstr(log, line))
        fail_msg("missing line: %s-- in --\n%s", line, log);
}

static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static bool exists(const char *dir, const char *name)
{
    char *p = tu_join(dir, name);
    struct stat st;
    bool yes = lstat(p, &st) == 0;
    free(p);
    return yes;
}

/* The first n bytes of needle in hay[0..len), or NULL. */
static const char *find_bytes(const char *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (!memcmp(hay + i, needle, n))
            return hay + i;
    return NULL;
}

/* Little-endian fields of the ZIP end record. */
static size_t le(const char *p, int n)
{
    size_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | (unsigned char)p[i];
    return v;
}

/* An AndroidQF ZIP as AndroidQF streams it: one top folder, the nested
 * bug report stored last but one (AndroidQF adds it after the commands). */
static char *qf_zip(const char *name, bool nested_stored, size_t *len)
{
    zf_zip *z = zf_new();
    zf_add_str(z, "acq/acquisition.json", ACQ_JSON);
    zf_add_str(z, "acq/getprop.txt", "[ro.product.model]: [Pixel 7]\n");
    zf_add_str(z, "acq/packages.json", "[]");
    size_t blen = 0;
    void *br = bugreport_zip("com.spy.cut", &blen);
    if (nested_stored)
        zf_add_stored(z, "acq/bugreport.zip", br, blen);
    else
        zf_add(z, "acq/bugreport.zip", br, blen, 0);
    free(br);
    zf_add_str(z, "acq/logs/kernel.log", "log");
    char *path = tu_join(root, name);
    zf_finish_to(z, path);
    free(tu_read(path, len));
    return path;
}

/* The cut file fails to open with exactly this line, and check-androidqf
 * on it ends with 3 and runs no module. */
static void assert_unusable(const char *path, const char *why)
{
    spy_acq acq;
    af_log_begin();
    assert_int_equal(spy_androidqf_open(path, &acq), SPY_EFORMAT);
    char *log = af_log_end();
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: %s", path, why);
    assert_line(log, "ERROR", msg);
    assert_int_equal(occurrences(log, "\n"), 1); /* that line only */
    free(log);
    char *out = tu_join(root, "out-cut");
    af_log_begin();
    assert_int_equal(check(&spy_cmd_android_check_androidqf, path, out, NULL), 3);
    free(af_log_end());
    assert_false(exists(out, "test_aqf.json"));
    assert_false(exists(out, "test_bugreport.json"));
    assert_false(exists(out, "alerts.json"));
    tu_rmtree(out);
    free(out);
}

static void test_truncated_zip(void **state)
{
    (void)state;
    size_t len = 0;
    char *full = qf_zip("full.zip", false, &len);
    char *bytes = tu_read(full, NULL);
    size_t eocd = len - 22; /* no archive comment */
    assert_memory_equal(bytes + eocd, "PK\x05\x06", 4);
    size_t cd = le(bytes + eocd + 16, 4);
    /* Inside getprop.txt's deflated data, halfway through the members,
     * inside the central directory, just before the end record, inside it. */
    const char *getprop = find_bytes(bytes, len, "acq/getprop.txt", 15);
    assert_non_null(getprop);
    const char *lh = getprop - 30; /* its local header */
    assert_memory_equal(lh, "PK\x03\x04", 4);
    size_t data = (size_t)(getprop - bytes) + 15 + le(lh + 28, 2);
    /* Sizes follow the data (a data descriptor): the central directory's. */
    const char *central = find_bytes(bytes + cd, len - cd, "acq/getprop.txt", 15);
    assert_non_null(central);
    assert_memory_equal(central - 46, "PK\x01\x02", 4);
    size_t packed = le(central - 46 + 20, 4);
    assert_true(packed > 4);
    size_t cuts[] = {data + packed / 2, cd / 2, cd + 50, eocd, len - 5};
    char *cut = tu_join(root, "cut.zip");
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        assert_true(cuts[i] < len);
        tu_write(cut, bytes, cuts[i]);
        assert_unusable(cut, "Invalid AndroidQF archive: truncated or damaged ZIP (no central "
                             "directory)");
    }
    free(bytes);
    free(full);

    /* A stored nested report cut right after its own end record: the
     * outer archive now ends with a valid-looking ZIP end record, whose
     * offsets are the nested report's. */
    char *stored = qf_zip("stored.zip", true, &len);
    bytes = tu_read(stored, NULL);
    /* Stored, the nested report's end record is the first in the bytes. */
    const char *inner_end = find_bytes(bytes, len, "PK\x05\x06", 4);
    assert_non_null(inner_end);
    assert_true((size_t)(inner_end - bytes) + 22 < len - 22); /* not the outer one */
    tu_write(cut, bytes, (size_t)(inner_end - bytes) + 22);
    /* libarchive, like Python's zipfile under MVT, takes the bytes before
     * that ZIP for a prefix (a self-extracting stub): what is left is the
     * nested report, named as such, and check-androidqf runs nothing. */
    assert_unusable(cut, "this is an Android bug report, not an AndroidQF acquisition: use "
                         "'spyscan android check-bugreport'");
    spy_acq acq;
    assert_int_equal(spy_bugreport_open(cut, &acq), SPY_OK);
    const char *want[] = {"main_entry.txt", "bugreport-main.txt",
                          "FS/data/tombstones/tombstone_00"};
    const char *globs[] = {"*", NULL};
    spy_query q = {.globs = globs};
    spy_artifacts arts = {0};
    assert_int_equal(spy_acq_find(&acq, &q, &arts), SPY_OK);
    assert_int_equal(arts.n, 3);
    for (size_t i = 0; i < arts.n; i++)
        assert_string_equal(arts.v[i].path, want[i]);
    spy_artifacts_free(&arts);
    char *crash = read_text(&acq, "FS/data/tombstones/tombstone_00");
    assert_string_equal(crash, "crash");
    free(crash);
    spy_acq_close(&acq);
    free(bytes);
    free(stored);
    free(cut);
}

static void test_empty_acquisition(void **state)
{
    (void)state;
    char *empty = tu_join(root, "empty");
    assert_int_equal(mkdir(empty, 0700), 0);
    assert_unusable(empty, "holds no files: not an AndroidQF acquisition");
    /* Only empty folders: still no file. */
    char *sub = tu_join(empty, "logs");
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_unusable(empty, "holds no files: not an AndroidQF acquisition");

    char *zero = tu_join(root, "zero.zip");
    tu_write(zero, "", 0);
    assert_unusable(zero, "an empty file, not a ZIP");

    /* A valid ZIP of no members (just the end record), and one of folders. */
    zf_zip *z = zf_new();
    char *none = tu_join(root, "none.zip");
    zf_finish_to(z, none);
    size_t len = 0;
    free(tu_read(none, &len));
    assert_int_equal(len, 22);
    assert_unusable(none, "Invalid AndroidQF archive: the ZIP holds no files");
    z = zf_new();
    zf_add_dir(z, "acq/");
    zf_add_dir(z, "acq/logs/");
    char *dirs = tu_join(root, "dirs.zip");
    zf_finish_to(z, dirs);
    assert_unusable(dirs, "holds no files: not an AndroidQF acquisition");
    free(dirs);
    free(none);
    free(zero);
    free(sub);
    free(empty);
}

static void test_folder_fifo_and_device(void **state)
{
    (void)state;
    /* A FIFO opened for reading blocks until a writer comes: the test dies
     * of SIGALRM if the reader ever does that. */
    alarm(20);
    char *dir = af_androidqf_dir(root);
    af_write_str(dir, "getprop.txt", "[ro.product.model]: [Pixel 7]\n");
    /* acquisition.json is read at open (the context): a FIFO there would
     * hang it; a device named bugreport.zip would be read as the nested
     * report. */
    char *fifo = tu_join(dir, "acquisition.json");
    char *logs = tu_join(dir, "logs");
    char *pipe = tu_join(dir, "logs/logcat.pipe");
    char *dev = tu_join(dir, "bugreport.zip");
    assert_int_equal(mkfifo(fifo, 0644), 0);
    assert_int_equal(mkdir(logs, 0700), 0);
    assert_int_equal(mkfifo(pipe, 0644), 0);
    bool have_dev = af_make_device(dev);

    spy_acq acq;
    af_log_begin();
    assert_int_equal(spy_androidqf_open(dir, &acq), SPY_OK);
    char *log = af_log_end();
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: leaving out acquisition.json: not a regular file", dir);
    assert_line(log, "WARNING", msg);
    snprintf(msg, sizeof msg, "%s: leaving out logs/logcat.pipe: not a regular file", dir);
    assert_line(log, "WARNING", msg);
    snprintf(msg, sizeof msg, "%s: leaving out bugreport.zip: not a regular file", dir);
    if (have_dev)
        assert_line(log, "WARNING", msg);
    free(log);
    char first[512] = "";
    assert_int_equal(count(&acq, "*", first, sizeof first), 1);
    assert_string_equal(first, AF_QF_UUID "/getprop.txt");
    assert_int_equal(json_object_size(spy_android_context(&acq)), 0);
    char *text = read_text(&acq, AF_QF_UUID "/getprop.txt");
    assert_string_equal(text, "[ro.product.model]: [Pixel 7]\n");
    free(text);
    spy_acq nested;
    assert_int_equal(spy_androidqf_open_nested_bugreport(&acq, &nested), SPY_ENOTFOUND);
    spy_acq_close(&acq);

    /* check-androidqf completes on the regular files (MEDIUM only: 0). */
    char *out = tu_join(root, "out");
    af_log_begin();
    assert_int_equal(check(&spy_cmd_android_check_androidqf, dir, out, NULL), 0);
    free(af_log_end());
    json_t *aqf = load(out, "test_aqf.json");
    assert_int_equal(json_array_size(aqf), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(aqf, 0), "path")),
                        AF_QF_UUID "/getprop.txt");
    json_decref(aqf);
    assert_false(exists(out, "test_bugreport.json"));

    /* A listed file replaced by a FIFO before it is read: refused, not
     * waited on. */
    assert_int_equal(spy_androidqf_open(dir, &acq), SPY_OK);
    char *getprop = tu_join(dir, "getprop.txt");
    assert_int_equal(unlink(getprop), 0);
    assert_int_equal(mkfifo(getprop, 0644), 0);
    spy_artifact art = {.path = AF_QF_UUID "/getprop.txt"};
    void *buf = NULL;
    size_t len = 0;
    af_log_begin();
    assert_int_equal(spy_acq_read(&acq, &art, 1024, &buf, &len), SPY_EIO);
    log = af_log_end();
    snprintf(msg, sizeof msg, "%s: %s/getprop.txt is not a regular file", dir, AF_QF_UUID);
    assert_line(log, "ERROR", msg);
    free(log);
    assert_null(buf);
    spy_acq_close(&acq);
    alarm(0);
    free(getprop);
    free(out);
    free(dev);
    free(pipe);
    free(logs);
    free(fifo);
    free(dir);
}

/* ZIP members that are not regular files are left out of an AndroidQF
 * ZIP as of a bug report's (test_android_bugreport has every kind). */
static void test_zip_device_members(void **state)
{
    (void)state;
    zf_zip *z = zf_new();
    zf_add_str(z, "acq/getprop.txt", "[ro.product.model]: [Pixel 7]\n");
    zf_add_mode(z, "acq/acquisition.json", "", 0, S_IFCHR | 0644);
    zf_add_mode(z, "acq/bugreport.zip", "", 0, S_IFBLK | 0644);
    char *zip = tu_join(root, "acq.zip");
    zf_finish_to(z, zip);
    spy_acq acq;
    af_log_begin();
    assert_int_equal(spy_androidqf_open(zip, &acq), SPY_OK);
    char *log = af_log_end();
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: leaving out member 'acq/acquisition.json': a device", zip);
    assert_line(log, "WARNING", msg);
    snprintf(msg, sizeof msg, "%s: leaving out member 'acq/bugreport.zip': a device", zip);
    assert_line(log, "WARNING", msg);
    free(log);
    char first[512] = "";
    assert_int_equal(count(&acq, "*", first, sizeof first), 1);
    assert_string_equal(first, "acq/getprop.txt");
    assert_int_equal(json_object_size(spy_android_context(&acq)), 0);
    spy_acq nested;
    assert_int_equal(spy_androidqf_open_nested_bugreport(&acq, &nested), SPY_ENOTFOUND);
    spy_acq_close(&acq);
    free(zip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_folder_paths_and_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_context_fallbacks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_bugreport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_androidqf_runs_nested_modules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_zip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_acquisition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_fifo_and_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_device_members, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
