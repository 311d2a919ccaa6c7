#include "ab_fixture.h"

#include "testutil.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define DEFAULT_MTIME 1709287200LL

typedef struct buf {
    unsigned char *p;
    size_t len, cap;
} buf;

static void put(buf *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2 + 4096;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    if (len)
        memcpy(b->p + b->len, data, len);
    b->len += len;
}

static void put_str(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* ---- ustar ---- */

static void octal(char *field, size_t width, unsigned long long v)
{
    /* width - 1 digits and a NUL, as GNU tar writes them. */
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%0*llo", (int)(width - 1), v);
    memcpy(field, tmp, width - 1);
    field[width - 1] = '\0';
}

/* Splits a long name into ustar prefix/name at a '/'; a name that fits
 * neither way is cut (tests keep names short). */
static void set_name(char *h, const char *name)
{
    size_t n = strlen(name);
    if (n <= 100) {
        memcpy(h, name, n);
        return;
    }
    const char *slash = name + n - 101;
    while (*slash && *slash != '/')
        slash++;
    size_t pre = (size_t)(slash - name);
    assert_true(*slash == '/' && pre <= 155);
    memcpy(h + 345, name, pre);
    memcpy(h, slash + 1, n - pre - 1);
}

static void tar_member(buf *b, const abf_member *m)
{
    char h[512] = {0};
    char type = m->type ? m->type : '0';
    size_t size = type == '0' ? m->len : 0;
    set_name(h, m->name);
    octal(h + 100, 8, type == '5' ? 0755 : 0600);
    octal(h + 108, 8, 10057);
    octal(h + 116, 8, 10057);
    octal(h + 124, 12, size);
    octal(h + 136, 12, (unsigned long long)(m->mtime ? m->mtime : DEFAULT_MTIME));
    h[156] = type;
    if (m->link)
        memcpy(h + 157, m->link, strlen(m->link) < 100 ? strlen(m->link) : 100);
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += (unsigned char)h[i];
    snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    put(b, h, 512);
    if (size) {
        put(b, m->data, size);
        static const char zero[512];
        if (size % 512)
            put(b, zero, 512 - size % 512);
    }
}

void *abf_tar(const abf_member *m, size_t n, size_t *len)
{
    buf b = {0};
    for (size_t i = 0; i < n; i++)
        tar_member(&b, &m[i]);
    static const char zero[1024];
    put(&b, zero, sizeof zero);
    *len = b.len;
    return b.p;
}

/* ---- zlib, AES ---- */

void *abf_zlib(const void *data, size_t len, size_t *out_len)
{
    uLongf cap = compressBound((uLong)len);
    unsigned char *out = malloc(cap ? cap : 1);
    assert_non_null(out);
    assert_int_equal(compress2(out, &cap, data, (uLong)len, Z_BEST_COMPRESSION), Z_OK);
    *out_len = cap;
    return out;
}

static void hex_line(buf *b, const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        char two[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
        put(b, two, 2);
    }
    put(b, "\n", 1);
}

static void cbc(const unsigned char key[32], const unsigned char iv[16], const void *in, size_t len,
                buf *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    assert_non_null(c);
    assert_int_equal(EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, key, iv), 1);
    unsigned char *tmp = malloc(len + 32);
    assert_non_null(tmp);
    int a = 0, f = 0;
    assert_int_equal(EVP_EncryptUpdate(c, tmp, &a, in, (int)len), 1);
    assert_int_equal(EVP_EncryptFinal_ex(c, tmp + a, &f), 1);
    put(out, tmp, (size_t)a + (size_t)f);
    free(tmp);
    EVP_CIPHER_CTX_free(c);
}

/* Java's quirk (spec §1.4 step 3): key bytes as signed chars in UTF-8. */
static size_t java_utf8(const unsigned char *k, size_t n, unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (k[i] < 0x80) {
            out[o++] = k[i];
        } else {
            out[o++] = 0xEF;
            out[o++] = (unsigned char)(0xBC | ((k[i] >> 6) & 0x3F));
            out[o++] = (unsigned char)(0x80 | (k[i] & 0x3F));
        }
    }
    return o;
}

