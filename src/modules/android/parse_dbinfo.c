/* dumpsys dbinfo (spec/android.md §4.6): the "Most recently executed
 * operations" of each connection pool,
 *
 *   Connection pool for /data/user/0/com.wssyncmldm/databases/idmsdk.db:
 *         Most recently executed operations:
 *           0: [2023-07-27 12:21:44.097] [Pid:(0)]executeForCursorWindow took 2ms -
 *              succeeded, sql="PRAGMA database_list;", path=...   (one line)
 *
 * Each operation line is matched as MVT's regular expression
 *   ^.*\[((YYYY-)?MM-DD hh:mm:ss\.mmm)\]\s*(\[Pid:\((\d+)\)\])?([\w-]+).*?sql="(.+?)"
 * would match it, backtracking included, without a regex engine: the
 * greedy ".*" prefers the last '[' that leads to a match. */
#include "modules/android/dumpsys_parse.h"
#include "modules/android/pytext.h"

#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct op {
    spy_text isodate, pid, action, sql;
} op;

static bool digits(spy_text l, size_t *i, size_t n)
{
    for (size_t k = 0; k < n; k++, (*i)++)
        if (*i >= l.n || l.p[*i] < '0' || l.p[*i] > '9')
            return false;
    return true;
}

static bool chr(spy_text l, size_t *i, char c)
{
    if (*i >= l.n || l.p[*i] != c)
        return false;
    (*i)++;
    return true;
}

/* "MM-DD hh:mm:ss.mmm" at i, with the year before it when with_year. */
static bool timestamp(spy_text l, size_t *i, bool with_year)
{
    return (!with_year || (digits(l, i, 4) && chr(l, i, '-'))) && digits(l, i, 2) &&
           chr(l, i, '-') && digits(l, i, 2) && chr(l, i, ' ') && digits(l, i, 2) &&
           chr(l, i, ':') && digits(l, i, 2) && chr(l, i, ':') && digits(l, i, 2) &&
           chr(l, i, '.') && digits(l, i, 3) && chr(l, i, ']');
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

/* Finds "sql=\"" occurrences for action ends that only move left (the
 * candidates are tried right to left), so a line is searched once. */
typedef struct finder {
    spy_text l;
    size_t lo;  /* found = first occurrence at or after lo */
    long found; /* -1: none */
    long last_quote;
    bool init;
} finder;

static long first_sql(finder *f, size_t e)
{
    if (!f->init || e > f->lo) {
        f->found = spy_text_find(f->l, "sql=\"", e);
    } else {
        size_t limit = f->lo + 4 < f->l.n ? f->lo + 4 : f->l.n;
        long h = spy_text_find(spy_text_sub(f->l, 0, limit), "sql=\"", e);
        if (h >= 0)
            f->found = h;
    }
    f->init = true;
    f->lo = e;
    return f->found;
}

/* sql="<one character or more>" at q: the value ends at the first '"'
 * after its first character. */
static bool sql_at(finder *f, long q, spy_text *sql)
{
    if (q < 0 || f->last_quote < q + 6)
        return false;
    const char *p = f->l.p, *end = memchr(p + q + 6, '"', f->l.n - (size_t)q - 6);
    *sql = spy_text_of(p + q + 5, (size_t)(end - (p + q + 5)));
    return true;
}

/* The rest of the pattern after "[<timestamp>]" ending at i. */
static bool after_bracket(finder *f, size_t i, op *o)
{
    spy_text l = f->l;
    while (i < l.n && (l.p[i] == ' ' || (l.p[i] >= '\t' && l.p[i] <= '\r')))
        i++;
    o->pid = spy_text_of(l.p, 0);
    size_t j = i;
    if (spy_text_starts(spy_text_sub(l, i, l.n), "[Pid:(")) {
        j = i + 6;
        size_t d = j;
        while (j < l.n && l.p[j] >= '0' && l.p[j] <= '9')
            j++;
        if (j > d && chr(l, &j, ')') && chr(l, &j, ']'))
            o->pid = spy_text_sub(l, d, j - 2);
        else
            j = i; /* the optional group is left out */
    }
    size_t a = j, e = j;
    while (e < l.n && word_char(l.p[e]))
        e++;
    if (e == a)
        return false;
    /* ".*?sql=" takes the first occurrence after the action; when that has
     * no closing quote no later one has, and the one way left is the action
     * giving back a trailing "sql" ("...sql=\"x\"" glued to it). */
    if (sql_at(f, first_sql(f, e), &o->sql)) {
        o->action = spy_text_sub(l, a, e);
        return true;
    }
    if (e - a > 3 && memcmp(l.p + e - 3, "sql", 3) == 0 && sql_at(f, (long)e - 3, &o->sql)) {
        o->action = spy_text_sub(l, a, e - 3);
        return true;
    }
    return false;
}

/* memrchr() is a GNU extension */
static const char *last_of(const char *p, size_t n, char c)
{
    while (n > 0)
        if (p[--n] == c)
            return p + n;
    return NULL;
}

static bool match_op(spy_text l, op *o)
{
    const char *lq = last_of(l.p, l.n, '"');
    finder f = {l, 0, -1, lq ? (long)(lq - l.p) : -1, false};
    for (size_t end = l.n; end > 0;) {
        const char *b = last_of(l.p, end, '[');
        if (!b)
            break;
        size_t p = (size_t)(b - l.p), i = p + 1;
        bool ok = timestamp(l, &i, true);
        if (!ok) {
            i = p + 1;
            ok = timestamp(l, &i, false);
        }
        if (ok && after_bracket(&f, i, o)) {
            o->isodate = spy_text_sub(l, p + 1, i - 1);
            return true;
        }
        end = p;
    }
    return false;
}

static json_t *make_record(const op *o, const char *pool)
{
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "isodate", spy_text_json(o->isodate));
    json_object_set_new_nocheck(rec, "action", spy_text_json(o->action));
    json_object_set_new_nocheck(rec, "sql", spy_text_json(o->sql));
    json_object_set_new_nocheck(rec, "path", json_stringn_nocheck(pool, strlen(pool)));
    if (o->pid.n)
        json_object_set_new_nocheck(rec, "pid", spy_text_json(o->pid));
    return rec;
}

int spy_parse_dbinfo(const char *text, size_t len, spy_record_cb cb, void *ud)
{
    char *pool = NULL;
    bool in_ops = false;
    int rc = 0;
    spy_lines it;
    spy_text line;
    spy_lines_init(&it, text, len);
    while (rc == 0 && spy_lines_next(&it, &line)) {
        /* no "continue" after a pool line: as in MVT it still meets the
         * rules below (in operations mode it ends the mode and the pool) */
        if (spy_text_starts(line, "Connection pool for ")) {
            free(pool);
            pool = spy_text_dup(spy_text_rstrip_chars(
                spy_text_sub(line, strlen("Connection pool for "), line.n), ":"));
        }
        if (!pool)
            continue;
        if (spy_text_eq(spy_text_strip(line), "Most recently executed operations:")) {
            in_ops = true;
            continue;
        }
        if (!in_ops)
            continue;
        if (!spy_text_starts(line, "        ")) {
            in_ops = false;
            free(pool);
            pool = NULL;
            continue;
        }
        op o;
        if (match_op(line, &o))
            rc = cb(make_record(&o, pool), ud);
    }
    free(pool);
    return rc;
}
