/* Plist artifacts for gen_ios_backup at a heavily used phone's sizes (scale
 * 1): an Info.plist of 2,000 apps (about 30 MB of XML: iTunesMetadata,
 * placeholder icon and SINF per app), 6 configuration profiles and 20
 * profile events, 5,000 ID status cache entries, 2,000 locationd clients,
 * 3,000 OS analytics processes, 2,000 + 200 WebKit resource log items and
 * 120 global preferences. Shapes follow the test fixtures
 * (tests/fixtures/ios/<slug>/) and spec/ios.md §4-§5. Values come from their
 * own fixed-seed PRNG, so the databases of gen_ios_backup.c stay the rows
 * they were; nothing generated matches a public indicator, and no heuristic
 * fires except ProfileEvents' (every profile operation is a LOW alert). */
#include "gen_ios_plists.h"

#include "bplist_writer.h"
#include "core/mem.h"
#include "testutil.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <plist/plist.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CP_DOMAIN "SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles"
#define WK_RELPATH                                                                                 \
    "Library/WebKit/WebsiteData/ResourceLoadStatistics/full_browsing_session_resourceLog.plist"
#define MAC_2023 700000000.0 /* Mac absolute time, mid-2023 */

static uint64_t prng_state = 0x2545f4914f6cdd1dULL;

static uint64_t prng(void)
{
    prng_state ^= prng_state >> 12;
    prng_state ^= prng_state << 25;
    prng_state ^= prng_state >> 27;
    return prng_state * 2685821657736338717ULL;
}

static long count(double scale, long n)
{
    long v = (long)(n * scale);
    return v > 0 ? v : 1;
}

static const char *const VENDORS[] = {"acme",     "globex", "initech", "umbrella", "hooli",
                                      "vandelay", "stark",  "wayne",   "tyrell",   "cyberdyne"};
static const char *const WORDS[] = {"notes",  "photos", "maps",    "weather", "radio", "bank",
                                    "travel", "fit",    "recipes", "chess",   "music", "scan",
                                    "sleep",  "budget", "tickets", "news",    "chat",  "books"};
static const char *const SITES[] = {
    "www.srf.ch",    "www.nzz.ch",      "www.20min.ch",   "www.sbb.ch",        "www.post.ch",
    "www.bbc.com",   "www.nytimes.com", "www.galaxus.ch", "www.booking.com",   "github.com",
    "www.apple.com", "www.reddit.com",  "www.admin.ch",   "www.meteoswiss.ch", "www.digitec.ch"};
static const char *const CDNS[] = {"cdn.jsdelivr.net",     "fonts.gstatic.com",
                                   "ajax.googleapis.com",  "static.xx.fbcdn.net",
                                   "cdnjs.cloudflare.com", "s.w.org"};
static const char *const DAEMONS[] = {
    "apsd",    "nsurlsessiond", "itunesstored", "cloudd",           "akd",
    "geod",    "trustd",        "dasd",         "healthd",          "locationd",
    "parsecd", "assistantd",    "mobileassetd", "identityservicesd"};

#define PICK(a) ((a)[prng() % (sizeof(a) / sizeof((a)[0]))])

/* n deterministic bytes as {"$data": base64} (bplist_writer convention). */
static json_t *data_json(size_t n)
{
    unsigned char *raw = spy_xmalloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        raw[i] = (unsigned char)(prng() >> 32);
    char *b64 = spy_xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)b64, raw, (int)n);
    json_t *v = json_pack("{s:s}", "$data", b64);
    free(b64);
    free(raw);
    return v;
}

static json_t *date_json(double mac)
{
    return json_pack("{s:f}", "$date", mac);
}

static void uuid(char out[37])
{
    uint64_t a = prng(), b = prng();
    snprintf(out, 37, "%08X-%04X-%04X-%04X-%012llX", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xffff, (unsigned)(b >> 48),
             (unsigned long long)(b & 0xffffffffffffULL));
}

static void bundle_id(long i, char *out, size_t cap)
{
    snprintf(out, cap, "com.%s%ld.%s", VENDORS[i % 10], i / 10, WORDS[i % 18]);
}

/* Adds v as a binary plist file; takes the reference. */
static void add_bplist(bf_backup *b, const char *domain, const char *relpath, json_t *v)
{
    uint8_t *bin = NULL;
    size_t len = 0;
    if (bpw_write(v, NULL, &bin, &len) != 0) {
        fprintf(stderr, "gen_ios_backup: cannot write %s\n", relpath);
        exit(1);
    }
    bf_add_file(b, domain, relpath, bin, len);
    free(bin);
    json_decref(v);
}

