/* The timeline text of each SecurityEvent tag (spec/android.md §4.25),
 * with MVT's field defaults and Python's str() and truthiness of values,
 * so the rows read exactly as MVT's. */
#include "modules/android/security_event_text.h"

#include "core/mem.h"
#include "modules/android/il_util.h"
#include "modules/android/security_event_tags.h"
#include "modules/ios/pyfmt.h"

#include <stdlib.h>
#include <string.h>

/* "<pre><info[key] or dflt><post>" */
static void field(spy_buf *b, const char *pre, const json_t *info, const char *key,
                  const char *dflt, const char *post)
{
    spy_il_puts(b, pre);
    spy_il_put(b, info, key, dflt);
    spy_il_puts(b, post);
}

static bool flag(const json_t *info, const char *key)
{
    return spy_il_truthy(spy_il_get(info, key), false);
}

/* " - <reason>" when the reason is truthy. */
static void reason(spy_buf *b, const json_t *info)
{
    const json_t *r = spy_il_get(info, "reason");
    if (spy_il_truthy(r, false)) {
        spy_il_puts(b, " - ");
        spy_il_put_value(b, r);
    }
}

/* ADB, process, keyguard and key events. */
static bool access_text(spy_buf *b, spy_se_tag_id id, const json_t *in)
{
    switch (id) {
    case SPY_SE_ADB_SHELL_INTERACTIVE: spy_il_puts(b, "ADB interactive shell opened"); break;
    case SPY_SE_ADB_SHELL_CMD: field(b, "ADB shell command: ", in, "command", "", ""); break;
    case SPY_SE_ADB_SYNC_RECV_FILE: field(b, "File pulled via ADB: ", in, "path", "", ""); break;
    case SPY_SE_ADB_SYNC_SEND_FILE: field(b, "File pushed via ADB: ", in, "path", "", ""); break;
    case SPY_SE_APP_PROCESS_START:
        field(b, "Process started: ", in, "process", "", "");
        field(b, " (UID: ", in, "uid", "", "");
        field(b, ", PID: ", in, "pid", "", ")");
        break;
    case SPY_SE_KEYGUARD_DISMISS_AUTH_ATTEMPT:
        spy_il_puts(b, flag(in, "success") ? "Auth attempt: Success" : "Auth attempt: Failed");
        field(b, " (method strength: ", in, "method_strength", "0", ")");
        break;
    case SPY_SE_KEYGUARD_DISMISSED: spy_il_puts(b, "Keyguard dismissed"); break;
    case SPY_SE_KEYGUARD_SECURED: spy_il_puts(b, "Device locked"); break;
    case SPY_SE_KEYGUARD_DISABLED_FEATURES_SET:
        field(b, "Keyguard features disabled by ", in, "admin_package", "", "");
        field(b, ": ", in, "disabled_features", "", "");
        break;
    case SPY_SE_KEY_GENERATED:
        spy_il_puts(b, flag(in, "success") ? "Key generated: " : "Key generation failed: ");
        field(b, "", in, "key_id", "unknown", "");
        field(b, " (UID: ", in, "uid", "", ")");
        break;
    case SPY_SE_KEY_DESTRUCTION:
        spy_il_puts(b, flag(in, "success") ? "Key destroyed: " : "Key destruction failed: ");
        field(b, "", in, "key_id", "unknown", "");
        field(b, " (UID: ", in, "uid", "", ")");
        break;
    case SPY_SE_KEY_IMPORT:
        spy_il_puts(b, flag(in, "success") ? "Key imported: " : "Key import failed: ");
        field(b, "", in, "key_id", "unknown", "");
        break;
    case SPY_SE_KEY_INTEGRITY_VIOLATION:
        field(b, "Key integrity violation: ", in, "key_id", "unknown", "");
        break;
    default: return false;
    }
    return true;
}

