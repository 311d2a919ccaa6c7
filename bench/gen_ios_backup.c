/* Generates a large, realistic iOS backup for bench/run_ios_backup.sh: the
 * acceptance load of a heavily used phone at --scale 1 is 400k Manifest rows,
 * 40k SMS and 100k Safari visits (plus DataUsage, TCC and WhatsApp rows in
 * proportion), and the plist artifacts of gen_ios_plists.c (a 30 MB
 * Info.plist of 2,000 apps, thousands of locationd clients, ID status and
 * OS analytics entries, WebKit resource logs, profiles). Schemas and seed rows come from the sample
 * backup's .sql files (samples/ios-backup/db, so the planted demo and Pegasus values are there
 * too); the bulk rows are generated with a fixed-seed PRNG from realistic
 * pieces (common domains, app containers, process names).
 *
 * Usage: gen_ios_backup [--scale S] [--samples DIR] [--encrypted-twin DIR
 *        --password PW] OUT_DIR   (the twin: the same backup encrypted as
 *        iOS does it, tests/lib/backup_crypt.h)
 * Writes only OUT_DIR (which must not exist) and scratch databases under
 * $TMPDIR (removed). */
#include "backup_crypt.h"
#include "backup_fixture.h"
#include "core/mem.h"
#include "gen_ios_plists.h"
#include "testutil.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SPY_SAMPLE_DB_DIR
#define SPY_SAMPLE_DB_DIR "samples/ios-backup/db"
#endif

/* xorshift64*: deterministic, so two runs build the same backup. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t pick(size_t n)
{
    return (size_t)(rng() % n);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const domains[] = {"www.google.com",
                                      "www.youtube.com",
                                      "en.wikipedia.org",
                                      "www.srf.ch",
                                      "www.nzz.ch",
                                      "www.20min.ch",
                                      "www.blick.ch",
                                      "www.sbb.ch",
                                      "www.post.ch",
                                      "www.migros.ch",
                                      "www.coop.ch",
                                      "www.reddit.com",
                                      "news.ycombinator.com",
                                      "www.bbc.com",
                                      "www.theguardian.com",
                                      "www.nytimes.com",
                                      "mail.google.com",
                                      "www.amazon.de",
                                      "www.galaxus.ch",
                                      "www.ricardo.ch",
                                      "www.booking.com",
                                      "www.airbnb.com",
                                      "maps.apple.com",
                                      "www.apple.com",
                                      "support.apple.com",
                                      "github.com",
                                      "stackoverflow.com",
                                      "www.linkedin.com",
                                      "twitter.com",
                                      "www.instagram.com",
                                      "www.facebook.com",
                                      "open.spotify.com",
                                      "www.netflix.com",
                                      "www.meteoswiss.admin.ch",
                                      "www.admin.ch",
                                      "www.ebay.com",
                                      "www.tripadvisor.com",
                                      "www.zalando.ch",
                                      "www.digitec.ch",
                                      "t.co",
                                      "bit.ly",
                                      "www.icloud.com",
                                      "docs.google.com",
                                      "drive.google.com",
                                      "www.dropbox.com",
                                      "zoom.us",
                                      "teams.microsoft.com",
                                      "outlook.live.com",
                                      "www.swissinfo.ch",
                                      "www.rts.ch"};

static const char *const words[] = {
    "news",      "article", "search",   "watch",    "tickets", "offers",   "product",
    "view",      "weather", "forecast", "signin",   "account", "settings", "travel",
    "timetable", "recipes", "sports",   "politics", "economy", "culture",  "photos",
    "share",     "status",  "docs",     "issues",   "help"};

static const char *const procs[] = {"apsd",
                                    "nsurlsessiond",
                                    "itunesstored",
                                    "mDNSResponder",
                                    "cloudd",
                                    "identityservicesd",
                                    "assistantd",
                                    "locationd",
                                    "softwareupdateservicesd",
                                    "mobileassetd",
                                    "akd",
                                    "parsecd",
                                    "geod",
                                    "storebookkeeperd",
                                    "rtcreportingd",
                                    "com.apple.WebKit.Networking",
                                    "trustd",
                                    "searchpartyd",
                                    "dasd",
                                    "remindd",
                                    "healthd",
                                    "appstored",
                                    "fitnessd",
                                    "gamed",
                                    "kbd"};

static const char *const apps[] = {
    "net.whatsapp.WhatsApp",     "com.spotify.client",      "ch.sbb.mobile",
    "com.google.Gmail",          "com.burbn.instagram",     "com.atebits.Tweetie2",
    "com.netflix.Netflix",       "ch.srf.mobile.srfplayer", "com.booking.BookingApp",
    "com.microsoft.skype.teams", "us.zoom.videomeetings",   "com.apple.mobilesafari",
    "com.apple.MobileSMS",       "com.apple.Maps",          "com.apple.mobilemail"};

/* A growable SQL script. */
typedef struct sqlbuf {
    char *s;
    size_t len, cap;
} sqlbuf;

