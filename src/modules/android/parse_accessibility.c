/* dumpsys accessibility (spec/android.md §4.1). Two syntaxes, both always
 * read: Android ≤13 lists "installed services:" one per line as
 * "<index> : <package>/<component>" up to a lone "}"; Android 14+ prints
 * "Enabled services:{{pkg/cls}, {pkg/cls}}". */
#include "modules/android/dumpsys_parse.h"
#include "modules/android/pytext.h"

static json_t *make_record(spy_text package, spy_text service)
{
    json_t *rec = json_object();
    json_object_set_new_nocheck(rec, "package_name", spy_text_json(package));
    json_object_set_new_nocheck(rec, "service", spy_text_json(service));
    return rec;
}

static int installed_services(const char *text, size_t len, spy_record_cb cb, void *ud)
{
    spy_lines it;
    spy_text line;
    bool in_services = false;
    spy_lines_init(&it, text, len);
    while (spy_lines_next(&it, &line)) {
        spy_text t = spy_text_strip(line);
        if (spy_text_starts(t, "installed services:")) {
            in_services = true; /* a repeated header is not a service */
            continue;
        }
        if (!in_services)
            continue;
        if (spy_text_eq(t, "}"))
            break;
        spy_text idx, service, package, rest;
        /* MVT stops with an error on a line without ':'; skip it instead */
        if (!spy_text_partition(line, ":", &idx, &service))
            continue;
        service = spy_text_strip(service);
        spy_text_partition(service, "/", &package, &rest);
        int rc = cb(make_record(package, service), ud);
        if (rc)
            return rc;
    }
    return 0;
}

/* Each match of \{([^{]+?)\} in the line, in order. */
static int enabled_groups(spy_text line, spy_record_cb cb, void *ud)
{
    size_t i = 0;
    while (i < line.n) {
        if (line.p[i] != '{' || i + 1 >= line.n || line.p[i + 1] == '{') {
            i++;
            continue;
        }
        size_t k = i + 2;
        while (k < line.n && line.p[k] != '}' && line.p[k] != '{')
            k++;
        if (k >= line.n || line.p[k] == '{') {
            i++;
            continue;
        }
        spy_text group = spy_text_sub(line, i + 1, k), package, service;
        spy_text_partition(group, "/", &package, &service);
        int rc = cb(make_record(package, service), ud);
        if (rc)
            return rc;
        i = k + 1;
    }
    return 0;
}

int spy_parse_accessibility(const char *text, size_t len, spy_record_cb cb, void *ud)
{
    int rc = installed_services(text, len, cb, ud);
    if (rc)
        return rc;
    spy_lines it;
    spy_text line;
    spy_lines_init(&it, text, len);
    while (spy_lines_next(&it, &line)) {
        if (spy_text_starts(spy_text_strip(line), "Enabled services:") &&
            (rc = enabled_groups(line, cb, ud)) != 0)
            return rc;
    }
    return 0;
}
