/* STIX 2.1 pattern parser (spec/iocs.md §5, design.md §4).
 *
 * MVT splits the pattern text on '=' and so crashes on compound patterns
 * and on values containing '='. Here the pattern is parsed properly into
 * disjunctive normal form: each clause is an AND of `<path> = '<constant>'`
 * comparisons. Everything else of STIX patterning (other operators, NOT,
 * FOLLOWEDBY, qualifiers) is reported as unsupported. Text that is not a
 * STIX pattern at all falls back to MVT's rule (exactly one '='), so files
 * MVT accepts still load the same. */
#include "core/error.h"
#include "core/iocs_internal.h"
#include "core/limits.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

/* An OR of many values in one pattern is fine; products of ANDs are what
 * can blow up, so the expansion is bounded. */
#define MAX_CLAUSES 4096u
#define MAX_NESTING 64u

typedef struct dnf {
    spy_ioc_clause *c;
    size_t n;
} dnf;

typedef struct parser {
    const char *s;
    size_t len, pos;
    spy_ioc_pattern *out;
    size_t capcmps;
    const char *why;
    unsigned depth;
} parser;

static void dnf_clear(dnf *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->c[i].terms);
    free(d->c);
    d->c = NULL;
    d->n = 0;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static bool is_wordc(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '+';
}
static char up(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len && is_ws(p->s[p->pos]))
        p->pos++;
}

static int fail(parser *p, int rc, const char *why)
{
    if (!p->why)
        p->why = why;
    return rc;
}

/* Is the next word the keyword kw (case-insensitive)? Consumes it if so. */
static bool keyword(parser *p, const char *kw)
{
    skip_ws(p);
    size_t n = strlen(kw);
    if (p->len - p->pos < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (up(p->s[p->pos + i]) != kw[i])
            return false;
    if (p->pos + n < p->len && is_wordc(p->s[p->pos + n]))
        return false;
    p->pos += n;
    return true;
}

static bool punct(parser *p, char c)
{
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == c) {
        p->pos++;
        return true;
    }
    return false;
}

/* A quoted string starting at p->pos (on the quote). Decodes \' and \\. */
static int parse_string(parser *p, char **out)
{
    size_t i = p->pos + 1;
    char *v = spy_xmalloc(p->len - p->pos + 1);
    size_t n = 0;
    for (; i < p->len; i++) {
        char c = p->s[i];
        if (c == '\\' && i + 1 < p->len && (p->s[i + 1] == '\'' || p->s[i + 1] == '\\')) {
            v[n++] = p->s[++i];
            continue;
        }
        if (c == '\'')
            break;
        v[n++] = c;
    }
    if (i >= p->len) {
        free(v);
        return fail(p, SPY_EFORMAT, "unterminated string constant");
    }
    v[n] = '\0';
    p->pos = i + 1;
    *out = v;
    return SPY_OK;
}

/* An object path such as file:hashes.'SHA-256' (quoted steps allowed). */
static int parse_path(parser *p, size_t *start, size_t *end)
{
    skip_ws(p);
    *start = p->pos;
    bool colon = false;
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == '\'') {
            size_t j = p->pos + 1;
            while (j < p->len && p->s[j] != '\'')
                j++;
            if (j >= p->len)
                return fail(p, SPY_EFORMAT, "unterminated quoted path step");
            p->pos = j + 1;
            continue;
        }
        if (is_ws(c) || strchr("=!<>()[]", c))
            break;
        colon |= c == ':';
        p->pos++;
    }
    *end = p->pos;
    if (!colon || *end == *start)
        return fail(p, SPY_EFORMAT, "expected an object path");
    return SPY_OK;
}

static int parse_operator(parser *p)
{
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '=') {
        p->pos++;
        return SPY_OK;
    }
    if (p->pos < p->len && strchr("!<>", p->s[p->pos]))
        return fail(p, SPY_EUNSUPPORTED, "operator other than '='");
    static const char *const ops[] = {"LIKE", "MATCHES", "IN", "ISSUBSET", "ISSUPERSET"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (keyword(p, ops[i]))
            return fail(p, SPY_EUNSUPPORTED, "operator other than '='");
    return fail(p, SPY_EFORMAT, "expected a comparison operator");
}

static int parse_constant(parser *p, char **out)
{
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '\'')
        return parse_string(p, out);
    size_t st = p->pos;
    while (p->pos < p->len && is_wordc(p->s[p->pos]))
        p->pos++;
    if (p->pos == st)
        return fail(p, SPY_EFORMAT, "expected a constant");
    if (p->pos < p->len && p->s[p->pos] == '\'')
        return fail(p, SPY_EUNSUPPORTED, "typed constant (t'', h'', b'')");
    *out = spy_xstrndup(p->s + st, p->pos - st); /* number or boolean */
    return SPY_OK;
}

