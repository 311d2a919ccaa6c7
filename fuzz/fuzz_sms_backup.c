/* The SMS/MMS backup member parser (modules/android/sms_backup.c) on
 * arbitrary bytes: a zlib stream, or JSON when the bytes start with '['.
 * The first byte picks SMS or MMS dates, and a second pass deflates the
 * input so the JSON walk also sees it through the zlib path. */
#include "modules/android/sms_backup.h"

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int drop(json_t *rec, void *ud)
{
    (*(size_t *)ud)++;
    json_decref(rec);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0;
    spy_sms_stats st;
    bool mms = size > 0 && (data[0] & 1);
    spy_sms_backup_parse(data, size, mms, drop, &n, &st);
    if (size > 1 << 20)
        return 0;
    uLongf zlen = compressBound((uLong)size);
    Bytef *z = malloc(zlen ? zlen : 1);
    if (z && compress(z, &zlen, data, (uLong)size) == Z_OK)
        spy_sms_backup_parse(z, zlen, !mms, drop, &n, &st);
    free(z);
    return 0;
}
