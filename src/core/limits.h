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
/* Acquisitions nested in one (an AndroidQF bug report, backup, intrusion logs). */
#define SPY_MAX_NESTED 4u

/* Bytes of a results file written between two requests to start writing
 * it to disk (outdir.c spy_writeback_note). */
#define SPY_WRITEBACK_BYTES (8u * 1024u * 1024u)

/* Timeline rows kept in memory before a sorted run is spilled to the output folder. */
#define SPY_TIMELINE_RUN_BYTES (8u * 1024u * 1024u)
/* Arena block a module's timeline rows are staged in and handed over in. */
#define SPY_TIMELINE_BLOCK_BYTES (64u * 1024u)
/* Write buffer of a run file or timeline.csv, and read buffer of each run
 * being merged (up to 64 at once). */
#define SPY_TIMELINE_IO_BYTES   (256u * 1024u)
#define SPY_TIMELINE_READ_BYTES (64u * 1024u)

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

/* ---- Encrypted iOS backups (acquire/ios_keybag.c, ios_crypt.c, core/evfs_aes.c) ---- */
/* A BackupKeyBag is ~1-2 KiB (a dozen class records of ~100 bytes). */
#define SPY_KEYBAG_MAX_BYTES (64u * 1024u)
/* Protection classes are 1-11; a record numbered beyond this is refused. */
#define SPY_KEYBAG_MAX_CLASS 31u
/* PBKDF2 counts read from the keybag: iOS writes ITER 10 000 and DPIC
 * 10 000 000 (a few seconds). Ceilings ~10x above, so a hostile keybag
 * cannot make spyscan spin for hours; 0 is refused too. */
#define SPY_KEYBAG_MAX_ITER (1000u * 1000u)
#define SPY_KEYBAG_MAX_DPIC (100u * 1000u * 1000u)
/* Salts are 20 bytes on every iOS seen; anything longer is not a keybag. */
#define SPY_KEYBAG_MAX_SALT 64u
/* Passwords read from a prompt, the environment or -p. */
#define SPY_MAX_PASSWORD_BYTES 1024u
/* ---- end of encrypted backup block ---- */

/* ---- AndroidQF modules (modules/android/aqf_*.c, core/tzconv.c) ---- */
/* Text members (getprop.txt, ps.txt, settings_*.txt, mounts.json...): a few
 * hundred KiB on real devices. */
#define SPY_AQF_MAX_TEXT_BYTES (64u * 1024u * 1024u)
/* packages.json: ~2 KiB a package, a few thousand packages. */
#define SPY_AQF_MAX_PACKAGES_BYTES (256u * 1024u * 1024u)
/* files.json: ~500 bytes an entry with all hashes; 400k entries ~ 200 MiB. */
#define SPY_AQF_MAX_FILES_BYTES (2048u * 1024u * 1024u)
/* TZif files are a few KiB; the largest zone is under 4 KiB. */
#define SPY_TZIF_MAX_BYTES (256u * 1024u)
/* ---- end of AndroidQF block ---- */

/* ---- Android acquisitions (src/acquire/android*.c) ---- */
/* Files listed in one acquisition (bug reports hold thousands of FS/ copies). */
#define SPY_ANDROID_MAX_MEMBERS 1000000u
/* Folder nesting walked; ZIP member names longer than this are refused. */
#define SPY_ANDROID_MAX_DEPTH    64u
#define SPY_ANDROID_MAX_NAME_LEN 4096u
/* The dumpstate text (real ones are 20-100 MiB). */
#define SPY_ANDROID_MAX_DUMPSTATE_BYTES (1024u * 1024u * 1024u)
/* A bug report nested in an AndroidQF ZIP, held in memory. */
#define SPY_ANDROID_MAX_NESTED_ZIP_BYTES (2048u * 1024u * 1024u)
/* Decompressed bytes read from one archive over a whole run, and the
 * expansion ratio beyond SPY_ANDROID_ZIP_RATIO_FLOOR bytes of output
 * (Deflate tops out near 1032:1, so only degenerate data comes close). */
#define SPY_ANDROID_ZIP_MAX_TOTAL   (16ull * 1024u * 1024u * 1024u)
#define SPY_ANDROID_ZIP_MAX_RATIO   1000u
#define SPY_ANDROID_ZIP_RATIO_FLOOR (8u * 1024u * 1024u)

/* Tombstones (modules/android/tombstone_*.c): text ones are ~100 KiB,
 * protobuf ones with memory dumps a few MiB. (The protobuf reader's nesting
 * is fixed by its code: at most 3 levels, Tombstone > causes > memory_error.) */
#define SPY_MAX_TOMBSTONE_BYTES (64u * 1024u * 1024u)

/* Dumpsys parsers (modules/android/parse_*.c, dumpsys_receivers.c): items a
 * parser holds before it can emit them (the daily updates it sorts, the
 * receiver mapping, the permissions and entries of one appops package,
 * the accessibility services). Real reports hold a few thousand (a
 * receiver table of a phone with many apps, ~20k); a held record costs up
 * to ~1 KiB in jansson, so this caps a hostile section near 100 MiB; items
 * beyond it are counted as skipped. */
#define SPY_DUMPSYS_MAX_HELD_ITEMS 100000u

#endif
