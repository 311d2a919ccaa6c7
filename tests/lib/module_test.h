/* What the iOS module tests share (tests/unit/test_ios_*.c): building a
 * one-database backup from a fixture script, finding records, and exact
 * assertions on records, timeline rows and alerts. Every assertion fails
 * the running cmocka test with the key or value that differed. */
#ifndef SPY_MODULE_TEST_H
#define SPY_MODULE_TEST_H

#include "testutil.h"

#include "backup_fixture.h"
#include "module_harness.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* tests/fixtures/ios/<slug>/<file> read whole (free()); fails when missing. */
char *mt_fixture(const char *slug, const char *file);
/* Cuts sql at the first occurrence of marker and returns the tail (free()):
 * the rows a test moves into the database's -wal. Fails when absent. */
char *mt_split_wal(char *sql, const char *marker);

/* Info.plist naming iOS 17.5.1 on an iPhone14,2. */
void mt_info(bf_backup *b);
/* Info.plist holding only "Product Version". */
void mt_info_version(bf_backup *b, const char *version);
/* <root>/backup holding one database (sql, with wal_sql in its -wal when
 * not NULL) and an Info.plist of `version`. Returns the folder (free()). */
char *mt_db_backup(const char *root, const char *domain, const char *relpath, const char *sql,
                   const char *wal_sql, const char *version);

/* The i-th record (fails when there are not that many). */
const json_t *mt_rec(const mh_result *r, size_t i);
/* The record whose integer / string key equals v (fails when none). */
const json_t *mt_find(const json_t *arr, const char *key, long long v);
const json_t *mt_find_str(const json_t *arr, const char *key, const char *v);

/* o[key] is this string / this integer / null. */
void mt_str(const json_t *o, const char *key, const char *want);
void mt_int(const json_t *o, const char *key, long long want);
void mt_null(const json_t *o, const char *key);
/* o's keys, in order, joined by ','. */
void mt_keys(const json_t *o, const char *want);
/* o equals the JSON text want: same keys in the same order, equal values. */
void mt_equal(const json_t *o, const char *want_text);
/* v dumped compact in key order is exactly want. */
void mt_json(const json_t *v, const char *want);

/* Is there a timeline row with exactly these four fields? */
bool mt_timeline_has(const mh_result *r, const char *ts, const char *plugin, const char *event,
                     const char *desc);
/* Timeline row i has these fields (NULL: that field is not checked). */
void mt_row(const mh_result *r, size_t i, const char *ts, const char *plugin, const char *event,
            const char *desc);

/* ios check-iocs of a saved results folder with only module m, its
 * outputs parsed into *c (the re-check of what a run without indicators
 * saved). */
void mt_check_iocs(const spy_module *m, const char *saved_dir, const char *stix, mh_result *c);

/* A field of the i-th alert's matched_indicator, or NULL. */
const char *mt_match(const mh_result *r, size_t i, const char *key);
/* The only alert: this level and event time, a message containing
 * msg_part, matched by the indicator value of this type. */
void mt_one_alert(const mh_result *r, const char *level, const char *event_time,
                  const char *msg_part, const char *value, const char *type);
/* Same alerts (level, message, event_time, indicator value) in the same
 * order: check-iocs on saved results must find what the first run found. */
void mt_same_alerts(const mh_result *a, const mh_result *b);
/* The same for the CRITICAL alerts naming an indicator only: the matches
 * of modules whose heuristics (HIGH or lower) MVT computes while
 * extracting, so check-iocs cannot repeat them. (A heuristic alert whose
 * event was marked by a match names that indicator too.) */
void mt_same_match_alerts(const mh_result *a, const mh_result *b);
/* check-iocs ≡ check on one backup: m run with stix, and m run without
 * indicators then check-iocs of those results with stix, raise the same
 * alerts and end with the same findings code. Returns the alert count. */
size_t mt_check_iocs_same(const spy_module *m, const char *backup_dir, const char *stix);

#endif
