/* The check commands as the session runs them: which acquisition reader,
 * which module kinds. The CLI and the tests use the same definitions. */
#ifndef SPY_COMMANDS_H
#define SPY_COMMANDS_H

#include "core/session.h"

extern const spy_check_cmd spy_cmd_ios_check_backup;
extern const spy_check_cmd spy_cmd_ios_check_iocs;
extern const spy_check_cmd spy_cmd_android_check_iocs;
/* Defined with the Android readers (issue #6). */
extern const spy_check_cmd spy_cmd_android_check_bugreport;
extern const spy_check_cmd spy_cmd_android_check_androidqf;
/* commands_android_backup.c (issue #7). */
extern const spy_check_cmd spy_cmd_android_check_backup;
extern const spy_check_cmd spy_cmd_android_check_intrusion_logs;

#endif
