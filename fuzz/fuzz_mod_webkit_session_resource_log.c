/* WebkitSessionResourceLog on arbitrary bytes as a
 * full_browsing_session_resourceLog.plist
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_webkit_session_resource_log)
