/* Generates a large `adb backup` file for bench/run_android_backup.sh: the
 * telephony provider's SMS and MMS files as TelephonyBackupAgent writes them
 * (a zlib-compressed JSON array per file, 1,000 messages a file), behind
 * other apps' members, in a tar stream that is zlib-compressed and, with
 * --password, AES-256 encrypted (spec/android.md §1.4). One in four
 * messages carries a link; a few hundred point at real indicator domains.
 * Messages come from a fixed-seed PRNG; keys and salts are random.
 *
 * Usage: gen_android_backup [--sms N] [--mms N] [--per-file N]
 *                           [--password P] [--no-compress] OUT.ab
 * Written as a stream (tar → deflate → AES-CBC → file), without the test
 * library. */
#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define ITERATIONS 10000

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static void die(const char *what)
{
    fprintf(stderr, "gen_android_backup: %s\n", what);
    exit(1);
}

/* ---- the output pipeline: deflate, then AES-CBC, then the file ---- */
typedef struct sink {
    FILE *f;
    z_stream z;
    int compress;
    EVP_CIPHER_CTX *aes; /* NULL: not encrypted */
    unsigned char *buf;
    size_t cap;
} sink;

static void sink_raw(sink *s, const void *p, size_t n)
{
    if (!s->aes) {
        if (n && fwrite(p, 1, n, s->f) != n)
            die("write failed");
        return;
    }
    if (s->cap < n + 32) {
        s->buf = realloc(s->buf, s->cap = n + 32);
        if (!s->buf)
            die("memory");
    }
    int out = 0;
    if (EVP_EncryptUpdate(s->aes, s->buf, &out, p, (int)n) != 1)
        die("AES failed");
    if (out && fwrite(s->buf, 1, (size_t)out, s->f) != (size_t)out)
        die("write failed");
}

static void sink_put(sink *s, const void *p, size_t n, int finish)
{
    if (!s->compress) {
        sink_raw(s, p, n);
        return;
    }
    unsigned char out[65536];
    s->z.next_in = (Bytef *)(uintptr_t)p;
    s->z.avail_in = (uInt)n;
    int zr;
    do {
        s->z.next_out = out;
        s->z.avail_out = sizeof out;
        zr = deflate(&s->z, finish ? Z_FINISH : Z_NO_FLUSH);
        sink_raw(s, out, sizeof out - s->z.avail_out);
    } while (s->z.avail_out == 0 || (finish && zr != Z_STREAM_END));
}

static la_ssize_t tar_write(struct archive *a, void *ud, const void *p, size_t n)
{
    (void)a;
    sink_put(ud, p, n, 0);
    return (la_ssize_t)n;
}

/* ---- the .ab header and key material ---- */
static void put_hex(FILE *f, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02X", p[i]);
    fputc('\n', f);
}

static void pbkdf2(const void *pw, size_t n, const unsigned char salt[64], unsigned char out[32])
{
    if (PKCS5_PBKDF2_HMAC(pw, (int)n, salt, 64, ITERATIONS, EVP_sha1(), 32, out) != 1)
        die("PBKDF2 failed");
}

/* Header lines 5-9 (§1.4), then the cipher set up with the master key. */
static void start_encryption(sink *s, const char *password)
{
    unsigned char user_salt[64], ck_salt[64], user_iv[16], mk_iv[16], mk[32], user_key[32], ck[32];
    if (RAND_bytes(user_salt, 64) != 1 || RAND_bytes(ck_salt, 64) != 1 ||
        RAND_bytes(user_iv, 16) != 1 || RAND_bytes(mk_iv, 16) != 1 || RAND_bytes(mk, 32) != 1)
        die("no random bytes");
    pbkdf2(password, strlen(password), user_salt, user_key);
    /* Version 5 checksum: Java turned each key byte into a char (bytes
     * >= 0x80 become U+FF80..U+FFFF) and hashed its UTF-8. */
    unsigned char k[96];
    size_t kn = 0;
    for (size_t i = 0; i < 32; i++) {
        if (mk[i] < 0x80) {
            k[kn++] = mk[i];
        } else {
            k[kn++] = 0xEF;
            k[kn++] = (unsigned char)(0xBC | ((mk[i] >> 6) & 0x3F));
            k[kn++] = (unsigned char)(0x80 | (mk[i] & 0x3F));
        }
    }
    pbkdf2(k, kn, ck_salt, ck);
    unsigned char blob[83], enc[96 + 16];
    blob[0] = 16, memcpy(blob + 1, mk_iv, 16);
    blob[17] = 32, memcpy(blob + 18, mk, 32);
    blob[50] = 32, memcpy(blob + 51, ck, 32);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int a = 0, b = 0;
    if (!c || EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, user_key, user_iv) != 1 ||
        EVP_EncryptUpdate(c, enc, &a, blob, sizeof blob) != 1 ||
        EVP_EncryptFinal_ex(c, enc + a, &b) != 1)
        die("AES failed");
    EVP_CIPHER_CTX_free(c);
    put_hex(s->f, user_salt, 64);
    put_hex(s->f, ck_salt, 64);
    fprintf(s->f, "%d\n", ITERATIONS);
    put_hex(s->f, user_iv, 16);
    put_hex(s->f, enc, (size_t)(a + b));
    s->aes = EVP_CIPHER_CTX_new();
    if (!s->aes || EVP_EncryptInit_ex(s->aes, EVP_aes_256_cbc(), NULL, mk, mk_iv) != 1)
        die("AES failed");
}

