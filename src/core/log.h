/* Logging. Console lines go to stderr as "<LABEL padded to 14> [logger] msg"
 * (spec/outputs.md §6.2); command.log gets every record at DEBUG as
 * "<local time,ms> - <logger> - <LEVEL> - <message>" (§3.7).
 *
 * Worker threads running a module capture their records in a spy_logcap;
 * the run loop replays captures in module order, so the console and
 * command.log read the same whatever the thread scheduling (design.md §6). */
#ifndef SPY_LOG_H
#define SPY_LOG_H

#include "core/alert.h"

#include <stdbool.h>
#include <stdio.h>

typedef enum spy_log_level {
    SPY_LOG_DEBUG = 10,
    SPY_LOG_INFO = 20,
    SPY_LOG_WARNING = 30,
    SPY_LOG_ERROR = 40,
    SPY_LOG_CRITICAL = 50
} spy_log_level;

void spy_log(spy_log_level level, const char *logger, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An alert line: console label "<LEVEL> ALERT", command.log level name as
 * MVT's (INFO, LOW, MEDIUM, HIGH, CRITICAL). */
void spy_log_alert(spy_level level, const char *logger, const char *message);

#define spy_debug(logger, ...) spy_log(SPY_LOG_DEBUG, logger, __VA_ARGS__)
#define spy_info(logger, ...)  spy_log(SPY_LOG_INFO, logger, __VA_ARGS__)
#define spy_warn(logger, ...)  spy_log(SPY_LOG_WARNING, logger, __VA_ARGS__)
#define spy_error(logger, ...) spy_log(SPY_LOG_ERROR, logger, __VA_ARGS__)

/* Console threshold (INFO by default, DEBUG with -v); quiet drops all but
 * errors (tests). */
void spy_log_set_verbose(bool verbose);
void spy_log_set_quiet(bool quiet);
/* Console stream (stderr by default; tests may pass a memstream). */
void spy_log_set_console(FILE *f);
/* command.log sink: an fd receiving every record (or -1 to stop). Records
 * kept since spy_log_keep_backlog() are written to it first. */
void spy_log_set_file_fd(int fd);
/* Keeps records in memory until spy_log_set_file_fd() (a command logs
 * before its output folder can be opened). */
void spy_log_keep_backlog(void);
/* Counts of records logged at WARNING and at ERROR or above. */
unsigned long spy_log_warning_count(void);
unsigned long spy_log_error_count(void);

typedef struct spy_logcap spy_logcap;
spy_logcap *spy_logcap_new(void);
/* Routes this thread's records into cap until spy_logcap_end(). */
void spy_logcap_begin(spy_logcap *cap);
void spy_logcap_end(void);
/* Writes captured records to the sinks (caller: the run loop, in order). */
void spy_logcap_replay(spy_logcap *cap);
void spy_logcap_free(spy_logcap *cap);

#endif
