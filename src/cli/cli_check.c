/* The options every check command shares, parsed once for all of them. */
#include "cli/cli.h"

#include "core/log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct option long_opts[] = {
    {"iocs", required_argument, NULL, 'i'},
    {"ioc-list", required_argument, NULL, SPY_LOPT_IOC_LIST},
    {"no-default-iocs", no_argument, NULL, SPY_LOPT_NO_DEFAULTS},
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, SPY_LOPT_FORCE},
    {"list-modules", no_argument, NULL, 'l'},
    {"module", required_argument, NULL, 'm'},
    {"fast", no_argument, NULL, 'f'},
    {"hashes", no_argument, NULL, 'H'},
    {"verbose", no_argument, NULL, 'v'},
    {"threads", required_argument, NULL, 'j'},
    {"password", required_argument, NULL, 'p'},
    {"backup-password", required_argument, NULL, 'p'},
    {"key-file", required_argument, NULL, 'k'},
    {"non-interactive", no_argument, NULL, 'n'},
    {"timezone", required_argument, NULL, 't'},
    {"delay", required_argument, NULL, 'd'},
    {"virustotal", no_argument, NULL, 'V'},
    {"load-module", required_argument, NULL, SPY_LOPT_LOAD_MODULE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

static void check_usage(FILE *f, const char *group, const spy_cli_cmd *c)
{
    fprintf(f, "Usage: spyscan %s %s [OPTIONS] %s\n\n%s\n\nOptions:\n", group, c->name, c->args,
            c->summary);
    fprintf(
        f, "  -i, --iocs PATH          STIX2 file, or folder of *.stix2/*.json (repeatable)\n"
           "      --ioc-list TYPE=FILE plain list, one value a line (repeatable); TYPE is one of\n"
           "                           domain url ipv4 process email file_name file_path sha256\n"
           "                           sha1 md5 app_id cert_sha256 profile_id android_property\n"
           "      --no-default-iocs    ignore downloaded indicators, SPYSCAN_IOCS and MVT_STIX2\n");
    if (c->options & SPY_OPT_OUTPUT)
        fprintf(f, "  -o, --output DIR         write results there (new or empty folder; 0700)\n"
                   "      --force              write into a non-empty output folder\n");
    fprintf(f, "  -l, --list-modules       list the modules and exit\n");
    if (c->options & SPY_OPT_MODULE)
        fprintf(f, "  -m, --module NAME        run only this module\n");
    if (c->options & SPY_OPT_FAST)
        fprintf(f, "  -f, --fast               skip slow modules\n");
    if (c->options & SPY_OPT_HASHES)
        fprintf(f, "  -H, --hashes             SHA-256 of every input file into info.json\n");
    if (c->options & SPY_OPT_PASSWORD)
        fprintf(f,
                "  -p, --password PW        backup password (also --backup-password; prefer the\n"
                "                           prompt or SPYSCAN_BACKUP_PASSWORD: -p is visible to\n"
                "                           other users in the process list)\n"
                "  -n, --non-interactive    never prompt for a password\n");
    if (c->options & SPY_OPT_KEYFILE)
        fprintf(f, "  -k, --key-file FILE      decryption key from 'spyscan ios extract-key'\n");
    if (c->options & SPY_OPT_TIMEZONE)
        fprintf(f, "  -t, --timezone NAME      IANA time zone of the device's logs\n");
    fprintf(f,
            "  -j, --threads N          worker threads (default: one per core)\n"
            "  -v, --verbose            show debug messages\n"
            "  -h, --help               show this help\n\n%s",
            spy_cli_exit_codes_help);
}

static bool option_allowed(int opt, unsigned mask)
{
    switch (opt) {
    case 'o':
    case SPY_LOPT_FORCE: return mask & SPY_OPT_OUTPUT;
    case 'm': return mask & SPY_OPT_MODULE;
    case 'f': return mask & SPY_OPT_FAST;
    case 'H': return mask & SPY_OPT_HASHES;
    case 'p':
    case 'n': return mask & SPY_OPT_PASSWORD;
    case 'k': return mask & SPY_OPT_KEYFILE;
    case 't': return mask & SPY_OPT_TIMEZONE;
    case 'd': return mask & SPY_OPT_DELAY;
    default: return true;
    }
}

static bool parse_threads(const char *arg, unsigned *out)
{
    char *end = NULL;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < 1 || v > 64)
        return false;
    *out = (unsigned)v;
    return true;
}

/* Returns -1 to go on, or an exit code. */
static int handle_option(int opt, const char *group, const spy_cli_cmd *c, spy_check_opts *o)
{
    if (!option_allowed(opt, c->options)) {
        fprintf(stderr, "spyscan %s %s: option not accepted by this command (see --help)\n", group,
                c->name);
        return SPY_EXIT_USAGE;
    }
    if (spy_cli_ioc_option(opt, optarg, &o->iocs))
        return -1;
    switch (opt) {
    case 'o': o->output = optarg; return -1;
    case SPY_LOPT_FORCE: o->force = true; return -1;
    case 'l': o->list_modules = true; return -1;
    case 'm': o->module = optarg; return -1;
    case 'f': o->fast = true; return -1;
    case 'H': o->hashes = true; return -1;
    case 'v': spy_log_set_verbose(true); return -1;
    case 'p': o->password = optarg; return -1;
    case 'n': o->non_interactive = true; return -1;
    case 'k': o->key_file = optarg; return -1;
    case 't': o->timezone = optarg; return -1;
    case 'd': return -1; /* MVT's VirusTotal lookup delay: accepted, nothing is looked up */
    case 'j':
        if (parse_threads(optarg, &o->threads))
            return -1;
        fprintf(stderr, "spyscan: --threads takes a number from 1 to 64\n");
        return SPY_EXIT_USAGE;
    case 'V':
        fprintf(stderr,
                "spyscan: --virustotal is not supported: spyscan never sends evidence anywhere\n");
        return SPY_EXIT_USAGE;
    case SPY_LOPT_LOAD_MODULE:
        fprintf(stderr,
                "spyscan: --load-module is not supported (MVT's Python plugins cannot load)\n");
        return SPY_EXIT_USAGE;
    case 'h': check_usage(stdout, group, c); return SPY_EXIT_CLEAN;
    default: return SPY_EXIT_USAGE; /* getopt printed the problem */
    }
}

int spy_cli_check_main(int argc, char **argv, const spy_cli_cmd *self)
{
    const spy_check_cmd *cmd = self->data;
    spy_check_opts o = {.progress = true};
    int code = -1, opt;
    optind = 1;
    while (code < 0 &&
           (opt = getopt_long(argc, argv, "i:o:lm:fHvj:p:k:nt:d:Vh", long_opts, NULL)) != -1)
        code = handle_option(opt, cmd->platform, self, &o);
    if (code < 0 && o.password && o.key_file) {
        fprintf(stderr, "spyscan %s %s: give either --password or --key-file, not both\n",
                cmd->platform, self->name);
        code = SPY_EXIT_USAGE;
    }
    if (code < 0 && !o.list_modules && optind != argc - 1) {
        fprintf(stderr, "spyscan %s %s: expected one %s (see --help)\n", cmd->platform, self->name,
                self->args);
        code = SPY_EXIT_USAGE;
    }
    if (code < 0) {
        o.input = optind < argc ? argv[optind] : NULL;
        code = cmd->saved_results ? spy_session_check_iocs(cmd, &o) : spy_session_check(cmd, &o);
    }
    free(o.iocs.paths);
    free(o.iocs.lists);
    return code;
}
