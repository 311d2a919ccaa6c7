/* `ps -A` output as AndroidQF saves it (ps.txt, or processes.txt when its
 * on-device collector is unavailable), spec/android.md §4.15. */
#ifndef SPY_PS_TEXT_H
#define SPY_PS_TEXT_H

#include <jansson.h>
#include <stddef.h>

/* One AQFProcesses record per process line (the header line skipped),
 * handed to cb (which owns it). Lines too short or with a non-numeric
 * PID/PPID/VSZ/RSS, which make MVT fail, are counted in *bad and skipped.
 * Returns the number of records. */
size_t spy_ps_parse(const char *text, size_t len, void (*cb)(json_t *rec, void *ud), void *ud,
                    size_t *bad);

#endif
