#include "backup_crypt.h"

#include "bplist_writer.h"
#include "core/mem.h"
#include "core/nska.h"
#include "core/plist.h"
#include "testutil.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_CLASSES      11
#define FILE_CLASS     3 /* CompleteUntilFirstUserAuthentication, as most files */
#define MANIFEST_CLASS 4 /* None */

static void die(const char *what)
{
    fprintf(stderr, "backup crypt fixture: %s\n", what);
    abort();
}

void bc_tlv(uint8_t **buf, size_t *len, const char *tag, const void *v, uint32_t n)
{
    *buf = spy_xrealloc(*buf, *len + 8 + n);
    uint8_t *p = *buf + *len;
    memcpy(p, tag, 4);
    p[4] = (uint8_t)(n >> 24), p[5] = (uint8_t)(n >> 16), p[6] = (uint8_t)(n >> 8),
    p[7] = (uint8_t)n;
    if (n)
        memcpy(p + 8, v, n);
    *len += 8 + n;
}

void bc_tlv_u32(uint8_t **buf, size_t *len, const char *tag, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    bc_tlv(buf, len, tag, b, 4);
}

void bc_cbc_encrypt(const uint8_t key[32], const void *in, size_t len, uint8_t **out,
                    size_t *out_len)
{
    uint8_t iv[16] = {0};
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    *out = spy_xmalloc(len + 16);
    int a = 0, b = 0;
    if (!c || EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, key, iv) != 1 ||
        EVP_EncryptUpdate(c, *out, &a, in, (int)len) != 1 ||
        EVP_EncryptFinal_ex(c, *out + a, &b) != 1)
        die("AES-CBC");
    *out_len = (size_t)a + (size_t)b;
    EVP_CIPHER_CTX_free(c);
}

void bc_wrap(const uint8_t kek[32], const uint8_t key[32], uint8_t out[40])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int a = 0, b = 0;
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (EVP_EncryptInit_ex(c, EVP_aes_256_wrap(), NULL, kek, NULL) != 1 ||
        EVP_EncryptUpdate(c, out, &a, key, 32) != 1 || EVP_EncryptFinal_ex(c, out + a, &b) != 1 ||
        a + b != 40)
        die("key wrap");
    EVP_CIPHER_CTX_free(c);
}

void bc_derive(const char *password, const uint8_t *dpsl, unsigned dpic, const uint8_t *salt,
               unsigned iter, uint8_t out[32])
{
    uint8_t k1[32];
    const char *p = password;
    int plen = (int)strlen(password);
    if (dpic) {
        PKCS5_PBKDF2_HMAC(password, plen, dpsl, 20, (int)dpic, EVP_sha256(), 32, k1);
        p = (const char *)k1;
        plen = 32;
    }
    PKCS5_PBKDF2_HMAC(p, plen, salt, 20, (int)iter, EVP_sha1(), 32, out);
}

static void rnd(void *p, size_t n)
{
    if (RAND_bytes(p, (int)n) != 1)
        die("RAND_bytes");
}

typedef struct bc_state {
    uint8_t class_key[N_CLASSES + 1][32];
    uint8_t *keybag;
    size_t keybag_len;
    uint8_t derived[32];
} bc_state;

static void make_keybag(bc_state *s, const bc_opts *o)
{
    uint8_t uuid[16], hmck[40], salt[20], dpsl[20];
    rnd(uuid, 16), rnd(hmck, 40), rnd(salt, 20), rnd(dpsl, 20);
    bc_tlv_u32(&s->keybag, &s->keybag_len, "VERS", o->dpic ? 4 : 3);
    bc_tlv_u32(&s->keybag, &s->keybag_len, "TYPE", 1);
    bc_tlv(&s->keybag, &s->keybag_len, "UUID", uuid, 16);
    bc_tlv(&s->keybag, &s->keybag_len, "HMCK", hmck, 40);
    bc_tlv_u32(&s->keybag, &s->keybag_len, "WRAP", 0);
    bc_tlv(&s->keybag, &s->keybag_len, "SALT", salt, 20);
    bc_tlv_u32(&s->keybag, &s->keybag_len, "ITER", o->iter);
    if (o->dpic) {
        bc_tlv_u32(&s->keybag, &s->keybag_len, "DPWT", 1);
        bc_tlv_u32(&s->keybag, &s->keybag_len, "DPIC", o->dpic);
        bc_tlv(&s->keybag, &s->keybag_len, "DPSL", dpsl, 20);
    }
    bc_derive(o->password, dpsl, o->dpic, salt, o->iter, s->derived);
    for (uint32_t c = 1; c <= N_CLASSES; c++) {
        uint8_t w[40];
        rnd(s->class_key[c], 32);
        rnd(uuid, 16);
        bc_wrap(s->derived, s->class_key[c], w);
        bc_tlv(&s->keybag, &s->keybag_len, "UUID", uuid, 16);
        bc_tlv_u32(&s->keybag, &s->keybag_len, "CLAS", c);
        bc_tlv_u32(&s->keybag, &s->keybag_len, "WRAP", 3);
        bc_tlv_u32(&s->keybag, &s->keybag_len, "KTYP", 0);
        bc_tlv(&s->keybag, &s->keybag_len, "WPKY", w, 40);
    }
}

