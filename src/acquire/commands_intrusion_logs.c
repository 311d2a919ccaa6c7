/* check-intrusion-logs (spec/android.md §1.6): a folder or .zip of Android
 * intrusion logs; -t names the device's time zone. */
#include "acquire/commands.h"

#include "acquire/intrusion_logs.h"
#include "core/error.h"

static int open_intrusion_logs(const char *path, const spy_check_opts *o, spy_acq *out)
{
    return spy_intrusion_logs_open(path, o->timezone, out) == SPY_OK ? SPY_EXIT_CLEAN
                                                                     : SPY_EXIT_INPUT;
}

static void close_intrusion_logs(spy_acq *a)
{
    spy_acq_close(a);
}

const spy_check_cmd spy_cmd_android_check_intrusion_logs = {.platform = "android",
                                                            .command = "check-intrusion-logs",
                                                            .what = "intrusion logs",
                                                            .acq_kinds =
                                                                SPY_ACQ_ANDROID_INTRUSION_LOGS,
                                                            .android_timeline = true,
                                                            .open_acq_opts = open_intrusion_logs,
                                                            .close_acq = close_intrusion_logs};