static void gen_profiles(bf_backup *b, gen_plist_counts *c)
{
    json_t *events = json_array();
    c->profiles = 6;
    for (long i = 0; i < c->profiles; i++) {
        char id[37], inner[37], rel[128], name[64], ident[96];
        uuid(id);
        uuid(inner);
        snprintf(rel, sizeof rel, "Library/ConfigurationProfiles/profile-%012llx.stub",
                 (unsigned long long)(prng() & 0xffffffffffffULL));
        snprintf(name, sizeof name, "%s Corp %s", VENDORS[i], i % 2 ? "Wi-Fi" : "VPN");
        snprintf(ident, sizeof ident, "com.%s.mdm.%s", VENDORS[i], i % 2 ? "wifi" : "vpn");
        json_t *payload = json_pack("[{s:s, s:s, s:s, s:i, s:s}]", "PayloadType",
                                    i % 2 ? "com.apple.wifi.managed" : "com.apple.vpn.managed",
                                    "PayloadUUID", inner, "PayloadIdentifier", ident,
                                    "PayloadVersion", 1, "UserDefinedName", name);
        json_t *stub = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:[o, o], s:o, s:b, s:o}", "PayloadDisplayName",
            name, "PayloadDescription", "Installed by the company's device management",
            "PayloadIdentifier", ident, "PayloadType", "Configuration", "PayloadUUID", id,
            "PayloadVersion", 1, "InstallDate", date_json(MAC_2023 - 86400.0 * (double)(30 * i)),
            "SignerCerts", data_json(1400), data_json(1100), "PayloadContent", payload,
            "IsEncrypted", 0, "PushTokenDataSentToServerKey", data_json(32));
        add_bplist(b, CP_DOMAIN, rel, stub);
        for (int k = 0; k < 3 && json_array_size(events) < 20; k++)
            json_array_append_new(
                events,
                json_pack("{s:{s:o, s:s, s:s}}", id, "timestamp",
                          date_json(MAC_2023 - 86400.0 * (double)(30 * i) + 60.0 * k), "operation",
                          k == 0 ? "install" : "update", "process",
                          k == 0
                              ? "/System/Library/PrivateFrameworks/ManagedConfiguration.framework/"
                                "Support/profiled"
                              : "/usr/libexec/mdmd"));
    }
    while (json_array_size(events) < 20) /* older installs, since removed */
        json_array_append_new(events,
                              json_pack("{s:{s:o, s:s, s:s}}", "com.example.old-profile",
                                        "timestamp", date_json(MAC_2023 - 86400.0 * 400.0),
                                        "operation", "remove", "process", "/usr/libexec/mdmd"));
    c->profile_events = (long)json_array_size(events);
    add_bplist(b, CP_DOMAIN, "Library/ConfigurationProfiles/MCProfileEvents.plist",
               json_pack("{s:o}", "ProfileEvents", events));
}

static void gen_id_status(bf_backup *b, double scale, gen_plist_counts *c)
{
    c->id_entries = count(scale, 5000);
    json_t *madrid = json_object(), *ess = json_object();
    for (long i = 0; i < c->id_entries; i++) {
        char uri[96];
        if (i % 3 == 0)
            snprintf(uri, sizeof uri, "mailto:contact%05ld@example.org", i);
        else
            snprintf(uri, sizeof uri, "tel:+4179%07ld", i * 7919 % 10000000);
        json_object_set_new(i % 4 == 3 ? ess : madrid, uri,
                            json_pack("{s:f, s:i}", "LookupDate", MAC_2023 - (double)(i * 600),
                                      "IDStatus", 1 + (int)(prng() % 2)));
    }
    add_bplist(b, "HomeDomain",
               "Library/Preferences/com.apple.identityservices.idstatuscache.plist",
               json_pack("{s:o, s:o, s:f}", "com.apple.madrid", madrid, "com.apple.ess", ess,
                         "LastCleanupDate", MAC_2023 - 86400.0));
}

