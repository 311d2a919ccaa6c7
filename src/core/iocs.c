/* The indicator set: collections, values and the bookkeeping shared by the
 * STIX2 and plain-list loaders (spec/iocs.md §4). */
#include "core/iocs.h"

#include "core/error.h"
#include "core/iocs_internal.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

static const char *const k_bucket_names[SPY_BUCKET_COUNT] = {
    "domains",
    "urls",
    "processes",
    "emails",
    "file_names",
    "file_paths",
    "files_md5",
    "files_sha1",
    "files_sha256",
    "app_cert_hashes",
    "app_ids",
    "ios_profile_ids",
    "android_property_names",
    "files_sha512",
};

static const char *const k_key_names[SPY_KEY_COUNT] = {
    "domain-name:value",
    "ipv4-addr:value",
    "url:value",
    "process:name",
    "email-addr:value",
    "file:name",
    "file:path",
    "file:hashes.md5",
    "file:hashes.sha1",
    "file:hashes.sha256",
    "file:hashes.sha512",
    "app:cert.md5",
    "app:cert.sha1",
    "app:cert.sha256",
    "app:id",
    "configuration-profile:id",
    "android-property:name",
    "compound",
};

static const spy_ioc_bucket k_key_bucket[SPY_KEY_COUNT] = {
    SPY_BUCKET_DOMAINS,
    SPY_BUCKET_DOMAINS,
    SPY_BUCKET_URLS,
    SPY_BUCKET_PROCESSES,
    SPY_BUCKET_EMAILS,
    SPY_BUCKET_FILE_NAMES,
    SPY_BUCKET_FILE_PATHS,
    SPY_BUCKET_FILES_MD5,
    SPY_BUCKET_FILES_SHA1,
    SPY_BUCKET_FILES_SHA256,
    SPY_BUCKET_FILES_SHA512,
    SPY_BUCKET_APP_CERT_HASHES,
    SPY_BUCKET_APP_CERT_HASHES,
    SPY_BUCKET_APP_CERT_HASHES,
    SPY_BUCKET_APP_IDS,
    SPY_BUCKET_IOS_PROFILE_IDS,
    SPY_BUCKET_ANDROID_PROPERTY_NAMES,
    SPY_BUCKET_COUNT, /* compound: its own "bucket" for de-dup */
};

const char *spy_ioc_bucket_name(spy_ioc_bucket b)
{
    return (unsigned)b < SPY_BUCKET_COUNT ? k_bucket_names[b] : "compound";
}

const char *spy_ioc_key_name(spy_ioc_key k)
{
    return (unsigned)k < SPY_KEY_COUNT ? k_key_names[k] : "unknown";
}

spy_ioc_bucket spy_ioc_key_bucket(spy_ioc_key k)
{
    return (unsigned)k < SPY_KEY_COUNT ? k_key_bucket[k] : SPY_BUCKET_COUNT;
}

spy_ioc_key spy_ioc_key_from_name(const char *key)
{
    for (int k = 0; k < SPY_KEY_COMPOUND; k++)
        if (strcmp(key, k_key_names[k]) == 0)
            return (spy_ioc_key)k;
    return SPY_KEY_COUNT;
}

int spy_iocs_new(spy_iocs **out)
{
    *out = spy_xcalloc(1, sizeof **out);
    (*out)->fail_level = SPY_LOG_ERROR;
    return SPY_OK;
}

static void free_info(spy_ioc_collection_info *ci)
{
    free((char *)ci->id);
    free((char *)ci->name);
    free((char *)ci->description);
    free((char *)ci->file_name);
    free((char *)ci->file_path);
}

void spy_iocs_free(spy_iocs *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->ncolls; i++) {
        free_info(&set->colls[i].info);
        spy_strmap_free(set->colls[i].seen);
    }
    free(set->colls);
    for (size_t i = 0; i < set->nentries; i++)
        free(set->entries[i].value);
    free(set->entries);
    for (size_t i = 0; i < set->nterms; i++)
        free(set->terms[i].value);
    free(set->terms);
    for (size_t i = 0; i < set->nfiles; i++) {
        free(set->file_paths[i]);
        free(set->file_sha256[i]);
    }
    free(set->file_paths);
    free(set->file_sha256);
    spy_iocs_index_free(&set->idx);
    free(set);
}

/* Grows an array of elements of size sz so that one more fits. */
void spy_iocs_drop_last_collection(spy_iocs *set)
{
    ioc_coll *c = &set->colls[--set->ncolls];
    free_info(&c->info);
    spy_strmap_free(c->seen);
}

static void *grow1(void *p, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 16;
    return spy_xreallocarray(p, *cap, sz);
}

const char *spy_iocs_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

