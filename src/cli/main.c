/* spyscan: find traces of mercenary spyware in phone acquisitions. */
#include "cli/cli.h"

#include "core/log.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(
        f,
        "Usage: spyscan [--disable-update-check] [--disable-indicator-update-check] COMMAND ...\n"
        "\n"
        "Finds traces of mercenary spyware in iPhone and Android acquisitions.\n"
        "Checks never use the network and never modify the evidence.\n"
        "\n"
        "Commands:\n"
        "  ios <command>       check iOS backups, filesystem dumps, saved results\n"
        "  android <command>   check AndroidQF acquisitions, bug reports, backups, logs\n"
        "  iocs                list the loaded indicator collections with counts per type\n"
        "  version             print the version\n"
        "\n"
        "Run 'spyscan ios --help' or 'spyscan android --help' for their commands.\n\n%s",
        spy_cli_exit_codes_help);
}

int main(int argc, char **argv)
{
    /* jansson hashes objects with a seed; set it before any thread starts. */
    json_object_seed(0);
    int i = 1;
    /* MVT's group options: spyscan never checks for updates, so they are
     * accepted for compatibility and do nothing. */
    while (i < argc && (strcmp(argv[i], "--disable-update-check") == 0 ||
                        strcmp(argv[i], "--disable-indicator-update-check") == 0))
        i++;
    if (i >= argc) {
        usage(stderr);
        return SPY_EXIT_USAGE;
    }
    const char *cmd = argv[i];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return SPY_EXIT_CLEAN;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("spyscan %s\n", SPY_VERSION);
        return SPY_EXIT_CLEAN;
    }
    if (strcmp(cmd, "ios") == 0)
        return spy_cli_ios(argc - i - 1, argv + i + 1);
    if (strcmp(cmd, "android") == 0)
        return spy_cli_android(argc - i - 1, argv + i + 1);
    if (strcmp(cmd, "iocs") == 0)
        return spy_cli_iocs(argc - i, argv + i);
    fprintf(stderr, "spyscan: unknown command '%s' (see spyscan --help)\n", cmd);
    return SPY_EXIT_USAGE;
}
