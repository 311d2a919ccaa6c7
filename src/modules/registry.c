#include "modules/registry.h"

#include <string.h>

#define SPY_MODULE(sym) extern const spy_module sym;
#include "modules/module_list.h"
#undef SPY_MODULE

#define SPY_MODULE(sym) &sym,
const spy_module *const spy_builtin_modules[] = {
#include "modules/module_list.h"
    NULL};
#undef SPY_MODULE

size_t spy_modules_for(unsigned acq_mask, const spy_module **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; spy_builtin_modules[i]; i++)
        if ((spy_builtin_modules[i]->acquisitions & acq_mask) && n < max)
            out[n++] = spy_builtin_modules[i];
    return n;
}

const spy_module *spy_module_by_name(const char *name)
{
    for (size_t i = 0; spy_builtin_modules[i]; i++)
        if (strcmp(spy_builtin_modules[i]->name, name) == 0)
            return spy_builtin_modules[i];
    return NULL;
}