uint32_t spy_iocs_add_collection(spy_iocs *set, const char *id, const char *name,
                                 const char *description, const char *path)
{
    set->colls = grow1(set->colls, set->ncolls, &set->capcolls, sizeof *set->colls);
    ioc_coll *c = &set->colls[set->ncolls];
    memset(c, 0, sizeof *c);
    c->info.id = spy_xstrdup(id ? id : "");
    c->info.name = spy_xstrdup(name ? name : "");
    c->info.description = spy_xstrdup(description ? description : "");
    c->info.file_name = spy_xstrdup(spy_iocs_basename(path));
    c->info.file_path = spy_xstrdup(path);
    c->seen = spy_strmap_new(0);
    return (uint32_t)set->ncolls++;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *spy_ioc_normalise_value(spy_ioc_key key, const char *v, size_t len)
{
    bool lower = key == SPY_KEY_DOMAIN || key == SPY_KEY_EMAIL;
    char *out = spy_xmalloc(len + 1);
    size_t n = 0;
    /* §4.3: every quote removed, then surrounding whitespace trimmed. */
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        if (c == '\'')
            continue;
        if (lower && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        out[n++] = c;
    }
    size_t a = 0;
    while (a < n && is_space(out[a]))
        a++;
    while (n > a && is_space(out[n - 1]))
        n--;
    if (n == a) {
        free(out);
        return NULL;
    }
    memmove(out, out + a, n - a);
    out[n - a] = '\0';
    return out;
}

static ioc_entry *new_entry(spy_iocs *set, uint32_t coll, spy_ioc_key key, char *value)
{
    set->entries = grow1(set->entries, set->nentries, &set->capentries, sizeof *set->entries);
    ioc_entry *e = &set->entries[set->nentries];
    memset(e, 0, sizeof *e);
    e->value = value;
    e->coll = coll;
    e->seq = (uint32_t)set->nentries++;
    e->key = (uint8_t)key;
    e->cidx = SPY_IOC_NONE;
    e->first_term = SPY_IOC_NONE;
    set->colls[coll].info.count++;
    set->colls[coll].info.key_counts[key]++;
    set->total++;
    return e;
}

/* The per-collection de-dup key: bucket byte, then the value. */
static bool seen_before(ioc_coll *c, spy_ioc_bucket b, const char *v, size_t len)
{
    char small[256];
    char *k = len + 1 <= sizeof small ? small : spy_xmalloc(len + 1);
    k[0] = (char)('A' + (int)b);
    memcpy(k + 1, v, len);
    bool inserted = false;
    spy_strmap_put(c->seen, k, len + 1, &inserted);
    if (k != small)
        free(k);
    return !inserted;
}

bool spy_iocs_add_value(spy_iocs *set, uint32_t coll, spy_ioc_key key, const char *value,
                        size_t len)
{
    char *v = spy_ioc_normalise_value(key, value, len);
    if (!v) {
        spy_debug(SPY_IOCS_LOGGER, "Skipping empty indicator value of type %s",
                  spy_ioc_key_name(key));
        return false;
    }
    if (seen_before(&set->colls[coll], spy_ioc_key_bucket(key), v, strlen(v))) {
        free(v);
        return false;
    }
    new_entry(set, coll, key, v);
    return true;
}

bool spy_iocs_add_compound(spy_iocs *set, uint32_t coll, const char *pattern,
                           const spy_ioc_key *keys, const char *const *values, size_t n)
{
    /* De-dup on the terms, not the text: `[a OR b] AND [c]` yields two
     * compounds with the same pattern text. */
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += strlen(values[i]) + 3;
    char *canon = spy_xmalloc(cap);
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        canon[off++] = (char)('a' + (int)keys[i]);
        size_t l = strlen(values[i]);
        memcpy(canon + off, values[i], l);
        off += l;
        canon[off++] = '\x1f';
    }
    bool dup = seen_before(&set->colls[coll], SPY_BUCKET_COUNT, canon, off);
    free(canon);
    if (dup)
        return false;
    ioc_entry *e = new_entry(set, coll, SPY_KEY_COMPOUND, spy_xstrdup(pattern));
    e->cidx = (uint32_t)set->ncompounds++;
    e->first_term = (uint32_t)set->nterms;
    e->nterms = (uint32_t)n;
    uint32_t ei = (uint32_t)(e - set->entries);
    for (size_t i = 0; i < n; i++) {
        set->terms = grow1(set->terms, set->nterms, &set->capterms, sizeof *set->terms);
        ioc_term *t = &set->terms[set->nterms++];
        t->value = spy_xstrdup(values[i]);
        t->key = (uint8_t)keys[i];
        t->entry = ei;
    }
    return true;
}

size_t spy_iocs_total(const spy_iocs *set)
{
    return set ? set->total : 0;
}
size_t spy_iocs_collection_count(const spy_iocs *set)
{
    return set ? set->ncolls : 0;
}

const spy_ioc_collection_info *spy_iocs_collection(const spy_iocs *set, size_t i)
{
    return set && i < set->ncolls ? &set->colls[i].info : NULL;
}

size_t spy_iocs_file_count(const spy_iocs *set)
{
    return set ? set->nfiles : 0;
}

const char *spy_iocs_file_path(const spy_iocs *set, size_t i)
{
    return set && i < set->nfiles ? set->file_paths[i] : NULL;
}

const char *spy_iocs_file_sha256(const spy_iocs *set, size_t i)
{
    return set && i < set->nfiles ? set->file_sha256[i] : NULL;
}

size_t spy_iocs_unsupported_count(const spy_iocs *set)
{
    return set ? set->unsupported : 0;
}

static int cmp_rank(const void *a, const void *b)
{
    const ioc_entry *x = *(const ioc_entry *const *)a, *y = *(const ioc_entry *const *)b;
    if (x->coll != y->coll)
        return x->coll < y->coll ? -1 : 1;
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

int spy_iocs_finalize(spy_iocs *set)
{
    if (!set)
        return SPY_EINTERNAL;
    if (set->finalized)
        return SPY_OK;
    /* §6.5: search order is collection load order, then insertion order. */
    ioc_entry **order = spy_xcalloc(set->nentries, sizeof *order);
    for (size_t i = 0; i < set->nentries; i++)
        order[i] = &set->entries[i];
    qsort(order, set->nentries, sizeof *order, cmp_rank);
    for (size_t i = 0; i < set->nentries; i++)
        order[i]->rank = (uint32_t)i;
    free(order);
    for (size_t i = 0; i < set->ncolls; i++) {
        spy_strmap_free(set->colls[i].seen);
        set->colls[i].seen = NULL;
    }
    spy_iocs_index_build(set);
    set->finalized = true;
    spy_info(SPY_IOCS_LOGGER, "Loaded a total of %zu unique indicators", set->total);
    return SPY_OK;
}
