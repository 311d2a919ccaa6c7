/* The ZIP layer of the Android readers over memory: list the members (the
 * AndroidQF virtual top folder on), read every one bounded, then locate and
 * split the dumpstate text. No listed name may escape the archive, and no
 * read may return more than asked. */
#include "acquire/android_internal.h"
#include "core/error.h"
#include "core/log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const char *p)
{
    if (p[0] == '/' || !strncmp(p, "../", 3) || strstr(p, "/../") ||
        (strlen(p) >= 3 && !strcmp(p + strlen(p) - 3, "/..")))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spy_log_set_quiet(true);
    android_acq *a = andr_new(SPY_ACQ_ANDROID_BUGREPORT, "fuzz.zip");
    void *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    char *why = NULL;
    int err = andr_zip_open_mem(a, copy, size, "fuzz.zip");
    if (err == SPY_OK)
        err = andr_zip_list(a, "virtual/", &why);
    free(why);
    if (err == SPY_OK) {
        for (size_t i = 0; i < a->n; i++) {
            check_name(a->m[i].path);
            void *buf = NULL;
            size_t len = 0;
            if (andr_read(a, &a->m[i], 1u << 20, &buf, &len) == SPY_OK && len > (1u << 20))
                abort();
            free(buf);
        }
        spy_acq acq = {.kind = a->kind, .path = "fuzz.zip", .impl = a, .ops = &spy_android_ops};
        const char *body = NULL;
        size_t len = 0;
        spy_android_dumpsys(&acq, "package", &body, &len);
        spy_android_properties(&acq, &body, &len);
    }
    andr_free(a);
    return 0;
}
