/* Checking observed values (spec/iocs.md §6-§8, design.md §4). Each check
 * is a bounded number of hash lookups; nothing here writes to the set, so
 * checks are reentrant once the set is finalized. */
#include "core/iocs_internal.h"
#include "core/limits.h"
#include "core/mem.h"
#include "core/urlsplit.h"

#include <libpsl.h>
#include <stdlib.h>
#include <string.h>

typedef enum msg_kind {
    M_URL,
    M_DOMAIN,
    M_SUBDOMAIN,
    M_MAYBE,
    M_PROC,
    M_PROC_TRUNC,
    M_EMAIL,
    M_FNAME,
    M_FPATH,
    M_PATHPROC,
    M_PROFILE,
    M_HASH,
    M_CERT,
    M_APPID,
    M_PROP,
    M_COMPOUND
} msg_kind;

/* A "%s"-only formatter: one pass to size, one to copy (messages are built
 * for every hit, and vsnprintf twice per hit showed in the benchmark). */
static char *fill(const char *fmt, const char *a, const char *b, const char *c)
{
    const char *args[3] = {a, b, c};
    size_t lens[3] = {a ? strlen(a) : 0, b ? strlen(b) : 0, c ? strlen(c) : 0};
    size_t n = 0, k = 0;
    for (const char *f = fmt; *f; f++) {
        if (f[0] == '%' && f[1] == 's' && k < 3) {
            n += lens[k++];
            f++;
        } else {
            n++;
        }
    }
    char *out = spy_xmalloc(n + 1), *w = out;
    k = 0;
    for (const char *f = fmt; *f; f++) {
        if (f[0] == '%' && f[1] == 's' && k < 3) {
            if (lens[k])
                memcpy(w, args[k], lens[k]);
            w += lens[k++];
            f++;
        } else {
            *w++ = *f;
        }
    }
    *w = '\0';
    return out;
}

/* §8, word for word (MVT's "form" and "certfificate" included). */
static char *message(msg_kind k, const char *s, const char *v, const char *name)
{
    switch (k) {
    case M_URL:
        return fill("Found a known suspicious URL %s matching indicator \"%s\" from \"%s\"", s, v,
                    name);
    case M_DOMAIN:
        return fill("Found a known suspicious domain %s matching indicator \"%s\" from \"%s\"", s,
                    v, name);
    case M_SUBDOMAIN:
        return fill("Found a sub-domain with a suspicious top level %s matching indicator \"%s\" "
                    "from \"%s\"",
                    s, v, name);
    case M_MAYBE:
        return fill(
            "Maybe found a known suspicious domain %s matching indicator \"%s\" from \"%s\"", s, v,
            name);
    case M_PROC:
        return fill("Found a known suspicious process name \"%s\" matching indicators from \"%s\"",
                    s, name, NULL);
    case M_PROC_TRUNC:
        return fill("Found a truncated known suspicious process name \"%s\" matching indicators "
                    "from \"%s\"",
                    s, name, NULL);
    case M_EMAIL:
        return fill("Found a known suspicious email address \"%s\" matching indicators from \"%s\"",
                    s, name, NULL);
    case M_FNAME:
        return fill("Found a known suspicious file name \"%s\" matching indicators from \"%s\"", s,
                    name, NULL);
    case M_FPATH:
        return fill("Found a known suspicious file path \"%s\" matching indicators form \"%s\"", s,
                    name, NULL);
    case M_PATHPROC:
        return fill("Found known suspicious process name mentioned in file at path \"%s\" matching "
                    "indicators from \"%s\"",
                    s, name, NULL);
    case M_PROFILE:
        return fill("Found a known suspicious profile ID \"%s\" matching indicators from \"%s\"", s,
                    name, NULL);
    case M_HASH:
        return fill(
            "Found a known suspicious file with hash \"%s\" matching indicators from \"%s\"", s,
            name, NULL);
    case M_CERT:
        return fill("Found a known suspicious app certfificate with hash \"%s\" matching "
                    "indicators from \"%s\"",
                    s, name, NULL);
    case M_APPID:
        return fill("Found a known suspicious app with ID \"%s\" matching indicators from \"%s\"",
                    s, name, NULL);
    case M_PROP:
        return fill(
            "Found a known suspicious Android property \"%s\" matching indicators from \"%s\"", s,
            name, NULL);
    case M_COMPOUND:
        return fill(
            "Found a known suspicious record matching compound indicator \"%s\" from \"%s\"", v,
            name, NULL);
    }
    return spy_xstrdup("");
}

