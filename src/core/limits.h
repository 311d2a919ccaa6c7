/* Every ceiling in one place: a hostile input hits a limit, not the allocator. */
#ifndef SPY_LIMITS_H
#define SPY_LIMITS_H

/* Indicator files: the largest public bundle (stalkerware) is ~10 MiB. */
#define SPY_MAX_IOC_FILE_BYTES  (256u * 1024u * 1024u)
#define SPY_MAX_IOC_FILES       4096u
#define SPY_MAX_IOC_DIR_DEPTH   16u
#define SPY_MAX_IOC_VALUE_BYTES 4096u
#define SPY_MAX_PATTERN_BYTES   65536u
#define SPY_MAX_PATTERN_TERMS   64u
/* Profile ids are matched as substrings of indicators; index substrings of
 * indicators up to this length only. */
#define SPY_MAX_PROFILE_ID_BYTES 128u

/* JSON nesting accepted from indicator files and saved results. */
#define SPY_MAX_JSON_DEPTH 64u
/* Emitter nesting (records are shallow; this catches runaway recursion). */
#define SPY_MAX_EMIT_DEPTH 128u

/* URL splitter */
#define SPY_MAX_URL_BYTES 65536u

/* Run loop */
#define SPY_MAX_THREADS 16u
#define SPY_MAX_MODULES 256u

/* Timeline rows kept in memory before a sorted run is spilled to the output folder. */
#define SPY_TIMELINE_RUN_BYTES (8u * 1024u * 1024u)

/* ---- Evidence SQLite VFS and binary plists (evfs.c, bplist.c, nska.c) ---- */
/* Largest in-memory file the evidence VFS keeps for SQLite's own writes
 * (temp files, statement journals); a hostile query hits SQLITE_FULL. */
#define SPY_EVFS_MAX_MEMFILE_BYTES (256u * 1024u * 1024u)
/* wal-index regions are 32 KiB each and hold 4096 WAL frames; 8192 regions
 * cover a 32M-frame WAL (~128 GiB at 4 KiB pages), far beyond any device. */
#define SPY_EVFS_MAX_SHM_REGIONS 8192u
/* sqlite3_limit() ceilings for evidence connections ("Defense against the
 * dark arts"). Largest value: a string/blob in a row; device databases keep
 * attachments as files, so 128 MiB is generous. */
#define SPY_EVDB_MAX_LENGTH        (128 * 1024 * 1024)
#define SPY_EVDB_MAX_SQL_LENGTH    100000
#define SPY_EVDB_MAX_COLUMNS       2000
#define SPY_EVDB_MAX_EXPR_DEPTH    100
#define SPY_EVDB_MAX_COMPOUND      50
#define SPY_EVDB_MAX_VDBE_OPS      250000
#define SPY_EVDB_MAX_FUNCTION_ARGS 32
#define SPY_EVDB_MAX_LIKE_PATTERN  10000
#define SPY_EVDB_MAX_VARIABLES     10000
/* Binary plists. Manifest blobs are ~1 KiB; the largest device plists
 * (Info.plist with app icons) are tens of MiB. */
#define SPY_BPLIST_MAX_BYTES   (128u * 1024u * 1024u)
#define SPY_BPLIST_MAX_OBJECTS (4u * 1024u * 1024u)
/* Nesting of containers; keeps decoded values emittable (SPY_MAX_EMIT_DEPTH). */
#define SPY_BPLIST_MAX_DEPTH 64u
/* Values produced when expanding the object graph: shared objects are
 * expanded at every use, so a DAG of 2 refs per level would double per level. */
#define SPY_BPLIST_MAX_NODES (2u * 1024u * 1024u)
/* ...and at most this many values per input byte (plus 4096): writers share
 * only scalars, so real plists expand to fewer values than they have bytes;
 * a small hostile DAG hits this long before SPY_BPLIST_MAX_NODES. */
#define SPY_BPLIST_NODES_PER_BYTE 4u
/* Bytes of decoded strings and data in one decode. */
#define SPY_BPLIST_MAX_OUTPUT_BYTES (256u * 1024u * 1024u)
/* NSKeyedArchiver: nesting of resolved objects. */
#define SPY_NSKA_MAX_DEPTH 64u
/* ---- end of evidence VFS / plist block ---- */

#endif
