/* The intrusion-log acquisition (intrusion_logs.h): opening a folder, a
 * .zip file or an AndroidQF acquisition's intrusion_logs/, the events parsed
 * once for the three modules, and their times in the device's zone. */
#include "acquire/intrusion_logs.h"

#include "acquire/android_internal.h"
#include "acquire/intrusion_logs_internal.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeconv.h"
#include "modules/android/aqf_util.h"
#include "modules/android/getprop.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const spy_acq_ops il_ops;

static il_acq *il_new(il_mode mode, const char *label)
{
    il_acq *a = spy_xcalloc(1, sizeof *a);
    a->mode = mode;
    a->label = spy_xstrdup(label);
    a->dirfd = -1;
    il_parse_init(&a->parse);
    a->empty = json_array();
    return a;
}

static void il_free(il_acq *a)
{
    if (!a)
        return;
    if (a->dirfd >= 0)
        close(a->dirfd);
    andr_free(a->zip);
    spy_artifacts_free(&a->members);
    spy_tz_free(a->tz);
    il_parse_free(&a->parse);
    json_decref(a->empty);
    free(a->label);
    free(a);
}

/* -t: an unknown zone is a warning, and times stay UTC. */
static spy_tz *load_zone(const char *name)
{
    if (!name || !*name)
        return NULL;
    spy_tz *tz = NULL;
    if (spy_tz_load(name, &tz) != SPY_OK) {
        spy_warn(IL_LOGGER, "Could not apply device timezone '%s', falling back to UTC", name);
        return NULL;
    }
    spy_info(IL_LOGGER, "Intrusion log times are shown in the time zone %s", name);
    return tz;
}

/* Every file parsed now, while the acquisition opens: the loading lines
 * (warnings, totals) then come once, before any module runs, in the same
 * place every run whatever the threads do (MVT logs them while loading).
 * A failure is kept for the modules to report. */
static void il_load(il_acq *a)
{
    a->err = il_collect(a);
    il_parse_report(&a->parse);
}

static int open_zip(il_acq *a, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        spy_error(IL_LOGGER, "%s: cannot be read", path);
        return SPY_EIO;
    }
    a->zip = andr_new(SPY_ACQ_ANDROID_INTRUSION_LOGS, path);
    char *why = NULL;
    int err = andr_zip_open_fd(a->zip, fd, path);
    if (err == SPY_OK)
        err = andr_zip_list(a->zip, NULL, &why);
    if (err != SPY_OK)
        spy_error(IL_LOGGER, "%s: not a readable ZIP file (%s)", path, why ? why : "unreadable");
    free(why);
    return err == SPY_ELIMIT ? SPY_ELIMIT : err == SPY_OK ? SPY_OK : SPY_EFORMAT;
}

int spy_intrusion_logs_open(const char *path, const char *tz_name, spy_acq *out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        spy_error(IL_LOGGER, "%s: %s", path,
                  errno == ENOENT ? "no such file or folder" : "cannot be examined");
        return SPY_ENOTFOUND;
    }
    bool dir = S_ISDIR(st.st_mode);
    if (!dir && !(S_ISREG(st.st_mode) && il_has_ext(path, ".zip"))) {
        spy_error(IL_LOGGER, "%s: intrusion logs must be a folder or a .zip file", path);
        return SPY_EFORMAT;
    }
    il_acq *a = il_new(dir ? IL_FOLDER : IL_ZIP, path);
    int err = SPY_OK;
    if (dir) {
        a->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (a->dirfd < 0) {
            spy_error(IL_LOGGER, "%s: not a readable folder", path);
            err = SPY_EIO;
        }
    } else {
        err = open_zip(a, path);
    }
    if (err != SPY_OK) {
        il_free(a);
        return err;
    }
    a->tz = load_zone(tz_name);
    il_load(a);
    *out =
        (spy_acq){.kind = SPY_ACQ_ANDROID_INTRUSION_LOGS, .path = path, .impl = a, .ops = &il_ops};
    return SPY_OK;
}

/* persist.sys.timezone of the parent's first getprop.txt, as AQFFiles
 * reads it; NULL (UTC) without one. */
