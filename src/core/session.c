#include "core/session.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/outdir.h"
#include "core/summary.h"
#include "core/writers.h"
#include "modules/registry.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#define LOGGER "spyscan.cli"

int spy_session_load_iocs(const spy_ioc_opts *o, spy_iocs **out)
{
    spy_iocs *set = NULL;
    int code = SPY_EXIT_CLEAN;
    if (spy_iocs_new(&set) != SPY_OK)
        return SPY_EXIT_INPUT;
    for (size_t i = 0; i < o->n_paths && code == SPY_EXIT_CLEAN; i++) {
        int err = spy_iocs_load_path(set, o->paths[i]);
        if (err == SPY_ENOTFOUND || err == SPY_EUSAGE)
            code = SPY_EXIT_USAGE;
        else if (err != SPY_OK)
            code = SPY_EXIT_INPUT;
    }
    for (size_t i = 0; i < o->n_lists && code == SPY_EXIT_CLEAN; i++) {
        const char *eq = strchr(o->lists[i], '=');
        if (!eq || eq == o->lists[i] || !eq[1]) {
            spy_error(LOGGER, "--ioc-list takes TYPE=FILE, got '%s'", o->lists[i]);
            code = SPY_EXIT_USAGE;
            break;
        }
        char *type = spy_xstrndup(o->lists[i], (size_t)(eq - o->lists[i]));
        int err = spy_iocs_load_list(set, type, eq + 1);
        free(type);
        if (err == SPY_ENOTFOUND || err == SPY_EUSAGE)
            code = SPY_EXIT_USAGE;
        else if (err != SPY_OK)
            code = SPY_EXIT_INPUT;
    }
    if (code == SPY_EXIT_CLEAN && !o->no_defaults)
        spy_iocs_load_defaults(set);
    if (code == SPY_EXIT_CLEAN && spy_iocs_finalize(set) != SPY_OK)
        code = SPY_EXIT_INPUT;
    if (code != SPY_EXIT_CLEAN) {
        spy_iocs_free(set);
        return code;
    }
    *out = set;
    return SPY_EXIT_CLEAN;
}

/* Modules of the command's acquisition kinds, narrowed by -m. */
static size_t select_modules(const spy_check_cmd *cmd, const spy_check_opts *o,
                             const spy_module **sel)
{
    const spy_module *const *table = o->modules ? o->modules : spy_builtin_modules;
    size_t n = 0;
    for (size_t i = 0; table[i] && n < SPY_MAX_MODULES; i++) {
        if (!(table[i]->acquisitions & cmd->acq_kinds))
            continue;
        if (o->module && strcmp(o->module, table[i]->name) != 0)
            continue;
        sel[n++] = table[i];
    }
    return n;
}

/* Modules of a nested acquisition of these kinds, after the n already in
 * sel (-m does not narrow them: MVT's -m applies to the command's own step). */
static size_t select_nested(const spy_check_cmd *cmd, const spy_check_opts *o, unsigned kinds,
                            const spy_module **sel, size_t n)
{
    const spy_module *const *table = o->modules ? o->modules : spy_builtin_modules;
    for (size_t i = 0; table[i] && n < SPY_MAX_MODULES; i++)
        if ((table[i]->acquisitions & kinds) && !(table[i]->acquisitions & cmd->acq_kinds))
            sel[n++] = table[i];
    return n;
}

static void list_modules(const spy_check_cmd *cmd, const spy_module **sel, size_t n)
{
    printf("Following is the list of available %s modules:\n", cmd->command);
    printf(" - Modules from 'spyscan@%s': ", SPY_VERSION);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", sel[i]->name);
    printf("\n");
}

static void local_iso_now(char *buf, size_t len)
{
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    time_t secs = tv.tv_sec;
    char base[32] = "";
    if (localtime_r(&secs, &tm))
        strftime(base, sizeof base, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, len, "%s.%06ld", base, (long)tv.tv_usec);
}