static uint16_t add_cmp(parser *p, char *key, char *value)
{
    spy_ioc_pattern *o = p->out;
    if (o->ncmps == p->capcmps) {
        p->capcmps = p->capcmps ? p->capcmps * 2 : 8;
        o->cmps = spy_xreallocarray(o->cmps, p->capcmps, sizeof *o->cmps);
    }
    o->cmps[o->ncmps].key = key;
    o->cmps[o->ncmps].value = value;
    return (uint16_t)o->ncmps++;
}

static void dnf_single(dnf *d, uint16_t term)
{
    d->c = spy_xmalloc(sizeof *d->c);
    d->c[0].terms = spy_xmalloc(sizeof(uint16_t));
    d->c[0].terms[0] = term;
    d->c[0].n = 1;
    d->n = 1;
}

static int parse_comparison(parser *p, dnf *d)
{
    if (keyword(p, "NOT") || keyword(p, "EXISTS"))
        return fail(p, SPY_EUNSUPPORTED, "NOT or EXISTS");
    size_t ks, ke;
    int rc = parse_path(p, &ks, &ke);
    if (rc == SPY_OK)
        rc = parse_operator(p);
    char *value = NULL;
    if (rc == SPY_OK)
        rc = parse_constant(p, &value);
    if (rc != SPY_OK)
        return rc;
    if (p->out->ncmps >= SPY_MAX_PATTERN_TERMS * 64u) {
        free(value);
        return fail(p, SPY_EUNSUPPORTED, "too many comparisons");
    }
    dnf_single(d, add_cmp(p, spy_ioc_key_normalise(p->s + ks, ke - ks), value));
    return SPY_OK;
}

/* a := a OR b (b is consumed). */
static int dnf_or(parser *p, dnf *a, dnf *b)
{
    if (a->n + b->n > MAX_CLAUSES) {
        dnf_clear(b);
        return fail(p, SPY_EUNSUPPORTED, "too many alternatives");
    }
    a->c = spy_xreallocarray(a->c, a->n + b->n, sizeof *a->c);
    memcpy(a->c + a->n, b->c, b->n * sizeof *b->c);
    a->n += b->n;
    free(b->c);
    b->c = NULL;
    b->n = 0;
    return SPY_OK;
}

/* a := a AND b, distributed over the clauses (b is consumed). */
static int dnf_and(parser *p, dnf *a, dnf *b)
{
    int rc = SPY_OK;
    dnf r = {0};
    if (a->n * b->n > MAX_CLAUSES) {
        rc = fail(p, SPY_EUNSUPPORTED, "too many alternatives");
        goto out;
    }
    r.c = spy_xcalloc(a->n * b->n, sizeof *r.c);
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            size_t n = a->c[i].n + b->c[j].n;
            if (n > SPY_MAX_PATTERN_TERMS) {
                rc = fail(p, SPY_EUNSUPPORTED, "too many AND terms");
                goto out;
            }
            spy_ioc_clause *c = &r.c[r.n++];
            c->terms = spy_xreallocarray(NULL, n, sizeof(uint16_t));
            memcpy(c->terms, a->c[i].terms, a->c[i].n * sizeof(uint16_t));
            memcpy(c->terms + a->c[i].n, b->c[j].terms, b->c[j].n * sizeof(uint16_t));
            c->n = n;
        }
out:
    dnf_clear(a);
    dnf_clear(b);
    if (rc == SPY_OK)
        *a = r;
    else
        dnf_clear(&r);
    return rc;
}

typedef int (*unit_fn)(parser *p, dnf *d);

/* unit ( OP unit )* for OP = AND (tighter) inside OR: shared by the
 * comparison level and the observation level. */
static int parse_and_chain(parser *p, dnf *d, unit_fn unit, bool observations)
{
    int rc = unit(p, d);
    while (rc == SPY_OK) {
        if (observations && keyword(p, "FOLLOWEDBY"))
            return fail(p, SPY_EUNSUPPORTED, "FOLLOWEDBY");
        if (!keyword(p, "AND"))
            break;
        dnf b = {0};
        rc = unit(p, &b);
        if (rc == SPY_OK)
            rc = dnf_and(p, d, &b);
        else
            dnf_clear(&b);
    }
    return rc;
}

static int parse_or_chain(parser *p, dnf *d, unit_fn unit, bool observations)
{
    if (++p->depth > MAX_NESTING)
        return fail(p, SPY_EFORMAT, "nested too deep");
    int rc = parse_and_chain(p, d, unit, observations);
    while (rc == SPY_OK && keyword(p, "OR")) {
        dnf b = {0};
        rc = parse_and_chain(p, &b, unit, observations);
        if (rc == SPY_OK)
            rc = dnf_or(p, d, &b);
        else
            dnf_clear(&b);
    }
    p->depth--;
    return rc;
}

