/* Lookup indexes built by spy_iocs_finalize() (spec/iocs.md §6.5): one hash
 * map per kind of check, so that a check is a few lookups whatever the
 * number of indicators. */
#include "core/iocs_internal.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include "core/psl.h"
#include <stdlib.h>
#include <string.h>

/* Profile ids are few (one in all public files); indexing every substring
 * of a hostile list could not be, so past this many substrings the check
 * scans the profile list instead. */
#define PROFILE_SUBSTRING_BUDGET (1u << 20)
#define TERM_FLAG                0x80000000u

static ioc_node *node_for(ioc_index *ix, enum ioc_idx which, const char *key, size_t len)
{
    if (!ix->maps[which])
        ix->maps[which] = spy_strmap_new(0);
    bool inserted;
    void **slot = spy_strmap_put(ix->maps[which], key, len, &inserted);
    if (inserted) {
        if (ix->nnodes == ix->capnodes) {
            ix->capnodes = ix->capnodes ? ix->capnodes * 2 : 256;
            ix->nodes = spy_xreallocarray(ix->nodes, ix->capnodes, sizeof *ix->nodes);
        }
        ix->nodes[ix->nnodes] = (ioc_node){SPY_IOC_NONE, SPY_IOC_NONE};
        *slot = (void *)(uintptr_t)(++ix->nnodes);
    }
    return &ix->nodes[(uintptr_t)*slot - 1];
}

/* item: an entry index, or a term index with TERM_FLAG. Items arrive in
 * search order, so "first wins" keeps the first; domains keep the last
 * (MVT's Aho-Corasick automaton overwrites duplicate keys, §6.5). */
static void put(ioc_index *ix, enum ioc_idx which, const char *key, size_t len, uint32_t item)
{
    ioc_node *n = node_for(ix, which, key, len);
    if (item & TERM_FLAG) {
        if (ix->ntrefs == ix->captrefs) {
            ix->captrefs = ix->captrefs ? ix->captrefs * 2 : 64;
            ix->trefs = spy_xreallocarray(ix->trefs, ix->captrefs, sizeof *ix->trefs);
        }
        ix->trefs[ix->ntrefs] = (ioc_tref){item & ~TERM_FLAG, n->trefs};
        n->trefs = (uint32_t)ix->ntrefs++;
    } else if (n->single == SPY_IOC_NONE || which == IDX_DOMAIN) {
        n->single = item;
    }
}

static void put_lower(ioc_index *ix, enum ioc_idx which, const char *v, uint32_t item)
{
    size_t n = strlen(v);
    char *l = spy_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        l[i] = (v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] + 32) : v[i];
    put(ix, which, l, n, item);
    free(l);
}

/* A file hash, noted in the prefix filter too (check_hash). */
static void put_hash(ioc_index *ix, enum ioc_idx which, const char *v, size_t n, uint32_t item)
{
    if (n >= 4) {
        uint32_t b = ioc_hash_pfx(v);
        ix->hash_pfx[b / 64] |= UINT64_C(1) << (b % 64);
    }
    put_lower(ix, which, v, item);
}

/* The last two labels of a domain (all of it when it has fewer). */
const char *spy_iocs_domain_tail(const char *d, size_t n)
{
    int dots = 0;
    for (size_t i = n; i > 0; i--)
        if (d[i - 1] == '.' && ++dots == 2)
            return d + i;
    return d;
}

/* Domains also go into a set of their last two labels: a host whose last
 * two labels are not in it cannot equal an indicator, nor can any of its
 * parents, so most URL checks end after one lookup. */
static void put_domain(ioc_index *ix, const char *v, uint32_t item)
{
    put_lower(ix, IDX_DOMAIN, v, item);
    size_t n = strlen(v);
    char *l = spy_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        l[i] = (v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] + 32) : v[i];
    const char *t = spy_iocs_domain_tail(l, n);
    node_for(ix, IDX_DOMAIN_TAIL, t, (size_t)(l + n - t));
    free(l);
}

static void put_profile(ioc_index *ix, const char *v, uint32_t item)
{
    ix->profiles = spy_xreallocarray(ix->profiles, ix->nprofiles + 1, sizeof *ix->profiles);
    ix->profiles[ix->nprofiles++] = item;
    if (ix->profile_linear)
        return;
    /* §6.3: the observed id matches when it is a substring of the value. */
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++)
        for (size_t l = 1; l <= SPY_MAX_PROFILE_ID_BYTES && i + l <= n; l++)
            put(ix, IDX_PROFILE, v + i, l, item);
}

static size_t path_key_len(const char *v)
{
    size_t n = strlen(v);
    while (n > 0 && v[n - 1] == '/')
        n--; /* §6.2: trailing '/' stripped */
    return n;
}

/* First pass: the distinct lengths of file_paths keys. */
static void note_path_len(ioc_index *ix, const char *v)
{
    size_t n = path_key_len(v);
    if (n == 0)
        return;
    for (size_t i = 0; i < ix->npath_lens; i++)
        if (ix->path_lens[i] == n)
            return;
    ix->path_lens = spy_xreallocarray(ix->path_lens, ix->npath_lens + 1, sizeof(size_t));
    ix->path_lens[ix->npath_lens++] = n;
}

/* The key itself, plus its prefixes at every shorter indicator length as
 * value-less nodes: a check walks the lengths upwards and stops at the
 * first prefix of the observed path that is absent, usually after one or
 * two lookups. */