void spy_ioc_match_clear(spy_ioc_match *m)
{
    if (!m)
        return;
    free(m->message);
    memset(m, 0, sizeof *m);
}

static bool report(const spy_iocs *set, uint32_t e, msg_kind k, const char *subject,
                   spy_ioc_match *out)
{
    if (!out)
        return true;
    const ioc_entry *en = &set->entries[e];
    const spy_ioc_collection_info *c = &set->colls[en->coll].info;
    out->value = en->value;
    out->type = spy_ioc_bucket_name(spy_ioc_key_bucket((spy_ioc_key)en->key));
    out->name = c->name;
    out->stix2_file_name = c->file_name;
    out->message = message(k, subject, en->value, c->name);
    return true;
}

/* ---- scratch (compound AND indicators) ---------------------------------- */

struct spy_ioc_scratch {
    const spy_iocs *set;
    uint8_t *term_hit;     /* per term */
    uint8_t *touched_flag; /* per compound: 0, TOUCHED or REPORTED */
    uint32_t *touched;     /* compound entries touched in this record */
    size_t ntouched;
};

enum { TOUCHED = 1, REPORTED = 2 };

spy_ioc_scratch *spy_ioc_scratch_new(const spy_iocs *set)
{
    spy_ioc_scratch *s = spy_xcalloc(1, sizeof *s);
    s->set = set;
    if (set) {
        s->term_hit = spy_xcalloc(set->nterms + 1, 1);
        s->touched_flag = spy_xcalloc(set->ncompounds + 1, 1);
        s->touched = spy_xcalloc(set->ncompounds + 1, sizeof(uint32_t));
    }
    return s;
}

void spy_ioc_scratch_free(spy_ioc_scratch *s)
{
    if (!s)
        return;
    free(s->term_hit);
    free(s->touched_flag);
    free(s->touched);
    free(s);
}

void spy_ioc_scratch_reset(spy_ioc_scratch *s)
{
    if (!s || !s->set)
        return;
    for (size_t i = 0; i < s->ntouched; i++) {
        const ioc_entry *e = &s->set->entries[s->touched[i]];
        memset(s->term_hit + e->first_term, 0, e->nterms);
        s->touched_flag[e->cidx] = 0;
    }
    s->ntouched = 0;
}

void spy_ioc_scratch_mark(spy_ioc_scratch *s, const spy_iocs *set, const ioc_node *node)
{
    if (!s || !node || s->set != set)
        return;
    for (uint32_t r = node->trefs; r != SPY_IOC_NONE; r = set->idx.trefs[r].next) {
        uint32_t t = set->idx.trefs[r].term;
        s->term_hit[t] = 1;
        uint32_t e = set->terms[t].entry;
        uint32_t c = set->entries[e].cidx;
        if (!s->touched_flag[c]) {
            s->touched_flag[c] = TOUCHED;
            s->touched[s->ntouched++] = e;
        }
    }
}

bool spy_ioc_scratch_next_compound(spy_ioc_scratch *s, spy_ioc_match *out)
{
    if (!s || !s->set)
        return false;
    /* Scans every touched compound (not a cursor): a caller may ask before
     * the record's last check; each compound is reported once per record. */
    for (size_t i = 0; i < s->ntouched; i++) {
        uint32_t ei = s->touched[i];
        const ioc_entry *e = &s->set->entries[ei];
        if (s->touched_flag[e->cidx] == REPORTED)
            continue;
        bool all = true;
        for (uint32_t t = e->first_term; t < e->first_term + e->nterms && all; t++)
            all = s->term_hit[t] != 0;
        if (all) {
            s->touched_flag[e->cidx] = REPORTED;
            return report(s->set, ei, M_COMPOUND, e->value, out);
        }
    }
    return false;
}

/* ---- helpers -------------------------------------------------------------- */

typedef struct ctx {
    const spy_iocs *set;
    spy_ioc_scratch *scratch;
    bool marking; /* compounds exist: every candidate must be looked up */
} ctx;

