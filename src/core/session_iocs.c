/* check-iocs (spec/iocs.md §9, design.md §2): re-runs each module's own
 * check on the records a previous run saved, spyscan's or MVT's. The saved
 * folder is only read; with -o the alerts are written to a new folder. */
#include "core/session.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/saved_results.h"
#include "core/summary.h"
#include "modules/registry.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER "spyscan.cli"

typedef struct saved_feed {
    char *path;
    spy_mod_ctx *ctx;
    size_t count;
    size_t not_records;  /* array elements that are not objects */
    const char *refused; /* why a <slug>.json that is there is not read */
} saved_feed;

/* Every module's check reads keys of an object: anything else in a saved
 * array (foreign or damaged JSON) is counted, never checked. */
static int feed_record(json_t *rec, void *ud)
{
    saved_feed *f = ud;
    if (!json_is_object(rec)) {
        f->not_records++;
        json_decref(rec);
        return SPY_OK;
    }
    f->count++;
    return spy_emit(f->ctx, rec);
}

static int feed_saved(spy_mod_ctx *ctx, void *ud)
{
    saved_feed *f = ud;
    f->ctx = ctx;
    if (f->refused) {
        spy_error(spy_ctx_logger(ctx), "%s: %s", f->path, f->refused);
        return SPY_EIO;
    }
    int fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        spy_error(spy_ctx_logger(ctx), "%s: cannot be opened", f->path);
        return SPY_EIO;
    }
    spy_info(spy_ctx_logger(ctx), "Loading results from \"%s\" with module %s", f->path,
             spy_ctx_module(ctx)->name);
    const char *why = NULL;
    size_t off = 0;
    int err = spy_saved_foreach_fd(fd, feed_record, f, &why, &off);
    close(fd);
    if (f->not_records)
        spy_skipped(ctx, f->not_records, "%s: %zu saved records are not JSON objects", f->path,
                    f->not_records);
    if (err == SPY_EFORMAT)
        spy_error(spy_ctx_logger(ctx), "%s: %s at byte %zu (%zu records before it were checked)",
                  f->path, why ? why : "unreadable", off, f->count);
    else if (err == SPY_OK)
        spy_info(spy_ctx_logger(ctx), "Loaded %zu results from \"%s\"", f->count, f->path);
    return err;
}

/* One job per module whose <slug>.json is in the folder. One that is not a
 * regular file (a folder, a FIFO, a link) is never opened, but its module
 * fails with the reason: skipping it silently would look like a complete
 * check. */
static size_t plan_jobs(const spy_check_cmd *cmd, const spy_check_opts *o, spy_job *jobs,
                        saved_feed *feeds)
{
    const spy_module *const *table = o->modules ? o->modules : spy_builtin_modules;
    size_t n = 0;
    for (size_t i = 0; table[i] && n < SPY_MAX_MODULES; i++) {
        const spy_module *m = table[i];
        if (!(m->acquisitions & cmd->acq_kinds) || (o->module && strcmp(o->module, m->name) != 0))
            continue;
        char *path = spy_xasprintf("%s/%s.json", o->input, m->slug);
        struct stat st;
        if (lstat(path, &st) != 0) {
            free(path);
            continue;
        }
        feeds[n] = (saved_feed){.path = path,
                                .refused = S_ISLNK(st.st_mode)    ? "a symbolic link (not followed)"
                                           : !S_ISREG(st.st_mode) ? "not a regular file"
                                                                  : NULL};
        jobs[n] = (spy_job){.module = m, .feed = feed_saved, .feed_ud = &feeds[n]};
        n++;
    }
    return n;
}

static int write_alerts(spy_outdir *out, const spy_run *r)
{
    int err = SPY_OK;
    if (r->alerts.n)
        err = spy_alerts_write_json(out, "alerts.json", r->alerts.v, r->alerts.n);
    if (err == SPY_OK)
        err = spy_alerts_write_timeline_csv(out, r->alerts.v, r->alerts.n);
    return err;
}

static int run_saved(const spy_check_cmd *cmd, const spy_check_opts *o, spy_iocs *iocs,
                     spy_outdir *out)
{
    spy_job jobs[SPY_MAX_MODULES];
    saved_feed feeds[SPY_MAX_MODULES];
    size_t n = plan_jobs(cmd, o, jobs, feeds);
    if (n == 0)
        spy_warn(LOGGER, "%s holds no results file of a %s module", o->input, cmd->platform);
    spy_acq acq = {.kind = 0, .path = o->input};
    spy_run r = {.acq = &acq,
                 .iocs = iocs,
                 .out = out,
                 .threads = o->threads,
                 .progress = o->progress ? spy_summary_progress : NULL};
    int err = spy_run_jobs(&r, jobs, n);
    if (err == SPY_OK && out)
        err = write_alerts(out, &r);
    if (r.alerts.n)
        spy_warn(LOGGER, "The check of the results produced %zu detections!", r.alerts.n);
    spy_summary_print(stdout, &r, n, out ? spy_outdir_path(out) : NULL);
    int code = err == SPY_OK ? spy_run_exit_code(&r, n) : SPY_EXIT_INPUT;
    for (size_t i = 0; i < n; i++)
        free(feeds[i].path);
    spy_run_free(&r);
    return code;
}

int spy_session_check_iocs(const spy_check_cmd *cmd, const spy_check_opts *o)
{
    struct stat st;
    if (stat(o->input, &st) != 0 || !S_ISDIR(st.st_mode)) {
        spy_error(LOGGER, "%s: not a folder of saved results", o->input);
        return SPY_EXIT_INPUT;
    }
    spy_iocs *iocs = NULL;
    if (o->output)
        spy_log_keep_backlog();
    spy_info(LOGGER, "spyscan %s: %s %s", SPY_VERSION, cmd->platform, cmd->command);
    int code = spy_session_load_iocs(&o->iocs, &iocs);
    if (code != SPY_EXIT_CLEAN)
        return code;
    if (spy_iocs_total(iocs) == 0)
        spy_warn(LOGGER, "No indicators loaded: only the heuristics of the modules will run");
    spy_outdir *out = NULL;
    spy_afile *log_file = NULL;
    if (o->output) {
        const char *inputs[] = {o->input};
        if (spy_outdir_open(&out, o->output, inputs, 1, o->force) != SPY_OK) {
            spy_iocs_free(iocs);
            return SPY_EXIT_USAGE;
        }
        if (spy_afile_open(&log_file, out, "command.log") == SPY_OK)
            spy_log_set_file_fd(spy_afile_fd(log_file));
    }
    code = run_saved(cmd, o, iocs, out);
    spy_log_set_file_fd(-1);
    if (log_file)
        spy_afile_commit(log_file);
    if (out)
        spy_outdir_close(out);
    spy_iocs_free(iocs);
    return code;
}
