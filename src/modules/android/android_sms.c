/* SMS (spec/android.md §4.22): the SMS and MMS files of an Android backup,
 * their links checked as one URL batch per message and listed in urls.json.
 * A file that cannot be read is skipped with a warning naming it and the
 * others go on; a message without a body is kept (MVT fails the file). */
#include "core/error.h"
#include "core/log.h"
#include "modules/android/sms_backup.h"
#include "modules/ios/msg_links.h"
#include "modules/module_kit.h"

#include <stdlib.h>

#define TELEPHONY "apps/com.android.providers.telephony/d_f/"

static const char *const SMS_GLOBS[] = {TELEPHONY "*_sms_backup", NULL};
static const char *const MMS_GLOBS[] = {TELEPHONY "*_mms_backup", NULL};

typedef struct sms_run {
    spy_mod_ctx *ctx;
    int err;       /* from spy_emit: stops the module */
    size_t files;  /* found */
    size_t failed; /* unusable, nothing read from them */
    size_t total;  /* messages */
} sms_run;

/* The URLs a message is checked with: only messages with a body; links
 * null is no URL (MVT's batch of None), [] falls back to a "text" field. */
static json_t *message_links(const json_t *rec)
{
    if (!json_object_get(rec, "body") || json_is_null(json_object_get(rec, "links")))
        return NULL;
    return msg_record_links(rec, "text");
}

static int on_record(json_t *rec, void *ud)
{
    sms_run *r = ud;
    json_t *links = message_links(rec);
    size_t i;
    json_t *v;
    json_array_foreach(links, i, v)
        spy_url_seen(r->ctx, json_string_value(v), spy_kit_str(rec, "isodate"), "sms");
    json_decref(links);
    return r->err = spy_emit(r->ctx, rec);
}

static void parse_file(sms_run *r, const spy_artifact *art, bool mms)
{
    const char *logger = spy_ctx_logger(r->ctx);
    const char *what = mms ? "MMS" : "SMS";
    const char *name = art->label ? art->label : art->path;
    void *buf = NULL;
    size_t len = 0;
    spy_info(logger, "Processing %s backup file at %s", what, name);
    int rc = spy_acq_read(spy_ctx_acq(r->ctx), art, SPY_SMS_MAX_MEMBER_BYTES, &buf, &len);
    if (rc != SPY_OK) {
        spy_skipped(r->ctx, 1, "%s backup file %s: %s", what, name,
                    rc == SPY_ELIMIT ? "larger than 512 MiB" : spy_err_str(rc));
        r->failed++;
        return;
    }
    spy_sms_stats st;
    rc = spy_sms_backup_parse(buf, len, mms, on_record, r, &st);
    free(buf);
    r->total += st.messages;
    if (r->err != SPY_OK)
        return;
    if (rc != SPY_OK) {
        spy_skipped(r->ctx, 1, "%s backup file %s: %s%s", what, name,
                    st.why ? st.why : spy_err_str(rc),
                    st.messages ? " (the messages before the damage are kept)" : "");
        r->failed += st.messages == 0;
    }
    if (st.not_object)
        spy_skipped(r->ctx, st.not_object, "%s backup file %s: array elements that are not objects",
                    what, name);
}

static int parse_all(sms_run *r, const char *const *globs, bool mms)
{
    spy_query q = {.globs = globs};
    spy_artifacts l = {0};
    int rc = spy_acq_find(spy_ctx_acq(r->ctx), &q, &l);
    for (size_t i = 0; rc == SPY_OK && i < l.n && r->err == SPY_OK; i++, r->files++)
        parse_file(r, &l.v[i], mms);
    spy_artifacts_free(&l);
    return rc != SPY_OK ? rc : r->err;
}

static int sms_run_fn(spy_mod_ctx *ctx)
{
    sms_run r = {.ctx = ctx};
    int rc = parse_all(&r, SMS_GLOBS, false);
    if (rc == SPY_OK)
        rc = parse_all(&r, MMS_GLOBS, true);
    if (rc != SPY_OK)
        return rc;
    if (r.files == 0) {
        spy_info(spy_ctx_logger(ctx), "No SMS or MMS backup files found");
        return SPY_ENOTFOUND;
    }
    spy_info(spy_ctx_logger(ctx), "Extracted a total of %zu SMS & MMS messages", r.total);
    /* Every file unusable: the module failed, so "no findings" cannot hide it. */
    return r.failed == r.files ? SPY_EFORMAT : SPY_OK;
}

/* One URL batch per message (spec/iocs.md §7.4): the first link that
 * matches raises the alert. Works on saved records too (check-iocs). */
static void sms_check(spy_mod_ctx *ctx, const json_t *rec)
{
    if (!spy_ctx_iocs(ctx))
        return;
    json_t *links = message_links(rec);
    msg_check_links(ctx, links, spy_kit_str(rec, "isodate"));
    json_decref(links);
}

const spy_module spy_mod_android_sms = {
    .name = "SMS",
    .slug = "sms",
    .acquisitions = SPY_ACQ_ANDROID_BACKUP,
    .run = sms_run_fn,
    .check = sms_check,
};
