/* The security-event tags of Android's SecurityLog that MVT knows
 * (spec/android.md §4.25): key as written in intrusion logs, SecurityLog
 * tag id, and the display name of the log breakdown; plus the names
 * Android's own exports use for eight of them, accepted as aliases. */
#ifndef SPY_SECURITY_EVENT_TAGS_H
#define SPY_SECURITY_EVENT_TAGS_H

#include <jansson.h>
#include <stddef.h>

typedef enum spy_se_tag_id {
    SPY_SE_ADB_SHELL_INTERACTIVE = 210001,
    SPY_SE_ADB_SHELL_CMD = 210002,
    SPY_SE_ADB_SYNC_RECV_FILE = 210003,
    SPY_SE_ADB_SYNC_SEND_FILE = 210004,
    SPY_SE_APP_PROCESS_START = 210005,
    SPY_SE_KEYGUARD_DISMISSED = 210006,
    SPY_SE_KEYGUARD_DISMISS_AUTH_ATTEMPT = 210007,
    SPY_SE_KEYGUARD_SECURED = 210008,
    SPY_SE_OS_STARTUP = 210009,
    SPY_SE_OS_SHUTDOWN = 210010,
    SPY_SE_LOGGING_STARTED = 210011,
    SPY_SE_LOGGING_STOPPED = 210012,
    SPY_SE_MEDIA_MOUNT = 210013,
    SPY_SE_MEDIA_UNMOUNT = 210014,
    SPY_SE_LOG_BUFFER_SIZE_CRITICAL = 210015,
    SPY_SE_PASSWORD_EXPIRATION_SET = 210016,
    SPY_SE_PASSWORD_COMPLEXITY_SET = 210017,
    SPY_SE_PASSWORD_HISTORY_LENGTH_SET = 210018,
    SPY_SE_MAX_SCREEN_LOCK_TIMEOUT_SET = 210019,
    SPY_SE_MAX_PASSWORD_ATTEMPTS_SET = 210020,
    SPY_SE_KEYGUARD_DISABLED_FEATURES_SET = 210021,
    SPY_SE_REMOTE_LOCK = 210022,
    SPY_SE_WIPE_FAILURE = 210023,
    SPY_SE_KEY_GENERATED = 210024,
    SPY_SE_KEY_IMPORT = 210025,
    SPY_SE_KEY_DESTRUCTION = 210026,
    SPY_SE_USER_RESTRICTION_ADDED = 210027,
    SPY_SE_USER_RESTRICTION_REMOVED = 210028,
    SPY_SE_CERT_AUTHORITY_INSTALLED = 210029,
    SPY_SE_CERT_AUTHORITY_REMOVED = 210030,
    SPY_SE_CRYPTO_SELF_TEST_COMPLETED = 210031,
    SPY_SE_KEY_INTEGRITY_VIOLATION = 210032,
    SPY_SE_CERT_VALIDATION_FAILURE = 210033,
    SPY_SE_CAMERA_POLICY_SET = 210034,
    SPY_SE_PASSWORD_COMPLEXITY_REQUIRED = 210035,
    SPY_SE_PASSWORD_CHANGED = 210036,
    SPY_SE_WIFI_CONNECTION = 210037,
    SPY_SE_WIFI_DISCONNECTION = 210038,
    SPY_SE_BLUETOOTH_CONNECTION = 210039,
    SPY_SE_BLUETOOTH_DISCONNECTION = 210040,
    SPY_SE_PACKAGE_INSTALLED = 210041,
    SPY_SE_PACKAGE_UPDATED = 210042,
    SPY_SE_PACKAGE_UNINSTALLED = 210043,
    SPY_SE_BACKUP_SERVICE_TOGGLED = 210044,
    SPY_SE_NFC_ENABLED = 210045,
    SPY_SE_NFC_DISABLED = 210046,
} spy_se_tag_id;

typedef struct spy_se_tag {
    const char *key;
    spy_se_tag_id id;
    const char *name;
} spy_se_tag;

/* The tag of this key (its own entry for an alias: same id, the alias's
 * key and display name), or NULL when neither MVT nor the aliases know it. */
const spy_se_tag *spy_se_tag_find(const char *key);
/* record[key] for the tag id under its key or, when absent, under one of
 * its aliases; NULL when neither is there or record is not an object. */
const json_t *spy_se_get(const json_t *record, spy_se_tag_id id);
/* The tag key of a security event or its record: the first key, in
 * document order, that is not event_id, event_time, event_type or
 * timestamp; NULL when there is none. */
const char *spy_se_event_tag(const json_t *event);

/* All known tags, in id order (for tests). */
const spy_se_tag *spy_se_tags(size_t *n);
/* The alias names of tags (adb_shell_command for adb_shell_cmd...). */
const spy_se_tag *spy_se_aliases(size_t *n);

#endif
