/* An acquisition: what a check command was pointed at. Modules never build
 * paths; they ask the acquisition for artifacts (design.md §2). The readers
 * of src/acquire/ (iOS backup, filesystem, Android archives) implement the
 * ops; check-iocs and tests use acquisitions without artifacts. */
#ifndef SPY_ACQ_H
#define SPY_ACQ_H

typedef enum spy_acq_kind {
    SPY_ACQ_IOS_BACKUP = 1u << 0,
    SPY_ACQ_IOS_FS = 1u << 1,
    SPY_ACQ_IOS_SYSDIAGNOSE = 1u << 2,
    SPY_ACQ_ANDROID_BUGREPORT = 1u << 3,
    SPY_ACQ_ANDROIDQF = 1u << 4,
    SPY_ACQ_ANDROID_BACKUP = 1u << 5,
    SPY_ACQ_ANDROID_INTRUSION_LOGS = 1u << 6,
    SPY_ACQ_TEST = 1u << 15 /* the test suite's own acquisitions */
} spy_acq_kind;

#define SPY_ACQ_IOS_ANY (SPY_ACQ_IOS_BACKUP | SPY_ACQ_IOS_FS | SPY_ACQ_IOS_SYSDIAGNOSE)

typedef struct spy_acq {
    spy_acq_kind kind;
    const char *path;  /* as given on the command line */
    void *impl;        /* the reader's own state */
} spy_acq;

#endif
