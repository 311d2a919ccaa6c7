/* Every built-in module, once, in run order (MVT's order within each
 * acquisition kind). Adding a module: one file exporting
 * `const spy_module spy_mod_<x>`, plus one line here. */
/* SPY_MODULE(spy_mod_example) */
