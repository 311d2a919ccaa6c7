/* Applications on arbitrary bytes as the backup's Info.plist (Applications with
 * iTunesMetadata blobs) and as a dump's iTunesMetadata.plist
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_applications)
