#include "core/run.h"

#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/results_file.h"
#include "core/strmap.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct spy_mod_ctx {
    spy_run *run;
    size_t index;
    const spy_module *mod;
    const spy_acq *acq;        /* the job's acquisition */
    const spy_iocs *iocs;      /* NULL when none loaded */
    spy_results_file *results; /* NULL when not writing */
    spy_ioc_scratch *scratch;
    spy_timeline_batch *tl; /* this module's timeline rows, batched */
    size_t name_len;        /* strlen(mod->name), the rows' plugin */
    const json_t *record;   /* the record being checked */
    const spy_flat *flat;   /* or the flat record being checked */
    json_t *flat_json;      /* its jansson form, once an alert or a mark needed it */
    bool flat_marked;       /* a mark went into flat_json: write that instead */
    spy_alert_list alerts;
    spy_mod_stats *stats;
    char *logger;
    spy_strmap *seen; /* spy_ctx_first's keys, made on first use */
    int write_err;
};

typedef struct pool {
    spy_run *run;
    const spy_job *jobs;
    size_t n_jobs;
    spy_mod_ctx *ctxs;
    spy_logcap **caps;
    atomic_size_t next;
    pthread_mutex_t lock;
    pthread_cond_t done_cv;
    bool *done;
} pool;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- module-facing API ------------------------------------------------- */

const spy_iocs *spy_ctx_iocs(const spy_mod_ctx *ctx)
{
    return ctx->iocs;
}
const spy_acq *spy_ctx_acq(const spy_mod_ctx *ctx)
{
    return ctx->acq;
}
const spy_module *spy_ctx_module(const spy_mod_ctx *ctx)
{
    return ctx->mod;
}
bool spy_ctx_fast(const spy_mod_ctx *ctx)
{
    return ctx->run->fast;
}
const char *spy_ctx_logger(const spy_mod_ctx *ctx)
{
    return ctx->logger;
}

bool spy_ctx_first(spy_mod_ctx *ctx, const char *key)
{
    if (!ctx->seen)
        ctx->seen = spy_strmap_new(0);
    bool inserted = false;
    spy_strmap_put(ctx->seen, key ? key : "", key ? strlen(key) : 0, &inserted);
    return inserted;
}

/* The record being checked as a jansson object (built from a flat one
 * the first time it is needed). */
static json_t *current_record(spy_mod_ctx *ctx)
{
    if (ctx->record)
        return (json_t *)ctx->record;
    if (ctx->flat && !ctx->flat_json)
        ctx->flat_json = spy_flat_to_json(ctx->flat);
    return ctx->flat_json;
}

static void raise_alert(spy_mod_ctx *ctx, spy_level level, const char *event_time,
                        const json_t *event, const char *message, const spy_ioc_match *m)
{
    spy_alert a = {
        .level = level,
        .module = (char *)ctx->mod->slug,
        .message = (char *)message,
        .event_time = (char *)(event_time ? event_time : ""),
        .event = event ? (json_t *)event : current_record(ctx),
    };
    if (m) {
        a.has_match = true;
        a.ioc_value = (char *)m->value;
        a.ioc_type = (char *)m->type;
        a.ioc_name = (char *)m->name;
        a.ioc_file = (char *)m->stix2_file_name;
        ctx->stats->ioc_matches++;
    }
    spy_alert_list_add(&ctx->alerts, &a);
    ctx->stats->alerts[spy_level_index(level)]++;
    spy_log_alert(level, ctx->logger, message);
}

bool spy_check_ioc_level(spy_mod_ctx *ctx, spy_level level, spy_check_kind kind, const char *value,
                         const char *event_time, const json_t *event)
{
    if (!ctx->iocs || !value || !*value)
        return false;
    spy_ioc_match m = {0};
    if (!spy_iocs_check(ctx->iocs, ctx->scratch, kind, value, &m))
        return false;
    raise_alert(ctx, level, event_time, event, m.message, &m);
    spy_ioc_match_clear(&m);
    return true;
}

bool spy_check_ioc(spy_mod_ctx *ctx, spy_check_kind kind, const char *value, const char *event_time,
                   const json_t *event)
{
    return spy_check_ioc_level(ctx, SPY_LEVEL_CRITICAL, kind, value, event_time, event);
}

