/* Alert levels and the alert list (spec/outputs.md §5). */
#include "core/alert.h"

#include "core/mem.h"

#include <stdlib.h>

const char *spy_level_name(spy_level l)
{
    switch (l) {
    case SPY_LEVEL_INFORMATIONAL: return "INFORMATIONAL";
    case SPY_LEVEL_LOW: return "LOW";
    case SPY_LEVEL_MEDIUM: return "MEDIUM";
    case SPY_LEVEL_HIGH: return "HIGH";
    case SPY_LEVEL_CRITICAL: return "CRITICAL";
    }
    return "UNKNOWN";
}

int spy_level_index(spy_level l)
{
    switch (l) {
    case SPY_LEVEL_INFORMATIONAL: return 0;
    case SPY_LEVEL_LOW: return 1;
    case SPY_LEVEL_MEDIUM: return 2;
    case SPY_LEVEL_HIGH: return 3;
    case SPY_LEVEL_CRITICAL: return 4;
    }
    return -1;
}

static char *dup_or_null(const char *s)
{
    return s ? spy_xstrdup(s) : NULL;
}

void spy_alert_list_add(spy_alert_list *l, const spy_alert *a)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = spy_xreallocarray(l->v, l->cap, sizeof *l->v);
    }
    spy_alert *c = &l->v[l->n++];
    c->level = a->level;
    c->module = spy_xstrdup(a->module ? a->module : "unknown");
    c->message = spy_xstrdup(a->message ? a->message : "");
    c->event_time = spy_xstrdup(a->event_time ? a->event_time : "");
    c->event = a->event ? json_incref(a->event) : NULL;
    c->has_match = a->has_match;
    c->ioc_value = a->has_match ? dup_or_null(a->ioc_value) : NULL;
    c->ioc_type = a->has_match ? dup_or_null(a->ioc_type) : NULL;
    c->ioc_name = a->has_match ? dup_or_null(a->ioc_name) : NULL;
    c->ioc_file = a->has_match ? dup_or_null(a->ioc_file) : NULL;
}

void spy_alert_list_clear(spy_alert_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        spy_alert *a = &l->v[i];
        free(a->module);
        free(a->message);
        free(a->event_time);
        json_decref(a->event);
        free(a->ioc_value);
        free(a->ioc_type);
        free(a->ioc_name);
        free(a->ioc_file);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
