/* Encrypted backups checked in place (spec/ios.md §3, design.md §3, §6):
 * Manifest.db and every content file are decrypted as they are read, through
 * the AES-CBC source of core/evfs_aes.h; nothing decrypted reaches a file. */
#include "acquire/ios_backup.h"

#include "acquire/ios_backup_internal.h"
#include "core/error.h"
#include "core/evfs_aes.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/nska.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.ios_backup"

void spy_backup_crypt_free(struct ios_crypt *c)
{
    if (!c)
        return;
    OPENSSL_cleanse(c, sizeof *c);
    free(c);
}

/* Bytes of a {"$data": base64} plist value (heap); false when absent/bad. */
static bool plist_data(const json_t *v, uint8_t **out, size_t *len)
{
    const char *b64 = json_string_value(json_object_get(v, "$data"));
    size_t n = b64 ? strlen(b64) : 0;
    if (!b64 || n % 4 || n > 4 * (size_t)SPY_KEYBAG_MAX_BYTES)
        return false;
    uint8_t *buf = spy_xmalloc(n / 4 * 3 + 1);
    int got = n ? EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)n) : 0;
    if (got < 0) {
        free(buf);
        return false;
    }
    size_t pad = n && b64[n - 1] == '=' ? (n > 1 && b64[n - 2] == '=' ? 2 : 1) : 0;
    *out = buf;
    *len = (size_t)got - pad;
    return true;
}

