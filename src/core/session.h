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

struct spy_check_opts;

/* One nested acquisition. open() returns SPY_OK; SPY_ENOTFOUND after its
 * "Skipping ..." warning (not a failure); SPY_EPASSWORD when the password
 * is wrong or missing (fatal for the run, as in MVT); another error after a
 * line saying why it is unusable (its modules count as failed). */
typedef struct spy_nested_step {
    int (*open)(const spy_acq *parent, const struct spy_check_opts *o, spy_acq *out);
    unsigned kinds;
} spy_nested_step;

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
    /* Used instead of open_acq when set: readers that need the options
     * (an encrypted backup's password or key file). */
    int (*open_acq_opts)(const char *path, const struct spy_check_opts *o, spy_acq *out);
    void (*close_acq)(spy_acq *acq);
    /* Logs what the acquisition is of (device, OS version, date); may be NULL. */
    void (*describe)(const spy_acq *acq);
    /* Acquisitions inside the first (an AndroidQF acquisition's bug report,
     * backup.ab and intrusion logs, spec/android.md §1.3.3), in this order:
     * the modules of each one's kinds (not narrowed by -m) run after the
     * command's own, into the same outputs. */
    const struct spy_nested_step *nested;
    size_t n_nested;
    const char *end_note; /* a note printed after the alert counts; may be NULL */
    bool always_hashes;   /* input hashes in info.json even without -H (MVT) */
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
    const char *password;             /* -p: encrypted backups (design.md §6) */
    const char *key_file;             /* -k: key from extract-key */
    bool non_interactive;             /* -n: never prompt for a password */
    const char *timezone;             /* -t: IANA zone of intrusion logs, or NULL */
    const spy_module *const *modules; /* NULL: the built-in table */
} spy_check_opts;

/* Runs a whole check command; returns the process exit code. */
int spy_session_check(const spy_check_cmd *cmd, const spy_check_opts *o);
/* check-iocs: o->input is a folder of saved results; the modules applying
 * to cmd->acq_kinds re-check the records of their <slug>.json. */
int spy_session_check_iocs(const spy_check_cmd *cmd, const spy_check_opts *o);

#endif
