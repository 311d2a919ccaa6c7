/* The dumpstate text of a bug report (spec/android.md §1.1, §1.2, §4.7):
 * located, read once, and split into "DUMP OF SERVICE" sections and the
 * SYSTEM PROPERTIES block in one pass over its lines. */
#include "acquire/android_internal.h"

#include "core/blanks.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LOGGER "spyscan.acquire.android"

static const char header[] = "DUMP OF SERVICE ";
static const char props_header[] = "------ SYSTEM PROPERTIES";

/* Python str.strip() whitespace, as far as ASCII goes. */
static bool is_ws(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static bool starts(const char *s, size_t n, const char *prefix, size_t np)
{
    return n >= np && memcmp(s, prefix, np) == 0;
}

static bool dash_rule(const char *s, size_t n)
{
    if (n < 78)
        return false;
    for (size_t i = 0; i < 78; i++)
        if (s[i] != '-')
            return false;
    return true;
}

/* Bytes [from, to) of text less one trailing line break: the lines between
 * joined with "\n" as MVT does (inner "\r\n" stay; modules drop the '\r'). */
static size_t body_len(const char *text, size_t from, size_t to)
{
    size_t n = to > from ? to - from : 0;
    if (n && text[from + n - 1] == '\n')
        n--;
    if (n && text[from + n - 1] == '\r')
        n--;
    return n;
}

typedef struct splitter {
    android_acq *a;
    spy_strmap *names;
    size_t open_from; /* sections [open_from, n_sec) still wait for their rule */
    size_t cap;
    int props; /* 0 not seen, 1 inside, 2 done */
} splitter;

static void close_open(splitter *sp, const char *text, size_t line_off)
{
    for (size_t i = sp->open_from; i < sp->a->n_sec; i++)
        sp->a->sec[i].len = body_len(text, sp->a->sec[i].off, line_off);
    sp->open_from = sp->a->n_sec;
}

static void add_section(splitter *sp, const char *name, size_t nlen, size_t body_off)
{
    bool inserted = false;
    spy_strmap_put(sp->names, name, nlen, &inserted);
    if (!inserted)
        return; /* only the first occurrence of a header counts */
    android_acq *a = sp->a;
    if (a->n_sec == sp->cap) {
        sp->cap = sp->cap ? sp->cap * 2 : 64;
        a->sec = spy_xreallocarray(a->sec, sp->cap, sizeof *a->sec);
    }
    a->sec[a->n_sec++] = (andr_section){.name = name, .name_len = nlen, .off = body_off};
}

static void one_line(splitter *sp, const char *text, size_t off, size_t n, size_t next)
{
    const char *s = text + off;
    const char *t = spy_skip_blanks(s, s + n); /* the usual indentation */
    n -= (size_t)(t - s);
    s = t;
    while (n && is_ws((unsigned char)*s)) {
        s++;
        n--;
    }
    /* every line that matters below starts with '-' or 'D' */
    if (n == 0 || (*s != '-' && *s != 'D'))
        return;
    while (n && is_ws((unsigned char)s[n - 1]))
        n--;
    /* A section runs to the next rule line, even across other headers
     * (MVT searches each service on its own). */
    if (sp->open_from < sp->a->n_sec && dash_rule(s, n))
        close_open(sp, text, off);
    if (sp->props == 1 && starts(s, n, "------", 6)) {
        sp->a->props_len = body_len(text, sp->a->props_off, off);
        sp->props = 2;
    }
    if (n > sizeof header && s[n - 1] == ':' && starts(s, n, header, sizeof header - 1))
        add_section(sp, s + sizeof header - 1, n - sizeof header, next);
    else if (sp->props == 0 && starts(s, n, props_header, sizeof props_header - 1)) {
        sp->props = 1;
        sp->a->has_props = true;
        sp->a->props_off = next;
    }
}

void andr_split_dumpstate(android_acq *a, const char *text, size_t len)
{
    splitter sp = {.a = a, .names = spy_strmap_new(256)};
    size_t off = 0;
    while (off < len) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t next = nl ? end + 1 : len;
        one_line(&sp, text, off, end - off, next);
        off = next;
    }
    close_open(&sp, text, len);
    if (sp.props == 1)
        a->props_len = body_len(text, a->props_off, len);
    spy_strmap_free(sp.names);
}