static json_t *indicator_json(const spy_ioc_match *m)
{
    json_t *o = json_object();
    const char *k[4] = {"value", "type", "name", "stix2_file_name"};
    const char *v[4] = {m->value, m->type, m->name, m->stix2_file_name};
    for (int i = 0; i < 4; i++)
        json_object_set_new_nocheck(o, k[i],
                                    v[i] ? json_stringn_nocheck(v[i], strlen(v[i])) : json_null());
    return o;
}

bool spy_check_ioc_mark(spy_mod_ctx *ctx, spy_check_kind kind, const char *value,
                        const char *event_time)
{
    if (!ctx->iocs || (!ctx->record && !ctx->flat) || !value || !*value)
        return false;
    spy_ioc_match m = {0};
    if (!spy_iocs_check(ctx->iocs, ctx->scratch, kind, value, &m))
        return false;
    /* The run loop owns the record until it is written, after check(). */
    json_object_set_new_nocheck(current_record(ctx), "matched_indicator", indicator_json(&m));
    ctx->flat_marked = ctx->flat != NULL;
    raise_alert(ctx, SPY_LEVEL_CRITICAL, event_time, NULL, m.message, &m);
    spy_ioc_match_clear(&m);
    return true;
}

void spy_alert_match(spy_mod_ctx *ctx, spy_level level, const char *event_time, const json_t *event,
                     const spy_ioc_match *m)
{
    raise_alert(ctx, level, event_time, event, m->message, m);
}

void spy_alert_raise(spy_mod_ctx *ctx, spy_level level, const char *event_time, const json_t *event,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *msg = spy_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    raise_alert(ctx, level, event_time, event, msg, NULL);
    free(msg);
}

void spy_timeline_event(spy_mod_ctx *ctx, const char *timestamp, const char *event,
                        const char *description)
{
    spy_timeline_event_n(ctx, timestamp, timestamp ? strlen(timestamp) : 0, event,
                         event ? strlen(event) : 0, description,
                         description ? strlen(description) : 0);
}

void spy_timeline_event_n(spy_mod_ctx *ctx, const char *timestamp, size_t timestamp_len,
                          const char *event, size_t event_len, const char *description,
                          size_t description_len)
{
    if (!ctx->run->timeline)
        return;
    if (!ctx->tl) {
        ctx->tl = spy_timeline_batch_new(ctx->run->timeline);
        ctx->name_len = strlen(ctx->mod->name);
    }
    const char *f[4] = {timestamp, ctx->mod->name, event, description};
    const size_t len[4] = {timestamp_len, ctx->name_len, event_len, description_len};
    if (spy_timeline_batch_add_n(ctx->tl, f, len) != SPY_OK)
        ctx->write_err = SPY_EIO;
}

void spy_url_seen(spy_mod_ctx *ctx, const char *url, const char *timestamp, const char *source)
{
    if (ctx->run->urls &&
        spy_urls_add(ctx->run->urls, ctx->index, url, NULL, timestamp, source) != SPY_OK)
        ctx->write_err = SPY_EIO;
}

void spy_skipped(spy_mod_ctx *ctx, size_t n, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    ctx->stats->skipped += n;
    spy_warn(ctx->logger, "Skipped %zu unreadable entr%s: %s", n, n == 1 ? "y" : "ies", why);
}

/* The alerts of the AND indicators whose every part the checks of the
 * current record matched (its event: the record). */
static void raise_compounds(spy_mod_ctx *ctx)
{
    if (!ctx->scratch)
        return;
    spy_ioc_match m = {0};
    while (spy_ioc_scratch_next_compound(ctx->scratch, &m)) {
        raise_alert(ctx, SPY_LEVEL_CRITICAL, NULL, NULL, m.message, &m);
        spy_ioc_match_clear(&m);
    }
}

int spy_emit(spy_mod_ctx *ctx, json_t *record)
{
    if (!record)
        return SPY_EINTERNAL;
    ctx->record = record;
    if (ctx->scratch)
        spy_ioc_scratch_reset(ctx->scratch);
    if (ctx->mod->check)
        ctx->mod->check(ctx, record);
    raise_compounds(ctx);
    if (ctx->mod->timeline && ctx->run->timeline)
        ctx->mod->timeline(ctx, record);
    if (ctx->results && spy_results_file_add(ctx->results, record) != SPY_OK)
        ctx->write_err = SPY_EIO;
    ctx->stats->records++;
    ctx->record = NULL;
    json_decref(record);
    return ctx->write_err;
}

