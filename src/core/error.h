/* One error-code enum for the whole project: every fallible function returns
 * one of these; results come back through out-parameters. */
#ifndef SPY_ERROR_H
#define SPY_ERROR_H

typedef enum spy_err {
    SPY_OK = 0,
    SPY_ENOMEM,       /* allocation failed */
    SPY_EIO,          /* read/write/open failed (errno kept by the caller's message) */
    SPY_ENOTFOUND,    /* file, key or artifact absent */
    SPY_EFORMAT,      /* input is not of the expected format, or corrupt */
    SPY_ETRUNCATED,   /* input ends early */
    SPY_ELIMIT,       /* a ceiling of limits.h was reached */
    SPY_EUNSUPPORTED, /* well-formed but not something spyscan handles */
    SPY_EUSAGE,       /* bad option or argument */
    SPY_EPASSWORD,    /* wrong or missing password / key */
    SPY_EEXISTS,      /* refused to overwrite */
    SPY_EINTERNAL     /* a bug: an invariant did not hold */
} spy_err;

const char *spy_err_str(int err);

#endif
