/* spyscan {ios,android} download-iocs: the one command that uses the network. */
#include "cli/cli.h"

#include "core/error.h"
#include "core/ioc_download.h"
#include "core/log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const struct option dl_opts[] = {{"index-url", required_argument, NULL, 'u'},
                                        {"verbose", no_argument, NULL, 'v'},
                                        {"help", no_argument, NULL, 'h'},
                                        {NULL, 0, NULL, 0}};

static void dl_usage(FILE *f)
{
    fprintf(f, "Usage: spyscan ios|android download-iocs [--index-url URL]\n\n"
               "Downloads the public indicator files listed in the mvt-indicators index into\n"
               "$XDG_DATA_HOME/spyscan/indicators (default ~/.local/share/spyscan/indicators),\n"
               "where every check finds them. This is the only spyscan command that uses the\n"
               "network; it sends nothing but the requests for these files.\n\n"
               "  --index-url URL   another index (https:// or file://), e.g. a mirror\n\n"
               "Exit codes: 0 all files downloaded, 3 the index could not be fetched or read,\n"
               "4 some files failed (the others were saved).\n");
}

int spy_cli_download_main(int argc, char **argv, const spy_cli_cmd *self)
{
    (void)self;
    const char *index = SPY_IOC_INDEX_URL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "vh", dl_opts, NULL)) != -1) {
        if (opt == 'u')
            index = optarg;
        else if (opt == 'v')
            spy_log_set_verbose(true);
        else if (opt == 'h') {
            dl_usage(stdout);
            return SPY_EXIT_CLEAN;
        } else
            return SPY_EXIT_USAGE;
    }
    if (optind != argc) {
        fprintf(stderr, "spyscan download-iocs: unexpected argument '%s'\n", argv[optind]);
        return SPY_EXIT_USAGE;
    }
    char *dest = spy_ioc_download_dir();
    if (!dest) {
        spy_error("spyscan.download", "Neither XDG_DATA_HOME nor HOME is set: nowhere to save");
        return SPY_EXIT_USAGE;
    }
    spy_download_report rep;
    int err = spy_ioc_download_all(index, dest, &rep);
    printf("Downloaded %zu indicator file(s) to %s; %zu failed\n", rep.downloaded, dest,
           rep.failed);
    free(dest);
    if (err != SPY_OK)
        return SPY_EXIT_INPUT;
    return rep.failed ? SPY_EXIT_MODULE_FAILED : SPY_EXIT_CLEAN;
}
