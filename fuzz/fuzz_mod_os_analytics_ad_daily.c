/* OSAnalyticsADDaily on arbitrary bytes as com.apple.osanalytics.addaily.plist
 * (harness: fuzz_mod_common.h). */
#include "fuzz_mod_common.h"

FZ_MODULE_TARGET(spy_mod_os_analytics_ad_daily)
