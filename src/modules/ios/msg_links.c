#include "modules/ios/msg_links.h"

#include "core/mem.h"
#include "core/module.h"

#include <string.h>

typedef struct links_ud {
    json_t *arr;
    bool dedup;
} links_ud;

static bool add_link(const char *p, size_t n, void *ud)
{
    links_ud *l = ud;
    if (l->dedup) {
        size_t i;
        json_t *v;
        json_array_foreach(l->arr, i, v)
        {
            if (json_string_length(v) == n && memcmp(json_string_value(v), p, n) == 0)
                return true;
        }
    }
    json_array_append_new(l->arr, json_stringn_nocheck(p, n));
    return true;
}

void msg_links_append(json_t *arr, const char *text, size_t len, bool dedup)
{
    links_ud l = {arr, dedup};
    spy_links_extract(text, len, add_link, &l);
}

json_t *msg_record_links(const json_t *rec, const char *text_key)
{
    json_t *links = json_object_get(rec, "links");
    if (json_is_array(links) && (json_array_size(links) > 0 || !text_key))
        return json_incref(links);
    json_t *out = json_array();
    const json_t *text = text_key ? json_object_get(rec, text_key) : NULL;
    if (json_is_string(text))
        msg_links_append(out, json_string_value(text), json_string_length(text), false);
    return out;
}

void msg_check_links(struct spy_mod_ctx *ctx, const json_t *links, const char *event_time)
{
    size_t i;
    json_t *v;
    json_array_foreach(links, i, v)
    {
        if (json_is_string(v) &&
            spy_check_ioc(ctx, SPY_CHECK_URL, json_string_value(v), event_time, NULL))
            return;
    }
}
