/* iOS version and device-model data (spec/ios.md §8): the build → version
 * table and the model identifiers MVT ships, and the lookups BackupInfo
 * needs (marketing name of `Product Type`, the "outdated iOS" test). */
#ifndef SPY_MOD_IOS_DATA_H
#define SPY_MOD_IOS_DATA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct spy_ios_build {
    const char *version;
    const char *build;
} spy_ios_build;

typedef struct spy_ios_model {
    const char *identifier;
    const char *description;
} spy_ios_model;

/* In file order (ios_data_tables.c, generated from the spec's appendices). */
extern const spy_ios_build SPY_IOS_BUILDS[];
extern const size_t SPY_IOS_NBUILDS;
extern const spy_ios_model SPY_IOS_MODELS[];
extern const size_t SPY_IOS_NMODELS;

/* The version of the first entry whose build equals build upper-cased
 * (MVT quirk kept: lower-case build suffixes never match); NULL if unknown. */
const char *spy_ios_version_by_build(const char *build);
/* The marketing name of a model identifier ("iPhone14,2"), NULL if unknown. */
const char *spy_ios_model_name(const char *identifier);
/* The newest version of the table (its last entry). */
const char *spy_ios_latest_version(void);
/* MVT's is_outdated: a value without '.' is a build and is translated first
 * (unknown → false); then numeric comparison with the latest version
 * (16.3 < 16.10 < 26.6.1; missing components count as 0). Unparsable → false. */
bool spy_ios_is_outdated(const char *version);

#endif
