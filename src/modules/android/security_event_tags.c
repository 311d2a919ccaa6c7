#include "modules/android/security_event_tags.h"

#include <string.h>

static const spy_se_tag TAGS[] = {
    {"adb_shell_interactive", SPY_SE_ADB_SHELL_INTERACTIVE, "ADB Shell Interactive"},
    {"adb_shell_cmd", SPY_SE_ADB_SHELL_CMD, "ADB Shell Command"},
    {"adb_sync_recv_file", SPY_SE_ADB_SYNC_RECV_FILE, "ADB Sync Recv File"},
    {"adb_sync_send_file", SPY_SE_ADB_SYNC_SEND_FILE, "ADB Sync Send File"},
    {"app_process_start", SPY_SE_APP_PROCESS_START, "App Process Start"},
    {"keyguard_dismissed", SPY_SE_KEYGUARD_DISMISSED, "Keyguard Dismissed"},
    {"keyguard_dismiss_auth_attempt", SPY_SE_KEYGUARD_DISMISS_AUTH_ATTEMPT,
     "Keyguard Dismiss Auth Attempt"},
    {"keyguard_secured", SPY_SE_KEYGUARD_SECURED, "Keyguard Secured"},
    {"os_startup", SPY_SE_OS_STARTUP, "OS Startup"},
    {"os_shutdown", SPY_SE_OS_SHUTDOWN, "OS Shutdown"},
    {"logging_started", SPY_SE_LOGGING_STARTED, "Logging Started"},
    {"logging_stopped", SPY_SE_LOGGING_STOPPED, "Logging Stopped"},
    {"media_mount", SPY_SE_MEDIA_MOUNT, "Media Mount"},
    {"media_unmount", SPY_SE_MEDIA_UNMOUNT, "Media Unmount"},
    {"log_buffer_size_critical", SPY_SE_LOG_BUFFER_SIZE_CRITICAL, "Log Buffer Size Critical"},
    {"password_expiration_set", SPY_SE_PASSWORD_EXPIRATION_SET, "Password Expiration Set"},
    {"password_complexity_set", SPY_SE_PASSWORD_COMPLEXITY_SET, "Password Complexity Set"},
    {"password_history_length_set", SPY_SE_PASSWORD_HISTORY_LENGTH_SET,
     "Password History Length Set"},
    {"max_screen_lock_timeout_set", SPY_SE_MAX_SCREEN_LOCK_TIMEOUT_SET,
     "Max Screen Lock Timeout Set"},
    {"max_password_attempts_set", SPY_SE_MAX_PASSWORD_ATTEMPTS_SET, "Max Password Attempts Set"},
    {"keyguard_disabled_features_set", SPY_SE_KEYGUARD_DISABLED_FEATURES_SET,
     "Keyguard Disabled Features Set"},
    {"remote_lock", SPY_SE_REMOTE_LOCK, "Remote Lock"},
    {"wipe_failure", SPY_SE_WIPE_FAILURE, "Wipe Failure"},
    {"key_generated", SPY_SE_KEY_GENERATED, "Key Generated"},
    {"key_import", SPY_SE_KEY_IMPORT, "Key Import"},
    {"key_destruction", SPY_SE_KEY_DESTRUCTION, "Key Destruction"},
    {"user_restriction_added", SPY_SE_USER_RESTRICTION_ADDED, "User Restriction Added"},
    {"user_restriction_removed", SPY_SE_USER_RESTRICTION_REMOVED, "User Restriction Removed"},
    {"cert_authority_installed", SPY_SE_CERT_AUTHORITY_INSTALLED,
     "Certificate Authority Installed"},
    {"cert_authority_removed", SPY_SE_CERT_AUTHORITY_REMOVED, "Certificate Authority Removed"},
    {"crypto_self_test_completed", SPY_SE_CRYPTO_SELF_TEST_COMPLETED, "Crypto Self Test Completed"},
    {"key_integrity_violation", SPY_SE_KEY_INTEGRITY_VIOLATION, "Key Integrity Violation"},
    {"cert_validation_failure", SPY_SE_CERT_VALIDATION_FAILURE, "Certificate Validation Failure"},
    {"camera_policy_set", SPY_SE_CAMERA_POLICY_SET, "Camera Policy Set"},
    {"password_complexity_required", SPY_SE_PASSWORD_COMPLEXITY_REQUIRED,
     "Password Complexity Required"},
    {"password_changed", SPY_SE_PASSWORD_CHANGED, "Password Changed"},
    {"wifi_connection", SPY_SE_WIFI_CONNECTION, "WiFi Connection"},
    {"wifi_disconnection", SPY_SE_WIFI_DISCONNECTION, "WiFi Disconnection"},
    {"bluetooth_connection", SPY_SE_BLUETOOTH_CONNECTION, "Bluetooth Connection"},
    {"bluetooth_disconnection", SPY_SE_BLUETOOTH_DISCONNECTION, "Bluetooth Disconnection"},
    {"package_installed", SPY_SE_PACKAGE_INSTALLED, "Package Installed"},
    {"package_updated", SPY_SE_PACKAGE_UPDATED, "Package Updated"},
    {"package_uninstalled", SPY_SE_PACKAGE_UNINSTALLED, "Package Uninstalled"},
    {"backup_service_toggled", SPY_SE_BACKUP_SERVICE_TOGGLED, "Backup Service Toggled"},
    {"nfc_enabled", SPY_SE_NFC_ENABLED, "NFC Enabled"},
    {"nfc_disabled", SPY_SE_NFC_DISABLED, "NFC Disabled"},
};

