#include "modules/android/mount_lines.h"

#include "modules/android/br_text.h"

#include <stdbool.h>
#include <string.h>

static const char *const SYSTEM_MOUNTS[] = {"/system", "/vendor", "/product", "/system_ext", NULL};

static const char *find(br_span s, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= s.n; i++)
        if (memcmp(s.p + i, needle, n) == 0)
            return s.p + i;
    return NULL;
}

static json_t *str(br_span s)
{
    return json_stringn_nocheck(s.p, s.n);
}

static json_t *options_list(br_span opts)
{
    json_t *list = json_array();
    const char *p = opts.p, *end = opts.p + opts.n;
    while (p <= end && opts.n) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        br_span o = br_trim((br_span){p, (size_t)(e - p)});
        if (o.n)
            json_array_append_new(list, str(o));
        if (!comma)
            break;
        p = comma + 1;
    }
    return list;
}

json_t *spy_mount_line(const char *text, size_t len)
{
    br_span line = br_trim((br_span){text, len});
    const char *on = find(line, " on ");
    if (!on || !find(line, " type "))
        return NULL;
    br_span device = br_trim((br_span){line.p, (size_t)(on - line.p)});
    br_span rest = {on + 4, (size_t)(line.p + line.n - (on + 4))};
    const char *type = find(rest, " type ");
    if (!type) /* " type " only before " on " */
        return NULL;
    br_span mp = br_trim((br_span){rest.p, (size_t)(type - rest.p)});
    br_span fs = {type + 6, (size_t)(rest.p + rest.n - (type + 6))};
    br_span opts = {fs.p, 0};
    const char *paren = fs.n ? memchr(fs.p, '(', fs.n) : NULL;
    if (paren && fs.p[fs.n - 1] == ')') {
        br_span all = br_trim(fs);
        paren = memchr(all.p, '(', all.n);
        opts = br_trim((br_span){paren + 1, (size_t)(all.p + all.n - 1 - (paren + 1))});
        fs = br_trim((br_span){all.p, (size_t)(paren - all.p)});
    } else {
        fs = br_trim(fs);
    }
    if (!device.n || !mp.n || !fs.n)
        return NULL;
    json_t *list = options_list(opts);
    bool system = false;
    for (size_t i = 0; SYSTEM_MOUNTS[i]; i++)
        system = system || br_starts(mp, SYSTEM_MOUNTS[i]);
    bool rw = false;
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) rw = rw || strcmp(json_string_value(o), "rw") == 0;
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "device", str(device));
    json_object_set_new_nocheck(rec, "mount_point", str(mp));
    json_object_set_new_nocheck(rec, "filesystem_type", str(fs));
    json_object_set_new_nocheck(rec, "mount_options", str(opts));
    json_object_set_new_nocheck(rec, "options_list", list);
    json_object_set_new_nocheck(rec, "is_system_partition", json_boolean(system));
    json_object_set_new_nocheck(rec, "is_read_write", json_boolean(rw));
    return rec;
}

size_t spy_mount_lines(const char *text, size_t len, void (*cb)(json_t *rec, void *ud), void *ud)
{
    const char *cur = text, *end = text + len;
    br_span line;
    size_t n = 0;
    while (br_next_line(&cur, end, &line)) {
        json_t *rec = spy_mount_line(line.p, line.n);
        if (rec) {
            n++;
            cb(rec, ud);
        }
    }
    return n;
}
