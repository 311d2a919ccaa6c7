/* A bug report (spec/android.md §1.1): the ZIP written by "adb bugreport"
 * or the folder it unzips to. Paths are relative to the report's top. */
#include "acquire/android_open.h"

#include "core/error.h"
#include "core/log.h"

#define LOGGER "spyscan.acquire.android"

/* Anything a bug report holds at its top. */
static bool looks_like_bugreport(const android_acq *a)
{
    return andr_lookup(a, "main_entry.txt") || andr_first(a, "dumpState_*.log") ||
           andr_first(a, "*/dumpsys.txt") || andr_first(a, "FS/*") ||
           andr_first(a, "bugreport-*.txt") || andr_lookup(a, "version.txt");
}

/* Says what the files are when they are not a bug report; false if they
 * may be one. */
static bool wrong_kind(const android_acq *a, const char *path)
{
    if (a->n == 0) {
        spy_error(LOGGER, "%s: holds no files: not an Android bug report", path);
        return true;
    }
    if (andr_is_ios_backup(a)) {
        spy_error(LOGGER,
                  "%s: this is an iTunes backup, not an Android bug report: use 'spyscan ios "
                  "check-backup'",
                  path);
        return true;
    }
    if (looks_like_bugreport(a))
        return false;
    if (andr_has_basename(a, "acquisition.json") || andr_has_basename(a, "getprop.txt"))
        spy_error(LOGGER,
                  "%s: this is an AndroidQF acquisition, not a bug report: use 'spyscan android "
                  "check-androidqf'",
                  path);
    else
        spy_error(LOGGER,
                  "%s: does not look like an Android bug report (no main_entry.txt, dumpstate "
                  "file or FS/ folder)",
                  path);
    return true;
}

int spy_bugreport_open(const char *path, spy_acq *out)
{
    andr_open_opts o = {.folder_prefix = "", .invalid_zip = "Invalid bugreport archive"};
    android_acq *a = NULL;
    int err = andr_open_path(SPY_ACQ_ANDROID_BUGREPORT, path, &o, &a);
    if (err != SPY_OK)
        return err;
    if (wrong_kind(a, path)) {
        andr_free(a);
        return SPY_EFORMAT;
    }
    spy_info(LOGGER, "%s: %zu files in the bug report", path, a->n);
    *out = (spy_acq){
        .kind = SPY_ACQ_ANDROID_BUGREPORT, .path = path, .impl = a, .ops = &spy_android_ops};
    return SPY_OK;
}
