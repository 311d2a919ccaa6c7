/* Reference lists of the Android heuristics (spec/android.md §5). */
#ifndef SPY_ANDROID_LISTS_H
#define SPY_ANDROID_LISTS_H

#include <stdbool.h>

/* §5.1, exact and case-sensitive. */
bool spy_android_root_package(const char *package);
/* §5.2: counts toward the log-only threshold of 10. */
bool spy_android_dangerous_permission(const char *permission);
#define SPY_ANDROID_DANGEROUS_PERMISSIONS_THRESHOLD 10

/* §5.3 */
#define SPY_ANDROID_PLAY_STORE "com.android.vending"
bool spy_android_third_party_store(const char *installer);
bool spy_android_browser_installer(const char *installer);
bool spy_android_security_package(const char *package);
bool spy_android_update_package(const char *package);

#endif
