/* The indicator index (spec/iocs.md §10.1), parsed with libyaml. */
#include "core/ioc_download.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <string.h>
#include <yaml.h>

#define LOGGER      "spyscan.download"
#define MAX_ENTRIES 1024

/* The scalar value of key in a mapping node, or NULL. */
static const char *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (k && v && k->type == YAML_SCALAR_NODE && v->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return (const char *)v->data.scalar.value;
    }
    return NULL;
}

static yaml_node_t *map_node(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

/* github entries: raw URL of owner/repo/branch/path (branch "main" when absent). */
static char *entry_url(yaml_document_t *doc, yaml_node_t *e)
{
    const char *type = map_get(doc, e, "type");
    if (type && strcmp(type, "github") == 0) {
        yaml_node_t *gh = map_node(doc, e, "github");
        const char *owner = map_get(doc, gh, "owner"), *repo = map_get(doc, gh, "repo");
        const char *branch = map_get(doc, gh, "branch"), *path = map_get(doc, gh, "path");
        if (!owner || !repo || !path)
            return NULL;
        return spy_xasprintf("https://raw.githubusercontent.com/%s/%s/%s/%s", owner, repo,
                             branch ? branch : "main", path);
    }
    const char *url = map_get(doc, e, "download_url");
    return url ? spy_xstrdup(url) : NULL;
}

static int collect(yaml_document_t *doc, spy_ioc_source **out, size_t *n)
{
    yaml_node_t *list = map_node(doc, yaml_document_get_root_node(doc), "indicators");
    if (!list || list->type != YAML_SEQUENCE_NODE)
        return SPY_EFORMAT;
    size_t count = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (count > MAX_ENTRIES)
        return SPY_ELIMIT;
    spy_ioc_source *v = spy_xcalloc(count ? count : 1, sizeof *v);
    size_t k = 0;
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        yaml_node_t *e = yaml_document_get_node(doc, *it);
        const char *name = map_get(doc, e, "name");
        char *url = entry_url(doc, e);
        if (!url) {
            spy_error(LOGGER, "Could not find a way to download indicator file for %s",
                      name ? name : "(unnamed entry)");
            continue;
        }
        v[k].name = spy_xstrdup(name ? name : url);
        v[k].url = url;
        k++;
    }
    *out = v;
    *n = k;
    return SPY_OK;
}

int spy_ioc_index_parse(const char *text, size_t len, spy_ioc_source **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return SPY_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int err = SPY_EFORMAT;
    if (yaml_parser_load(&parser, &doc)) {
        if (yaml_document_get_root_node(&doc))
            err = collect(&doc, out, n);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return err;
}

void spy_ioc_sources_free(spy_ioc_source *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].name);
        free(s[i].url);
    }
    free(s);
}
