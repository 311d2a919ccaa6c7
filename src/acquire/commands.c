#include "acquire/commands.h"

#include "acquire/android.h"
#include "acquire/android_backup.h"
#include "acquire/intrusion_logs.h"
#include "acquire/ios_backup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/plist.h"
#include "core/timeconv.h"

static int open_ios_backup(const char *path, const spy_check_opts *o, spy_acq *out)
{
    spy_secret_opts so = {
        .password = o->password, .key_file = o->key_file, .non_interactive = o->non_interactive};
    return spy_ios_backup_open_ex(path, &so, 0, out) == SPY_OK ? SPY_EXIT_CLEAN : SPY_EXIT_INPUT;
}

static const char *field(const json_t *info, const char *key)
{
    const char *v = json_string_value(json_object_get(info, key));
    return v ? v : "unknown";
}

/* The device line an analyst checks first: which phone, which iOS. */
static void describe_ios_backup(const spy_acq *a)
{
    const json_t *info = spy_ios_backup_info_plist(a);
    char when[SPY_ISO_LEN] = "unknown";
    double mac;
    if (spy_plist_date(json_object_get(info, "Last Backup Date"), &mac))
        spy_iso_from_mac(mac, when);
    spy_info("spyscan.cli", "Device: %s (%s), iOS %s (%s), backup of %s",
             field(info, "Device Name"), field(info, "Product Type"),
             field(info, "Product Version"), field(info, "Build Version"), when);
}

static void close_acq(spy_acq *a)
{
    spy_acq_close(a);
}

const spy_check_cmd spy_cmd_ios_check_backup = {.platform = "ios",
                                                .command = "check-backup",
                                                .what = "iTunes backup",
                                                .acq_kinds = SPY_ACQ_IOS_BACKUP,
                                                .open_acq_opts = open_ios_backup,
                                                .describe = describe_ios_backup,
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

/* ---- Android (issue #6) ---------------------------------------------------- */

static int open_bugreport(const char *path, spy_acq *out)
{
    return spy_bugreport_open(path, out) == SPY_OK ? SPY_EXIT_CLEAN : SPY_EXIT_INPUT;
}

static int open_androidqf(const char *path, spy_acq *out)
{
    return spy_androidqf_open(path, out) == SPY_OK ? SPY_EXIT_CLEAN : SPY_EXIT_INPUT;
}

const spy_check_cmd spy_cmd_android_check_bugreport = {.platform = "android",
                                                       .command = "check-bugreport",
                                                       .what = "Android bug report",
                                                       .acq_kinds = SPY_ACQ_ANDROID_BUGREPORT,
                                                       .android_timeline = true,
                                                       .open_acq = open_bugreport,
                                                       .describe = spy_android_describe,
                                                       .close_acq = close_acq,
                                                       .always_hashes = true};

static int open_nested_bugreport(const spy_acq *parent, const spy_check_opts *o, spy_acq *out)
{
    (void)o;
    return spy_androidqf_open_nested_bugreport(parent, out);
}

static int open_nested_intrusion_logs(const spy_acq *parent, const spy_check_opts *o, spy_acq *out)
{
    (void)o;
    return spy_androidqf_open_nested_intrusion_logs(parent, out);
}

/* A wrong or missing password ends the run (SPY_EPASSWORD), as in MVT. */
static int open_nested_backup(const spy_acq *parent, const spy_check_opts *o, spy_acq *out)
{
    spy_secret_opts so = {.password = o->password, .non_interactive = o->non_interactive};
    return spy_androidqf_open_nested_backup(parent, &so, out);
}

/* spec/android.md §1.3.3 steps 3-5, in MVT's order. */
static const spy_nested_step androidqf_nested[] = {
    {open_nested_bugreport, SPY_ACQ_ANDROID_BUGREPORT},
    {open_nested_backup, SPY_ACQ_ANDROID_BACKUP},
    {open_nested_intrusion_logs, SPY_ACQ_ANDROID_INTRUSION_LOGS},
};

const spy_check_cmd spy_cmd_android_check_androidqf = {
    .platform = "android",
    .command = "check-androidqf",
    .what = "AndroidQF acquisition",
    .acq_kinds = SPY_ACQ_ANDROIDQF,
    .android_timeline = true,
    .open_acq = open_androidqf,
    .describe = spy_android_describe,
    .close_acq = close_acq,
    .nested = androidqf_nested,
    .n_nested = sizeof androidqf_nested / sizeof androidqf_nested[0],
    .end_note = "The acquisition is over: disable Developer options and USB debugging (ADB) on "
                "the device now.\nADB gives powerful access to the phone and should stay off "
                "when it is not needed."};
