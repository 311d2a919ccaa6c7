/* spyscan android check-backup (spec/android.md §1.4-§1.5). */
#include "acquire/android_backup.h"
#include "acquire/commands.h"

#include "core/error.h"

static int open_backup(const char *path, const spy_check_opts *o, spy_acq *out)
{
    spy_secret_opts so = {.password = o->password, .non_interactive = o->non_interactive};
    /* Every failure (wrong or missing password included) is exit 3. */
    return spy_android_backup_open(path, &so, out) == SPY_OK ? SPY_EXIT_CLEAN : SPY_EXIT_INPUT;
}

static void close_backup(spy_acq *a)
{
    spy_acq_close(a);
}

const spy_check_cmd spy_cmd_android_check_backup = {.platform = "android",
                                                    .command = "check-backup",
                                                    .what = "Android backup",
                                                    .acq_kinds = SPY_ACQ_ANDROID_BACKUP,
                                                    .android_timeline = true,
                                                    .open_acq_opts = open_backup,
                                                    .close_acq = close_backup};
