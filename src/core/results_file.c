/* <slug>.json streamed record by record (spec/outputs.md §3.1). */
#include "core/results_file.h"
#include "core/writers.h"

#include "core/error.h"
#include "core/json_emit.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGGER "spyscan.output"

struct spy_results_file {
    spy_outdir *d;
    char *name;
    bool mapping;
    spy_afile *f; /* NULL until the first record */
    spy_jw *w;
    size_t count;
    int err; /* sticky: the first failure, already logged */
};

spy_results_file *spy_results_file_new(spy_outdir *d, const char *slug, bool mapping)
{
    spy_results_file *r = spy_xcalloc(1, sizeof *r);
    r->d = d;
    r->name = spy_xasprintf("%s.json", slug);
    r->mapping = mapping;
    return r;
}

/* Logs the first failure once, naming the file and the cause. */
static int rf_fail(spy_results_file *r, int rc)
{
    if (r->err)
        return r->err;
    char eb[128] = "";
    if (rc == SPY_EIO && r->w) {
        spy_jw_finish(r->w); /* restores the errno of the failed write */
        if (strerror_r(errno, eb, sizeof eb) != 0)
            eb[0] = '\0';
    }
    spy_error(LOGGER, "Cannot write %s/%s: %s%s%s", spy_outdir_path(r->d), r->name, spy_err_str(rc),
              eb[0] ? ": " : "", eb);
    return r->err = rc;
}

static int rf_start(spy_results_file *r)
{
    int rc = spy_afile_open(&r->f, r->d, r->name);
    if (rc != SPY_OK)
        return r->err = rc; /* spy_afile_open logged it */
    r->w = spy_jw_new_fd(spy_afile_fd(r->f), 4);
    spy_jw_background(r->w); /* large results are written off the module's thread */
    if (!r->mapping && (rc = spy_jw_begin_array(r->w)) != SPY_OK)
        return rf_fail(r, rc);
    return SPY_OK;
}

int spy_results_file_add(spy_results_file *r, const json_t *record)
{
    if (r->err)
        return r->err;
    if (r->mapping && r->count > 0)
        return rf_fail(r, SPY_EINTERNAL); /* a mapping is one object */
    /* MVT writes no file for an empty mapping ({} is falsy in Python). */
    if (r->mapping && json_is_object(record) && json_object_size(record) == 0)
        return SPY_OK;
    int rc;
    if (!r->f && (rc = rf_start(r)) != SPY_OK)
        return rc;
    if ((rc = spy_jw_value(r->w, record)) != SPY_OK)
        return rf_fail(r, rc);
    r->count++;
    return SPY_OK;
}

int spy_results_file_add_flat(spy_results_file *r, const spy_flat *record)
{
    if (r->err)
        return r->err;
    if (r->mapping)
        return rf_fail(r, SPY_EINTERNAL); /* a mapping is one jansson object */
    int rc;
    if (!r->f && (rc = rf_start(r)) != SPY_OK)
        return rc;
    if ((rc = spy_jw_flat(r->w, record)) != SPY_OK)
        return rf_fail(r, rc);
    r->count++;
    return SPY_OK;
}

size_t spy_results_file_count(const spy_results_file *r)
{
    return r->count;
}

static void rf_free(spy_results_file *r)
{
    spy_jw_free(r->w);
    free(r->name);
    free(r);
}

int spy_results_file_close(spy_results_file *r)
{
    int rc = r->err;
    if (r->f && rc == SPY_OK) {
        if (!r->mapping)
            rc = spy_jw_end_array(r->w);
        if (rc == SPY_OK)
            rc = spy_jw_finish(r->w);
        if (rc != SPY_OK)
            rc = rf_fail(r, rc);
    }
    if (r->f && rc == SPY_OK) {
        rc = spy_afile_commit(r->f);
        r->f = NULL;
    }
    if (r->f) {
        spy_jw_finish(r->w); /* its writer thread is done with the fd */
        spy_afile_abort(r->f);
    }
    rf_free(r);
    return rc;
}

void spy_results_file_abort(spy_results_file *r)
{
    if (!r)
        return;
    if (r->f) {
        spy_jw_finish(r->w); /* its writer thread is done with the fd */
        spy_afile_abort(r->f);
    }
    rf_free(r);
}

int spy_write_json_file(spy_outdir *d, const char *name, spy_json_emit_fn emit, void *ctx)
{
    spy_afile *f;
    int rc = spy_afile_open(&f, d, name);
    if (rc != SPY_OK)
        return rc;
    spy_jw *w = spy_jw_new_fd(spy_afile_fd(f), 4);
    rc = emit(w, ctx);
    int frc = spy_jw_finish(w); /* also restores errno of a failed write */
    if (rc == SPY_OK)
        rc = frc;
    if (rc != SPY_OK) {
        char eb[128] = "";
        if (rc == SPY_EIO && strerror_r(errno, eb, sizeof eb) != 0)
            eb[0] = '\0';
        spy_error(LOGGER, "Cannot write %s/%s: %s%s%s", spy_outdir_path(d), name, spy_err_str(rc),
                  eb[0] ? ": " : "", eb);
        spy_afile_abort(f);
    } else {
        rc = spy_afile_commit(f);
    }
    spy_jw_free(w);
    return rc;
}
