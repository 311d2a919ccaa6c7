/* An AndroidQF acquisition (spec/android.md §1.3): a folder named after the
 * acquisition UUID or the ZIP AndroidQF streams it into. Paths are relative
 * to the folder's parent ("<uuid>/getprop.txt"). Also the bug report nested
 * in it (§1.3.3 step 3) and the acquisition context (§1.3.4). */
#include "acquire/android_open.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define LOGGER "spyscan.acquire.android"

/* Files only AndroidQF writes (§1.3.2). */
static const char *const aqf_files[] = {
    "acquisition.json",    "getprop.txt",         "packages.json",
    "processes.json",      "processes.txt",       "ps.txt",
    "files.json",          "root_binaries.json",  "mounts.json",
    "settings_global.txt", "settings_secure.txt", "settings_system.txt",
    "bugreport.zip",       "backup.ab",           "dumpsys.txt",
    "adb_host_key.pub",    "hashes.csv",          NULL};

static bool looks_like_androidqf(const android_acq *a)
{
    for (size_t i = 0; aqf_files[i]; i++)
        if (andr_has_basename(a, aqf_files[i]))
            return true;
    return false;
}

static bool wrong_kind(const android_acq *a, const char *path)
{
    if (a->n == 0) {
        spy_error(LOGGER, "%s: holds no files: not an AndroidQF acquisition", path);
        return true;
    }
    if (andr_is_ios_backup(a)) {
        spy_error(LOGGER,
                  "%s: this is an iTunes backup, not an AndroidQF acquisition: use 'spyscan ios "
                  "check-backup'",
                  path);
        return true;
    }
    char *entry = spy_xasprintf("%smain_entry.txt", a->prefix ? a->prefix : "");
    bool bugreport = andr_lookup(a, entry) != NULL;
    free(entry);
    if (!bugreport && looks_like_androidqf(a))
        return false;
    if (bugreport)
        spy_error(LOGGER,
                  "%s: this is an Android bug report, not an AndroidQF acquisition: use 'spyscan "
                  "android check-bugreport'",
                  path);
    else
        spy_error(LOGGER,
                  "%s: does not look like an AndroidQF acquisition (no getprop.txt, "
                  "packages.json, acquisition.json or other AndroidQF file)",
                  path);
    return true;
}

static const char *last_component(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* §1.3.4: started and adb_host_public_key of the first acquisition.json that
 * parses as an object; else the text of the first adb_host_key.pub. */
static json_t *load_context(const android_acq *a)
{
    json_t *ctx = json_object();
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(last_component(a->m[i].path), "acquisition.json") != 0)
            continue;
        void *buf = NULL;
        size_t len = 0;
        if (andr_read(a, &a->m[i], 16u * 1024u * 1024u, &buf, &len) != SPY_OK)
            continue;
        json_error_t jerr;
        json_t *doc = json_loadb(buf, len, JSON_ALLOW_NUL, &jerr);
        free(buf);
        if (!json_is_object(doc)) {
            spy_warn(LOGGER, "%s: %s is not a JSON object (%s); trying the next one", a->label,
                     a->m[i].path, doc ? "another JSON value" : jerr.text);
            json_decref(doc);
            continue;
        }
        const char *keys[] = {"started", "adb_host_public_key"};
        for (int k = 0; k < 2; k++) {
            json_t *v = json_object_get(doc, keys[k]);
            json_object_set(ctx, keys[k], v ? v : json_null());
        }
        json_decref(doc);
        break;
    }
    const json_t *key = json_object_get(ctx, "adb_host_public_key");
    bool have = json_is_string(key) && json_string_length(key) > 0;
    for (size_t i = 0; !have && i < a->n; i++) {
        if (strcmp(last_component(a->m[i].path), "adb_host_key.pub") != 0)
            continue;
        void *buf = NULL;
        size_t len = 0;
        if (andr_read(a, &a->m[i], 1024u * 1024u, &buf, &len) != SPY_OK)
            break;
        json_t *s = json_stringn(buf, len);
        free(buf);
        if (s)
            json_object_set_new(ctx, "adb_host_public_key", s);
        else
            spy_warn(LOGGER, "%s: %s is not UTF-8 text; ignored", a->label, a->m[i].path);
        break;
    }
    return ctx;
}