static void sb_add(sqlbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(sqlbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap ? b->cap * 2 : 1 << 20;
        b->s = spy_xrealloc(b->s, b->cap);
    }
}

static void random_url(char *out, size_t cap)
{
    snprintf(out, cap, "https://%s/%s/%s-%llu?ref=%llu", domains[pick(COUNT(domains))],
             words[pick(COUNT(words))], words[pick(COUNT(words))],
             (unsigned long long)(rng() % 1000000), (unsigned long long)(rng() % 10000));
}

static char *seed_sql(const char *samples, const char *name)
{
    char *path = spy_xasprintf("%s/%s", samples, name);
    char *sql = tu_read(path, NULL);
    if (!sql) {
        fprintf(stderr, "gen_ios_backup: cannot read %s\n", path);
        exit(1);
    }
    free(path);
    return sql;
}

/* sms.db: the sample's schema and rows, then n messages, 1 in 4 with a link. */
static void gen_sms(bf_backup *b, const char *samples, long n)
{
    sqlbuf sb = {0};
    char *seed = seed_sql(samples, "sms.sql");
    sb_add(&sb, "%s\nBEGIN;\n", seed);
    free(seed);
    for (long i = 0; i < n; i++) {
        char url[256] = "";
        if (i % 4 == 0)
            random_url(url, sizeof url);
        long long date = 600000000LL + i * 2500LL;
        sb_add(
            &sb,
            "INSERT INTO message (ROWID, guid, text, handle_id, service, account, date, date_read,"
            " is_from_me, is_read, version) VALUES (%ld, 'GEN-%08ld', 'Message %ld %s%s', %d, "
            "'iMessage', 'E:sample@icloud.com', %lld000000000, %lld000000000, %d, 1, 10);\n",
            1000 + i, i, i, url[0] ? "see " : "", url, 1 + (int)(i % 4), date, date + 60,
            (int)(i % 2));
    }
    sb_add(&sb, "COMMIT;\n");
    bf_add_sqlite(b, "HomeDomain", "Library/SMS/sms.db", sb.s, NULL);
    free(sb.s);
}

/* History.db: n visits over n/5 items. */
static void gen_safari(bf_backup *b, const char *samples, long n)
{
    sqlbuf sb = {0};
    char *seed = seed_sql(samples, "safari_history.sql");
    sb_add(&sb, "%s\nBEGIN;\n", seed);
    free(seed);
    long items = n / 5 > 0 ? n / 5 : 1;
    for (long i = 0; i < items; i++) {
        char url[256];
        random_url(url, sizeof url);
        sb_add(&sb,
               "INSERT INTO history_items (id, url, visit_count, daily_visit_counts,"
               " should_recompute_derived_visit_counts, visit_count_score) VALUES "
               "(%ld, '%s-%ld', 5, X'05000000', 0, 500);\n",
               1000 + i, url, i);
    }
    for (long i = 0; i < n; i++)
        sb_add(&sb,
               "INSERT INTO history_visits (id, history_item, visit_time, title) VALUES "
               "(%ld, %ld, %ld.%03ld, 'Page %ld');\n",
               1000 + i, 1000 + (long)pick((size_t)items), 600000000L + i * 30, i % 1000, i);
    sb_add(&sb, "COMMIT;\n");
    bf_add_sqlite(b, "AppDomain-com.apple.mobilesafari", "Library/Safari/History.db", sb.s, NULL);
    free(sb.s);
}