int spy_emit_flat(spy_mod_ctx *ctx, spy_flat *record, const spy_flat_ops *ops)
{
    if (!record)
        return SPY_EINTERNAL;
    ctx->flat = record;
    if (ctx->scratch)
        spy_ioc_scratch_reset(ctx->scratch);
    if (ops->check)
        ops->check(ctx, record);
    raise_compounds(ctx);
    if (ops->timeline && ctx->run->timeline)
        ops->timeline(ctx, record);
    if (ctx->results) {
        int rc = ctx->flat_marked ? spy_results_file_add(ctx->results, ctx->flat_json)
                                  : spy_results_file_add_flat(ctx->results, record);
        if (rc != SPY_OK)
            ctx->write_err = SPY_EIO;
    }
    ctx->stats->records++;
    ctx->flat = NULL;
    json_decref(ctx->flat_json);
    ctx->flat_json = NULL;
    ctx->flat_marked = false;
    return ctx->write_err;
}

/* ---- one job on a worker thread ----------------------------------------- */

static void run_job(pool *p, size_t i)
{
    spy_mod_ctx *ctx = &p->ctxs[i];
    const spy_job *job = &p->jobs[i];
    spy_run *r = p->run;
    double t0 = now_seconds();

    spy_logcap_begin(p->caps[i]);
    if (r->fast && (job->module->flags & SPY_MOD_SLOW) && !job->feed) {
        ctx->stats->status = SPY_MODST_FAST;
        spy_info(ctx->logger, "Skipping module %s in fast mode", job->module->name);
        goto out;
    }
    spy_info(ctx->logger, "Running module %s...", job->module->name);
    if (r->out && r->write_results)
        ctx->results =
            spy_results_file_new(r->out, job->module->slug, job->module->flags & SPY_MOD_MAPPING);
    int err = job->feed ? job->feed(ctx, job->feed_ud) : job->module->run(ctx);
    if (spy_timeline_batch_free(ctx->tl) != SPY_OK)
        ctx->write_err = SPY_EIO;
    ctx->tl = NULL;
    if (err == SPY_OK && ctx->write_err)
        err = ctx->write_err;
    if (err == SPY_ENOTFOUND && ctx->stats->records == 0) {
        ctx->stats->status = SPY_MODST_ABSENT;
    } else if (err != SPY_OK) {
        ctx->stats->status = SPY_MODST_FAILED;
        ctx->stats->err = err;
        spy_error(ctx->logger, "Module %s failed: %s", job->module->name, spy_err_str(err));
    }
    if (ctx->results) {
        /* A failed module's partial file stays: its records are real, and
         * the failure is reported beside it. */
        if (spy_results_file_close(ctx->results) != SPY_OK && ctx->stats->status == SPY_MODST_OK) {
            ctx->stats->status = SPY_MODST_FAILED;
            ctx->stats->err = SPY_EIO;
        }
        ctx->results = NULL;
    }
    if (ctx->iocs && ctx->alerts.n == 0 && ctx->stats->status == SPY_MODST_OK)
        spy_info(ctx->logger, "The %s module produced no detections!", job->module->name);
out:
    ctx->stats->seconds = now_seconds() - t0;
    spy_logcap_end();
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n_jobs)
            break;
        run_job(p, i);
        pthread_mutex_lock(&p->lock);
        p->done[i] = true;
        pthread_cond_broadcast(&p->done_cv);
        pthread_mutex_unlock(&p->lock);
    }
    return NULL;
}

/* ---- ordered completion on the calling thread -------------------------- */

static int finish_job(pool *p, size_t i)
{
    spy_mod_ctx *ctx = &p->ctxs[i];
    spy_run *r = p->run;
    int err = SPY_OK;
    spy_logcap_replay(p->caps[i]);
    if (ctx->alerts.n && r->out) {
        char *name = spy_xasprintf("%s_detected.json", ctx->mod->slug);
        err = spy_alerts_write_json(r->out, name, ctx->alerts.v, ctx->alerts.n);
        free(name);
    }
    for (size_t k = 0; k < ctx->alerts.n; k++)
        spy_alert_list_add(&r->alerts, &ctx->alerts.v[k]);
    spy_alert_list_clear(&ctx->alerts);
    spy_logcap_free(p->caps[i]);
    p->caps[i] = NULL;
    return err;
}

static unsigned default_threads(size_t n_jobs)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned t = cpus > 0 ? (unsigned)cpus : 1;
    if (t > SPY_MAX_THREADS)
        t = SPY_MAX_THREADS;
    if (t > n_jobs)
        t = (unsigned)(n_jobs ? n_jobs : 1);
    return t;
}

