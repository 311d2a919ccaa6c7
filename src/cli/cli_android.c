/* spyscan android <command>: MVT's mvt-android commands (spec/outputs.md §2.1). */
#include "cli/cli.h"

#include "acquire/commands.h"

#include <stdio.h>

static int check_adb_removed(int argc, char **argv, const spy_cli_cmd *self)
{
    (void)argc;
    (void)argv;
    (void)self;
    fprintf(stderr,
            "spyscan: check-adb is not supported (MVT removed it too): collect an AndroidQF "
            "acquisition and use 'spyscan android check-androidqf'\n");
    return SPY_EXIT_USAGE;
}

static const spy_cli_cmd android_cmds[] = {
    {"check-androidqf", "Check an AndroidQF acquisition (folder or ZIP)", spy_cli_check_main,
     &spy_cmd_android_check_androidqf,
     SPY_OPT_OUTPUT | SPY_OPT_MODULE | SPY_OPT_HASHES | SPY_OPT_PASSWORD | SPY_OPT_DELAY,
     "ANDROIDQF_PATH"},
    {"check-bugreport", "Check an Android bug report (ZIP or folder)", spy_cli_check_main,
     &spy_cmd_android_check_bugreport, SPY_OPT_OUTPUT | SPY_OPT_MODULE, "BUGREPORT_PATH"},
    {"check-backup", "Check an Android backup (.ab file or folder)", spy_cli_check_main,
     &spy_cmd_android_check_backup, SPY_OPT_OUTPUT | SPY_OPT_MODULE | SPY_OPT_PASSWORD,
     "BACKUP_PATH"},
    {"check-intrusion-logs", "Check Android intrusion logs (folder or ZIP)", spy_cli_check_main,
     &spy_cmd_android_check_intrusion_logs, SPY_OPT_OUTPUT | SPY_OPT_MODULE | SPY_OPT_TIMEZONE,
     "LOGS_PATH"},
    {"check-iocs", "Re-check saved results with the loaded indicators", spy_cli_check_main,
     &spy_cmd_android_check_iocs, SPY_OPT_OUTPUT | SPY_OPT_MODULE, "FOLDER"},
    {"download-iocs", "Download the public indicator files", spy_cli_download_main, NULL, 0, ""},
    {"check-adb", "Removed: use check-androidqf", check_adb_removed, NULL, 0, ""},
    {NULL, NULL, NULL, NULL, 0, NULL}};

int spy_cli_android(int argc, char **argv)
{
    return spy_cli_dispatch("android", android_cmds, argc, argv);
}