static void gen_locationd(bf_backup *b, double scale, gen_plist_counts *c)
{
    c->locationd_clients = count(scale, 2000);
    json_t *top = json_object();
    for (long i = 0; i < c->locationd_clients; i++) {
        char id[96], path[160], exe[200], u[37];
        uuid(u);
        bool system = i % 10 == 9;
        if (system) {
            snprintf(id, sizeof id, "/System/Library/LocationBundles/%s%ld.bundle", PICK(DAEMONS),
                     i);
            snprintf(path, sizeof path, "%s", id);
            snprintf(exe, sizeof exe, "%s/%s", path, PICK(DAEMONS));
        } else {
            bundle_id(i, id, sizeof id);
            snprintf(path, sizeof path, "/private/var/containers/Bundle/Application/%s/%s.app", u,
                     WORDS[i % 18]);
            snprintf(exe, sizeof exe, "%s/%s", path, WORDS[i % 18]);
        }
        double t = MAC_2023 - (double)(prng() % 8000000) - 0.25;
        json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:f, s:f, s:f, s:o, s:i}", "BundleId",
                              system ? "" : id, "BundlePath", path, "Executable", exe, "Registered",
                              "", "Authorization", 2 + (int)(i % 3), "Whitelisted", 0,
                              "LocationTimeStopped", t, "ReceivingLocationInformationTimeStopped",
                              t - 30.0, "SignificantTimeStopped", t - 3600.0, "ClientStorageToken",
                              data_json(40), "SupportedAuthorizationMask", 15);
        json_object_set_new(top, id, e);
    }
    add_bplist(b, "RootDomain", "Library/Caches/locationd/clients.plist", top);
}

static void gen_adaily(bf_backup *b, double scale, gen_plist_counts *c)
{
    c->adaily_procs = count(scale, 3000);
    json_t *base = json_object();
    for (long i = 0; i < c->adaily_procs; i++) {
        char name[96];
        if (i % 2)
            bundle_id(i, name, sizeof name);
        else
            snprintf(name, sizeof name, "%s-%ld", PICK(DAEMONS), i);
        json_object_set_new(
            base, name,
            json_pack("[o, I, I, I, I]", date_json(MAC_2023 - (double)(i * 60)),
                      (json_int_t)(prng() % 900000000), (json_int_t)(prng() % 90000000),
                      (json_int_t)(prng() % 90000000), (json_int_t)(prng() % 9000000)));
    }
    add_bplist(b, "HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist",
               json_pack("{s:o, s:o, s:i}", "netUsageBaseline", base, "lastRollDate",
                         date_json(MAC_2023), "dailyRollCount", 412));
}

static json_t *hops(int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        const char *cdn = PICK(CDNS);
        const char *dot = strchr(cdn, '.');
        json_array_append_new(a, json_pack("{s:s, s:s}", "origin", cdn, "domain", dot + 1));
    }
    return a;
}

static json_t *webkit_log(long n)
{
    json_t *items = json_array();
    for (long i = 0; i < n; i++) {
        double seen = MAC_2023 - (double)(i * 900);
        json_array_append_new(
            items, json_pack("{s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:b}",
                             "PrevalentResourceOrigin", PICK(SITES), "topFrameUniqueRedirectsFrom",
                             hops((int)(prng() % 2)), "topFrameUniqueRedirectsTo",
                             hops((int)(prng() % 2)), "subframeUnderTopFrameOrigins",
                             hops((int)(prng() % 2)), "subresourceUnderTopFrameOrigins",
                             hops((int)(prng() % 5)), "hadUserInteraction", (int)(i % 3 == 0),
                             "mostRecentUserInteraction", date_json(i % 3 == 0 ? seen - 5.0 : 0.0),
                             "lastSeen", date_json(seen), "isPrevalentResource", 0));
    }
    return json_pack("{s:i, s:o}", "version", 1, "browsingStatistics", items);
}

static void gen_webkit(bf_backup *b, double scale, gen_plist_counts *c)
{
    long safari = count(scale, 2000), app = count(scale, 200);
    c->webkit_items = safari + app;
    add_bplist(b, "AppDomain-com.apple.mobilesafari", WK_RELPATH, webkit_log(safari));
    add_bplist(b, "AppDomain-com.acme0.news", WK_RELPATH, webkit_log(app));
}

static void gen_global_prefs(bf_backup *b, gen_plist_counts *c)
{
    json_t *p =
        json_pack("{s:[s, s], s:s, s:o, s:b, s:i, s:[s, s]}", "AppleLanguages", "en-GB", "de-CH",
                  "AppleLocale", "en_CH", "AKLastCheckInSuccessDate", date_json(MAC_2023),
                  "AppleICUForce24HourTime", 1, "AKLastIDMSEnvironment", 0, "AppleKeyboards",
                  "en_GB@sw=QWERTY;hw=Automatic", "emoji@sw=Emoji");
    for (int i = 0; json_object_size(p) < 120; i++) {
        char key[64];
        snprintf(key, sizeof key, "com.apple.%s.setting%d", WORDS[i % 18], i);
        json_object_set_new(p, key,
                            i % 3 == 0   ? json_integer(i)
                            : i % 3 == 1 ? json_boolean(i % 2)
                                         : json_string(WORDS[(i * 7) % 18]));
    }
    c->global_keys = (long)json_object_size(p);
    add_bplist(b, "HomeDomain", "Library/Preferences/.GlobalPreferences.plist", p);
}

