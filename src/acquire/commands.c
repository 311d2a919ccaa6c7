#include "acquire/commands.h"

#include "acquire/ios_backup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/plist.h"
#include "core/timeconv.h"

static int open_ios_backup(const char *path, spy_acq *out)
{
    return spy_ios_backup_open(path, out) == SPY_OK ? SPY_EXIT_CLEAN : SPY_EXIT_INPUT;
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
                                                .open_acq = open_ios_backup,
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
