/* Every ceiling in one place: a hostile input hits a limit, not the allocator. */
#ifndef SPY_LIMITS_H
#define SPY_LIMITS_H

/* Indicator files: the largest public bundle (stalkerware) is ~10 MiB. */
#define SPY_MAX_IOC_FILE_BYTES      (256u * 1024u * 1024u)
#define SPY_MAX_IOC_FILES           4096u
#define SPY_MAX_IOC_DIR_DEPTH       16u
#define SPY_MAX_IOC_VALUE_BYTES     4096u
#define SPY_MAX_PATTERN_BYTES       65536u
#define SPY_MAX_PATTERN_TERMS       64u
/* Profile ids are matched as substrings of indicators; index substrings of
 * indicators up to this length only. */
#define SPY_MAX_PROFILE_ID_BYTES    128u

/* JSON nesting accepted from indicator files and saved results. */
#define SPY_MAX_JSON_DEPTH          64u
/* Emitter nesting (records are shallow; this catches runaway recursion). */
#define SPY_MAX_EMIT_DEPTH          128u

/* URL splitter */
#define SPY_MAX_URL_BYTES           65536u

/* Run loop */
#define SPY_MAX_THREADS             16u
#define SPY_MAX_MODULES             256u

/* Timeline rows kept in memory before a sorted run is spilled to the output folder. */
#define SPY_TIMELINE_RUN_BYTES      (32u * 1024u * 1024u)

#endif