void gen_ios_plist_files(bf_backup *b, double scale, gen_plist_counts *c)
{
    gen_profiles(b, c);
    gen_id_status(b, scale, c);
    gen_locationd(b, scale, c);
    gen_adaily(b, scale, c);
    gen_webkit(b, scale, c);
    gen_global_prefs(b, c);
}

/* ---- Info.plist ---------------------------------------------------------- */

static plist_t data_node(size_t n)
{
    char *raw = spy_xmalloc(n);
    for (size_t i = 0; i < n; i++)
        raw[i] = (char)(prng() >> 40);
    plist_t d = plist_new_data(raw, n);
    free(raw);
    return d;
}

static plist_t app_node(long i, const char *id)
{
    char name[64], date[32];
    snprintf(name, sizeof name, "%c%s %s", 'A' + (int)(i % 26), WORDS[i % 18], VENDORS[i % 10]);
    snprintf(date, sizeof date, "20%02ld-%02ld-%02ldT%02ld:%02ld:00Z", 18 + i % 6, 1 + i % 12,
             1 + i % 28, i % 24, i % 60);
    json_t *meta =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:i, s:s, s:b, s:s, s:{s:{s:s, s:I}, s:s}}",
                  "softwareVersionBundleId", id, "itemName", name, "artistName", VENDORS[i % 10],
                  "bundleShortVersionString", "3.14.1", "bundleVersion", "3141", "itemId",
                  (json_int_t)(300000000 + i), "genre", "Productivity", "genreId", 6007, "kind",
                  "software", "is-purchased-redownload", 0, "sourceApp", "com.apple.AppStore",
                  "com.apple.iTunesStore.downloadInfo", "accountInfo", "AppleID",
                  "owner@example.org", "DSPersonID", (json_int_t)1234567, "purchaseDate", date);
    uint8_t *bin = NULL;
    size_t len = 0;
    if (bpw_write(meta, NULL, &bin, &len) != 0)
        exit(1);
    json_decref(meta);
    plist_t app = plist_new_dict();
    plist_dict_set_item(app, "iTunesMetadata", plist_new_data((const char *)bin, len));
    free(bin);
    plist_dict_set_item(app, "PlaceholderIcon", data_node(9000 + prng() % 2000));
    plist_dict_set_item(app, "ApplicationSINF", data_node(1400 + prng() % 400));
    return app;
}

void gen_ios_info_plist(const char *dir, double scale, gen_plist_counts *c)
{
    plist_t info = plist_new_dict();
    static const char *const fields[][2] = {{"Build Version", "20F66"},
                                            {"Device Name", "Bench iPhone"},
                                            {"Display Name", "Bench iPhone"},
                                            {"GUID", "6C1A0B9E2D3F4A5B8C7D9E0F1A2B3C4D"},
                                            {"Product Name", "iPhone 13 Pro"},
                                            {"Product Type", "iPhone14,2"},
                                            {"Product Version", "16.5"},
                                            {"Serial Number", "F2LBENCH0001"},
                                            {"Target Identifier", "00008110-000BE1C0000000000"},
                                            {"Target Type", "Device"},
                                            {"Unique Identifier", "00008110-000BE1C0000000000"},
                                            {"iTunes Version", "12.12.8.2"}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        plist_dict_set_item(info, fields[i][0], plist_new_string(fields[i][1]));
    plist_dict_set_item(info, "Last Backup Date", plist_new_date(709000000, 0));
    c->apps = count(scale, 2000);
    plist_t apps = plist_new_dict(), installed = plist_new_array();
    for (long i = 0; i < c->apps; i++) {
        char id[96];
        bundle_id(i, id, sizeof id);
        plist_dict_set_item(apps, id, app_node(i, id));
        plist_array_append_item(installed, plist_new_string(id));
    }
    plist_dict_set_item(info, "Applications", apps);
    plist_dict_set_item(info, "Installed Applications", installed);
    plist_dict_set_item(info, "iTunes Settings", data_node(4096));
    char *xml = NULL;
    uint32_t n = 0;
    plist_to_xml(info, &xml, &n);
    plist_free(info);
    char *path = tu_join(dir, "Info.plist");
    tu_write(path, xml, n);
    c->info_bytes = n;
    free(path);
    free(xml);
}
