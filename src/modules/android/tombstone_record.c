/* The Tombstones record both readers fill (spec/android.md §4.13). */
#include "modules/android/tombstone_parse.h"

#include "core/error.h"
#include "core/mem.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

json_t *spy_tomb_record_new(const char *file_name, const char *file_timestamp)
{
    static const char *const keys[] = {
        "file_name",    "file_timestamp", "build_fingerprint", "revision", "arch",
        "timestamp",    "process_uptime", "command_line",      "pid",      "tid",
        "process_name", "binary_path",    "selinux_label",     "uid",      "signal_info",
        "cause",        "causes",         "abort_message",     "extra"};
    json_t *r = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        json_object_set_new_nocheck(r, keys[i], json_null());
    json_object_set_new_nocheck(r, "file_name", json_stringn_nocheck(file_name, strlen(file_name)));
    json_object_set_new_nocheck(r, "file_timestamp",
                                json_string(file_timestamp ? file_timestamp : ""));
    return r;
}

int spy_tomb_validate(const json_t *rec, char **why)
{
    static const char *const req[] = {
        "build_fingerprint", "revision", "timestamp", "pid", "tid", "uid"};
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
        if (json_is_null(json_object_get(rec, req[i]))) {
            *why = spy_xasprintf("the required field %s is missing", req[i]);
            return SPY_EFORMAT;
        }
    const json_t *si = json_object_get(rec, "signal_info");
    if (!json_is_object(si)) {
        *why = spy_xstrdup("the required field signal_info is missing");
        return SPY_EFORMAT;
    }
    return SPY_OK;
}

static bool digits(const char *s, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return n > 0;
}

int spy_tomb_timestamp(const char *s, size_t n, char out[32])
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    int y, mo, d, h, mi, sec;
    if (n < 19 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || (s[10] != ' ' && s[10] != 'T') || !digits(s + 11, 2, &h) ||
        s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
        return SPY_EFORMAT;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || sec > 59)
        return SPY_EFORMAT;
    size_t i = 19;
    char frac[7] = "000000";
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        i++;
        size_t k = 0;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return SPY_EFORMAT;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (k < 6)
                frac[k++] = s[i];
    }
    /* the zone is dropped: tombstones are read in device-local time */
    if (i < n) {
        if (s[i] == 'Z') {
            i++;
        } else if (s[i] == '+' || s[i] == '-') {
            i++;
            size_t k = 0;
            while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ':') && k < 5) {
                i++;
                k++;
            }
            if (k < 2)
                return SPY_EFORMAT;
        }
    }
    if (i != n)
        return SPY_EFORMAT;
    snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d.%s", y, mo, d, h, mi, sec, frac);
    return SPY_OK;
}
