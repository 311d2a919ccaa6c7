#include "modules/android/resolver_table.h"

#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct walk {
    const spy_resolver_cbs *cbs;
    void *ud;
    char *intent; /* the open action, or NULL */
} walk;

static int open_intent(walk *w, char *intent)
{
    free(w->intent);
    w->intent = intent;
    return w->cbs->intent ? w->cbs->intent(w->ud, intent) : 0;
}

/* One line of the Non-Data Actions part (not blank). */
static int on_line(walk *w, spy_text line)
{
    size_t indent = spy_text_indent(line);
    spy_text t = spy_text_strip(line);
    if (indent >= 6 && indent < 8 && spy_text_find(line, ":", 0) >= 0)
        return open_intent(w, spy_text_dup_without(t, ':'));
    /* a lone token: a mis-indented header when it ends in ':', else an
     * entry without a component (skipped) */
    if (spy_text_count_fields(t, " ") == 1 &&
        (w->cbs->lone_headers_anywhere || (w->intent && indent >= 8)))
        return spy_text_ends(t, ":") ? open_intent(w, spy_text_dup_without(t, ':')) : 0;
    if (!w->intent)
        return 0;
    if (indent < 8) {
        free(w->intent);
        w->intent = NULL;
        return 0;
    }
    spy_text rest = t, hash, component, package, after;
    spy_text_field(&rest, " ", &hash);
    spy_text_field(&rest, " ", &component);
    spy_text_partition(component, "/", &package, &after);
    return w->cbs->entry(w->ud, w->intent, component, package);
}

int spy_resolver_table_parse(const char *text, size_t len, const char *table,
                             const spy_resolver_cbs *cbs, void *ud)
{
    char *header = spy_xasprintf("%s Resolver Table:", table);
    walk w = {cbs, ud, NULL};
    bool in_table = false, in_actions = false;
    int rc = 0;
    spy_lines it;
    spy_text line;
    spy_lines_init(&it, text, len);
    while (rc == 0 && spy_lines_next(&it, &line)) {
        if (spy_text_starts(line, header)) {
            in_table = true;
            continue;
        }
        if (!in_table)
            continue;
        if (spy_text_starts(line, "  Non-Data Actions:")) {
            in_actions = true;
            continue;
        }
        if (!in_actions)
            continue;
        if (spy_text_strip(line).n == 0)
            break;
        rc = on_line(&w, line);
    }
    free(w.intent);
    free(header);
    return rc;
}