/* Certificate, package, OS, logging and media events. */
static bool system_text(spy_buf *b, spy_se_tag_id id, const char *tag, const json_t *in)
{
    switch (id) {
    case SPY_SE_CERT_AUTHORITY_INSTALLED:
        spy_il_puts(b, flag(in, "success") ? "Cert installed: " : "Cert install failed: ");
        field(b, "", in, "subject", "unknown", "");
        break;
    case SPY_SE_CERT_AUTHORITY_REMOVED:
        spy_il_puts(b, flag(in, "success") ? "Cert removed: " : "Cert removal failed: ");
        field(b, "", in, "subject", "unknown", "");
        break;
    case SPY_SE_CERT_VALIDATION_FAILURE:
        spy_il_puts(b, "Certificate validation failure: ");
        spy_il_put_value(b, in);
        break;
    case SPY_SE_CRYPTO_SELF_TEST_COMPLETED: {
        /* a payload object, or the raw SecurityLog integer (1 = passed) */
        bool ok = json_is_object(in) ? flag(in, "success")
                                     : (json_is_true(in) || json_number_value(in) == 1.0);
        spy_il_puts(b, ok ? "Crypto self test: passed" : "Crypto self test: FAILED");
        break;
    }
    case SPY_SE_PACKAGE_INSTALLED:
    case SPY_SE_PACKAGE_UPDATED:
    case SPY_SE_PACKAGE_UNINSTALLED: {
        /* "package_installed" -> "Installed" (str.title() of the rest) */
        char up = (char)(tag[8] - 'a' + 'A');
        spy_il_puts(b, "Package ");
        spy_buf_put(b, &up, 1);
        spy_il_puts(b, tag + 9);
        field(b, ": ", in, "package_name", "", "");
        field(b, " (v", in, "version_code", "", "");
        field(b, ", user: ", in, "user_id", "", ")");
        break;
    }
    case SPY_SE_OS_STARTUP:
        field(b, "OS startup (verified boot: ", in, "verified_boot_state", "", "");
        field(b, ", dm-verity: ", in, "dm_verity_mode", "", ")");
        break;
    case SPY_SE_OS_SHUTDOWN: spy_il_puts(b, "OS shutdown"); break;
    case SPY_SE_LOGGING_STARTED: spy_il_puts(b, "Audit logging started"); break;
    case SPY_SE_LOGGING_STOPPED: spy_il_puts(b, "Audit logging stopped"); break;
    case SPY_SE_LOG_BUFFER_SIZE_CRITICAL: spy_il_puts(b, "Log buffer at 90% capacity"); break;
    case SPY_SE_MEDIA_MOUNT:
    case SPY_SE_MEDIA_UNMOUNT:
        spy_il_puts(b, id == SPY_SE_MEDIA_MOUNT ? "Media mounted: " : "Media unmounted: ");
        field(b, "", in, "mount_point", "", "");
        field(b, " (", in, "volume_label", "", ")");
        break;
    default: return false;
    }
    return true;
}