/* "<name>/" of a folder or ZIP path (the ZIP without its .zip). */
static char *top_name(const char *path, bool zip)
{
    /* The name as given, like Python's os.path.abspath (links are not
     * resolved); "." and ".." need the real name. */
    char *copy = spy_xstrdup(path);
    size_t len = strlen(copy);
    while (len > 1 && copy[len - 1] == '/')
        copy[--len] = '\0';
    const char *base = last_component(copy);
    char abs[PATH_MAX];
    if ((!strcmp(base, ".") || !strcmp(base, "..") || !*base) && realpath(path, abs))
        base = last_component(abs);
    size_t n = strlen(base);
    if (zip && n > 4 && !strcmp(base + n - 4, ".zip"))
        n -= 4;
    char *out =
        n && strcmp(base, "/") ? spy_xasprintf("%.*s/", (int)n, base) : spy_xstrdup("androidqf/");
    free(copy);
    return out;
}

int spy_androidqf_open(const char *path, spy_acq *out)
{
    char *folder = top_name(path, false), *zip = top_name(path, true);
    andr_open_opts o = {.folder_prefix = folder,
                        .zip_root_prefix = zip,
                        .invalid_zip = "Invalid AndroidQF archive"};
    android_acq *a = NULL;
    int err = andr_open_path(SPY_ACQ_ANDROIDQF, path, &o, &a);
    free(folder);
    free(zip);
    if (err != SPY_OK)
        return err;
    if (wrong_kind(a, path)) {
        andr_free(a);
        return SPY_EFORMAT;
    }
    a->context = load_context(a);
    spy_info(LOGGER, "%s: %zu files in the AndroidQF acquisition", path, a->n);
    *out = (spy_acq){.kind = SPY_ACQ_ANDROIDQF, .path = path, .impl = a, .ops = &spy_android_ops};
    return SPY_OK;
}

static const andr_member *find_nested(const android_acq *a)
{
    for (size_t i = 0; i < a->n; i++) {
        size_t n = strlen(a->m[i].path);
        if (n >= 13 && !strcmp(a->m[i].path + n - 13, "bugreport.zip"))
            return &a->m[i];
    }
    return NULL;
}

/* Without a bug report, AndroidQF's own dumpsys.txt (the same "DUMP OF
 * SERVICE" text) feeds the dumpsys modules: a bug report made of that one
 * file (an extension over MVT, spec §6). */
static int open_dumpsys_view(const android_acq *p, spy_acq *out)
{
    const andr_member *m = andr_first(p, "*/dumpsys.txt");
    if (!m) {
        spy_warn(LOGGER, "Skipping bugreport modules as no bugreport.zip found in AndroidQF data.");
        return SPY_ENOTFOUND;
    }
    android_acq *a = andr_new(SPY_ACQ_ANDROID_BUGREPORT, m->path);
    andr_add(a, m->path, m->mtime, m->ordinal);
    a->parent = p;
    a->view = true;
    spy_warn(LOGGER,
             "No bugreport.zip found in AndroidQF data: running the bug report modules on %s "
             "instead (a spyscan extension; MVT skips them)",
             m->path);
    *out = (spy_acq){
        .kind = SPY_ACQ_ANDROID_BUGREPORT, .path = m->path, .impl = a, .ops = &spy_android_ops};
    return SPY_OK;
}

int spy_androidqf_open_nested_bugreport(const spy_acq *parent, spy_acq *out)
{
    const android_acq *p = parent->impl;
    const andr_member *m = find_nested(p);
    if (!m)
        return open_dumpsys_view(p, out);
    android_acq *a = andr_new(SPY_ACQ_ANDROID_BUGREPORT, m->path);
    int err;
    if (p->zip) {
        void *buf = NULL;
        size_t len = 0;
        err = andr_read(p, m, SPY_ANDROID_MAX_NESTED_ZIP_BYTES, &buf, &len);
        if (err == SPY_OK)
            err = andr_zip_open_mem(a, buf, len, m->path);
    } else {
        int fd = -1;
        err = andr_folder_open_fd(p, m, &fd);
        if (err == SPY_OK)
            err = andr_zip_open_fd(a, fd, m->path);
    }
    char *why = NULL;
    if (err == SPY_OK)
        err = andr_zip_list(a, NULL, &why);
    if (err != SPY_OK) {
        spy_error(LOGGER, "Skipping bugreport modules: %s: Invalid bugreport archive: %s", m->path,
                  why ? why : spy_err_str(err));
        free(why);
        andr_free(a);
        return err;
    }
    a->parent = p;
    spy_info(LOGGER, "Running the bug report modules on %s (%zu files)", m->path, a->n);
    *out = (spy_acq){
        .kind = SPY_ACQ_ANDROID_BUGREPORT, .path = m->path, .impl = a, .ops = &spy_android_ops};
    return SPY_OK;
}
