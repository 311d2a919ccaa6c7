/* TZif zone files and the POSIX TZ rule of their footer. */
#include "core/mem.h"
#include "core/tzconv.h"
#include "core/tzrule.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t when[] = {INT32_MIN,     -1, 0, 1709290800, 2145916800, 4102444800LL,
                                   253402300799LL};
    spy_tz *tz = NULL;
    if (spy_tz_parse(data, size, &tz) == 0) {
        /* the cached lookup gives the plain one's offsets, forwards and back */
        spy_tz_cache c = {0};
        size_t n = sizeof when / sizeof when[0];
        for (size_t i = 0; i < 2 * n; i++) {
            int64_t t = when[i < n ? i : 2 * n - 1 - i] + (i & 1);
            if (spy_tz_offset_cached(tz, &c, t) != spy_tz_offset(tz, t))
                abort();
        }
        spy_tz_free(tz);
    }
    char *s = spy_xmalloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    spy_tzrule r;
    if (spy_tzrule_parse(s, &r))
        for (size_t i = 0; i < sizeof when / sizeof when[0]; i++)
            (void)spy_tzrule_offset(&r, when[i]);
    free(s);
    return 0;
}