/* Device-admin policy events. */
static bool policy_text(spy_buf *b, spy_se_tag_id id, const json_t *in)
{
    switch (id) {
    case SPY_SE_PASSWORD_EXPIRATION_SET:
        field(b, "Password expiration set by ", in, "admin_package", "", "");
        field(b, ": ", in, "timeout_ms", "", "ms");
        break;
    case SPY_SE_PASSWORD_COMPLEXITY_SET:
        field(b, "Password complexity set by ", in, "admin_package", "", "");
        break;
    case SPY_SE_PASSWORD_COMPLEXITY_REQUIRED:
        field(b, "Password complexity required by ", in, "admin_package", "", "");
        field(b, ": ", in, "complexity", "", "");
        break;
    case SPY_SE_PASSWORD_HISTORY_LENGTH_SET:
        field(b, "Password history length set by ", in, "admin_package", "", "");
        field(b, ": ", in, "length", "", "");
        break;
    case SPY_SE_PASSWORD_CHANGED:
        field(b, "Password changed (complexity: ", in, "complexity", "", "");
        field(b, ", user: ", in, "user_id", "", ")");
        break;
    case SPY_SE_MAX_SCREEN_LOCK_TIMEOUT_SET:
        field(b, "Max screen lock timeout set by ", in, "admin_package", "", "");
        field(b, ": ", in, "timeout_ms", "", "ms");
        break;
    case SPY_SE_MAX_PASSWORD_ATTEMPTS_SET:
        field(b, "Max password attempts set by ", in, "admin_package", "", "");
        field(b, ": ", in, "max_attempts", "", "");
        break;
    case SPY_SE_REMOTE_LOCK:
        field(b, "Device remotely locked by ", in, "admin_package", "", "");
        break;
    case SPY_SE_WIPE_FAILURE: spy_il_puts(b, "Device wipe failed"); break;
    case SPY_SE_USER_RESTRICTION_ADDED:
    case SPY_SE_USER_RESTRICTION_REMOVED:
        spy_il_puts(b, id == SPY_SE_USER_RESTRICTION_ADDED ? "User restriction added by "
                                                           : "User restriction removed by ");
        field(b, "", in, "admin_package", "", "");
        field(b, ": ", in, "restriction", "", "");
        break;
    case SPY_SE_CAMERA_POLICY_SET:
        spy_il_puts(b, flag(in, "disabled") ? "Camera disabled by " : "Camera enabled by ");
        field(b, "", in, "admin_package", "", "");
        break;
    case SPY_SE_BACKUP_SERVICE_TOGGLED:
        spy_il_puts(b, flag(in, "enabled") ? "Backup service enabled by "
                                           : "Backup service disabled by ");
        field(b, "", in, "admin_package", "", "");
        break;
    default: return false;
    }
    return true;
}

/* Wi-Fi, Bluetooth and NFC events. */
static bool radio_text(spy_buf *b, spy_se_tag_id id, const json_t *in)
{
    switch (id) {
    case SPY_SE_WIFI_CONNECTION:
        field(b, "WiFi connection: ", in, "event_type", "", "");
        field(b, " (BSSID: ", in, "bssid", "", ")");
        reason(b, in);
        break;
    case SPY_SE_WIFI_DISCONNECTION:
        field(b, "WiFi disconnection (BSSID: ", in, "bssid", "", ")");
        reason(b, in);
        break;
    case SPY_SE_BLUETOOTH_CONNECTION:
        spy_il_puts(b, flag(in, "success") ? "Bluetooth connected: "
                                           : "Bluetooth connection failed: ");
        field(b, "", in, "mac_address", "", "");
        reason(b, in);
        break;
    case SPY_SE_BLUETOOTH_DISCONNECTION:
        field(b, "Bluetooth disconnected: ", in, "mac_address", "", "");
        reason(b, in);
        break;
    case SPY_SE_NFC_ENABLED: spy_il_puts(b, "NFC enabled"); break;
    case SPY_SE_NFC_DISABLED: spy_il_puts(b, "NFC disabled"); break;
    default: return false;
    }
    return true;
}

char *spy_se_describe(const json_t *record, const char **event)
{
    spy_buf b = {0};
    const char *tag = spy_se_event_tag(record);
    if (!tag) {
        /* MVT: str(record) */
        *event = "unknown";
        spy_il_put_value(&b, record);
        return spy_il_take(&b);
    }
    *event = tag;
    const json_t *in = json_object_get(record, tag);
    const spy_se_tag *t = spy_se_tag_find(tag);
    if (!t || !(access_text(&b, t->id, in) || system_text(&b, t->id, tag, in) ||
                policy_text(&b, t->id, in) || radio_text(&b, t->id, in))) {
        /* a tag MVT does not know: "<tag>: <str(value)>" */
        spy_il_puts(&b, tag);
        spy_il_puts(&b, ": ");
        spy_il_put_value(&b, in);
    }
    return spy_il_take(&b);
}