/* DataUsage.sqlite: n more processes (contiguous ids after the sample's 12),
 * each with a live-usage row. */
static void gen_datausage(bf_backup *b, const char *samples, long n)
{
    sqlbuf sb = {0};
    char *seed = seed_sql(samples, "datausage.sql");
    sb_add(&sb, "%s\nBEGIN;\n", seed);
    free(seed);
    for (long i = 0; i < n; i++) {
        long pk = 13 + i;
        const char *app = apps[pick(COUNT(apps))];
        bool bundled = i % 3 == 0;
        sb_add(&sb, "INSERT INTO ZPROCESS VALUES (%ld, 3, 1, %ld.0, %ld.0, %s%s%s, '%s%s%s');\n",
               pk, 600000000L + i * 60, 700000000L + i * 60, bundled ? "'" : "",
               bundled ? app : "NULL", bundled ? "'" : "", procs[pick(COUNT(procs))],
               bundled ? "/" : "", bundled ? app : "");
        sb_add(
            &sb,
            "INSERT INTO ZLIVEUSAGE VALUES (%ld, 2, 1, 0, 0, 0, %ld, NULL, %ld.0, %llu.0, %llu.0,"
            " %llu.0, %llu.0);\n",
            pk, pk, 700000000L + i * 60, (unsigned long long)(rng() % 100000000),
            (unsigned long long)(rng() % 10000000), (unsigned long long)(rng() % 10000000),
            (unsigned long long)(rng() % 1000000));
    }
    sb_add(&sb, "COMMIT;\n");
    bf_add_sqlite(b, "WirelessDomain", "Library/Databases/DataUsage.sqlite", sb.s, NULL);
    free(sb.s);
}

/* ChatStorage.sqlite: n more messages in the sample's first chat. */
static void gen_whatsapp(bf_backup *b, const char *samples, long n)
{
    sqlbuf sb = {0};
    char *seed = seed_sql(samples, "whatsapp_chatstorage.sql");
    sb_add(&sb, "%s\nBEGIN;\n", seed);
    free(seed);
    for (long i = 0; i < n; i++) {
        char url[256] = "";
        if (i % 5 == 0)
            random_url(url, sizeof url);
        sb_add(&sb,
               "INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZISFROMME, ZMESSAGETYPE, ZCHATSESSION,"
               " ZMESSAGEDATE, ZFROMJID, ZSTANZAID, ZTEXT) VALUES (%ld, 4, 2, %d, 0, 1, %ld.0, "
               "'41791234567@s.whatsapp.net', 'GEN%ld', 'Chat line %ld %s');\n",
               1000 + i, (int)(i % 2), 600000000L + i * 100, i, i, url);
    }
    sb_add(&sb, "COMMIT;\n");
    bf_add_sqlite(b, "AppDomainGroup-group.net.whatsapp.WhatsApp.shared", "ChatStorage.sqlite",
                  sb.s, NULL);
    free(sb.s);
}

static void gen_tcc(bf_backup *b, const char *samples)
{
    char *seed = seed_sql(samples, "tcc.sql");
    bf_add_sqlite(b, "HomeDomain", "Library/TCC/TCC.db", seed, NULL);
    free(seed);
}

/* The Manifest bulk: app containers full of caches, preferences and
 * folders. About a third regular files (tiny content), the rest folders, as
 * in real backups (spec/ios.md §2.1: 1089 files, 2618 folders). */