static int cmp_unit(parser *p, dnf *d)
{
    if (punct(p, '(')) {
        int rc = parse_or_chain(p, d, cmp_unit, false);
        if (rc == SPY_OK && !punct(p, ')'))
            rc = fail(p, SPY_EFORMAT, "expected ')'");
        return rc;
    }
    return parse_comparison(p, d);
}

static int qualifiers(parser *p)
{
    if (keyword(p, "WITHIN") || keyword(p, "REPEATS") || keyword(p, "START"))
        return fail(p, SPY_EUNSUPPORTED, "qualifier (WITHIN, REPEATS, START/STOP)");
    return SPY_OK;
}

static int obs_unit(parser *p, dnf *d)
{
    int rc;
    if (punct(p, '[')) {
        rc = parse_or_chain(p, d, cmp_unit, false);
        if (rc == SPY_OK && !punct(p, ']'))
            rc = fail(p, SPY_EFORMAT, "expected ']'");
    } else if (punct(p, '(')) {
        rc = parse_or_chain(p, d, obs_unit, true);
        if (rc == SPY_OK && !punct(p, ')'))
            rc = fail(p, SPY_EFORMAT, "expected ')'");
    } else {
        rc = fail(p, SPY_EFORMAT, "expected '['");
    }
    return rc == SPY_OK ? qualifiers(p) : rc;
}

static void pattern_take_dnf(spy_ioc_pattern *out, dnf *d)
{
    out->clauses = d->c;
    out->nclauses = d->n;
}

/* MVT's rule (§5.2): strip '[' and ']' at both ends, split on '='. */
static int parse_mvt(const char *s, size_t len, spy_ioc_pattern *out)
{
    size_t a = 0, b = len;
    while (a < b && s[a] == '[')
        a++;
    while (b > a && s[b - 1] == ']')
        b--;
    const char *eq = memchr(s + a, '=', b - a);
    if (!eq || memchr(eq + 1, '=', (size_t)(s + b - eq - 1)))
        return SPY_EFORMAT;
    out->cmps = spy_xmalloc(sizeof *out->cmps);
    out->cmps[0].key = spy_ioc_key_normalise(s + a, (size_t)(eq - s - a));
    out->cmps[0].value = spy_xstrndup(eq + 1, (size_t)(s + b - eq - 1));
    out->ncmps = 1;
    dnf d = {0};
    dnf_single(&d, 0);
    pattern_take_dnf(out, &d);
    return SPY_OK;
}

int spy_ioc_pattern_parse(const char *text, size_t len, spy_ioc_pattern *out, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    if (len > SPY_MAX_PATTERN_BYTES) {
        *why = "pattern too long";
        return SPY_EUNSUPPORTED;
    }
    parser p = {.s = text, .len = len, .out = out};
    dnf d = {0};
    int rc = parse_or_chain(&p, &d, obs_unit, true);
    skip_ws(&p);
    if (rc == SPY_OK && p.pos != p.len)
        rc = fail(&p, SPY_EFORMAT, "unexpected text after the pattern");
    if (rc == SPY_OK) {
        pattern_take_dnf(out, &d);
        return SPY_OK;
    }
    dnf_clear(&d);
    spy_ioc_pattern_clear(out);
    if (rc == SPY_EFORMAT && parse_mvt(text, len, out) == SPY_OK)
        return SPY_OK;
    *why = p.why ? p.why : "not a pattern";
    return rc;
}

void spy_ioc_pattern_clear(spy_ioc_pattern *p)
{
    for (size_t i = 0; i < p->ncmps; i++) {
        free(p->cmps[i].key);
        free(p->cmps[i].value);
    }
    free(p->cmps);
    for (size_t i = 0; i < p->nclauses; i++)
        free(p->clauses[i].terms);
    free(p->clauses);
    memset(p, 0, sizeof *p);
}

char *spy_ioc_key_normalise(const char *key, size_t len)
{
    while (len && is_ws(*key)) {
        key++;
        len--;
    }
    while (len && is_ws(key[len - 1]))
        len--;
    char *k = spy_xstrndup(key, len);
    char *m = strstr(k, "hashes.");
    size_t ml = 7;
    if (!m) {
        m = strstr(k, "cert.");
        ml = 5;
    }
    if (!m)
        return k;
    /* file:hashes.'SHA-256' -> file:hashes.sha256 (MVT, §5.2 step 3) */
    char *w = m + ml;
    for (const char *r = m + ml; *r; r++) {
        if (*r == '\'' || *r == '-')
            continue;
        *w++ = (*r >= 'A' && *r <= 'Z') ? (char)(*r + 32) : *r;
    }
    *w = '\0';
    return k;
}
