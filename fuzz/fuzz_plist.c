/* Property lists of either kind (core/plist.c): the XML depth check and
 * libplist, or the binary reader. Backup Info.plist files come from the
 * analyst's or owner's computer and are untrusted. */
#include "core/plist.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = NULL;
    char *why = NULL;
    spy_plist_parse(data, size, &v, &why);
    json_decref(v);
    free(why);
    return 0;
}
