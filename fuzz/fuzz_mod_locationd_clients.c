/* LocationdClients on arbitrary bytes as locationd's clients.plist
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_locationd_clients)