static void gen_manifest_rows(bf_backup *b, long n)
{
    static const char *const kinds[] = {
        "Library/Caches", "Library/Preferences", "Documents", "Library/Application Support", "tmp",
        "Library/WebKit"};
    for (long i = 0; i < n; i++) {
        char domain[128], rel[256];
        snprintf(domain, sizeof domain, "AppDomain-%s", apps[i % COUNT(apps)]);
        snprintf(rel, sizeof rel, "%s/%s/%s_%ld%s", kinds[pick(COUNT(kinds))],
                 words[pick(COUNT(words))], words[pick(COUNT(words))], i, i % 3 == 0 ? ".dat" : "");
        if (i % 3 == 0) {
            char content[64];
            int len = snprintf(content, sizeof content, "generated content %ld\n", i);
            bf_add_file(b, domain, rel, content, (size_t)len);
        } else {
            bf_add_dir(b, domain, rel);
        }
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: gen_ios_backup [--scale S] [--samples SAMPLE_DB_DIR] "
                    "[--encrypted-twin DIR --password PW] OUT_DIR\n");
    exit(2);
}

int main(int argc, char **argv)
{
    double scale = 1.0;
    const char *samples = SPY_SAMPLE_DB_DIR, *out = NULL, *twin = NULL, *password = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--scale") && i + 1 < argc) {
            char *end = NULL;
            scale = strtod(argv[++i], &end);
            if (*end || scale <= 0 || scale > 100)
                usage();
        } else if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
            samples = argv[++i];
        } else if (!strcmp(argv[i], "--encrypted-twin") && i + 1 < argc) {
            twin = argv[++i];
        } else if (!strcmp(argv[i], "--password") && i + 1 < argc) {
            password = argv[++i];
        } else if (argv[i][0] != '-' && !out) {
            out = argv[i];
        } else {
            usage();
        }
    }
    if (!out || (twin && !password))
        usage();
    long manifest = (long)(400000 * scale), sms = (long)(40000 * scale),
         visits = (long)(100000 * scale), procs_n = (long)(1000 * scale),
         wa = (long)(20000 * scale);
    bf_backup *b = bf_new(out);
    gen_sms(b, samples, sms);
    gen_safari(b, samples, visits);
    gen_datausage(b, samples, procs_n);
    gen_whatsapp(b, samples, wa);
    gen_tcc(b, samples);
    gen_plist_counts pc = {0};
    gen_ios_plist_files(b, scale, &pc);
    /* The databases and plists are Manifest rows too: the bulk fills up to
     * the target (6 databases, 13 plist files). */
    gen_manifest_rows(b, manifest > 19 ? manifest - 19 : 0);
    json_t *manifest_plist = json_pack("{s:b, s:s}", "IsEncrypted", 0, "Version", "10.0");
    json_t *status = json_pack("{s:s, s:b}", "SnapshotState", "finished", "IsFullBackup", 1);
    bf_set_plists(b, NULL, manifest_plist, status); /* Info.plist: below, with data values */
    bf_finish(b);
    json_decref(manifest_plist);
    json_decref(status);
    gen_ios_info_plist(out, scale, &pc);
    printf("gen_ios_backup: %s: scale %.2f: %ld Manifest rows, %ld SMS, %ld Safari visits, "
           "%ld DataUsage processes, %ld WhatsApp messages (plus the sample's rows)\n",
           out, scale, manifest, sms, visits, procs_n + 12, wa);
    printf("gen_ios_backup: plists: Info.plist %.1f MB with %ld apps, %ld profiles, %ld profile "
           "events, %ld ID status entries, %ld locationd clients, %ld OS analytics processes, "
           "%ld WebKit log items, %ld global preferences\n",
           (double)pc.info_bytes / 1e6, pc.apps, pc.profiles, pc.profile_events, pc.id_entries,
           pc.locationd_clients, pc.adaily_procs, pc.webkit_items, pc.global_keys);
    if (twin) {
        /* The counts iOS uses, so a check pays the real key derivation. */
        bc_opts o = {.password = password, .iter = 10000, .dpic = 10000000};
        bc_encrypt_backup(out, twin, &o, NULL);
        printf("gen_ios_backup: %s: the encrypted twin (password-derived key, 10M + 10k "
               "PBKDF2 iterations)\n",
               twin);
    }
    return 0;
}
