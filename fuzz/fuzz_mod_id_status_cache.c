/* IDStatusCache on arbitrary bytes as the idstatuscache plist
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_id_status_cache)