/* Looks a key up, marks compound terms, returns the single entry or NONE. */
static uint32_t look(const ctx *c, enum ioc_idx which, const char *key, size_t len)
{
    const ioc_node *n = spy_iocs_index_find(c->set, which, key, len);
    if (!n)
        return SPY_IOC_NONE;
    spy_ioc_scratch_mark(c->scratch, c->set, n);
    return n->single;
}

/* The better of two candidates in search order (§6.5). */
static uint32_t first_of(const spy_iocs *set, uint32_t a, uint32_t b)
{
    if (a == SPY_IOC_NONE)
        return b;
    if (b == SPY_IOC_NONE)
        return a;
    return set->entries[a].rank <= set->entries[b].rank ? a : b;
}

/* Lower-cases into buf (SPY_MAX_IOC_VALUE_BYTES + 1); false when longer
 * than any indicator can be. */
static bool lower_into(const char *v, size_t n, char *buf)
{
    if (n > SPY_MAX_IOC_VALUE_BYTES)
        return false;
    for (size_t i = 0; i < n; i++)
        buf[i] = (v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] + 32) : v[i];
    buf[n] = '\0';
    return true;
}

/* v, of n bytes, looked up lower-cased. */
static bool check_lower_n(const ctx *c, enum ioc_idx which, msg_kind k, const char *v, size_t n,
                          spy_ioc_match *out)
{
    char buf[SPY_MAX_IOC_VALUE_BYTES + 1];
    if (!lower_into(v, n, buf))
        return false;
    uint32_t e = look(c, which, buf, n);
    return e != SPY_IOC_NONE && report(c->set, e, k, v, out);
}

static bool check_lower(const ctx *c, enum ioc_idx which, msg_kind k, const char *v,
                        spy_ioc_match *out)
{
    return check_lower_n(c, which, k, v, strlen(v), out);
}

/* ---- URLs and domains (§7) ------------------------------------------------ */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

static const char *last_label(const char *h, size_t n)
{
    const char *d = NULL;
    for (size_t i = 0; i < n; i++)
        if (h[i] == '.')
            d = h + i;
    return d ? d + 1 : h;
}

/* IP literals are only ever compared whole (never their "parents"). */
static bool is_ip_like(const spy_url *u)
{
    if (u->bracketed || spy_url_is_ipv4(u->host, u->host_len))
        return true;
    const char *l = last_label(u->host, u->host_len);
    return all_digits(l, (size_t)(u->host + u->host_len - l));
}