/* The names Android's own exports (and later MVT versions) give eight of
 * these tags: the same events, read the same way (an extension). */
static const spy_se_tag ALIASES[] = {
    {"adb_shell_command", SPY_SE_ADB_SHELL_CMD, "ADB Shell Command"},
    {"adb_sync_recv", SPY_SE_ADB_SYNC_RECV_FILE, "ADB Sync Recv"},
    {"adb_sync_send", SPY_SE_ADB_SYNC_SEND_FILE, "ADB Sync Send"},
    {"media_mounted", SPY_SE_MEDIA_MOUNT, "Media Mounted"},
    {"media_unmounted", SPY_SE_MEDIA_UNMOUNT, "Media Unmounted"},
    {"wipe_failed", SPY_SE_WIPE_FAILURE, "Wipe Failed"},
    {"key_imported", SPY_SE_KEY_IMPORT, "Key Imported"},
    {"key_destroyed", SPY_SE_KEY_DESTRUCTION, "Key Destroyed"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const spy_se_tag *spy_se_tag_find(const char *key)
{
    /* 54 short keys: a linear scan is as fast as any index here. */
    for (size_t i = 0; key && i < COUNT(TAGS); i++)
        if (strcmp(TAGS[i].key, key) == 0)
            return &TAGS[i];
    for (size_t i = 0; key && i < COUNT(ALIASES); i++)
        if (strcmp(ALIASES[i].key, key) == 0)
            return &ALIASES[i];
    return NULL;
}

const spy_se_tag *spy_se_aliases(size_t *n)
{
    *n = COUNT(ALIASES);
    return ALIASES;
}

const json_t *spy_se_get(const json_t *record, spy_se_tag_id id)
{
    if (!json_is_object(record))
        return NULL;
    const json_t *v = NULL;
    for (size_t i = 0; !v && i < COUNT(TAGS); i++)
        if (TAGS[i].id == id)
            v = json_object_get(record, TAGS[i].key);
    for (size_t i = 0; !v && i < COUNT(ALIASES); i++)
        if (ALIASES[i].id == id)
            v = json_object_get(record, ALIASES[i].key);
    return v;
}

const spy_se_tag *spy_se_tags(size_t *n)
{
    *n = COUNT(TAGS);
    return TAGS;
}

const char *spy_se_event_tag(const json_t *event)
{
    static const char *const META[] = {"event_id", "event_time", "event_type", "timestamp"};
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)event, k, v)
    {
        size_t i = 0;
        while (i < sizeof META / sizeof META[0] && strcmp(k, META[i]) != 0)
            i++;
        if (i == sizeof META / sizeof META[0])
            return k;
    }
    return NULL;
}
