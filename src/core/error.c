#include "core/error.h"

const char *spy_err_str(int err)
{
    switch ((spy_err)err) {
    case SPY_OK: return "success";
    case SPY_ENOMEM: return "out of memory";
    case SPY_EIO: return "input/output error";
    case SPY_ENOTFOUND: return "not found";
    case SPY_EFORMAT: return "invalid or corrupt format";
    case SPY_ETRUNCATED: return "truncated";
    case SPY_ELIMIT: return "size or depth limit exceeded";
    case SPY_EUNSUPPORTED: return "unsupported";
    case SPY_EUSAGE: return "usage error";
    case SPY_EPASSWORD: return "wrong or missing password";
    case SPY_EEXISTS: return "already exists";
    case SPY_EINTERNAL: return "internal error";
    }
    return "unknown error";
}
