/* STIX2 bundle loader (spec/iocs.md §3-§5) on jansson. */
#include "core/error.h"
#include "core/iocs_internal.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_PATTERN_BYTES 300

typedef struct bundle {
    spy_iocs *set;
    const char *name;
    uint32_t default_coll; /* SPY_IOC_NONE until first needed */
    spy_strmap *malware;   /* malware id -> collection + 1 */
    spy_strmap *reports;   /* indicator id -> owning report collection + 1 */
    spy_strmap *rels;      /* indicator id -> first related malware collection + 1 */
    json_t **indicators;
    size_t nind;
    json_t **relationships;
    size_t nrel;
} bundle;

/* jansson's own recursion limit is 2048; spyscan accepts less (limits.h).
 * One pass over the bytes, strings skipped. */
static bool depth_ok(const unsigned char *d, size_t len)
{
    unsigned depth = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = d[i];
        if (c == '"') {
            i = spy_json_string_end(d, len, i + 1);
        } else if (c == '[' || c == '{') {
            if (++depth > SPY_MAX_JSON_DEPTH)
                return false;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return true;
}

static const char *str_or(json_t *obj, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : dflt;
}

static void map_set(spy_strmap *m, const char *key, uint32_t coll, bool overwrite)
{
    bool inserted;
    void **slot = spy_strmap_put(m, key, strlen(key), &inserted);
    if (inserted || overwrite)
        *slot = (void *)(uintptr_t)(coll + 1);
}

static uint32_t map_get(const spy_strmap *m, const char *key)
{
    if (!key)
        return SPY_IOC_NONE;
    uintptr_t v = (uintptr_t)spy_strmap_get(m, key, strlen(key));
    return v ? (uint32_t)(v - 1) : SPY_IOC_NONE;
}

static void push(json_t ***arr, size_t *n, json_t *o)
{
    if ((*n & (*n - 1)) == 0) /* grow at powers of two */
        *arr = spy_xreallocarray(*arr, *n ? *n * 2 : 1, sizeof **arr);
    (*arr)[(*n)++] = o;
}

static void add_malware(bundle *b, json_t *o)
{
    const char *name = json_string_value(json_object_get(o, "name"));
    if (!name) /* MVT raises here; a nameless family still deserves its indicators */
        spy_warn(SPY_IOCS_LOGGER, "%s: malware object without a name", b->name);
    uint32_t c = spy_iocs_add_collection(b->set, str_or(o, "id", ""), name ? name : "",
                                         str_or(o, "description", ""), b->name);
    map_set(b->malware, str_or(o, "id", ""), c, false);
}

/* Reports first (§4.2 step 1): the last report listing an indicator owns it. */
static void add_report(bundle *b, json_t *o)
{
    uint32_t c = spy_iocs_add_collection(b->set, str_or(o, "id", ""), str_or(o, "name", ""),
                                         str_or(o, "description", ""), b->name);
    json_t *refs = json_object_get(o, "object_refs");
    size_t i;
    json_t *r;
    json_array_foreach(refs, i, r)
    {
        if (json_is_string(r))
            map_set(b->reports, json_string_value(r), c, true);
    }
}

/* Malware objects, then reports, each in object order (§4.1). */
static void collect(bundle *b, json_t *const *objs, size_t nobjs)
{
    for (size_t i = 0; i < nobjs; i++) {
        json_t *o = objs[i];
        const char *type = json_string_value(json_object_get(o, "type"));
        if (!type)
            continue;
        if (strcmp(type, "malware") == 0)
            add_malware(b, o);
        else if (strcmp(type, "indicator") == 0)
            push(&b->indicators, &b->nind, o);
        else if (strcmp(type, "relationship") == 0)
            push(&b->relationships, &b->nrel, o);
    }
    for (size_t i = 0; i < nobjs; i++) {
        const char *type = json_string_value(json_object_get(objs[i], "type"));
        if (type && strcmp(type, "report") == 0)
            add_report(b, objs[i]);
    }
    /* §4.2 step 2: the first relationship from the indicator to a malware
     * object of this file; relationship_type is not checked (MVT). */
    for (size_t k = 0; k < b->nrel; k++) {
        const char *src = json_string_value(json_object_get(b->relationships[k], "source_ref"));
        uint32_t m = map_get(b->malware, str_or(b->relationships[k], "target_ref", NULL));
        if (src && m != SPY_IOC_NONE)
            map_set(b->rels, src, m, false);
    }
}

static uint32_t owner(bundle *b, const char *id)
{
    uint32_t c = map_get(b->reports, id);
    if (c == SPY_IOC_NONE)
        c = map_get(b->rels, id);
    if (c != SPY_IOC_NONE)
        return c;
    if (b->default_coll == SPY_IOC_NONE)
        b->default_coll = spy_iocs_add_collection(
            b->set, "0", "Default collection",
            "Collection with IOCs unrelated to malware or reports", b->name);
    return b->default_coll;
}

static void unsupported(bundle *b, const char *pattern, const char *why)
{
    size_t n = strlen(pattern);
    b->set->unsupported++;
    spy_warn(SPY_IOCS_LOGGER, "%s: skipping unsupported indicator pattern (%s): %.*s%s", b->name,
             why, (int)(n > SHOWN_PATTERN_BYTES ? SHOWN_PATTERN_BYTES : n), pattern,
             n > SHOWN_PATTERN_BYTES ? "..." : "");
}

/* Normalised, de-duplicated terms of one AND clause; false when a term
 * cannot be evaluated (unknown key or empty value). */
static bool clause_terms(const spy_ioc_pattern *p, const spy_ioc_clause *cl, spy_ioc_key *keys,
                         char **vals, size_t *n)
{
    *n = 0;
    bool ok = true;
    for (size_t i = 0; i < cl->n; i++) {
        const spy_ioc_cmp *c = &p->cmps[cl->terms[i]];
        spy_ioc_key k = spy_ioc_key_from_name(c->key);
        char *v =
            k == SPY_KEY_COUNT ? NULL : spy_ioc_normalise_value(k, c->value, strlen(c->value));
        if (!v) {
            ok = false;
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < *n && !dup; j++)
            dup = keys[j] == k && strcmp(vals[j], v) == 0;
        if (dup) {
            free(v);
            continue;
        }
        keys[*n] = k;
        vals[(*n)++] = v;
    }
    return ok;
}

static void free_vals(char **vals, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(vals[i]);
}

static void add_single(bundle *b, uint32_t coll, const spy_ioc_cmp *c)
{
    spy_ioc_key k = spy_ioc_key_from_name(c->key);
    if (k == SPY_KEY_COUNT) {
        spy_debug(SPY_IOCS_LOGGER, "Can't add indicator %s, type %s not supported", c->value,
                  c->key);
        return;
    }
    if (strlen(c->value) > SPY_MAX_IOC_VALUE_BYTES) {
        unsupported(b, c->value, "value too long");
        return;
    }
    spy_iocs_add_value(b->set, coll, k, c->value, strlen(c->value));
}

static void add_pattern(bundle *b, uint32_t coll, const char *text)
{
    spy_ioc_pattern p;
    const char *why;
    if (spy_ioc_pattern_parse(text, strlen(text), &p, &why) != SPY_OK) {
        unsupported(b, text, why);
        return;
    }
    spy_ioc_key keys[SPY_MAX_PATTERN_TERMS];
    char *vals[SPY_MAX_PATTERN_TERMS];
    size_t n;
    /* Validate every AND clause first: one warning per pattern, and a
     * pattern is loaded whole or not at all. */
    for (size_t i = 0; i < p.nclauses; i++) {
        if (p.clauses[i].n < 2)
            continue;
        bool ok = clause_terms(&p, &p.clauses[i], keys, vals, &n);
        free_vals(vals, n);
        if (!ok) {
            unsupported(b, text, "AND over a type spyscan cannot check, or an empty value");
            spy_ioc_pattern_clear(&p);
            return;
        }
    }
    for (size_t i = 0; i < p.nclauses; i++) {
        const spy_ioc_clause *cl = &p.clauses[i];
        if (cl->n == 1) {
            add_single(b, coll, &p.cmps[cl->terms[0]]);
            continue;
        }
        clause_terms(&p, cl, keys, vals, &n);
        if (n == 1)
            spy_iocs_add_value(b->set, coll, keys[0], vals[0], strlen(vals[0]));
        else
            spy_iocs_add_compound(b->set, coll, text, keys, (const char *const *)vals, n);
        free_vals(vals, n);
    }
    spy_ioc_pattern_clear(&p);
}

static void add_indicator(bundle *b, json_t *o)
{
    json_t *pt = json_object_get(o, "pattern_type");
    if (pt && !(json_is_string(pt) && strcmp(json_string_value(pt), "stix") == 0)) {
        spy_debug(SPY_IOCS_LOGGER, "%s: skipping indicator %s with pattern_type %s", b->name,
                  str_or(o, "id", "(no id)"), json_is_string(pt) ? json_string_value(pt) : "?");
        return;
    }
    uint32_t coll = owner(b, str_or(o, "id", NULL));
    const char *text = json_string_value(json_object_get(o, "pattern"));
    if (!text || !*text)
        unsupported(b, "", "missing pattern");
    else
        add_pattern(b, coll, text);
}

static int load_objects(spy_iocs *set, const char *name, json_t *const *objs, size_t nobjs)
{
    bundle b = {.set = set, .name = name, .default_coll = SPY_IOC_NONE};
    b.malware = spy_strmap_new(0);
    b.reports = spy_strmap_new(0);
    b.rels = spy_strmap_new(nobjs);
    collect(&b, objs, nobjs);
    for (size_t i = 0; i < b.nind; i++)
        add_indicator(&b, b.indicators[i]);
    if (b.nind == 0)
        spy_warn(SPY_IOCS_LOGGER, "%s: no indicators in this STIX2 bundle", name);
    /* §4.4: the Default collection is kept only when it got a value (it is
     * created on first use, so it is the newest collection). */
    if (b.default_coll != SPY_IOC_NONE && set->colls[b.default_coll].info.count == 0)
        spy_iocs_drop_last_collection(set);
    spy_strmap_free(b.malware);
    spy_strmap_free(b.reports);
    spy_strmap_free(b.rels);
    free(b.indicators);
    free(b.relationships);
    return SPY_OK;
}

static bool blank(const unsigned char *d, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!(d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
            return false;
    return true;
}

int spy_iocs_precheck_stix2(const unsigned char *data, size_t len, char **why)
{
    *why = NULL;
    if (len > SPY_MAX_IOC_FILE_BYTES) {
        *why = spy_xstrdup("indicator file too large");
        return SPY_ELIMIT;
    }
    if (blank(data, len)) {
        *why = spy_xstrdup("empty indicator file");
        return SPY_EFORMAT;
    }
    if (!depth_ok(data, len)) {
        *why = spy_xasprintf("JSON nested deeper than %u levels", SPY_MAX_JSON_DEPTH);
        return SPY_ELIMIT;
    }
    return SPY_OK;
}

int spy_iocs_parse_stix2(const unsigned char *data, size_t len, json_t **root, char **why)
{
    *root = NULL;
    int rc = spy_iocs_precheck_stix2(data, len, why);
    if (rc != SPY_OK)
        return rc;
    json_error_t err;
    json_t *j = json_loadb((const char *)data, len, 0, &err);
    if (!j) {
        *why = spy_xasprintf("not a STIX2 bundle: invalid JSON at line %d, column %d: %s", err.line,
                             err.column, err.text);
        return SPY_EFORMAT;
    }
    if (!json_is_object(j)) {
        *why = spy_xstrdup("not a STIX2 bundle: the JSON is not an object");
    } else if (!json_is_array(json_object_get(j, "objects"))) {
        *why = spy_xstrdup("not a STIX2 bundle: no \"objects\" array");
    } else {
        *root = j;
        return SPY_OK;
    }
    json_decref(j);
    return SPY_EFORMAT;
}

int spy_iocs_apply_stix2(spy_iocs *set, const char *name, json_t *root)
{
    if (set->finalized)
        return SPY_EINTERNAL;
    json_t *arr = json_object_get(root, "objects");
    size_t n = json_array_size(arr);
    json_t **objs = spy_xcalloc(n ? n : 1, sizeof *objs);
    for (size_t i = 0; i < n; i++)
        objs[i] = json_array_get(arr, i);
    int rc = load_objects(set, name, objs, n);
    free(objs);
    return rc;
}

int spy_iocs_apply_stix2_objects(spy_iocs *set, const char *name, json_t *const *objs, size_t n)
{
    if (set->finalized)
        return SPY_EINTERNAL;
    return load_objects(set, name, objs, n);
}

int spy_iocs_load_stix2_buffer(spy_iocs *set, const char *name, const unsigned char *data,
                               size_t len)
{
    if (set->finalized)
        return SPY_EINTERNAL;
    json_t *root = NULL;
    char *why = NULL;
    int rc = spy_iocs_parse_stix2(data, len, &root, &why);
    if (rc != SPY_OK)
        spy_log((spy_log_level)set->fail_level, SPY_IOCS_LOGGER, "%s: %s", name, why);
    else
        rc = spy_iocs_apply_stix2(set, name, root);
    json_decref(root);
    free(why);
    return rc;
}
