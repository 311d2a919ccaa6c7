/* Fuzz target: the resolver-table walk of dumpsys package (spec/android.md
 * §4.2, §4.10). The first byte selects the table and the header rule:
 * even = Activity (lone headers only where an entry was expected), odd =
 * Receiver (lone headers anywhere). Entries must lie inside the input and
 * come under an open action. */
#include "fuzz_dumpsys_common.h"
#include "modules/android/resolver_table.h"

typedef struct state {
    const char *base;
    size_t len;
    size_t intents;
} state;

static void inside(const state *s, spy_text t)
{
    if (t.n && (t.p < s->base || t.n > s->len || (size_t)(t.p - s->base) > s->len - t.n))
        abort();
}

static int on_intent(void *ud, const char *intent)
{
    state *s = ud;
    if (!intent)
        abort();
    s->intents++;
    return 0;
}

static int on_entry(void *ud, const char *intent, spy_text component, spy_text package)
{
    state *s = ud;
    if (!intent || package.n > component.n)
        abort();
    inside(s, component);
    inside(s, package);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool receivers = data[0] & 1;
    char *buf = fd_copy(data + 1, size - 1);
    if (!buf)
        return 0;
    state s = {buf, size - 1, 0};
    spy_resolver_cbs cbs = {on_intent, on_entry, receivers};
    spy_resolver_table_parse(buf, size - 1, receivers ? "Receiver" : "Activity", &cbs, &s);
    free(buf);
    return 0;
}
