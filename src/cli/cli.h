/* Command-line front end: one file per command group; this header is what
 * they share. */
#ifndef SPY_CLI_H
#define SPY_CLI_H

#include "core/session.h"

#include <stdbool.h>

typedef struct spy_cli_cmd {
    const char *name;
    const char *summary;
    /* argv[0] is the command name; returns the exit code. */
    int (*main)(int argc, char **argv, const struct spy_cli_cmd *self);
    const void *data; /* command-specific (e.g. a spy_check_cmd) */
    unsigned options; /* SPY_OPT_* accepted by a check command */
    const char *args; /* positional argument name, e.g. "BACKUP_PATH" */
} spy_cli_cmd;

/* Options a check command may accept (MVT's names, spec/outputs.md §2). */
enum {
    SPY_OPT_OUTPUT = 1u << 0,   /* -o/--output, --force */
    SPY_OPT_MODULE = 1u << 1,   /* -m/--module */
    SPY_OPT_FAST = 1u << 2,     /* -f/--fast */
    SPY_OPT_HASHES = 1u << 3,   /* -H/--hashes */
    SPY_OPT_PASSWORD = 1u << 4, /* -p/--password/--backup-password, -n */
    SPY_OPT_KEYFILE = 1u << 5,  /* -k/--key-file */
    SPY_OPT_TIMEZONE = 1u << 6, /* -t/--timezone */
    SPY_OPT_DELAY = 1u << 7     /* -d/--delay (accepted for MVT compatibility) */
};

/* getopt codes of long-only options, shared by every command. */
enum { SPY_LOPT_IOC_LIST = 1001, SPY_LOPT_NO_DEFAULTS, SPY_LOPT_FORCE, SPY_LOPT_LOAD_MODULE };

extern const char spy_cli_exit_codes_help[];

/* Runs the sub-command named argv[0] from a table; prints help for
 * -h/--help/no command. */
int spy_cli_dispatch(const char *group, const spy_cli_cmd *cmds, int argc, char **argv);

/* Generic check command (data = spy_check_cmd). */
int spy_cli_check_main(int argc, char **argv, const spy_cli_cmd *self);
/* Commands that a later version will bring. */
int spy_cli_not_yet(int argc, char **argv, const spy_cli_cmd *self);
int spy_cli_download_main(int argc, char **argv, const spy_cli_cmd *self);

int spy_cli_ios(int argc, char **argv);
/* spyscan ios decrypt-backup / extract-key (cli_ios_crypt.c). */
int spy_cli_ios_decrypt_main(int argc, char **argv, const spy_cli_cmd *self);
int spy_cli_ios_extract_key_main(int argc, char **argv, const spy_cli_cmd *self);
int spy_cli_android(int argc, char **argv);
int spy_cli_iocs(int argc, char **argv);

/* Shared option handling for indicator sources; returns true when opt was
 * one of them. */
bool spy_cli_ioc_option(int opt, const char *arg, spy_ioc_opts *o);

#endif
