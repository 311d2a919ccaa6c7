/* Generates a large, realistic AndroidQF acquisition for
 * bench/run_androidqf.sh: at the default size 5,000 packages in
 * packages.json (with APK hashes and certificates), 400k entries in
 * files.json, getprop/settings/ps/mounts/root_binaries, log files, and a
 * nested bugreport.zip whose dumpstate text is ~50 MB (package, appops,
 * batterystats, dbinfo, accessibility, platform_compat and adb sections for
 * the same packages) with 2,000 FS/ members and tombstones. Rows come from a
 * fixed-seed PRNG, so two runs write the same acquisition.
 *
 * Usage: gen_androidqf [--packages N] [--files N] [--dumpsys-mb M] OUT_DIR
 * Writes OUT_DIR/<uuid>/ only (OUT_DIR is created if missing). */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define UUID "7d1c9e2a-5b44-4f0e-8a61-2c3b9d0e4f11"

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static void hex(char *out, size_t nbytes)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < nbytes * 2; i++)
        out[i] = d[rng() & 15];
    out[nbytes * 2] = '\0';
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* dir/name in a fresh string (no fixed-size path buffers). */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        die("memory");
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static FILE *create(const char *dir, const char *name)
{
    char *path = join(dir, name);
    FILE *f = fopen(path, "wx");
    if (!f)
        die(path);
    free(path);
    return f;
}

static const char *const vendors[] = {"google",    "samsung", "facebook",  "whatsapp", "spotify",
                                      "microsoft", "tencent", "bytedance", "example",  "android"};
static const char *const words[] = {"mail", "music",   "maps", "camera",  "chat",   "notes",
                                    "news", "weather", "bank", "fitness", "photos", "reader"};

static void package_name(size_t i, char *out, size_t cap)
{
    snprintf(out, cap, "com.%s.%s%zu", vendors[i % 10], words[(i / 10) % 12], i);
}

static void write_packages(const char *dir, size_t n)
{
    FILE *f = create(dir, "packages.json");
    fputs("[", f);
    for (size_t i = 0; i < n; i++) {
        char name[128], md5[33], sha1[41], sha256[65], sha512[129], c1[33], c2[41], c3[65];
        package_name(i, name, sizeof name);
        hex(md5, 16), hex(sha1, 20), hex(sha256, 32), hex(sha512, 64);
        hex(c1, 16), hex(c2, 20), hex(c3, 32);
        const char *installer = i % 7 == 0 ? "null" : "com.android.vending";
        fprintf(
            f,
            "%s\n {\"name\": \"%s\", \"files\": [{\"path\": \"/data/app/~~%s==/%s-1/base.apk\", "
            "\"local_name\": \"\", \"md5\": \"%s\", \"sha1\": \"%s\", \"sha256\": \"%s\", "
            "\"sha512\": \"%s\", \"error\": \"\", \"verified_certificate\": true, "
            "\"certificate\": {\"Md5\": \"%s\", \"Sha1\": \"%s\", \"Sha256\": \"%s\", "
            "\"ValidFrom\": \"2019-01-01T00:00:00Z\", \"ValidTo\": \"2049-01-01T00:00:00Z\", "
            "\"Issuer\": \"CN=%s\", \"Subject\": \"CN=%s\", \"SignatureAlgorithm\": "
            "\"SHA256-RSA\", \"SerialNumber\": %llu}, \"certificate_error\": \"\", "
            "\"trusted_certificate\": false}], \"installer\": \"%s\", \"uid\": %zu, "
            "\"disabled\": false, \"system\": %s, \"third_party\": %s}",
            i ? "," : "", name, c1, name, md5, sha1, sha256, sha512, c1, c2, c3, vendors[i % 10],
            vendors[i % 10], (unsigned long long)(rng() >> 1), installer, 10000 + i,
            i % 3 == 0 ? "true" : "false", i % 3 == 0 ? "false" : "true");
    }
    fputs("\n]\n", f);
    fclose(f);
}

