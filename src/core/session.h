/* One check command from start to end: indicators, output folder,
 * command.log, acquisition, modules, run-level files, summary, exit code. */
#ifndef SPY_SESSION_H
#define SPY_SESSION_H

#include "core/iocs.h"
#include "core/module.h"
#include "core/run.h"

#include <stdbool.h>
#include <stddef.h>

/* Exit codes of design.md §5. */
enum {
    SPY_EXIT_CLEAN = 0,
    SPY_EXIT_FINDINGS = 1,
    SPY_EXIT_USAGE = 2,
    SPY_EXIT_INPUT = 3,
    SPY_EXIT_MODULE_FAILED = 4 /* added to 0 or 1 */
};

typedef struct spy_ioc_opts {
    const char **paths; /* -i/--iocs */
    size_t n_paths;
    const char **lists; /* --ioc-list TYPE=FILE */
    size_t n_lists;
    bool no_defaults; /* --no-default-iocs: only what is named */
} spy_ioc_opts;

/* Loads indicators per design.md §4. Returns an exit code: CLEAN, USAGE (a
 * named file is missing, a --ioc-list is malformed), INPUT (a named file is
 * unreadable or not a bundle). */
int spy_session_load_iocs(const spy_ioc_opts *o, spy_iocs **out);

typedef struct spy_check_cmd {
    const char *platform; /* "ios" | "android" */
    const char *command;  /* "check-backup", ... */
    const char *what;     /* "iTunes backup", for "Checking <what> at path" */
    unsigned acq_kinds;   /* modules applying to any of these run */
    bool android_timeline;
    bool saved_results; /* check-iocs: the input is a folder of saved results */
    /* Opens the acquisition; returns an exit code (CLEAN or INPUT) after
     * logging one line naming the file and the problem. */
    int (*open_acq)(const char *path, spy_acq *out);
    void (*close_acq)(spy_acq *acq);
    /* Logs what the acquisition is of (device, OS version, date); may be NULL. */
    void (*describe)(const spy_acq *acq);
} spy_check_cmd;

typedef struct spy_check_opts {
    const char *input;
    const char *output;
    bool force;
    spy_ioc_opts iocs;
    const char *module; /* -m: only this class name */
    bool list_modules;
    bool fast;
    bool hashes;
    unsigned threads;
    bool progress;                    /* a line per completed module (the CLI) */
    const spy_module *const *modules; /* NULL: the built-in table */
} spy_check_opts;

/* Runs a whole check command; returns the process exit code. */
int spy_session_check(const spy_check_cmd *cmd, const spy_check_opts *o);
/* check-iocs: o->input is a folder of saved results; the modules applying
 * to cmd->acq_kinds re-check the records of their <slug>.json. */
int spy_session_check_iocs(const spy_check_cmd *cmd, const spy_check_opts *o);

#endif
