/* settings_<namespace>.txt ("key=value" lines) and namespace names. */
#include "core/mem.h"
#include "modules/android/aqf_util.h"
#include "modules/android/settings_txt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = spy_xmalloc(size + 1);
    memcpy(text, data, size);
    size_t len = spy_utf8_drop_invalid(text, size); /* as the module does */
    text[len] = '\0';
    json_t *ns = json_object();
    spy_settings_parse(text, len, ns);
    json_decref(ns);
    free(spy_settings_namespace(text));
    free(text);
    return 0;
}