/* §1.1: the file main_entry.txt names, else the first dumpState_*.log,
 * else the first dumpsys.txt below the top level. */
static int locate(const android_acq *a, const andr_member **out)
{
    *out = NULL;
    const andr_member *entry = andr_lookup(a, "main_entry.txt");
    if (entry) {
        void *buf = NULL;
        size_t len = 0;
        int err = andr_read(a, entry, 4096, &buf, &len);
        /* A damaged main_entry.txt fails the modules, as a damaged
         * dumpstate does (MVT: the read raises); too long a name is none. */
        if (err != SPY_OK)
            return err == SPY_ELIMIT ? SPY_ENOTFOUND : err;
        char *s = buf;
        while (len && is_ws((unsigned char)s[len - 1]))
            len--;
        s[len] = '\0';
        while (*s && is_ws((unsigned char)*s))
            s++;
        *out = andr_lookup(a, s);
        if (!*out)
            spy_error(LOGGER, "%s: main_entry.txt names '%s', which is not in the bug report",
                      a->label, s);
        free(buf);
        return *out ? SPY_OK : SPY_ENOTFOUND;
    }
    *out = andr_first(a, "dumpState_*.log");
    if (!*out)
        *out = andr_first(a, "*/dumpsys.txt");
    return *out ? SPY_OK : SPY_ENOTFOUND;
}

static int load(android_acq *a)
{
    const andr_member *m = NULL;
    int err = locate(a, &m);
    if (err != SPY_OK)
        return err;
    void *buf = NULL;
    size_t len = 0;
    err = andr_read(a, m, SPY_ANDROID_MAX_DUMPSTATE_BYTES, &buf, &len);
    if (err != SPY_OK)
        return err;
    spy_debug(LOGGER, "%s: dumpstate file %s (%zu bytes)", a->label, m->path, len);
    a->dump = buf;
    a->dump_len = len;
    andr_split_dumpstate(a, a->dump, a->dump_len);
    return SPY_OK;
}

static android_acq *loaded(const spy_acq *acq, int *err)
{
    if (!acq || acq->ops != &spy_android_ops) {
        *err = SPY_EUNSUPPORTED;
        return NULL;
    }
    android_acq *a = acq->impl;
    pthread_mutex_lock(&a->lock);
    if (!a->dump_done) {
        a->dump_err = load(a);
        a->dump_done = true;
    }
    *err = a->dump_err;
    pthread_mutex_unlock(&a->lock);
    return *err == SPY_OK ? a : NULL;
}

int spy_android_dumpsys(const spy_acq *acq, const char *service, const char **body, size_t *len)
{
    int err;
    android_acq *a = loaded(acq, &err);
    *body = NULL;
    *len = 0;
    if (!a)
        return err;
    size_t n = strlen(service);
    for (size_t i = 0; i < a->n_sec; i++) {
        const andr_section *s = &a->sec[i];
        if (s->name_len == n && memcmp(s->name, service, n) == 0) {
            *body = a->dump + s->off;
            *len = s->len;
            break;
        }
    }
    if (!*body)
        *body = "";
    return SPY_OK;
}

int spy_android_properties(const spy_acq *acq, const char **body, size_t *len)
{
    int err;
    android_acq *a = loaded(acq, &err);
    *body = "";
    *len = 0;
    if (!a)
        return err;
    if (a->has_props) {
        *body = a->dump + a->props_off;
        *len = a->props_len;
    }
    return SPY_OK;
}