/* ---- members ---- */
static void add_member(struct archive *a, const char *name, const void *data, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0600);
    archive_entry_set_mtime(e, 1709287200, 0);
    if (archive_write_header(a, e) != ARCHIVE_OK ||
        (len && archive_write_data(a, data, len) != (la_ssize_t)len))
        die(archive_error_string(a));
    archive_entry_free(e);
}

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void tput(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tput(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + 4096;
        t->p = realloc(t->p, t->cap);
        if (!t->p)
            die("memory");
    }
}

/* Real indicator domains (Predator, Pegasus) and ordinary ones. */
static const char *const BAD[] = {"coazoa.com", "exclusivo24h.com", "14-tracking.com"};
static const char *const GOOD[] = {"www.wikipedia.org", "maps.google.com", "www.bbc.co.uk", "t.co",
                                   "github.com",        "news.example.org"};
static const char *const WORDS[] = {"ok",   "see you", "tomorrow", "call me", "thanks", "at home",
                                    "late", "dinner",  "meeting",  "train",   "love",   "where?"};

static void body(text *t, size_t i)
{
    int words = 3 + (int)(rng() % 12);
    for (int w = 0; w < words; w++)
        tput(t, "%s%s", w ? " " : "", WORDS[rng() % 12]);
    if (i % 4 == 0) {
        const char *host = i % 400 == 0 ? BAD[(i / 400) % 3] : GOOD[rng() % 6];
        tput(t, " https://%s/%llx?s=%u", host, (unsigned long long)(rng() >> 20),
             (unsigned)(rng() % 1000));
    }
}

static void sms_json(text *t, size_t first, size_t n)
{
    t->len = 0;
    tput(t, "[");
    for (size_t i = first; i < first + n; i++) {
        unsigned long long date = 1640995200000ULL + (unsigned long long)i * 30000ULL;
        int sent = rng() % 3 == 0;
        tput(t, "%s{\"self_phone\":\"+381601234567\",\"address\":\"+38164%07llu\",\"body\":\"",
             i > first ? "," : "", (unsigned long long)(rng() % 10000000));
        body(t, i);
        tput(t,
             "\",\"date\":\"%llu\",\"date_sent\":\"%llu\",\"status\":\"-1\",\"type\":\"%d\","
             "\"recipients\":[\"+38164%07llu\"],\"archived\":false,\"read\":\"1\"}",
             date, sent ? date - 800 : 0ULL, sent ? 2 : 1, (unsigned long long)(rng() % 10000000));
    }
    tput(t, "]");
}

static void mms_json(text *t, size_t first, size_t n)
{
    t->len = 0;
    tput(t, "[");
    for (size_t i = first; i < first + n; i++) {
        unsigned long long date = 1640995200ULL + (unsigned long long)i * 600ULL;
        tput(
            t,
            "%s{\"date\":\"%llu\",\"date_sent\":\"0\",\"m_type\":\"132\",\"v\":\"18\","
            "\"msg_box\":\"1\",\"tr_id\":\"T%llx\",\"read\":\"1\",\"mms_addresses\":[{\"type\":137,"
            "\"address\":\"+38165%07llu\",\"charset\":106}],",
            i > first ? "," : "", date, (unsigned long long)rng(),
            (unsigned long long)(rng() % 10000000));
        if (i % 3) { /* picture-only MMS have no text part */
            tput(t, "\"mms_body\":\"");
            body(t, i);
            tput(t, "\",\"mms_charset\":106,");
        }
        tput(t, "\"recipients\":[\"+38165%07llu\"],\"archived\":false}",
             (unsigned long long)(rng() % 10000000));
    }
    tput(t, "]");
}

