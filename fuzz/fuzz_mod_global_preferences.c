/* GlobalPreferences on arbitrary bytes as .GlobalPreferences.plist
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_global_preferences)
