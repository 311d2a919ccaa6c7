/* The member list of an Android acquisition: globs with Python fnmatch
 * semantics, lookups, and the spy_acq ops shared by both kinds. */
#include "acquire/android_internal.h"

#include "core/error.h"
#include "core/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One '[...]' class at p (p[0] == '['). Returns the position after the
 * closing ']' and whether c is in the class, or NULL when the class is not
 * closed (Python then takes '[' literally). Python's rules: a ']' right
 * after '[' or '[!' is a member; 'a-z' ranges; a reversed range drops both
 * its ends; a '-' first, last or right after a range is literal. */
static const char *match_class(const char *p, unsigned char c, bool *hit)
{
    const char *q = p + 1;
    bool neg = false;
    if (*q == '!') {
        neg = true;
        q++;
    }
    const char *start = q;
    if (*q == ']')
        q++;
    while (*q && *q != ']')
        q++;
    if (!*q)
        return NULL;
    const char *end = q; /* the closing ']' */
    bool in = false;
    for (const char *s = start; s < end;) {
        unsigned char lo = (unsigned char)*s;
        if (s + 2 < end && s[1] == '-') {
            unsigned char hi = (unsigned char)s[2];
            if (lo <= hi && c >= lo && c <= hi)
                in = true;
            s += 3;
        } else {
            if (c == lo)
                in = true;
            s++;
        }
    }
    *hit = neg ? !in : in;
    return end + 1;
}

/* Matches one pattern element at *pp against c; advances *pp. */
static bool match_one(const char **pp, unsigned char c)
{
    const char *p = *pp;
    if (*p == '?') {
        *pp = p + 1;
        return true;
    }
    if (*p == '[') {
        bool hit = false;
        const char *next = match_class(p, c, &hit);
        if (next) {
            *pp = next;
            return hit;
        }
    }
    *pp = p + 1;
    return (unsigned char)*p == c;
}

bool spy_fnmatch(const char *pat, const char *s)
{
    /* Backtracking to the last '*' is complete here: the other elements
     * each match exactly one character. */
    const char *star_p = NULL, *star_s = NULL;
    while (*s) {
        if (*pat == '*') {
            while (*pat == '*')
                pat++;
            star_p = pat;
            star_s = s;
            continue;
        }
        const char *next = pat;
        if (*pat && match_one(&next, (unsigned char)*s)) {
            pat = next;
            s++;
            continue;
        }
        if (!star_p)
            return false;
        pat = star_p;
        s = ++star_s;
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

android_acq *andr_new(spy_acq_kind kind, const char *label)
{
    android_acq *a = spy_xcalloc(1, sizeof *a);
    a->kind = kind;
    a->label = spy_xstrdup(label);
    a->dirfd = -1;
    a->by_path = spy_strmap_new(64);
    pthread_mutex_init(&a->lock, NULL);
    return a;
}

void andr_free(android_acq *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->m[i].path);
        free(a->m[i].mtime);
    }
    free(a->m);
    spy_strmap_free(a->by_path);
    if (a->dirfd >= 0)
        close(a->dirfd);
    andr_zip_close(a->zip);
    free(a->dump);
    free(a->sec);
    json_decref(a->context);
    pthread_mutex_destroy(&a->lock);
    free(a->prefix);
    free(a->label);
    free(a);
}

void andr_add(android_acq *a, const char *path, const char *mtime, size_t ordinal)
{
    bool inserted = false;
    void **slot = spy_strmap_put(a->by_path, path, strlen(path), &inserted);
    if (!inserted)
        return; /* a ZIP may repeat a name: the first one is what is listed */
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->m = spy_xreallocarray(a->m, a->cap, sizeof *a->m);
    }
    a->m[a->n] = (andr_member){
        .path = spy_xstrdup(path), .mtime = mtime ? spy_xstrdup(mtime) : NULL, .ordinal = ordinal};
    *slot = (void *)(uintptr_t)(a->n + 1);
    a->n++;
}

const andr_member *andr_lookup(const android_acq *a, const char *path)
{
    uintptr_t i = (uintptr_t)spy_strmap_get(a->by_path, path, strlen(path));
    return i ? &a->m[i - 1] : NULL;
}

