#include "acquire/acq.h"

#include "core/error.h"
#include "core/mem.h"

#include <stdlib.h>

void spy_artifacts_add(spy_artifacts *l, const char *domain, const char *path, const char *file_id,
                       int flags)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = spy_xreallocarray(l->v, l->cap, sizeof *l->v);
    }
    spy_artifact *a = &l->v[l->n++];
    a->domain = domain ? spy_xstrdup(domain) : NULL;
    a->path = spy_xstrdup(path ? path : "");
    a->file_id = file_id ? spy_xstrdup(file_id) : NULL;
    a->flags = flags;
    a->mtime = NULL;
    a->label = domain ? spy_xasprintf("%s/%s", domain, a->path) : spy_xstrdup(a->path);
}

void spy_artifacts_free(spy_artifacts *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].domain);
        free(l->v[i].path);
        free(l->v[i].file_id);
        free(l->v[i].label);
        free(l->v[i].mtime);
    }
    free(l->v);
    *l = (spy_artifacts){0};
}

int spy_acq_find(const spy_acq *a, const spy_query *q, spy_artifacts *out)
{
    return a->ops && a->ops->find ? a->ops->find(a, q, out) : SPY_EUNSUPPORTED;
}

int spy_acq_open_db(const spy_acq *a, const spy_artifact *art, sqlite3 **db)
{
    return a->ops && a->ops->open_db ? a->ops->open_db(a, art, db) : SPY_EUNSUPPORTED;
}

int spy_acq_read(const spy_acq *a, const spy_artifact *art, size_t max, void **buf, size_t *len)
{
    return a->ops && a->ops->read ? a->ops->read(a, art, max, buf, len) : SPY_EUNSUPPORTED;
}

void spy_acq_close(spy_acq *a)
{
    if (a->ops && a->ops->close)
        a->ops->close(a);
    a->impl = NULL;
}
