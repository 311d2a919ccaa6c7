/* ConfigurationProfiles on arbitrary bytes as a profile-* stub
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_configuration_profiles)