static void encrypt(buf *out, const void *data, size_t len, const abf_opts *o, int version)
{
    unsigned iters = o->iterations ? o->iterations : 10000;
    unsigned char user_salt[64], ck_salt[64], user_iv[16], mk[32], mk_iv[16], user_key[32];
    assert_int_equal(RAND_bytes(user_salt, 64), 1);
    assert_int_equal(RAND_bytes(ck_salt, 64), 1);
    assert_int_equal(RAND_bytes(user_iv, 16), 1);
    assert_int_equal(RAND_bytes(mk_iv, 16), 1);
    if (o->master_key)
        memcpy(mk, o->master_key, 32);
    else
        assert_int_equal(RAND_bytes(mk, 32), 1);
    assert_int_equal(PKCS5_PBKDF2_HMAC(o->password, (int)strlen(o->password), user_salt, 64,
                                       (int)iters, EVP_sha1(), 32, user_key),
                     1);
    unsigned char kin[96], ck[32];
    size_t klen = version > 1 ? java_utf8(mk, 32, kin) : 32;
    if (version <= 1)
        memcpy(kin, mk, 32);
    assert_int_equal(PKCS5_PBKDF2_HMAC((const char *)kin, (int)klen, ck_salt, 64, (int)iters,
                                       EVP_sha1(), 32, ck),
                     1);
    if (o->bad_checksum)
        ck[7] ^= 0x40;
    unsigned char blob[83];
    blob[0] = 16;
    memcpy(blob + 1, mk_iv, 16);
    blob[17] = 32;
    memcpy(blob + 18, mk, 32);
    blob[50] = 32;
    memcpy(blob + 51, ck, 32);
    buf eblob = {0};
    cbc(user_key, user_iv, blob, sizeof blob, &eblob);
    hex_line(out, user_salt, 64);
    hex_line(out, ck_salt, 64);
    char it[16];
    snprintf(it, sizeof it, "%u\n", iters);
    put_str(out, it);
    hex_line(out, user_iv, 16);
    hex_line(out, eblob.p, eblob.len);
    free(eblob.p);
    cbc(mk, mk_iv, data, len, out);
}

void *abf_wrap(const void *payload, size_t plen, const abf_opts *o, size_t *len)
{
    abf_opts none = {0};
    if (!o)
        o = &none;
    int version = o->version ? o->version : 5;
    buf b = {0};
    char head[96];
    snprintf(head, sizeof head, "ANDROID BACKUP\n%d\n%d\n%s\n", version, o->compress ? 1 : 0,
             o->password ? "AES-256" : "none");
    put_str(&b, head);
    const void *data = payload;
    size_t dlen = plen;
    void *z = NULL;
    if (o->compress)
        data = z = abf_zlib(payload, plen, &dlen);
    if (o->password)
        encrypt(&b, data, dlen, o, version);
    else
        put(&b, data, dlen);
    free(z);
    *len = b.len;
    return b.p;
}

void *abf_build(const abf_member *m, size_t n, const abf_opts *o, size_t *len)
{
    size_t tlen = 0;
    void *tar = abf_tar(m, n, &tlen);
    void *ab = abf_wrap(tar, tlen, o, len);
    free(tar);
    return ab;
}

char *abf_write_bytes(const char *dir, const char *file, const void *data, size_t len)
{
    char *path = tu_join(dir, file);
    tu_write(path, data, len);
    return path;
}

char *abf_write(const char *dir, const char *file, const abf_member *m, size_t n, const abf_opts *o)
{
    size_t len = 0;
    void *ab = abf_build(m, n, o, &len);
    char *path = abf_write_bytes(dir, file, ab, len);
    free(ab);
    return path;
}

static void mkdirs_for(const char *path)
{
    char *copy = strdup(path);
    assert_non_null(copy);
    for (char *s = strchr(copy + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(copy, 0700) != 0 && errno != EEXIST)
            fail_msg("mkdir %s", copy);
        *s = '/';
    }
    free(copy);
}

char *abf_write_folder(const char *dir, const char *folder, const abf_member *m, size_t n)
{
    char *root = tu_join(dir, folder);
    if (mkdir(root, 0700) != 0 && errno != EEXIST)
        fail_msg("mkdir %s", root);
    for (size_t i = 0; i < n; i++) {
        if (m[i].type && m[i].type != '0')
            continue;
        char *p = tu_join(root, m[i].name);
        mkdirs_for(p);
        tu_write(p, m[i].data, m[i].len);
        free(p);
    }
    return root;
}
