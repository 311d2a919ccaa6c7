/* Shared by the fuzz_mod_<slug>.c targets: runs one plist-reading module
 * end to end in memory on the fuzz bytes. A fake acquisition answers every
 * query with one artifact whose content is the input, and its parsed form
 * is also the backup's Info.plist (BackupInfo and Applications read that).
 * The module's run() then goes through the real run loop, which calls its
 * check() and timeline() on every record; nothing is written anywhere (no
 * output folder, timeline rows held in memory and dropped).
 *
 * Each input runs three times: as a test acquisition (the artifact path of
 * every module) and as an iOS backup (the Info.plist path of BackupInfo and
 * Applications), both with a small indicator set loaded (match paths and
 * indicator-only heuristics), then as a backup without indicators (the
 * heuristics MVT runs only then). */
#ifndef SPY_FUZZ_MOD_COMMON_H
#define SPY_FUZZ_MOD_COMMON_H

#include "acquire/ios_backup_internal.h"
#include "core/error.h"
#include "core/iocs.h"
#include "core/iocs_internal.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/plist.h"
#include "core/run.h"
#include "core/writers.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Values the seed corpora plant, so the checks find matches. */
static const char FZ_STIX[] =
    "{\"type\":\"bundle\",\"id\":\"bundle--fz\",\"objects\":["
    "{\"type\":\"malware\",\"id\":\"malware--fz\",\"name\":\"FuzzMalware\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"pattern_type\":\"stix\",\"pattern\":"
    "\"[configuration-profile:id='76DAB334-7E17-475D-A5D6-0794EB5818A5'] OR "
    "[process:name='roleaccountd'] OR [process:name='bh'] OR [process:name='accountpfd'] OR "
    "[email-addr:value='bekkerfredi@gmail.com'] OR [app:id='com.serv.services'] OR "
    "[file:path='/private/var/tmp/hooker'] OR [file:name='UserEventAgent'] OR "
    "[domain-name:value='24-7clinic.com'] OR [url:value='https://1minto-start.com/x']\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--2\",\"pattern_type\":\"stix\",\"pattern\":"
    "\"[process:name='CommsCenterRootHelper' AND domain-name:value='301-redirecting.com']\"},"
    "{\"type\":\"relationship\",\"id\":\"relationship--1\",\"relationship_type\":\"indicates\","
    "\"source_ref\":\"indicator--1\",\"target_ref\":\"malware--fz\"},"
    "{\"type\":\"relationship\",\"id\":\"relationship--2\",\"relationship_type\":\"indicates\","
    "\"source_ref\":\"indicator--2\",\"target_ref\":\"malware--fz\"}]}";

#define FZ_FILE_ID "6f1e2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b"

/* The fake acquisition's state. backup comes first: the backup accessors
 * (spy_ios_backup_info_plist, spy_ios_backup_dir) cast impl to it. */
typedef struct fz_state {
    struct ios_backup backup;
    const uint8_t *data;
    size_t size;
} fz_state;

/* pattern with every '*' replaced by "profile-fz" (ConfigurationProfiles
 * keeps only basenames starting "profile-"). free(). */
static char *fz_fill(const char *pattern)
{
    static const char star[] = "profile-fz";
    size_t n = 1;
    for (const char *p = pattern; *p; p++)
        n += *p == '*' ? sizeof star - 1 : 1;
    char *s = spy_xmalloc(n), *o = s;
    for (const char *p = pattern; *p; p++) {
        if (*p == '*') {
            memcpy(o, star, sizeof star - 1);
            o += sizeof star - 1;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return s;
}

/* Every query finds one artifact, named as the query asks for it. */
static int fz_find(const spy_acq *a, const spy_query *q, spy_artifacts *out)
{
    (void)a;
    const char *id = q->file_ids && q->file_ids[0] ? q->file_ids[0] : FZ_FILE_ID;
    const char *pat = q->path ? q->path : q->globs && q->globs[0] ? q->globs[0] : "fz.plist";
    char *path = fz_fill(pat);
    spy_artifacts_add(out, q->domain ? q->domain : "HomeDomain", path, id, 1);
    free(path);
    return SPY_OK;
}

static int fz_open_db(const spy_acq *a, const spy_artifact *art, sqlite3 **db)
{
    (void)a;
    (void)art;
    *db = NULL;
    return SPY_EFORMAT;
}

/* A NUL-terminated copy, as the real readers return. */
static int fz_read(const spy_acq *a, const spy_artifact *art, size_t max, void **buf, size_t *len)
{
    (void)art;
    const fz_state *s = a->impl;
    if (s->size > max)
        return SPY_ELIMIT;
    char *p = spy_xmalloc(s->size + 1);
    if (s->size)
        memcpy(p, s->data, s->size);
    p[s->size] = '\0';
    *buf = p;
    *len = s->size;
    return SPY_OK;
}

static void fz_close(spy_acq *a)
{
    (void)a;
}

static const spy_acq_ops fz_ops = {
    .find = fz_find, .open_db = fz_open_db, .read = fz_read, .close = fz_close};

static spy_iocs *fz_iocs(void)
{
    static spy_iocs *set;
    if (set)
        return set;
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull)
        spy_log_set_console(devnull); /* bad input is logged, by design */
    if (spy_iocs_new(&set) != SPY_OK ||
        spy_iocs_load_stix2_buffer(set, "fuzz.stix2", (const unsigned char *)FZ_STIX,
                                   sizeof FZ_STIX - 1) != SPY_OK ||
        spy_iocs_finalize(set) != SPY_OK || spy_iocs_total(set) == 0)
        abort(); /* the harness itself is broken */
    return set;
}

static void fz_pass(const spy_module *m, fz_state *s, spy_acq_kind kind, const spy_iocs *iocs)
{
    spy_acq acq = {.kind = kind, .path = "fuzz-input", .impl = s, .ops = &fz_ops};
    spy_timeline *tl = NULL;
    spy_timeline_new(&tl, NULL, false);
    spy_timeline_set_run_bytes(tl, SIZE_MAX); /* never spill: there is no output folder */
    spy_run r = {.acq = &acq, .iocs = iocs, .timeline = tl, .threads = 1};
    spy_job job = {.module = m};
    spy_run_jobs(&r, &job, 1);
    spy_run_free(&r);
    spy_timeline_free(tl);
}

/* The whole target: LLVMFuzzerTestOneInput of fuzz_mod_<slug>.c. */
static int fz_module(const spy_module *m, const uint8_t *data, size_t size)
{
    const spy_iocs *iocs = fz_iocs();
    fz_state s = {.data = data, .size = size};
    s.backup.dir = (char *)"/fuzz/backup";
    s.backup.dirfd = -1;
    char *why = NULL;
    if (spy_plist_parse(data, size, &s.backup.info_plist, &why) != SPY_OK)
        s.backup.info_plist = NULL;
    free(why);
    fz_pass(m, &s, SPY_ACQ_TEST, iocs);
    fz_pass(m, &s, SPY_ACQ_IOS_BACKUP, iocs);
    fz_pass(m, &s, SPY_ACQ_IOS_BACKUP, NULL);
    json_decref(s.backup.info_plist);
    return 0;
}

#define FZ_MODULE_TARGET(mod)                                                                      \
    extern const spy_module mod;                                                                   \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                                   \
    {                                                                                              \
        return fz_module(&mod, data, size);                                                        \
    }

#endif