static void add_compressed(struct archive *a, const char *name, const text *t)
{
    uLongf n = compressBound((uLong)t->len);
    unsigned char *z = malloc(n);
    if (!z || compress2(z, &n, (const Bytef *)t->p, (uLong)t->len, 6) != Z_OK)
        die("zlib failed");
    add_member(a, name, z, n);
    free(z);
}

static void add_messages(struct archive *a, size_t total, size_t per_file, int mms)
{
    text t = {0};
    for (size_t f = 0, first = 0; first < total; f++, first += per_file) {
        size_t n = total - first < per_file ? total - first : per_file;
        (mms ? mms_json : sms_json)(&t, first, n);
        char name[128];
        snprintf(name, sizeof name, "apps/com.android.providers.telephony/d_f/%06zu_%s_backup", f,
                 mms ? "mms" : "sms");
        add_compressed(a, name, &t);
    }
    free(t.p);
}

/* Other apps' members: manifests and a few MiB of opaque files. */
static void add_noise(struct archive *a)
{
    static unsigned char blob[65536];
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (unsigned char)rng();
    for (int app = 0; app < 40; app++) {
        char name[160], manifest[128];
        int n = snprintf(manifest, sizeof manifest, "1\ncom.example.app%d\n", app);
        snprintf(name, sizeof name, "apps/com.example.app%d/_manifest", app);
        add_member(a, name, manifest, (size_t)n);
        snprintf(name, sizeof name, "apps/com.example.app%d/f/cache.bin", app);
        add_member(a, name, blob, sizeof blob);
        snprintf(name, sizeof name, "apps/com.example.app%d/sp/prefs.xml", app);
        add_member(a, name, "<map />\n", 8);
    }
}

int main(int argc, char **argv)
{
    size_t n_sms = 100000, n_mms = 2000, per_file = 1000;
    const char *password = NULL, *out = NULL;
    int compress = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sms") && i + 1 < argc)
            n_sms = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--mms") && i + 1 < argc)
            n_mms = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--per-file") && i + 1 < argc)
            per_file = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--password") && i + 1 < argc)
            password = argv[++i];
        else if (!strcmp(argv[i], "--no-compress"))
            compress = 0;
        else if (argv[i][0] != '-' && !out)
            out = argv[i];
        else
            die("usage: gen_android_backup [--sms N] [--mms N] [--per-file N] [--password P] "
                "[--no-compress] OUT.ab");
    }
    if (!out || per_file == 0)
        die("usage: gen_android_backup [options] OUT.ab");
    sink s = {.compress = compress};
    if (!(s.f = fopen(out, "wbx")))
        die("cannot create the output file (does it exist?)");
    fprintf(s.f, "ANDROID BACKUP\n5\n%d\n%s\n", compress, password ? "AES-256" : "none");
    if (password)
        start_encryption(&s, password);
    if (compress && deflateInit(&s.z, 6) != Z_OK)
        die("zlib failed");
    struct archive *a = archive_write_new();
    if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
        archive_write_open(a, &s, NULL, tar_write, NULL) != ARCHIVE_OK)
        die("libarchive failed");
    add_noise(a);
    static const char manifest[] = "1\ncom.android.providers.telephony\n";
    add_member(a, "apps/com.android.providers.telephony/_manifest", manifest, sizeof manifest - 1);
    add_messages(a, n_sms, per_file, 0);
    add_messages(a, n_mms, per_file, 1);
    if (archive_write_close(a) != ARCHIVE_OK)
        die(archive_error_string(a));
    archive_write_free(a);
    sink_put(&s, NULL, 0, 1);
    if (compress)
        deflateEnd(&s.z);
    if (s.aes) {
        int n = 0;
        unsigned char last[32];
        if (EVP_EncryptFinal_ex(s.aes, last, &n) != 1)
            die("AES failed");
        EVP_CIPHER_CTX_free(s.aes);
        s.aes = NULL; /* the last block goes to the file as it is */
        sink_raw(&s, last, (size_t)n);
    }
    free(s.buf);
    if (fclose(s.f) != 0)
        die("write failed");
    puts(out);
    return 0;
}
