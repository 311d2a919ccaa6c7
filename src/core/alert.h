/* Alerts as MVT v3 writes them (spec/outputs.md §3.2, §5). */
#ifndef SPY_ALERT_H
#define SPY_ALERT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum spy_level {
    SPY_LEVEL_INFORMATIONAL = 0,
    SPY_LEVEL_LOW = 10,
    SPY_LEVEL_MEDIUM = 20,
    SPY_LEVEL_HIGH = 30,
    SPY_LEVEL_CRITICAL = 40
} spy_level;

const char *spy_level_name(spy_level l); /* "CRITICAL", ... */
/* Index 0..4 in the order INFORMATIONAL..CRITICAL, for per-level counts. */
int spy_level_index(spy_level l);

typedef struct spy_alert {
    spy_level level;
    char *module; /* slug */
    char *message;
    char *event_time; /* "" when none */
    json_t *event;    /* owned reference; NULL writes {} */
    bool has_match;
    char *ioc_value, *ioc_type, *ioc_name, *ioc_file; /* when has_match */
} spy_alert;

typedef struct spy_alert_list {
    spy_alert *v;
    size_t n, cap;
} spy_alert_list;

/* Appends a deep copy of the strings; takes a new reference to event. */
void spy_alert_list_add(spy_alert_list *l, const spy_alert *a);
void spy_alert_list_clear(spy_alert_list *l);

#endif
