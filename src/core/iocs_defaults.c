/* The implicit indicator sources of design.md §4 / spec/iocs.md §2: the
 * downloaded folder, then SPYSCAN_IOCS and MVT_STIX2. Every problem here is
 * a warning: a stale environment variable must not stop a scan. */
#include "core/error.h"
#include "core/iocs_internal.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/* Downloaded files: name ends with ".stix2", any case (MVT's rule). */
static bool want_downloaded(const char *name)
{
    return ends_with_ci(name, ".stix2");
}
/* Folders named in the environment: MVT globs "**" "/" "*.stix2" (case-sensitive). */
static bool want_env_tree(const char *name)
{
    return ends_with(name, ".stix2");
}

static void load_downloaded(spy_iocs *set, const char *xdg, const char *home)
{
    char *dir;
    if (xdg && *xdg)
        dir = spy_xasprintf("%s/spyscan/indicators", xdg);
    else {
        if (!home || !*home)
            return;
        dir = spy_xasprintf("%s/.local/share/spyscan/indicators", home);
    }
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        spy_iocs_load_tree(set, dir, want_downloaded, false);
    else
        spy_debug(SPY_IOCS_LOGGER, "No downloaded indicators at %s", dir);
    free(dir);
}

static void load_env_path(spy_iocs *set, const char *var, const char *p)
{
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && ends_with_ci(p, ".stix2")) {
        (void)spy_iocs_load_stix2_file(set, p); /* failures logged as warnings */
    } else if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
        spy_iocs_load_tree(set, p, want_env_tree, true);
    } else {
        spy_error(SPY_IOCS_LOGGER, "Path specified with env %s is not a valid path: '%s'", var, p);
    }
}

static void load_env(spy_iocs *set, const char *var, const char *v)
{
    if (!v || !*v)
        return;
    char *copy = spy_xstrdup(v);
    char *p = copy;
    for (;;) {
        char *colon = strchr(p, ':');
        if (colon)
            *colon = '\0';
        if (*p)
            load_env_path(set, var, p);
        if (!colon)
            break;
        p = colon + 1;
    }
    free(copy);
}

int spy_iocs_load_defaults_env(spy_iocs *set, const spy_iocs_env *env)
{
    if (!set || set->finalized)
        return SPY_EINTERNAL;
    int saved = set->fail_level;
    set->fail_level = SPY_LOG_WARNING;
    load_downloaded(set, env->xdg_data_home, env->home);
    load_env(set, "SPYSCAN_IOCS", env->spyscan_iocs);
    load_env(set, "MVT_STIX2", env->mvt_stix2);
    set->fail_level = saved;
    return SPY_OK;
}

int spy_iocs_load_defaults(spy_iocs *set)
{
    spy_iocs_env env = {getenv("XDG_DATA_HOME"), getenv("HOME"), getenv("SPYSCAN_IOCS"),
                        getenv("MVT_STIX2")};
    return spy_iocs_load_defaults_env(set, &env);
}