static bool is_public_suffix(const spy_iocs *set, const char *d)
{
    const psl_ctx_t *psl = set->idx.psl;
    return psl && psl_is_public_suffix2(psl, d, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

/* MVT falls back to substring matching (§7.5) when the host has no public
 * suffix rule at all (unknown TLD, localhost). */
static bool has_psl_rule(const spy_iocs *set, const spy_url *u)
{
    return is_public_suffix(set, last_label(u->host, u->host_len));
}

typedef struct dhit {
    uint32_t entry;
    int which; /* 0: MVT's domain, 1: the host, 2: a parent domain */
} dhit;

static void take(dhit *h, uint32_t e, int which)
{
    if (h->entry == SPY_IOC_NONE && e != SPY_IOC_NONE) {
        h->entry = e;
        h->which = which;
    }
}

/* Is md the host minus some leading labels ("www.x.com" -> "x.com")? */
static bool is_parent_of(const char *md, size_t ml, const char *host, size_t hl)
{
    return ml < hl && host[hl - ml - 1] == '.' && memcmp(host + hl - ml, md, ml) == 0;
}

/* Candidates in order: MVT's `domain` (netloc lower-cased, leading 'w' and
 * '.' characters stripped: exact MVT match and message), the host, then
 * each parent of the host down to (not including) the bare TLD. A parent
 * that is itself a public suffix never matches ("co.uk" is no indicator of
 * every British site) unless it is MVT's `domain`. */
static dhit domain_candidates(const ctx *c, const spy_url *u)
{
    dhit h = {SPY_IOC_NONE, 0};
    const char *md = u->netloc;
    while (*md == 'w' || *md == '.')
        md++;
    size_t ml = strlen(md);
    const char *tail = spy_iocs_domain_tail(u->host, u->host_len);
    bool tail_ok = spy_iocs_index_find(c->set, IDX_DOMAIN_TAIL, tail,
                                       (size_t)(u->host + u->host_len - tail)) != NULL;
    bool md_is_host = ml == u->host_len && memcmp(md, u->host, ml) == 0;
    bool md_is_parent = is_parent_of(md, ml, u->host, u->host_len) && memchr(md, '.', ml);
    /* When md is the host or one of its parents it shares the host's last
     * two labels, so the tail set rules it out as well. */
    if (!md_is_host && (tail_ok || !md_is_parent))
        take(&h, look(c, IDX_DOMAIN, md, ml), 0);
    if (!tail_ok || (h.entry != SPY_IOC_NONE && !c->marking))
        return h;
    take(&h, look(c, IDX_DOMAIN, u->host, u->host_len), md_is_host ? 0 : 1);
    const char *end = u->host + u->host_len;
    for (const char *p = memchr(u->host, '.', u->host_len); p;
         p = memchr(p, '.', (size_t)(end - p))) {
        p++;
        if (!memchr(p, '.', (size_t)(end - p)))
            break; /* bare TLD */
        if (h.entry != SPY_IOC_NONE && !c->marking)
            break;
        if (md_is_parent && (size_t)(end - p) == ml)
            continue; /* looked up first, as MVT's domain */
        const ioc_node *n = spy_iocs_index_find(c->set, IDX_DOMAIN, p, (size_t)(end - p));
        if (!n || is_public_suffix(c->set, p))
            continue;
        spy_ioc_scratch_mark(c->scratch, c->set, n);
        take(&h, n->single, 2);
    }
    return h;
}

static bool check_domain(const ctx *c, const char *s, size_t len, bool found_url,
                         spy_ioc_match *out)
{
    char buf[SPY_URLSPLIT_BUF];
    spy_url u;
    if (spy_urlsplit(s, len, buf, sizeof buf, &u) != 0)
        return false; /* no host: nothing to look up (MVT: substring search) */
    if (is_ip_like(&u)) {
        uint32_t e = look(c, IDX_DOMAIN, u.host, u.host_len);
        return !found_url && e != SPY_IOC_NONE && report(c->set, e, M_MAYBE, s, out);
    }
    dhit h = domain_candidates(c, &u);
    if (found_url || h.entry == SPY_IOC_NONE)
        return false;
    msg_kind k = !has_psl_rule(c->set, &u) ? M_MAYBE : h.which == 0 ? M_DOMAIN : M_SUBDOMAIN;
    return report(c->set, h.entry, k, s, out);
}

static bool check_url(const ctx *c, const char *s, spy_ioc_match *out)
{
    size_t len = strlen(s);
    uint32_t e = look(c, IDX_URL, s, len); /* §7.1 step 1: exact, case-sensitive */
    bool found = e != SPY_IOC_NONE && report(c->set, e, M_URL, s, out);
    if (found && !c->marking)
        return true;
    return check_domain(c, s, len, found, out) || found;
}

/* ---- processes and paths (§6.1, §6.2) ------------------------------------- */

static bool check_process(const ctx *c, const char *p, spy_ioc_match *out)
{
    const char *name = spy_iocs_basename(p);
    size_t n = strlen(name);
    if (n == 0)
        return false;
    uint32_t e = look(c, IDX_PROC, name, n);
    /* Truncated names: MVT's 16 characters, and 15 (Linux comm). The prefix
     * index holds the first indicator, in search order, starting with them. */
    if (n == 15 || n == 16)
        e = first_of(c->set, e, look(c, IDX_PROC_PREFIX, name, n));
    if (e == SPY_IOC_NONE)
        return false;
    bool exact = strcmp(c->set->entries[e].value, name) == 0;
    return report(c->set, e, exact ? M_PROC : M_PROC_TRUNC, p, out);
}

static bool check_path_process(const ctx *c, const char *p, spy_ioc_match *out)
{
    uint32_t best = SPY_IOC_NONE;
    for (const char *s = p;;) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (n)
            best = first_of(c->set, best, look(c, IDX_PROC, s, n));
        if (!slash)
            break;
        s = slash + 1;
    }
    return best != SPY_IOC_NONE && report(c->set, best, M_PATHPROC, p, out);
}

static bool check_file_path(const ctx *c, const char *p, spy_ioc_match *out)
{
    const char *base = spy_iocs_basename(p);
    uint32_t e = look(c, IDX_FNAME, base, strlen(base));
    if (e != SPY_IOC_NONE && !c->marking)
        return report(c->set, e, M_FNAME, base, out);
    /* Prefix test without boundary (§6.2): one lookup per distinct
     * indicator length, stopping at the first absent prefix. */
    uint32_t best = SPY_IOC_NONE;
    size_t n = strlen(p);
    const ioc_index *ix = &c->set->idx;
    for (size_t i = 0; i < ix->npath_lens && ix->path_lens[i] <= n; i++) {
        const ioc_node *node = spy_iocs_index_find(c->set, IDX_FPATH, p, ix->path_lens[i]);
        if (!node)
            break;
        spy_ioc_scratch_mark(c->scratch, c->set, node);
        best = first_of(c->set, best, node->single);
    }
    if (e != SPY_IOC_NONE)
        return report(c->set, e, M_FNAME, base, out);
    return best != SPY_IOC_NONE && report(c->set, best, M_FPATH, p, out);
}

/* ---- hashes and the rest (§6.3, §6.4) -------------------------------------- */

static bool check_hash(const ctx *c, const char *h, spy_ioc_match *out)
{
    size_t n = strlen(h);
    if (n >= 4) { /* no hash key starts as h does: no lookup */
        uint32_t b = ioc_hash_pfx(h);
        if (!(c->set->idx.hash_pfx[b / 64] >> (b % 64) & 1))
            return false;
    }
    enum ioc_idx which = n == 32    ? IDX_MD5
                         : n == 40  ? IDX_SHA1
                         : n == 128 ? IDX_SHA512
                                    : IDX_SHA256;
    return check_lower_n(c, which, M_HASH, h, n, out);
}

static const char *item_value(const spy_iocs *set, uint32_t item)
{
    return (item & 0x80000000u) ? set->terms[item & ~0x80000000u].value : set->entries[item].value;
}

/* Observed id is a substring of the indicator (§6.3, MVT's direction). */
static bool check_profile(const ctx *c, const char *u, spy_ioc_match *out)
{
    const spy_iocs *set = c->set;
    size_t n = strlen(u);
    uint32_t e;
    if (n <= SPY_MAX_PROFILE_ID_BYTES && !set->idx.profile_linear) {
        e = look(c, IDX_PROFILE, u, n);
    } else {
        e = SPY_IOC_NONE;
        for (size_t i = 0; i < set->idx.nprofiles; i++) {
            uint32_t it = set->idx.profiles[i];
            if (!(it & 0x80000000u) && strstr(item_value(set, it), u))
                e = first_of(set, e, it);
        }
    }
    return e != SPY_IOC_NONE && report(set, e, M_PROFILE, u, out);
}

bool spy_iocs_check(const spy_iocs *set, spy_ioc_scratch *scratch, spy_check_kind kind,
                    const char *value, spy_ioc_match *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!set || !set->finalized || !value || !*value)
        return false;
    ctx c = {set, scratch && scratch->set == set ? scratch : NULL, false};
    c.marking = c.scratch && set->ncompounds > 0;
    switch (kind) {
    case SPY_CHECK_URL: return check_url(&c, value, out);
    case SPY_CHECK_PROCESS: return check_process(&c, value, out);
    case SPY_CHECK_PATH_PROCESS: return check_path_process(&c, value, out);
    case SPY_CHECK_EMAIL: return check_lower(&c, IDX_EMAIL, M_EMAIL, value, out);
    case SPY_CHECK_FILE_PATH: return check_file_path(&c, value, out);
    case SPY_CHECK_HASH: return check_hash(&c, value, out);
    case SPY_CHECK_APP_CERT: return check_lower(&c, IDX_CERT, M_CERT, value, out);
    case SPY_CHECK_APP_ID: return check_lower(&c, IDX_APPID, M_APPID, value, out);
    case SPY_CHECK_PROFILE_ID: return check_profile(&c, value, out);
    case SPY_CHECK_ANDROID_PROPERTY: return check_lower(&c, IDX_PROP, M_PROP, value, out);
    case SPY_CHECK_KIND_COUNT: break;
    }
    return false;
}