/* 4-byte little-endian class + the wrapped key, as EncryptionKey holds it. */
static void key_blob(const bc_state *s, uint32_t cls, const uint8_t key[32], uint8_t out[44])
{
    out[0] = (uint8_t)cls, out[1] = (uint8_t)(cls >> 8), out[2] = (uint8_t)(cls >> 16),
    out[3] = (uint8_t)(cls >> 24);
    bc_wrap(s->class_key[cls], key, out + 4);
}

static bpw_mbfile to_bpw(const spy_mbfile *m)
{
    bpw_mbfile b = {.relative_path = m->relative_path,
                    .target = m->target,
                    .size = m->size,
                    .mode = m->mode,
                    .user_id = m->user_id,
                    .group_id = m->group_id,
                    .inode = m->inode,
                    .flags = m->flags,
                    .protection_class = m->protection_class,
                    .birth = m->birth.unix_secs,
                    .last_modified = m->last_modified.unix_secs,
                    .last_status_change = m->last_status_change.unix_secs,
                    .digest = m->digest,
                    .digest_len = m->digest_len};
    return b;
}

/* One content file: encrypted with a fresh key, written to enc_dir. */
static void encrypt_content(const char *plain_dir, const char *enc_dir, const char *id,
                            const uint8_t key[32])
{
    char *rel = spy_xasprintf("%.2s/%s", id, id);
    char *src = tu_join(plain_dir, rel);
    size_t len = 0;
    char *data = tu_read(src, &len);
    if (data) {
        char *sub = spy_xasprintf("%s/%.2s", enc_dir, id);
        mkdir(sub, 0755);
        uint8_t *ct = NULL;
        size_t ctlen = 0;
        bc_cbc_encrypt(key, data, len, &ct, &ctlen);
        char *dst = tu_join(enc_dir, rel);
        tu_write(dst, (const char *)ct, ctlen);
        free(dst);
        free(ct);
        free(sub);
    }
    free(data);
    free(src);
    free(rel);
}

/* Copies Files row by row (rowid order kept), adding EncryptionKey to
 * every regular file and encrypting its content. */
static void convert_rows(bc_state *s, const char *plain_dir, const char *enc_dir, sqlite3 *in,
                         sqlite3 *out)
{
    sqlite3_stmt *rd = NULL, *wr = NULL;
    if (sqlite3_prepare_v2(in,
                           "SELECT fileID, domain, relativePath, flags, file FROM Files "
                           "ORDER BY rowid",
                           -1, &rd, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(out, "INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)", -1, &wr, NULL) !=
            SQLITE_OK)
        die("Manifest.db statements");
    while (sqlite3_step(rd) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(rd, 0);
        const void *blob = sqlite3_column_blob(rd, 4);
        size_t blen = (size_t)sqlite3_column_bytes(rd, 4);
        uint8_t *nblob = NULL;
        size_t nlen = 0;
        spy_mbfile m;
        if (sqlite3_column_int(rd, 3) == 1 && blen && spy_nska_mbfile(blob, blen, &m, NULL) == 0) {
            uint8_t key[32], kb[44];
            rnd(key, 32);
            uint32_t cls = m.protection_class > 0 && m.protection_class <= N_CLASSES
                               ? (uint32_t)m.protection_class
                               : FILE_CLASS;
            key_blob(s, cls, key, kb);
            bpw_mbfile b = to_bpw(&m);
            b.protection_class = cls;
            b.encryption_key = kb;
            b.encryption_key_len = 44;
            if (bpw_mbfile_blob(&b, &nblob, &nlen) != 0)
                die("MBFile blob");
            encrypt_content(plain_dir, enc_dir, id, key);
            spy_mbfile_clear(&m);
        }
        for (int c = 0; c < 4; c++)
            sqlite3_bind_value(wr, c + 1, sqlite3_column_value(rd, c));
        if (nblob)
            sqlite3_bind_blob(wr, 5, nblob, (int)nlen, SQLITE_TRANSIENT);
        else
            sqlite3_bind_value(wr, 5, sqlite3_column_value(rd, 4));
        if (sqlite3_step(wr) != SQLITE_DONE)
            die("insert Files row");
        sqlite3_reset(wr);
        free(nblob);
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db));
}