static bool has_sqlite_header(struct ios_backup *b)
{
    char hdr[16] = {0};
    int fd = openat(b->dirfd, "Manifest.db", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t r = pread(fd, hdr, sizeof hdr, 0);
    close(fd);
    return r == (ssize_t)sizeof hdr && memcmp(hdr, "SQLite format 3", 16) == 0;
}

/* Parses the keybag, gets the key (key file or password) and unwraps the
 * class keys: SPY_EPASSWORD for a wrong password, said plainly. */
static int unlock(struct ios_backup *b, const spy_secret_opts *so)
{
    uint8_t *kbuf = NULL;
    size_t klen = 0;
    if (!plist_data(json_object_get(b->manifest_plist, "BackupKeyBag"), &kbuf, &klen)) {
        spy_error(LOGGER, "%s/Manifest.plist: the backup is encrypted but has no BackupKeyBag",
                  b->dir);
        return SPY_EFORMAT;
    }
    spy_keybag kb;
    char *why = NULL;
    int err = spy_keybag_parse(kbuf, klen, &kb, &why);
    free(kbuf);
    if (err != SPY_OK) {
        spy_error(LOGGER, "%s/Manifest.plist: unusable BackupKeyBag: %s", b->dir, why);
        free(why);
        return SPY_EFORMAT;
    }
    b->crypt = spy_xcalloc(1, sizeof *b->crypt);
    if (!so) {
        spy_error(LOGGER, "%s: the backup is encrypted and no password or key was given", b->dir);
        err = SPY_EPASSWORD;
    } else {
        err = spy_secret_key(so, &kb, b->dir, b->crypt->derived);
    }
    if (err == SPY_OK &&
        (err = spy_keybag_unlock(&kb, b->crypt->derived, &b->crypt->keys)) == SPY_EPASSWORD)
        spy_error(LOGGER,
                  "%s: wrong password (or key file): the backup's keys do not unwrap with it",
                  b->dir);
    OPENSSL_cleanse(&kb, sizeof kb);
    if (err != SPY_OK) {
        spy_backup_crypt_free(b->crypt);
        b->crypt = NULL;
    }
    return err;
}

/* Ciphertext is never shorter than the plaintext: PKCS#7 always adds 1-16
 * bytes. So a content file as long as its Size is plain, and one 1-16
 * bytes longer and block-aligned is encrypted. The first file that tells
 * decides; none telling means plain. */
static bool files_look_encrypted(struct ios_backup *b)
{
    sqlite3_stmt *st = NULL;
    int verdict = -1;
    if (sqlite3_prepare_v2(b->manifest, "SELECT fileID, file FROM Files WHERE flags = 1 LIMIT 500",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    while (verdict < 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        spy_mbfile m;
        int fd;
        if (spy_nska_mbfile(sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), &m,
                            NULL) != SPY_OK)
            continue;
        struct stat sb;
        if (m.encryption_key && (m.have & SPY_MBF_SIZE) && m.size >= 0 &&
            spy_backup_open_blob(b, id, &fd) == SPY_OK) {
            if (fstat(fd, &sb) == 0) {
                uint64_t len = (uint64_t)sb.st_size, size = (uint64_t)m.size;
                if (len == size && len % 16)
                    verdict = 0;
                else if (len % 16 == 0 && len > size && len - size <= 16)
                    verdict = 1;
            }
            close(fd);
        }
        spy_mbfile_clear(&m);
    }
    sqlite3_finalize(st);
    return verdict == 1;
}

/* iOS 10.2+: Manifest.db is encrypted with ManifestKey. */
static int open_encrypted_manifest(struct ios_backup *b, const spy_secret_opts *so)
{
    uint8_t *mk = NULL;
    size_t mlen = 0;
    if (!plist_data(json_object_get(b->manifest_plist, "ManifestKey"), &mk, &mlen)) {
        spy_error(LOGGER,
                  "%s: Manifest.db is not a SQLite database and Manifest.plist has no "
                  "ManifestKey to decrypt it: the backup is corrupt",
                  b->dir);
        return SPY_EFORMAT;
    }
    int err = unlock(b, so);
    uint32_t cls = 0;
    if (err == SPY_OK) {
        err = spy_ios_unwrap_file_key(&b->crypt->keys, mk, mlen, &cls, b->crypt->manifest_key);
        if (err != SPY_OK)
            spy_error(LOGGER, "%s/Manifest.plist: ManifestKey %s", b->dir,
                      err == SPY_ENOTFOUND ? "names a protection class the keybag does not open"
                                           : "is not a valid wrapped key (corrupt)");
        err = err == SPY_OK ? SPY_OK : SPY_EFORMAT;
    }
    free(mk);
    if (err != SPY_OK)
        return err;
    b->crypt->manifest_encrypted = true;
    b->crypt->files_encrypted = true;
    spy_evsrc src;
    if ((err = spy_backup_manifest_src(b, &src)) != SPY_OK)
        return SPY_EFORMAT; /* said by the source */
    err = spy_evdb_open(&b->manifest, "Manifest.db", &src, NULL);
    char *why = NULL;
    if (err == SPY_OK && spy_evdb_check(b->manifest, false, NULL, &why) == SPY_OK &&
        sqlite3_exec(b->manifest, "SELECT fileID FROM Files LIMIT 1", NULL, NULL, NULL) ==
            SQLITE_OK) {
        spy_info(LOGGER, "Decrypting Manifest.db in memory as it is read");
        return SPY_OK;
    }
    spy_error(LOGGER, "%s/Manifest.db: does not decrypt into a backup manifest (%s)", b->dir,
              why ? why : "corrupt, truncated or bad padding");
    free(why);
    return SPY_EFORMAT;
}

int spy_backup_open_manifest_db(struct ios_backup *b, const spy_secret_opts *so, bool with_key)
{
    bool said = json_is_true(json_object_get(b->manifest_plist, "IsEncrypted"));
    bool sqlite = has_sqlite_header(b);
    if (said && !sqlite && !so) {
        spy_error(LOGGER, "%s: the backup is encrypted and no password or key was given", b->dir);
        return SPY_EPASSWORD;
    }
    if (said && !sqlite)
        return open_encrypted_manifest(b, so);
    if (!said && !sqlite && json_object_get(b->manifest_plist, "ManifestKey")) {
        spy_error(LOGGER,
                  "%s: Manifest.plist says the backup is not encrypted, but Manifest.db is not "
                  "a SQLite database: the backup is inconsistent or corrupt",
                  b->dir);
        return SPY_EFORMAT;
    }
    int err = spy_backup_open_manifest_plain(b);
    if (err != SPY_OK || !said)
        return err;
    /* IsEncrypted with a plain Manifest.db: an iOS < 10.2 backup (files
     * still encrypted) or a decrypted copy that kept Manifest.plist. */
    bool enc = files_look_encrypted(b);
    if (!enc && !with_key) {
        spy_info(LOGGER, "Manifest.plist says encrypted but Manifest.db and the files are plain: a "
                         "decrypted copy; checked as a plain backup");
        return SPY_OK;
    }
    if (enc)
        spy_info(LOGGER, "Encrypted backup with a plain Manifest.db (iOS before 10.2)");
    err = unlock(b, so);
    if (err == SPY_OK)
        b->crypt->files_encrypted = enc;
    return err;
}

int spy_backup_manifest_src(const struct ios_backup *b, spy_evsrc *out)
{
    int fd = openat(b->dirfd, "Manifest.db", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    spy_evsrc raw;
    int err = fd < 0 ? SPY_ENOTFOUND : spy_evsrc_from_fd(&raw, fd);
    if (err != SPY_OK || !b->crypt || !b->crypt->manifest_encrypted) {
        if (err == SPY_OK)
            *out = raw;
        return err;
    }
    spy_aes_info info;
    err = spy_evsrc_aes_cbc(out, &raw, b->crypt->manifest_key, -1, &info);
    if (err != SPY_OK)
        spy_error(LOGGER, "%s/Manifest.db: %s", b->dir,
                  info.cipher_size % 16 ? "not a whole number of AES blocks (truncated)"
                                        : "bad padding after decryption (corrupt or truncated)");
    return err;
}

/* The MBFile of a fileID (under the lookup lock). */
static int lookup_mbfile(struct ios_backup *b, const char *file_id, void **blob, size_t *len)
{
    sqlite3_stmt *st = NULL;
    int err = SPY_ENOTFOUND;
    pthread_mutex_lock(&b->lock);
    if (sqlite3_prepare_v2(b->manifest, "SELECT file FROM Files WHERE fileID = ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, file_id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) > 0) {
            *len = (size_t)sqlite3_column_bytes(st, 0);
            *blob = spy_xmalloc(*len);
            memcpy(*blob, sqlite3_column_blob(st, 0), *len);
            err = SPY_OK;
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&b->lock);
    return err;
}

static int wrap_src(const struct ios_crypt *c, const spy_mbfile *m, const char *label,
                    spy_evsrc *src)
{
    uint8_t key[32];
    uint32_t cls = 0;
    int err =
        spy_ios_unwrap_file_key(&c->keys, m->encryption_key, m->encryption_key_len, &cls, key);
    if (err != SPY_OK) {
        spy_evsrc_release(src);
        if (err == SPY_ENOTFOUND)
            spy_error(LOGGER,
                      "%s: encrypted with protection class %u, whose key the keybag does "
                      "not give",
                      label, cls);
        else
            spy_error(LOGGER, "%s: its EncryptionKey %s", label,
                      m->encryption_key_len != 44 ? "is not 44 bytes long"
                                                  : "does not unwrap (corrupt)");
        return SPY_EFORMAT;
    }
    int64_t size = (m->have & SPY_MBF_SIZE) && m->size >= 0 ? m->size : -1;
    spy_aes_info info;
    err = spy_evsrc_aes_cbc(src, src, key, size, &info);
    OPENSSL_cleanse(key, sizeof key);
    if (err == SPY_EFORMAT)
        spy_error(LOGGER, "%s: %s", label,
                  info.cipher_size % 16 ? "encrypted content is not a whole number of AES "
                                          "blocks (truncated or corrupt)"
                  : size >= 0           ? "encrypted content is shorter than its Size (truncated)"
                                        : "bad padding after decryption (corrupt)");
    else if (err != SPY_OK)
        spy_error(LOGGER, "%s: cannot be decrypted: %s", label, spy_err_str(err));
    else if (size >= 0 && !info.padding_ok)
        spy_warn(LOGGER, "%s: bad padding after decryption (corrupt end?); read as %lld bytes",
                 label, (long long)size);
    else if (size >= 0 && info.unpadded_size != (uint64_t)size)
        spy_warn(LOGGER, "%s: decrypts to %llu bytes but its Size says %lld; read as Size", label,
                 (unsigned long long)info.unpadded_size, (long long)size);
    return err;
}

int spy_backup_plain_src(struct ios_backup *b, const char *file_id, const char *label,
                         spy_evsrc *src)
{
    if (!b->crypt || !b->crypt->files_encrypted)
        return SPY_OK;
    void *blob = NULL;
    size_t len = 0;
    spy_mbfile m;
    char *why = NULL;
    int err = lookup_mbfile(b, file_id, &blob, &len);
    if (err == SPY_OK && (err = spy_nska_mbfile(blob, len, &m, &why)) != SPY_OK) {
        spy_error(LOGGER, "%s: its Manifest.db metadata is unreadable (%s)", label,
                  why ? why : spy_err_str(err));
        free(why);
    } else if (err != SPY_OK) {
        spy_error(LOGGER, "%s: no metadata in Manifest.db to decrypt it with", label);
    } else {
        /* A row without EncryptionKey holds its content as it is. */
        err = m.encryption_key ? wrap_src(b->crypt, &m, label, src) : SPY_OK;
        spy_mbfile_clear(&m);
        free(blob);
        return err;
    }
    free(blob);
    spy_evsrc_release(src);
    return SPY_EFORMAT;
}
