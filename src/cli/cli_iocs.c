/* spyscan iocs: what indicators a check would use, with counts per type. */
#include "cli/cli.h"

#include "core/log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const struct option iocs_opts[] = {
    {"iocs", required_argument, NULL, 'i'},
    {"ioc-list", required_argument, NULL, SPY_LOPT_IOC_LIST},
    {"no-default-iocs", no_argument, NULL, SPY_LOPT_NO_DEFAULTS},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

static void iocs_usage(FILE *f)
{
    fprintf(f,
            "Usage: spyscan iocs [-i PATH]... [--ioc-list TYPE=FILE]... [--no-default-iocs]\n\n"
            "Loads indicators as a check would (the -i/--ioc-list files, then the downloaded\n"
            "folder, SPYSCAN_IOCS and MVT_STIX2) and lists each collection with its counts\n"
            "per indicator type. Unsupported patterns are reported as warnings.\n\n%s",
            spy_cli_exit_codes_help);
}

static void print_collection(const spy_ioc_collection_info *c)
{
    printf("%s (%s): %zu indicators\n", c->name, c->file_name, c->count);
    for (int k = 0; k < SPY_KEY_COUNT; k++)
        if (c->key_counts[k])
            printf("    %-28s %7zu\n", spy_ioc_key_name((spy_ioc_key)k), c->key_counts[k]);
}

static void print_set(const spy_iocs *set)
{
    size_t totals[SPY_KEY_COUNT] = {0};
    size_t nc = spy_iocs_collection_count(set);
    for (size_t i = 0; i < nc; i++) {
        const spy_ioc_collection_info *c = spy_iocs_collection(set, i);
        print_collection(c);
        for (int k = 0; k < SPY_KEY_COUNT; k++)
            totals[k] += c->key_counts[k];
    }
    printf("\nTotal: %zu indicators in %zu collection(s) from %zu file(s)\n", spy_iocs_total(set),
           nc, spy_iocs_file_count(set));
    for (int k = 0; k < SPY_KEY_COUNT; k++)
        if (totals[k])
            printf("    %-28s %7zu\n", spy_ioc_key_name((spy_ioc_key)k), totals[k]);
    size_t unsupported = spy_iocs_unsupported_count(set);
    if (unsupported)
        printf("%zu unsupported pattern(s) skipped (see the warnings above)\n", unsupported);
}

int spy_cli_iocs(int argc, char **argv)
{
    spy_ioc_opts o = {0};
    int opt, code = -1;
    optind = 1;
    while (code < 0 && (opt = getopt_long(argc, argv, "i:vh", iocs_opts, NULL)) != -1) {
        if (spy_cli_ioc_option(opt, optarg, &o))
            continue;
        if (opt == 'v')
            spy_log_set_verbose(true);
        else if (opt == 'h') {
            iocs_usage(stdout);
            code = SPY_EXIT_CLEAN;
        } else
            code = SPY_EXIT_USAGE;
    }
    if (code < 0 && optind != argc) {
        fprintf(stderr, "spyscan iocs: unexpected argument '%s' (see --help)\n", argv[optind]);
        code = SPY_EXIT_USAGE;
    }
    if (code < 0) {
        spy_iocs *set = NULL;
        code = spy_session_load_iocs(&o, &set);
        if (code == SPY_EXIT_CLEAN)
            print_set(set);
        spy_iocs_free(set);
    }
    free(o.paths);
    free(o.lists);
    return code;
}