static void write_files(const char *dir, size_t n)
{
    FILE *f = create(dir, "files.json");
    fputs("[", f);
    for (size_t i = 0; i < n; i++) {
        char md5[33], sha1[41], sha256[65];
        hex(md5, 16), hex(sha1, 20), hex(sha256, 32);
        long t = 1700000000L + (long)(rng() % 20000000u);
        fprintf(
            f,
            "%s\n{\"path\": \"/sdcard/%s/%s/file_%zu.%s\", \"size\": %llu, \"mode\": "
            "\"-rw-rw----\", \"user_id\": 10%03zu, \"user_name\": \"u0_a%zu\", \"group_id\": "
            "9997, \"group_name\": \"everybody\", \"changed_time\": %ld, \"modified_time\": %ld, "
            "\"access_time\": %ld, \"error\": \"\", \"context\": "
            "\"u:object_r:media_rw_data_file:s0\", \"sha1\": \"%s\", \"sha256\": \"%s\", "
            "\"sha512\": \"\", \"md5\": \"%s\"}",
            i ? "," : "", words[i % 12], vendors[(i / 12) % 10], i, i % 3 ? "jpg" : "txt",
            (unsigned long long)(rng() % 5000000u), i % 1000, i % 300, t, t - 60, t + 3600, sha1,
            sha256, md5);
    }
    fputs("\n]\n", f);
    fclose(f);
}

static void write_small_files(const char *dir, size_t n_packages)
{
    FILE *f = create(dir, "acquisition.json");
    fputs("{\"uuid\": \"" UUID "\", \"androidqf_version\": \"1.7.0\", \"started\": "
          "\"2024-03-01T09:58:00Z\", \"completed\": \"2024-03-01T10:25:00Z\", "
          "\"adb_host_public_key\": \"QAAAAJx0bench= analyst@laptop\"}\n",
          f);
    fclose(f);
    f = create(dir, "getprop.txt");
    fputs("[ro.product.model]: [Pixel 7]\n[ro.build.version.release]: [14]\n"
          "[ro.build.version.security_patch]: [2024-02-05]\n[persist.sys.timezone]: "
          "[Europe/Berlin]\n",
          f);
    for (int i = 0; i < 800; i++)
        fprintf(f, "[vendor.bench.prop%d]: [%d]\n", i, i);
    fclose(f);
    const char *ns[] = {"system", "secure", "global"};
    for (int k = 0; k < 3; k++) {
        char name[64];
        snprintf(name, sizeof name, "settings_%s.txt", ns[k]);
        f = create(dir, name);
        for (int i = 0; i < 300; i++)
            fprintf(f, "bench_setting_%d=%d\n", i, i % 2);
        fputs("adb_enabled=1\npackage_verifier_enable=1\n", f);
        fclose(f);
    }
    f = create(dir, "ps.txt");
    fputs("USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME\n", f);
    for (size_t i = 0; i < 1200; i++) {
        char name[128];
        package_name(i % n_packages, name, sizeof name);
        fprintf(f, "u0_a%-9zu %5zu   700 %7llu %6llu 0                   0 S %s\n", i, 2000 + i,
                (unsigned long long)(rng() % 9000000u), (unsigned long long)(rng() % 300000u),
                name);
    }
    fclose(f);
    f = create(dir, "mounts.json");
    fputs("[\"/dev/block/dm-0 on / type ext4 (ro,seclabel,relatime)\", \"/dev/block/dm-1 on "
          "/vendor type ext4 (ro,seclabel,relatime)\", \"tmpfs on /dev type tmpfs "
          "(rw,seclabel,nosuid,relatime,mode=755)\", \"/dev/block/dm-5 on /data type f2fs "
          "(rw,lazytime,seclabel,nosuid,nodev,noatime)\"]\n",
          f);
    fclose(f);
    f = create(dir, "root_binaries.json");
    fputs("[]\n", f);
    fclose(f);
}

static void write_logs(const char *dir)
{
    char *logs = join(dir, "logs");
    if (mkdir(logs, 0700) != 0)
        die(logs);
    for (int i = 0; i < 200; i++) {
        char name[64];
        snprintf(name, sizeof name, "dropbox_%03d.txt", i);
        FILE *f = create(logs, name);
        fprintf(f, "log %d\n", i);
        fclose(f);
    }
    free(logs);
}

