/* The table of built-in modules (src/modules/module_list.h names them). */
#ifndef SPY_REGISTRY_H
#define SPY_REGISTRY_H

#include "core/module.h"

/* NULL-terminated, in MVT's module order. */
extern const spy_module *const spy_builtin_modules[];

/* Modules applying to any of the kinds in mask, in table order; *n set. */
size_t spy_modules_for(unsigned acq_mask, const spy_module **out, size_t max);
const spy_module *spy_module_by_name(const char *name);

#endif