static spy_tz *parent_zone(const spy_acq *parent)
{
    static const char *const globs[] = {"*/getprop.txt", NULL};
    spy_query q = {.globs = globs, .first_only = true};
    spy_artifacts found = {0};
    char *name = NULL;
    if (spy_acq_find(parent, &q, &found) == SPY_OK && found.n) {
        void *buf = NULL;
        size_t len = 0;
        if (spy_acq_read(parent, &found.v[0], SPY_ANDROID_MAX_DUMPSTATE_BYTES, &buf, &len) ==
            SPY_OK) {
            len = spy_utf8_drop_invalid(buf, len);
            name = spy_getprop_timezone(buf, len);
            free(buf);
        }
    }
    spy_artifacts_free(&found);
    if (!name) {
        spy_debug(IL_LOGGER, "No device time zone in getprop.txt: intrusion log times are UTC");
        return NULL;
    }
    spy_tz *tz = load_zone(name);
    free(name);
    return tz;
}

int spy_androidqf_open_nested_intrusion_logs(const spy_acq *parent, spy_acq *out)
{
    /* Python fnmatch: '*' crosses '/', so these are the members anywhere
     * under an intrusion_logs/ folder; an acquisition without any costs a
     * walk of its member list and nothing else. */
    static const char *const globs[] = {"intrusion_logs/*", "*/intrusion_logs/*", NULL};
    spy_query q = {.globs = globs};
    spy_artifacts found = {0};
    int err = spy_acq_find(parent, &q, &found);
    if (err != SPY_OK || found.n == 0) {
        spy_artifacts_free(&found);
        spy_debug(IL_LOGGER, "No intrusion logs in the AndroidQF acquisition");
        return SPY_ENOTFOUND;
    }
    il_acq *a = il_new(IL_NESTED, parent->path);
    a->members = found;
    a->parent = *parent;
    a->tz = parent_zone(parent);
    spy_info(IL_LOGGER, "Running the intrusion log modules on %zu file(s) under intrusion_logs/",
             a->members.n);
    il_load(a);
    *out = (spy_acq){
        .kind = SPY_ACQ_ANDROID_INTRUSION_LOGS, .path = parent->path, .impl = a, .ops = &il_ops};
    return SPY_OK;
}

int spy_intrusion_events(const spy_acq *acq, const char *type, const json_t **events)
{
    if (!acq || acq->ops != &il_ops || !type)
        return SPY_EUNSUPPORTED;
    const il_acq *a = acq->impl;
    if (a->err != SPY_OK)
        return a->err;
    const json_t *bucket = json_object_get(a->parse.buckets, type);
    *events = bucket ? bucket : a->empty;
    return SPY_OK;
}

json_t *spy_intrusion_timestamp(const spy_acq *acq, const json_t *event_time, bool ns)
{
    /* MVT: event_time / 1000.0 or / 1_000_000_000.0, a float division of
     * the value made a float; zero or missing: None. */
    double v;
    if (json_is_integer(event_time))
        v = (double)json_integer_value(event_time);
    else if (json_is_real(event_time))
        v = json_real_value(event_time);
    else
        return json_null();
    if (v == 0 || !isfinite(v))
        return json_null();
    double secs = v / (ns ? 1e9 : 1000.0);
    const spy_tz *tz = acq && acq->ops == &il_ops ? ((const il_acq *)acq->impl)->tz : NULL;
    double off = tz ? spy_tz_offset(tz, (int64_t)floor(secs)) : 0;
    char iso[SPY_ISO_LEN];
    if (!spy_iso_from_unix(secs + off, iso))
        return json_null();
    return json_string(iso);
}

/* ---- spy_acq ops: modules read the events, not files ---------------------- */

static int il_find(const spy_acq *acq, const spy_query *q, spy_artifacts *out)
{
    (void)acq;
    (void)q;
    (void)out;
    return SPY_OK;
}

static int il_open_db(const spy_acq *acq, const spy_artifact *art, sqlite3 **db)
{
    (void)acq;
    (void)art;
    (void)db;
    return SPY_EUNSUPPORTED;
}

static int il_read(const spy_acq *acq, const spy_artifact *art, size_t max, void **buf, size_t *len)
{
    (void)acq;
    (void)art;
    (void)max;
    (void)buf;
    (void)len;
    return SPY_ENOTFOUND;
}

static void il_close(spy_acq *acq)
{
    il_free(acq->impl);
    acq->impl = NULL;
}

static const spy_acq_ops il_ops = {
    .find = il_find, .open_db = il_open_db, .read = il_read, .close = il_close};
