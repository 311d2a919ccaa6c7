/* ProfileEvents on arbitrary bytes as MCProfileEvents.plist
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_profile_events)