static void init_ctx(pool *p, size_t i)
{
    spy_mod_ctx *ctx = &p->ctxs[i];
    ctx->run = p->run;
    ctx->index = i;
    ctx->mod = p->jobs[i].module;
    ctx->acq = p->jobs[i].acq ? p->jobs[i].acq : p->run->acq;
    ctx->iocs = p->run->iocs && spy_iocs_total(p->run->iocs) ? p->run->iocs : NULL;
    ctx->scratch = ctx->iocs ? spy_ioc_scratch_new(ctx->iocs) : NULL;
    ctx->stats = &p->run->stats[i];
    ctx->stats->module = ctx->mod;
    ctx->logger = spy_xasprintf("spyscan.modules.%s", ctx->mod->slug);
    p->caps[i] = spy_logcap_new();
}

int spy_run_jobs(spy_run *r, const spy_job *jobs, size_t n_jobs)
{
    pool p = {.run = r, .jobs = jobs, .n_jobs = n_jobs};
    r->stats = spy_xcalloc(n_jobs ? n_jobs : 1, sizeof *r->stats);
    p.ctxs = spy_xcalloc(n_jobs ? n_jobs : 1, sizeof *p.ctxs);
    p.caps = spy_xcalloc(n_jobs ? n_jobs : 1, sizeof *p.caps);
    p.done = spy_xcalloc(n_jobs ? n_jobs : 1, sizeof *p.done);
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.done_cv, NULL);
    for (size_t i = 0; i < n_jobs; i++)
        init_ctx(&p, i);

    unsigned nt = r->threads ? r->threads : default_threads(n_jobs);
    if (nt > SPY_MAX_THREADS)
        nt = SPY_MAX_THREADS;
    pthread_t tids[SPY_MAX_THREADS];
    unsigned started = 0;
    for (; started < nt; started++)
        if (pthread_create(&tids[started], NULL, worker, &p) != 0)
            break;
    if (started == 0)
        worker(&p); /* no thread could start: run everything here */

    int err = SPY_OK;
    for (size_t i = 0; i < n_jobs; i++) {
        pthread_mutex_lock(&p.lock);
        while (!p.done[i])
            pthread_cond_wait(&p.done_cv, &p.lock);
        pthread_mutex_unlock(&p.lock);
        int e = finish_job(&p, i);
        if (r->progress)
            r->progress(&r->stats[i], i, n_jobs);
        if (e != SPY_OK && err == SPY_OK)
            err = e;
    }
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);

    for (size_t i = 0; i < n_jobs; i++) {
        spy_ioc_scratch_free(p.ctxs[i].scratch);
        spy_strmap_free(p.ctxs[i].seen);
        free(p.ctxs[i].logger);
    }
    pthread_cond_destroy(&p.done_cv);
    pthread_mutex_destroy(&p.lock);
    free(p.ctxs);
    free(p.caps);
    free(p.done);
    return err;
}

void spy_run_free(spy_run *r)
{
    free(r->stats);
    r->stats = NULL;
    spy_alert_list_clear(&r->alerts);
}

bool spy_run_has_findings(const spy_run *r)
{
    for (size_t i = 0; i < r->alerts.n; i++)
        if (r->alerts.v[i].has_match || r->alerts.v[i].level >= SPY_LEVEL_HIGH)
            return true;
    return false;
}

int spy_run_exit_code(const spy_run *r, size_t n_jobs)
{
    int code = spy_run_has_findings(r) ? 1 : 0;
    for (size_t i = 0; i < n_jobs; i++)
        if (r->stats[i].status == SPY_MODST_FAILED)
            return code + 4;
    return code;
}

char *spy_slugify(const char *name)
{
    size_t n = strlen(name);
    char *out = spy_xmalloc(2 * n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool up = c >= 'A' && c <= 'Z';
        bool next_low = i + 1 < n && name[i + 1] >= 'a' && name[i + 1] <= 'z';
        char prev = i ? name[i - 1] : 0;
        bool prev_lowdig = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
        /* MVT: "_" before an upper-case letter followed by a lower-case one
         * (not at the start), and between a lower-case/digit and an upper. */
        if (up && i > 0 && o > 0 && out[o - 1] != '_' && (next_low || prev_lowdig))
            out[o++] = '_';
        out[o++] = up ? (char)(c - 'A' + 'a') : c;
    }
    out[o] = '\0';
    return out;
}