static json_t *data_value(const uint8_t *p, size_t n)
{
    char *b64 = spy_xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)b64, p, (int)n);
    json_t *v = json_pack("{s:s}", "$data", b64);
    free(b64);
    return v;
}

static void copy_file(const char *from_dir, const char *to_dir, const char *name)
{
    char *a = tu_join(from_dir, name), *b = tu_join(to_dir, name);
    size_t len = 0;
    char *data = tu_read(a, &len);
    if (data)
        tu_write(b, data, len);
    free(data);
    free(a);
    free(b);
}

static void write_manifest_plist(const bc_state *s, const char *plain_dir, const char *enc_dir,
                                 const uint8_t *mkey_blob)
{
    char *p = tu_join(plain_dir, "Manifest.plist");
    size_t len = 0;
    char *data = tu_read(p, &len);
    json_t *mp = NULL;
    if (!data || spy_plist_parse(data, len, &mp, NULL) != 0)
        die("plain Manifest.plist");
    json_object_set_new(mp, "IsEncrypted", json_true());
    json_object_set_new(mp, "BackupKeyBag", data_value(s->keybag, s->keybag_len));
    if (mkey_blob)
        json_object_set_new(mp, "ManifestKey", data_value(mkey_blob, 44));
    uint8_t *out = NULL;
    size_t n = 0;
    if (bpw_write(mp, NULL, &out, &n) != 0)
        die("Manifest.plist");
    char *q = tu_join(enc_dir, "Manifest.plist");
    tu_write(q, (const char *)out, n);
    free(q);
    free(out);
    json_decref(mp);
    free(data);
    free(p);
}

void bc_encrypt_backup(const char *plain_dir, const char *enc_dir, const bc_opts *o,
                       uint8_t derived[32])
{
    bc_state s = {0};
    if (mkdir(enc_dir, 0755) != 0)
        die("cannot create the encrypted backup folder");
    make_keybag(&s, o);
    char *mpath = tu_join(plain_dir, "Manifest.db");
    sqlite3 *in = NULL, *out = NULL;
    if (sqlite3_open_v2(mpath, &in, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_open(":memory:", &out) != SQLITE_OK)
        die("Manifest.db");
    exec(out, "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, "
              "flags INTEGER, file BLOB);"
              "CREATE INDEX FilesDomainIdx ON Files(domain);"
              "CREATE INDEX FilesRelativePathIdx ON Files(relativePath);"
              "CREATE INDEX FilesFlagsIdx ON Files(flags);"
              "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);");
    convert_rows(&s, plain_dir, enc_dir, in, out);
    sqlite3_int64 dblen = 0;
    unsigned char *db = sqlite3_serialize(out, "main", &dblen, 0);
    if (!db)
        die("serialize");
    char *dst = tu_join(enc_dir, "Manifest.db");
    uint8_t mkey[32], mblob[44];
    if (o->dpic) {
        uint8_t *ct = NULL;
        size_t ctlen = 0;
        rnd(mkey, 32);
        key_blob(&s, MANIFEST_CLASS, mkey, mblob);
        bc_cbc_encrypt(mkey, db, (size_t)dblen, &ct, &ctlen);
        tu_write(dst, (const char *)ct, ctlen);
        free(ct);
    } else {
        tu_write(dst, (const char *)db, (size_t)dblen);
    }
    write_manifest_plist(&s, plain_dir, enc_dir, o->dpic ? mblob : NULL);
    copy_file(plain_dir, enc_dir, "Info.plist");
    copy_file(plain_dir, enc_dir, "Status.plist");
    if (derived)
        memcpy(derived, s.derived, 32);
    sqlite3_free(db);
    sqlite3_close(in);
    sqlite3_close(out);
    free(dst);
    free(mpath);
    free(s.keybag);
}