static int write_info(spy_outdir *out, const char *input, const spy_iocs *iocs, bool hashes,
                      unsigned threads)
{
    char date[64];
    local_iso_now(date, sizeof date);
    char abs[PATH_MAX];
    const char *target = realpath(input, abs) ? abs : input;
    size_t nf = spy_iocs_file_count(iocs);
    const char **files = spy_xcalloc(nf ? nf : 1, sizeof *files);
    const char **sums = spy_xcalloc(nf ? nf : 1, sizeof *sums);
    for (size_t i = 0; i < nf; i++) {
        files[i] = spy_iocs_file_path(iocs, i);
        sums[i] = spy_iocs_file_sha256(iocs, i);
    }
    spy_hash_entry *h = NULL;
    size_t nh = 0;
    int err = SPY_OK;
    if (hashes)
        err = spy_hash_inputs(input, threads, &h, &nh);
    spy_info info = {.target_path = target,
                     .version = SPY_VERSION,
                     .date = date,
                     .ioc_files = files,
                     .ioc_files_sha256 = sums,
                     .n_ioc_files = nf,
                     .hashes = h,
                     .n_hashes = nh};
    if (err == SPY_OK)
        err = spy_info_write(out, &info);
    spy_hash_entries_free(h, nh);
    free(files);
    free(sums);
    return err;
}

/* alerts.json, alerts_timeline.csv, timeline.csv, urls.json, info.json. */
static int write_run_files(spy_outdir *out, spy_run *r, const spy_check_opts *o,
                           const spy_iocs *iocs, bool hashes)
{
    int err = SPY_OK;
    if (r->alerts.n)
        err = spy_alerts_write_json(out, "alerts.json", r->alerts.v, r->alerts.n);
    if (err == SPY_OK)
        err = spy_alerts_write_timeline_csv(out, r->alerts.v, r->alerts.n);
    if (err == SPY_OK && r->timeline)
        err = spy_timeline_write(r->timeline);
    if (err == SPY_OK && r->urls)
        err = spy_urls_write(r->urls);
    if (err == SPY_OK)
        err = write_info(out, o->input, iocs, hashes, o->threads);
    return err;
}

typedef struct session {
    spy_iocs *iocs;
    spy_outdir *out;
    spy_afile *log_file;
    spy_acq acq;
    bool acq_open;
    spy_acq nested[SPY_MAX_NESTED]; /* cmd->nested, those that opened */
    size_t n_nested;
    spy_run run;
} session;

static int open_output(session *s, const spy_check_opts *o)
{
    if (!o->output)
        return SPY_EXIT_CLEAN;
    const char *inputs[] = {o->input};
    int err = spy_outdir_open(&s->out, o->output, inputs, 1, o->force);
    if (err != SPY_OK)
        return SPY_EXIT_USAGE;
    if (spy_afile_open(&s->log_file, s->out, "command.log") == SPY_OK)
        spy_log_set_file_fd(spy_afile_fd(s->log_file));
    return SPY_EXIT_CLEAN;
}

static void close_session(session *s, const spy_check_cmd *cmd)
{
    spy_log_set_file_fd(-1);
    if (s->log_file)
        spy_afile_commit(s->log_file);
    for (size_t i = 0; i < s->n_nested; i++)
        spy_acq_close(&s->nested[i]); /* before their parent: they borrow from it */
    if (s->acq_open && cmd->close_acq)
        cmd->close_acq(&s->acq);
    spy_timeline_free(s->run.timeline);
    spy_urls_free(s->run.urls);
    spy_run_free(&s->run);
    if (s->out)
        spy_outdir_close(s->out);
    spy_iocs_free(s->iocs);
}

