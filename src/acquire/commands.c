#include "acquire/commands.h"

#include "acquire/ios_backup.h"
#include "core/error.h"

static int open_ios_backup(const char *path, spy_acq *out)
{
    return spy_ios_backup_open(path, out) == SPY_OK ? SPY_EXIT_CLEAN : SPY_EXIT_INPUT;
}

static void close_acq(spy_acq *a)
{
    spy_acq_close(a);
}

const spy_check_cmd spy_cmd_ios_check_backup = {.platform = "ios",
                                                .command = "check-backup",
                                                .what = "iTunes backup",
                                                .acq_kinds = SPY_ACQ_IOS_BACKUP,
                                                .open_acq = open_ios_backup,
                                                .close_acq = close_acq};

const spy_check_cmd spy_cmd_ios_check_iocs = {.platform = "ios",
                                              .command = "check-iocs",
                                              .what = "saved results",
                                              .acq_kinds = SPY_ACQ_IOS_ANY,
                                              .saved_results = true};

const spy_check_cmd spy_cmd_android_check_iocs = {
    .platform = "android",
    .command = "check-iocs",
    .what = "saved results",
    .acq_kinds = SPY_ACQ_ANDROID_BUGREPORT | SPY_ACQ_ANDROIDQF | SPY_ACQ_ANDROID_BACKUP |
                 SPY_ACQ_ANDROID_INTRUSION_LOGS,
    .android_timeline = true,
    .saved_results = true};
