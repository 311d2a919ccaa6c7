/* spyscan ios <command>: MVT's mvt-ios commands (spec/outputs.md §2.2). */
#include "cli/cli.h"

#include "acquire/commands.h"

static const spy_cli_cmd ios_cmds[] = {
    {"check-backup", "Check an iTunes/Finder backup (encrypted ones in place)", spy_cli_check_main,
     &spy_cmd_ios_check_backup,
     SPY_OPT_OUTPUT | SPY_OPT_MODULE | SPY_OPT_FAST | SPY_OPT_HASHES | SPY_OPT_PASSWORD |
         SPY_OPT_KEYFILE,
     "BACKUP_PATH"},
    {"check-fs", "Check a full filesystem dump (folder or tar)", spy_cli_not_yet, NULL,
     SPY_OPT_OUTPUT | SPY_OPT_MODULE | SPY_OPT_FAST | SPY_OPT_HASHES, "DUMP_PATH"},
    {"check-sysdiagnose", "Check a sysdiagnose archive", spy_cli_not_yet, NULL,
     SPY_OPT_OUTPUT | SPY_OPT_MODULE | SPY_OPT_HASHES, "SYSDIAGNOSE_PATH"},
    {"check-iocs", "Re-check saved results with the loaded indicators", spy_cli_check_main,
     &spy_cmd_ios_check_iocs, SPY_OPT_OUTPUT | SPY_OPT_MODULE, "FOLDER"},
    {"decrypt-backup", "Write a decrypted copy of an encrypted backup", spy_cli_ios_decrypt_main,
     NULL, 0, "BACKUP_PATH"},
    {"extract-key", "Print or save the decryption key of an encrypted backup",
     spy_cli_ios_extract_key_main, NULL, 0, "BACKUP_PATH"},
    {"download-iocs", "Download the public indicator files", spy_cli_download_main, NULL, 0, ""},
    {NULL, NULL, NULL, NULL, 0, NULL}};

int spy_cli_ios(int argc, char **argv)
{
    return spy_cli_dispatch("ios", ios_cmds, argc, argv);
}