/* Job i runs on the acquisition when owner[i] is NULL, else on owner[i]. */
static int run_checks(session *s, const spy_check_cmd *cmd, const spy_check_opts *o,
                      const spy_module **sel, size_t n, const spy_acq **owner)
{
    spy_run *r = &s->run;
    r->acq = &s->acq;
    r->iocs = s->iocs;
    r->out = s->out;
    r->write_results = true;
    r->fast = o->fast;
    r->threads = o->threads;
    r->progress = o->progress ? spy_summary_progress : NULL;
    if (s->out) {
        if (spy_timeline_new(&r->timeline, s->out, cmd->android_timeline) != SPY_OK ||
            spy_urls_new(&r->urls, s->out, n) != SPY_OK)
            return SPY_EXIT_INPUT;
        spy_timeline_set_threads(r->timeline, o->threads);
    }
    spy_job *jobs = spy_xcalloc(n ? n : 1, sizeof *jobs);
    for (size_t i = 0; i < n; i++) {
        jobs[i].module = sel[i];
        jobs[i].acq = owner[i];
    }
    int err = spy_run_jobs(r, jobs, n);
    free(jobs);
    if (err == SPY_OK && s->out)
        err = write_run_files(s->out, r, o, s->iocs, o->hashes || cmd->always_hashes);
    spy_summary_print_note(stdout, r, n, s->out ? spy_outdir_path(s->out) : NULL, cmd->end_note);
    if (err != SPY_OK) {
        spy_error(LOGGER, "Could not write the results to %s: %s", spy_outdir_path(s->out),
                  spy_err_str(err));
        return SPY_EXIT_INPUT;
    }
    return spy_run_exit_code(r, n);
}

int spy_session_check(const spy_check_cmd *cmd, const spy_check_opts *o)
{
    const spy_module *sel[SPY_MAX_MODULES];
    size_t n = select_modules(cmd, o, sel);
    if (o->list_modules) {
        list_modules(cmd, sel, n);
        return SPY_EXIT_CLEAN;
    }
    if (o->module && n == 0) {
        spy_error(LOGGER, "No %s module is named '%s' (see --list-modules)", cmd->command,
                  o->module);
        return SPY_EXIT_USAGE;
    }
    struct stat st;
    if (stat(o->input, &st) != 0) {
        spy_error(LOGGER, "%s: %s", o->input,
                  errno == ENOENT ? "no such file or folder" : "cannot be read");
        return SPY_EXIT_INPUT;
    }
    session s = {0};
    if (o->output)
        spy_log_keep_backlog();
    /* Never the arguments: they may hold a password. */
    spy_info(LOGGER, "spyscan %s: %s %s", SPY_VERSION, cmd->platform, cmd->command);
    int code = spy_session_load_iocs(&o->iocs, &s.iocs);
    if (code == SPY_EXIT_CLEAN)
        code = open_output(&s, o);
    if (code == SPY_EXIT_CLEAN) {
        spy_info(LOGGER, "Checking %s at path: %s", cmd->what, o->input);
        code = cmd->open_acq_opts ? cmd->open_acq_opts(o->input, o, &s.acq)
                                  : cmd->open_acq(o->input, &s.acq);
        s.acq_open = code == SPY_EXIT_CLEAN;
        if (s.acq_open && cmd->describe)
            cmd->describe(&s.acq);
    }
    const spy_acq *owner[SPY_MAX_MODULES] = {0};
    size_t n_all = n;
    bool nested_failed = false; /* present but unreadable: its modules could not run */
    for (size_t i = 0; code == SPY_EXIT_CLEAN && i < cmd->n_nested && i < SPY_MAX_NESTED; i++) {
        spy_acq *dst = &s.nested[s.n_nested];
        int err = cmd->nested[i].open(&s.acq, o, dst);
        if (err == SPY_EPASSWORD) {
            code = SPY_EXIT_INPUT; /* MVT: a wrong password ends the run */
            break;
        }
        nested_failed |= err != SPY_OK && err != SPY_ENOTFOUND;
        if (err != SPY_OK)
            continue;
        s.n_nested++;
        size_t before = n_all;
        n_all = select_nested(cmd, o, cmd->nested[i].kinds, sel, n_all);
        for (size_t j = before; j < n_all; j++)
            owner[j] = dst;
    }
    if (code == SPY_EXIT_CLEAN)
        code = run_checks(&s, cmd, o, sel, n_all, owner);
    if (nested_failed && code < SPY_EXIT_USAGE)
        code += SPY_EXIT_MODULE_FAILED;
    close_session(&s, cmd);
    return code;
}
