#include "cli/cli.h"

#include "core/log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char spy_cli_exit_codes_help[] =
    "Exit codes:\n"
    "  0  completed; no indicator match and no alert at HIGH or above\n"
    "  1  completed; at least one indicator match or HIGH/CRITICAL alert\n"
    "  2  usage error (bad option, missing argument, refused option)\n"
    "  3  input unusable: not found, wrong kind, unreadable, wrong password, corrupt\n"
    "  4  added to 0 or 1 when one or more modules failed (4 = clean + failures,\n"
    "     5 = findings + failures)\n";

static void group_usage(FILE *f, const char *group, const spy_cli_cmd *cmds)
{
    fprintf(f, "Usage: spyscan %s COMMAND [OPTIONS] [ARGS]\n\nCommands:\n", group);
    for (size_t i = 0; cmds[i].name; i++)
        fprintf(f, "  %-22s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(f, "\nRun 'spyscan %s COMMAND --help' for a command's options.\n\n%s", group,
            spy_cli_exit_codes_help);
}

int spy_cli_dispatch(const char *group, const spy_cli_cmd *cmds, int argc, char **argv)
{
    if (argc < 1) {
        group_usage(stderr, group, cmds);
        return SPY_EXIT_USAGE;
    }
    if (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0) {
        group_usage(stdout, group, cmds);
        return SPY_EXIT_CLEAN;
    }
    for (size_t i = 0; cmds[i].name; i++)
        if (strcmp(cmds[i].name, argv[0]) == 0)
            return cmds[i].main(argc, argv, &cmds[i]);
    fprintf(stderr, "spyscan %s: unknown command '%s' (see spyscan %s --help)\n", group, argv[0],
            group);
    return SPY_EXIT_USAGE;
}

int spy_cli_not_yet(int argc, char **argv, const spy_cli_cmd *self)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "spyscan: '%s' is not yet available in spyscan %s\n", self->name, SPY_VERSION);
    return SPY_EXIT_USAGE;
}

bool spy_cli_ioc_option(int opt, const char *arg, spy_ioc_opts *o)
{
    switch (opt) {
    case 'i':
        o->paths = realloc(o->paths, (o->n_paths + 1) * sizeof *o->paths);
        if (!o->paths)
            abort();
        o->paths[o->n_paths++] = arg;
        return true;
    case SPY_LOPT_IOC_LIST:
        o->lists = realloc(o->lists, (o->n_lists + 1) * sizeof *o->lists);
        if (!o->lists)
            abort();
        o->lists[o->n_lists++] = arg;
        return true;
    case SPY_LOPT_NO_DEFAULTS: o->no_defaults = true; return true;
    default: return false;
    }
}
