/* BackupInfo on arbitrary bytes as the backup's Info.plist
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_backup_info)