/* The dumpstate text: growable buffer. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (size_t)n + 1;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            die("memory");
    }
}

#define RULE "-------------------------------------------------------------------------------\n"

static void section(sbuf *b, const char *name)
{
    sb_printf(b, RULE "DUMP OF SERVICE %s:\n", name);
}

static void end_section(sbuf *b, const char *name)
{
    sb_printf(b,
              "--------- 0.051s was the duration of dumpsys %s, ending at: 2024-03-01 10:01:00\n",
              name);
}

static void dumpstate(sbuf *b, size_t n, size_t target)
{
    sb_printf(b, "========================================================\n== dumpstate: "
                 "2024-03-01 10:00:00\n========================================================"
                 "\n\n------ SYSTEM PROPERTIES (getprop) ------\n[ro.product.model]: [Pixel 7]\n"
                 "[ro.build.version.release]: [14]\n[ro.build.version.security_patch]: "
                 "[2024-02-05]\n------ 0.019s was the duration of 'SYSTEM PROPERTIES' ------\n");
    char name[128];
    section(b, "accessibility");
    sb_printf(b, "ACCESSIBILITY MANAGER (dumpsys accessibility)\nUser state[\n  installed "
                 "services: {\n    0 : com.google.android.marvin.talkback/.TalkBackService\n  "
                 "}\n]\n");
    end_section(b, "accessibility");
    section(b, "package");
    sb_printf(b, "Activity Resolver Table:\n  Non-Data Actions:\n");
    for (size_t i = 0; i < n; i++) {
        package_name(i, name, sizeof name);
        sb_printf(b,
                  "      android.intent.action.MAIN:\n        %llx %s/.MainActivity filter %llx\n",
                  (unsigned long long)(rng() >> 36), name, (unsigned long long)(rng() >> 36));
    }
    sb_printf(b, "\nPackages:\n");
    for (size_t i = 0; i < n; i++) {
        package_name(i, name, sizeof name);
        sb_printf(b,
                  "  Package [%s] (%llx):\n    userId=%zu\n    pkg=Package{%llx %s}\n    "
                  "codePath=/data/app/%s-1\n    versionCode=%zu minSdk=28 targetSdk=34\n    "
                  "versionName=%zu.0\n    timeStamp=2024-01-%02zu 10:00:00\n    "
                  "firstInstallTime=2023-12-01 09:00:00\n    lastUpdateTime=2024-01-%02zu "
                  "10:00:00\n    installerPackageName=com.android.vending\n    "
                  "requested permissions:\n      android.permission.INTERNET\n      "
                  "android.permission.CAMERA\n    install permissions:\n      "
                  "android.permission.INTERNET: granted=true\n    User 0: ceDataInode=%zu "
                  "installed=true hidden=false suspended=false stopped=false notLaunched=false "
                  "enabled=0\n      runtime permissions:\n        "
                  "android.permission.CAMERA: granted=true, flags=[ USER_SET ]\n",
                  name, (unsigned long long)(rng() >> 36), 10000 + i,
                  (unsigned long long)(rng() >> 36), name, name, 100 + i, i % 50, 1 + i % 28,
                  1 + i % 28, 4000 + i);
    }
    sb_printf(b, "\n");
    end_section(b, "package");
    section(b, "appops");
    sb_printf(b, "Current AppOps Service state:\n  Uid 0:\n    state=pers\n");
    for (size_t i = 0; i < n; i++) {
        package_name(i, name, sizeof name);
        sb_printf(b,
                  "  Uid u0a%zu:\n    state=cch\n    Package %s:\n      CAMERA (allow):\n"
                  "          Access: [fg-s] 2024-02-%02zu 18:05:34.325 (-22d4h22m19s762ms)\n"
                  "      READ_CONTACTS (allow):\n          Access: [bg-tpd] 2024-02-%02zu "
                  "11:00:01.001 (-2d1h2m3s4ms)\n",
                  i, name, 1 + i % 28, 1 + i % 28);
    }
    sb_printf(b, "\n");
    end_section(b, "appops");
    section(b, "dbinfo");
    for (size_t i = 0; i < n; i++) {
        package_name(i, name, sizeof name);
        sb_printf(b,
                  "Connection pool for /data/user/0/%s/databases/main.db:\n  Open: true\n  "
                  "Max connections: 1\n    Most recently executed operations:\n      0: "
                  "[2024-02-27 12:21:44.097] [Pid:(0)]executeForCursorWindow took 2ms - "
                  "succeeded, sql=\"SELECT * FROM t\", path=/data/user/0/%s/databases/main.db\n",
                  name, name);
    }
    end_section(b, "dbinfo");
    section(b, "platform_compat");
    sb_printf(b, "ChangeId(168419799; name=DOWNSCALED; disabled; packageOverrides={%s=true})\n",
              "com.example.gone");
    end_section(b, "platform_compat");
    section(b, "adb");
    sb_printf(b, "ADB MANAGER STATE (dumpsys adb):\n{\n  debugging_manager={\n    "
                 "connected_to_adb=true\n    user_keys=QAAAAJx0bench= analyst@laptop\n\n  }\n}\n");
    end_section(b, "adb");
    /* batterystats last: its history fills the text to the target size. */
    section(b, "batterystats");
    sb_printf(b, "Battery History (2%% used, 100KB used of 4096KB, 1000 strings using 80KB):\n");
    for (size_t i = 0; b->len < target; i++) {
        package_name(i % n, name, sizeof name);
        sb_printf(b,
                  "                    +%zum%03zums (2) 100 c0900422 +job=u0a%zu:\"%s/.SyncJob\"\n"
                  "                    +%zum%03zums (2) 100 80000020 -job=u0a%zu:\"%s/.SyncJob\"\n",
                  i / 1000, i % 1000, i % n, name, i / 1000, (i + 1) % 1000, i % n, name);
    }
    sb_printf(b, "\n  Daily from 2024-02-27-03-00-00 to 2024-02-28-03-00-00:\n    Package "
                 "changes:\n");
    for (size_t i = 0; i < n; i += 10) {
        package_name(i, name, sizeof name);
        sb_printf(b, "      Update %s vers=%zu\n", name, 100 + i);
    }
    end_section(b, "batterystats");
    sb_printf(b, RULE);
}

