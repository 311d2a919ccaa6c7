/* The decrypt -> inflate -> tar pipeline of an .ab on an in-memory payload:
 * the first byte says compressed (bit 0), encrypted (bit 1, a FIXED key
 * and IV: 0x11 x 32, 0x22 x 16), nothing cached (bit 2); the rest is the data stream. Every
 * listed member is read back, bounded. */
#include "acquire/android_backup_acq.h"

#include "core/error.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    spy_log_set_quiet(true);
    ab_acq *a = abk_acq_new("fuzz.ab");
    a->h.compressed = data[0] & 1;
    a->h.encrypted = (data[0] & 2) != 0;
    if (data[0] & 4)
        a->cache_budget = 0; /* every read re-streams */
    memset(a->keys.key, 0x11, sizeof a->keys.key);
    memset(a->keys.iv, 0x22, sizeof a->keys.iv);
    a->src = (abk_src){.fd = -1, .mem = data + 1, .size = size - 1};
    a->h.payload_off = 0;
    char *why = NULL;
    if (abk_acq_list(a, &why) == SPY_OK) {
        spy_acq acq = {
            .kind = SPY_ACQ_ANDROID_BACKUP, .path = "fuzz.ab", .impl = a, .ops = &abk_acq_ops};
        /* Last to first: every read restarts the stream. */
        for (size_t i = a->list->n; i-- > 0;) {
            spy_artifact art = {.path = a->list->m[i].path};
            void *buf = NULL;
            size_t len = 0;
            if (spy_acq_read(&acq, &art, 1u << 20, &buf, &len) == SPY_OK)
                free(buf);
        }
    }
    free(why);
    abk_acq_free(a);
    return 0;
}