const andr_member *andr_first(const android_acq *a, const char *glob)
{
    for (size_t i = 0; i < a->n; i++)
        if (spy_fnmatch(glob, a->m[i].path))
            return &a->m[i];
    return NULL;
}

int andr_read(const android_acq *a, const andr_member *m, size_t max, void **buf, size_t *len)
{
    if (a->view) {
        const andr_member *pm = andr_lookup(a->parent, m->path);
        return pm ? andr_read(a->parent, pm, max, buf, len) : SPY_ENOTFOUND;
    }
    return a->zip ? andr_zip_read(a, m, max, buf, len) : andr_folder_read(a, m, max, buf, len);
}

int andr_open_stream(const android_acq *a, const andr_member *m, uint64_t max, spy_stream **s)
{
    *s = NULL;
    if (a->view) {
        const andr_member *pm = andr_lookup(a->parent, m->path);
        return pm ? andr_open_stream(a->parent, pm, max, s) : SPY_ENOTFOUND;
    }
    return a->zip ? andr_zip_stream(a, m, max, s) : andr_folder_stream(a, m, max, s);
}

void andr_local_iso(int64_t sec, long nsec, char out[32])
{
    /* datetime.fromtimestamp(st_mtime): the float seconds, fraction
     * rounded half-even to the microsecond. */
    double t = (double)sec + (double)nsec / 1e9;
    double whole = 0;
    double frac = modf(t, &whole);
    long us = (long)nearbyint(frac * 1e6);
    time_t secs = (time_t)whole;
    if (us >= 1000000) {
        secs++;
        us -= 1000000;
    } else if (us < 0) {
        secs--;
        us += 1000000;
    }
    struct tm tm;
    char base[24] = "";
    if (!localtime_r(&secs, &tm) || !strftime(base, sizeof base, "%Y-%m-%d %H:%M:%S", &tm)) {
        out[0] = '\0';
        return;
    }
    snprintf(out, 32, "%s.%06u", base, (unsigned)us % 1000000u);
}

/* ---- spy_acq ops --------------------------------------------------------- */

static int android_find(const spy_acq *acq, const spy_query *q, spy_artifacts *out)
{
    const android_acq *a = acq->impl;
    if (!q->globs)
        return SPY_OK;
    for (size_t i = 0; i < a->n; i++) {
        const andr_member *m = &a->m[i];
        bool hit = false;
        for (size_t g = 0; q->globs[g] && !hit; g++)
            hit = spy_fnmatch(q->globs[g], m->path);
        if (!hit)
            continue;
        spy_artifacts_add(out, NULL, m->path, NULL, 0);
        out->v[out->n - 1].mtime = m->mtime ? spy_xstrdup(m->mtime) : NULL;
        if (q->first_only)
            break;
    }
    return SPY_OK;
}

static int android_read(const spy_acq *acq, const spy_artifact *art, size_t max, void **buf,
                        size_t *len)
{
    const android_acq *a = acq->impl;
    const andr_member *m = art && art->path ? andr_lookup(a, art->path) : NULL;
    if (!m)
        return SPY_ENOTFOUND;
    return andr_read(a, m, max, buf, len);
}

static int android_open_stream(const spy_acq *acq, const spy_artifact *art, uint64_t max,
                               spy_stream **s)
{
    const android_acq *a = acq->impl;
    const andr_member *m = art && art->path ? andr_lookup(a, art->path) : NULL;
    *s = NULL;
    if (!m)
        return SPY_ENOTFOUND;
    return andr_open_stream(a, m, max, s);
}

static int android_open_db(const spy_acq *acq, const spy_artifact *art, sqlite3 **db)
{
    (void)acq;
    (void)art;
    (void)db;
    return SPY_EUNSUPPORTED;
}

static void android_close(spy_acq *acq)
{
    andr_free(acq->impl);
}

const spy_acq_ops spy_android_ops = {.find = android_find,
                                     .open_db = android_open_db,
                                     .read = android_read,
                                     .close = android_close,
                                     .open_stream = android_open_stream};

const json_t *spy_android_context(const spy_acq *acq)
{
    if (!acq || acq->ops != &spy_android_ops)
        return NULL;
    const android_acq *a = acq->impl;
    return a->parent ? a->parent->context : a->context;
}