static void zip_add(struct archive *ar, const char *name, const void *data, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1709286000, 0);
    archive_entry_set_size(e, (la_int64_t)len);
    if (archive_write_header(ar, e) != ARCHIVE_OK ||
        (len && archive_write_data(ar, data, len) != (la_ssize_t)len)) {
        fprintf(stderr, "gen_androidqf: zip: %s\n", archive_error_string(ar));
        exit(1);
    }
    archive_entry_free(e);
}

static void write_bugreport(const char *dir, size_t n_packages, size_t dumpsys_mb)
{
    char *path = join(dir, "bugreport.zip");
    struct archive *ar = archive_write_new();
    archive_write_set_format_zip(ar);
    if (archive_write_open_filename(ar, path) != ARCHIVE_OK)
        die(path);
    free(path);
    const char *main_name = "bugreport-panther-UP1A.231005.007-2024-03-01-10-00-00.txt";
    zip_add(ar, "main_entry.txt", main_name, strlen(main_name));
    zip_add(ar, "version.txt", "2.0", 3);
    sbuf b = {.cap = dumpsys_mb * 1024 * 1024 + 1024 * 1024};
    b.p = malloc(b.cap);
    if (!b.p)
        die("memory");
    dumpstate(&b, n_packages, dumpsys_mb * 1024 * 1024);
    zip_add(ar, main_name, b.p, b.len);
    free(b.p);
    for (int i = 0; i < 2000; i++) {
        char name[128], body[256];
        snprintf(name, sizeof name, "FS/data/misc/bench/d%02d/file_%04d", i % 40, i);
        int n = snprintf(body, sizeof body, "file %d\n", i);
        zip_add(ar, name, body, (size_t)n);
    }
    for (int i = 0; i < 20; i++) {
        char name[128], body[1024];
        snprintf(name, sizeof name, "FS/data/tombstones/tombstone_%02d", i);
        int n = snprintf(body, sizeof body,
                         "*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***\n"
                         "Build fingerprint: 'google/panther/panther:14/UP1A.231005.007/"
                         "10754064:user/release-keys'\nRevision: 'MP1.0'\nABI: 'arm64'\n"
                         "Timestamp: 2024-02-%02d 12:32:40.518290770+0100\nProcess uptime: 0s\n"
                         "Cmdline: /system/bin/bench_%d\npid: %d, tid: %d, name: bench_%d  >>> "
                         "/system/bin/bench_%d <<<\nuid: 1000\nsignal 6 (SIGABRT), code -1 "
                         "(SI_QUEUE), fault addr --------\n",
                         1 + i, i, 3000 + i, 3000 + i, i, i);
        zip_add(ar, name, body, (size_t)n);
    }
    if (archive_write_close(ar) != ARCHIVE_OK)
        die("zip close");
    archive_write_free(ar);
}

int main(int argc, char **argv)
{
    size_t packages = 5000, files = 400000, mb = 50;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        size_t v = (size_t)strtoull(argv[i + 1], NULL, 10);
        if (!strcmp(argv[i], "--packages"))
            packages = v ? v : 1;
        else if (!strcmp(argv[i], "--files"))
            files = v;
        else if (!strcmp(argv[i], "--dumpsys-mb"))
            mb = v;
        else
            break;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: gen_androidqf [--packages N] [--files N] [--dumpsys-mb M] OUT\n");
        return 2;
    }
    if (mkdir(argv[i], 0700) != 0 && errno != EEXIST)
        die(argv[i]);
    char *dir = join(argv[i], UUID);
    if (mkdir(dir, 0700) != 0)
        die(dir);
    write_small_files(dir, packages);
    write_packages(dir, packages);
    write_files(dir, files);
    write_logs(dir);
    write_bugreport(dir, packages, mb);
    printf("%s\n", dir);
    free(dir);
    return 0;
}
