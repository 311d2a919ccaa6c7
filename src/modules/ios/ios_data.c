#include "modules/ios/ios_data.h"

#include <ctype.h>
#include <string.h>

#define BUILD_MAX 32 /* the longest real build is 8 characters */

const char *spy_ios_version_by_build(const char *build)
{
    char up[BUILD_MAX];
    size_t n = build ? strlen(build) : 0;
    if (n == 0 || n >= sizeof up)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)build[i]);
    for (size_t i = 0; i < SPY_IOS_NBUILDS; i++)
        if (strcmp(SPY_IOS_BUILDS[i].build, up) == 0)
            return SPY_IOS_BUILDS[i].version;
    return NULL;
}

const char *spy_ios_model_name(const char *identifier)
{
    for (size_t i = 0; identifier && i < SPY_IOS_NMODELS; i++)
        if (strcmp(SPY_IOS_MODELS[i].identifier, identifier) == 0)
            return SPY_IOS_MODELS[i].description;
    return NULL;
}

const char *spy_ios_latest_version(void)
{
    return SPY_IOS_BUILDS[SPY_IOS_NBUILDS - 1].version;
}

/* Next dot-separated decimal component of *p into *out; false when the
 * text is not "N(.N)*" (PEP 440 pre/post-release tags are not iOS versions). */
static bool next_component(const char **p, unsigned long *out)
{
    const char *s = *p;
    unsigned long v = 0;
    if (!isdigit((unsigned char)*s))
        return false;
    for (; isdigit((unsigned char)*s); s++) {
        if (v > 100000000ul)
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    if (*s == '.' && s[1] != '\0')
        s++;
    else if (*s != '\0')
        return false;
    *out = v;
    *p = s;
    return true;
}

/* -1, 0, 1 like strcmp; 2 when either is not a version. */
static int version_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        unsigned long x = 0, y = 0;
        if ((*a && !next_component(&a, &x)) || (*b && !next_component(&b, &y)))
            return 2;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

bool spy_ios_is_outdated(const char *version)
{
    if (!version || !*version)
        return false;
    if (!strchr(version, '.')) {
        version = spy_ios_version_by_build(version);
        if (!version)
            return false;
    }
    return version_cmp(version, spy_ios_latest_version()) == -1;
}