static void put_path(ioc_index *ix, const char *v, uint32_t item)
{
    size_t n = path_key_len(v);
    if (n == 0)
        return; /* "/" would match every path */
    for (size_t i = 0; i < ix->npath_lens && ix->path_lens[i] < n; i++)
        node_for(ix, IDX_FPATH, v, ix->path_lens[i]);
    put(ix, IDX_FPATH, v, n, item);
}

static void index_item(ioc_index *ix, spy_ioc_key k, const char *v, uint32_t item)
{
    size_t n = strlen(v);
    switch (k) {
    case SPY_KEY_DOMAIN:
    case SPY_KEY_IPV4: put_domain(ix, v, item); break;
    case SPY_KEY_URL: put(ix, IDX_URL, v, n, item); break;
    case SPY_KEY_PROCESS:
        put(ix, IDX_PROC, v, n, item);
        /* truncated names (§6.1): 16 chars (MVT) and 15 (Linux comm) */
        if (n >= 15)
            put(ix, IDX_PROC_PREFIX, v, 15, item);
        if (n >= 16)
            put(ix, IDX_PROC_PREFIX, v, 16, item);
        break;
    case SPY_KEY_EMAIL: put_lower(ix, IDX_EMAIL, v, item); break;
    case SPY_KEY_FILE_NAME: put(ix, IDX_FNAME, v, n, item); break;
    case SPY_KEY_FILE_PATH: put_path(ix, v, item); break;
    case SPY_KEY_MD5: put_hash(ix, IDX_MD5, v, n, item); break;
    case SPY_KEY_SHA1: put_hash(ix, IDX_SHA1, v, n, item); break;
    case SPY_KEY_SHA256: put_hash(ix, IDX_SHA256, v, n, item); break;
    case SPY_KEY_SHA512: put_hash(ix, IDX_SHA512, v, n, item); break;
    case SPY_KEY_CERT_MD5:
    case SPY_KEY_CERT_SHA1:
    case SPY_KEY_CERT_SHA256: put_lower(ix, IDX_CERT, v, item); break;
    case SPY_KEY_APP_ID: put_lower(ix, IDX_APPID, v, item); break;
    case SPY_KEY_PROFILE_ID: put_profile(ix, v, item); break;
    case SPY_KEY_ANDROID_PROPERTY: put_lower(ix, IDX_PROP, v, item); break;
    default: break;
    }
}

static int cmp_rank(const void *a, const void *b)
{
    uint32_t x = (*(const ioc_entry *const *)a)->rank, y = (*(const ioc_entry *const *)b)->rank;
    return x < y ? -1 : (x > y);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : (x > y);
}

static void profile_budget(spy_iocs *set)
{
    size_t total = 0;
    for (size_t i = 0; i < set->nentries; i++)
        if (set->entries[i].key == SPY_KEY_PROFILE_ID)
            total += strlen(set->entries[i].value) * SPY_MAX_PROFILE_ID_BYTES;
    for (size_t i = 0; i < set->nterms; i++)
        if (set->terms[i].key == SPY_KEY_PROFILE_ID)
            total += strlen(set->terms[i].value) * SPY_MAX_PROFILE_ID_BYTES;
    set->idx.profile_linear = total > PROFILE_SUBSTRING_BUDGET;
}

void spy_iocs_index_build(spy_iocs *set)
{
    ioc_index *ix = &set->idx;
    profile_budget(set);
    ioc_entry **order = spy_xcalloc(set->nentries, sizeof *order);
    for (size_t i = 0; i < set->nentries; i++)
        order[i] = &set->entries[i];
    qsort(order, set->nentries, sizeof *order, cmp_rank);
    for (size_t i = 0; i < set->nentries; i++)
        if (set->entries[i].key == SPY_KEY_FILE_PATH)
            note_path_len(ix, set->entries[i].value);
    for (size_t i = 0; i < set->nterms; i++)
        if (set->terms[i].key == SPY_KEY_FILE_PATH)
            note_path_len(ix, set->terms[i].value);
    if (ix->npath_lens)
        qsort(ix->path_lens, ix->npath_lens, sizeof(size_t), cmp_size);
    for (size_t i = 0; i < set->nentries; i++) {
        const ioc_entry *e = order[i];
        uint32_t ei = (uint32_t)(e - set->entries);
        if (e->key != SPY_KEY_COMPOUND) {
            index_item(ix, (spy_ioc_key)e->key, e->value, ei);
            continue;
        }
        for (uint32_t t = e->first_term; t < e->first_term + e->nterms; t++)
            index_item(ix, (spy_ioc_key)set->terms[t].key, set->terms[t].value, t | TERM_FLAG);
    }
    free(order);
    if (ix->maps[IDX_DOMAIN])
        ix->psl = spy_psl();
}

void spy_iocs_index_free(ioc_index *ix)
{
    for (int i = 0; i < IDX_COUNT; i++)
        spy_strmap_free(ix->maps[i]);
    free(ix->nodes);
    free(ix->trefs);
    free(ix->path_lens);
    free(ix->profiles);
    memset(ix, 0, sizeof *ix);
}

const ioc_node *spy_iocs_index_find(const spy_iocs *set, enum ioc_idx which, const char *key,
                                    size_t len)
{
    const spy_strmap *m = set->idx.maps[which];
    if (!m)
        return NULL;
    uintptr_t v = (uintptr_t)spy_strmap_get(m, key, len);
    return v ? &set->idx.nodes[v - 1] : NULL;
}
