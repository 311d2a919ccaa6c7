#include "modules/android/android_lists.h"

#include <stddef.h>
#include <string.h>

static bool in_list(const char *const *list, const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static const char *const root_packages[] = {"com.noshufou.android.su",
                                            "com.noshufou.android.su.elite",
                                            "eu.chainfire.supersu",
                                            "com.koushikdutta.superuser",
                                            "com.thirdparty.superuser",
                                            "com.yellowes.su",
                                            "com.koushikdutta.rommanager",
                                            "com.koushikdutta.rommanager.license",
                                            "com.dimonvideo.luckypatcher",
                                            "com.chelpus.lackypatch",
                                            "com.ramdroid.appquarantine",
                                            "com.ramdroid.appquarantinepro",
                                            "com.devadvance.rootcloak",
                                            "com.devadvance.rootcloakplus",
                                            "de.robv.android.xposed.installer",
                                            "com.saurik.substrate",
                                            "com.zachspong.temprootremovejb",
                                            "com.amphoras.hidemyroot",
                                            "com.amphoras.hidemyrootadfree",
                                            "com.formyhm.hiderootPremium",
                                            "com.formyhm.hideroot",
                                            "me.phh.superuser",
                                            "eu.chainfire.supersu.pro",
                                            "com.kingouser.com",
                                            "com.topjohnwu.magisk",
                                            NULL};

static const char *const dangerous_permissions[] = {
    "android.permission.ACCESS_COARSE_LOCATION",
    "android.permission.ACCESS_FINE_LOCATION",
    "android.permission.AUTHENTICATE_ACCOUNTS",
    "android.permission.CAMERA",
    "android.permission.DISABLE_KEYGUARD",
    "android.permission.PROCESS_OUTGOING_CALLS",
    "android.permission.READ_CALENDAR",
    "android.permission.READ_CALL_LOG",
    "android.permission.READ_CONTACTS",
    "android.permission.READ_PHONE_STATE",
    "android.permission.READ_SMS",
    "android.permission.RECEIVE_MMS",
    "android.permission.RECEIVE_SMS",
    "android.permission.RECEIVE_WAP_PUSH",
    "android.permission.RECORD_AUDIO",
    "android.permission.SEND_SMS",
    "android.permission.SYSTEM_ALERT_WINDOW",
    "android.permission.USE_CREDENTIALS",
    "android.permission.USE_SIP",
    "com.android.browser.permission.READ_HISTORY_BOOKMARKS",
    NULL};

static const char *const third_party_stores[] = {"com.aurora.store", "org.fdroid.fdroid", NULL};
static const char *const browser_installers[] = {"com.google.android.packageinstaller",
                                                 "com.android.packageinstaller", NULL};
static const char *const security_packages[] = {"com.policydm", "com.samsung.android.app.omcagent",
                                                "com.samsung.android.securitylogagent",
                                                "com.sec.android.soagent", NULL};
static const char *const update_packages[] = {"com.android.updater",
                                              "com.google.android.gms",
                                              "com.huawei.android.hwouc",
                                              "com.lge.lgdmsclient",
                                              "com.motorola.ccc.ota",
                                              "com.oneplus.opbackup",
                                              "com.oppo.ota",
                                              "com.transsion.systemupdate",
                                              "com.wssyncmldm",
                                              NULL};

bool spy_android_root_package(const char *package)
{
    return in_list(root_packages, package);
}

bool spy_android_dangerous_permission(const char *permission)
{
    return in_list(dangerous_permissions, permission);
}

bool spy_android_third_party_store(const char *installer)
{
    return in_list(third_party_stores, installer);
}

bool spy_android_browser_installer(const char *installer)
{
    return in_list(browser_installers, installer);
}

bool spy_android_security_package(const char *package)
{
    return in_list(security_packages, package);
}

bool spy_android_update_package(const char *package)
{
    return in_list(update_packages, package);
}
