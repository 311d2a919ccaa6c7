/* BackupKeyBag parsing, key derivation and key unwrap (spec/ios.md §3.3-3.5):
 * a keybag written the iOS way parses and unlocks with the right password
 * only; RFC 3394 and RFC 6070 known answers; every malformed keybag (missing
 * or odd tags, zero or absurd counts, truncation) is refused with a reason. */
#include "acquire/ios_keybag.h"
#include "acquire/ios_secret.h"
#include "backup_crypt.h"
#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "testutil.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static void unhex(const char *h, uint8_t *out)
{
    for (size_t i = 0; h[2 * i]; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

/* A keybag as iOS writes it, with known salts; class 5 wrapped with the
 * device UID only (WRAP 1), which must be skipped. */
typedef struct kb_fixture {
    uint8_t *buf;
    size_t len;
    uint8_t class_key[12][32];
    uint8_t derived[32];
} kb_fixture;

static const uint8_t SALT[20] = "0123456789abcdefghij";
static const uint8_t DPSL[20] = "ABCDEFGHIJ0123456789";

static void header(uint8_t **b, size_t *n, unsigned iter, unsigned dpic)
{
    uint8_t uuid[16] = {1, 2, 3}, hmck[40] = {0};
    bc_tlv_u32(b, n, "VERS", 4);
    bc_tlv_u32(b, n, "TYPE", 1);
    bc_tlv(b, n, "UUID", uuid, 16);
    bc_tlv(b, n, "HMCK", hmck, 40);
    bc_tlv_u32(b, n, "WRAP", 0);
    bc_tlv(b, n, "SALT", SALT, 20);
    bc_tlv_u32(b, n, "ITER", iter);
    if (dpic) {
        bc_tlv_u32(b, n, "DPWT", 1);
        bc_tlv_u32(b, n, "DPIC", dpic);
        bc_tlv(b, n, "DPSL", DPSL, 20);
    }
}

static void class_rec(uint8_t **b, size_t *n, uint32_t cls, uint32_t wrap, const uint8_t w[40])
{
    uint8_t uuid[16] = {9, (uint8_t)cls};
    bc_tlv(b, n, "UUID", uuid, 16);
    bc_tlv_u32(b, n, "CLAS", cls);
    bc_tlv_u32(b, n, "WRAP", wrap);
    bc_tlv_u32(b, n, "KTYP", 0);
    bc_tlv(b, n, "WPKY", w, 40);
}

static void build(kb_fixture *f, const char *password, unsigned iter, unsigned dpic)
{
    memset(f, 0, sizeof *f);
    header(&f->buf, &f->len, iter, dpic);
    bc_derive(password, DPSL, dpic, SALT, iter, f->derived);
    for (uint32_t c = 1; c <= 11; c++) {
        uint8_t w[40];
        for (int i = 0; i < 32; i++)
            f->class_key[c][i] = (uint8_t)(c * 31 + i);
        bc_wrap(f->derived, f->class_key[c], w);
        class_rec(&f->buf, &f->len, c, c == 5 ? 1 : 3, w);
    }
}

static void test_rfc_known_answers(void **state)
{
    (void)state;
    /* RFC 3394 §4.6: 256-bit key data with a 256-bit KEK. */
    uint8_t kek[32], want[32], wrapped[40], got[32];
    unhex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", kek);
    unhex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F", want);
    unhex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21",
          wrapped);
    assert_int_equal(spy_aes_unwrap40(kek, wrapped, got), SPY_OK);
    assert_memory_equal(got, want, 32);
    wrapped[7] ^= 1;
    assert_int_equal(spy_aes_unwrap40(kek, wrapped, got), SPY_EPASSWORD);

    /* RFC 6070 (PBKDF2-HMAC-SHA1), through a keybag without the DP stage:
     * P="password", S="salt", c=2 → ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957. */
    spy_keybag kb = {.iter = 2, .has_iter = true, .salt_len = 4};
    memcpy(kb.salt, "salt", 4);
    uint8_t key[32], ref[20];
    assert_int_equal(spy_keybag_derive(&kb, "password", 8, key), SPY_OK);
    unhex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957", ref);
    assert_memory_equal(key, ref, 20);
}

static void test_parse_derive_unlock(void **state)
{
    (void)state;
    kb_fixture f;
    build(&f, "correct horse", 7, 13);
    spy_keybag kb;
    char *why = NULL;
    assert_int_equal(spy_keybag_parse(f.buf, f.len, &kb, &why), SPY_OK);
    assert_null(why);
    assert_int_equal(kb.vers, 4);
    assert_int_equal(kb.type, 1);
    assert_int_equal(kb.iter, 7);
    assert_int_equal(kb.dpic, 13);
    assert_true(spy_keybag_has_dp(&kb));
    assert_int_equal(kb.n_classes, 11);
    assert_int_equal(kb.wrap, 0); /* the first WRAP: the header's, not a class's */
    assert_int_equal(kb.uuid[0], 1);
    assert_int_equal(kb.cls[5].wrap, 1);

    uint8_t key[32];
    assert_int_equal(spy_keybag_derive(&kb, "correct horse", 13, key), SPY_OK);
    assert_memory_equal(key, f.derived, 32);
    spy_ios_keys keys;
    assert_int_equal(spy_keybag_unlock(&kb, key, &keys), SPY_OK);
    for (int c = 1; c <= 11; c++) {
        assert_int_equal(keys.have[c], c != 5);
        if (c != 5)
            assert_memory_equal(keys.key[c], f.class_key[c], 32);
    }
    /* A per-file key: class 3, little-endian, then the wrapped key. */
    uint8_t fkey[32], blob[44] = {3, 0, 0, 0}, out[32];
    uint32_t cls = 0;
    memset(fkey, 0x5a, 32);
    bc_wrap(f.class_key[3], fkey, blob + 4);
    assert_int_equal(spy_ios_unwrap_file_key(&keys, blob, 44, &cls, out), SPY_OK);
    assert_int_equal(cls, 3);
    assert_memory_equal(out, fkey, 32);
    blob[0] = 5; /* a UID-only class: no key */
    assert_int_equal(spy_ios_unwrap_file_key(&keys, blob, 44, &cls, out), SPY_ENOTFOUND);
    blob[0] = 40; /* an unknown class */
    assert_int_equal(spy_ios_unwrap_file_key(&keys, blob, 44, &cls, out), SPY_ENOTFOUND);
    blob[0] = 3;
    assert_int_equal(spy_ios_unwrap_file_key(&keys, blob, 43, &cls, out), SPY_EFORMAT);
    blob[20] ^= 0x80; /* damaged wrapped key */
    assert_int_equal(spy_ios_unwrap_file_key(&keys, blob, 44, &cls, out), SPY_EPASSWORD);
    spy_ios_keys_wipe(&keys);
    assert_false(keys.have[3]);

    /* The wrong password fails the integrity check: said as such. */
    assert_int_equal(spy_keybag_derive(&kb, "wrong horse", 11, key), SPY_OK);
    assert_int_equal(spy_keybag_unlock(&kb, key, &keys), SPY_EPASSWORD);
    assert_false(keys.have[1]);
    free(f.buf);
}

static void test_pre_10_2_keybag(void **state)
{
    (void)state;
    kb_fixture f;
    build(&f, "pw", 5, 0);
    spy_keybag kb;
    assert_int_equal(spy_keybag_parse(f.buf, f.len, &kb, NULL), SPY_OK);
    assert_false(spy_keybag_has_dp(&kb));
    uint8_t key[32];
    assert_int_equal(spy_keybag_derive(&kb, "pw", 2, key), SPY_OK);
    assert_memory_equal(key, f.derived, 32);
    free(f.buf);
}

/* Parses buf and expects a refusal whose reason mentions `word`. */
static void refused(const uint8_t *buf, size_t len, const char *word)
{
    spy_keybag kb;
    char *why = NULL;
    assert_int_equal(spy_keybag_parse(buf, len, &kb, &why), SPY_EFORMAT);
    assert_non_null(why);
    if (!strstr(why, word))
        fail_msg("reason \"%s\" does not mention \"%s\"", why, word);
    assert_int_equal(kb.n_classes, 0);
    free(why);
}

static void test_malformed_keybags(void **state)
{
    (void)state;
    uint8_t w[40] = {0};
    uint8_t *b = NULL;
    size_t n = 0;
    kb_fixture f;
    build(&f, "pw", 5, 9);

    refused(NULL, 0, "empty");
    /* Every cut inside a record's value is a truncation. */
    for (size_t pos = 0; pos + 8 <= f.len;) {
        size_t vlen = (size_t)f.buf[pos + 4] << 24 | (size_t)f.buf[pos + 5] << 16 |
                      (size_t)f.buf[pos + 6] << 8 | f.buf[pos + 7];
        for (size_t cut = pos + 8; cut < pos + 8 + vlen; cut++)
            refused(f.buf, cut, "truncated");
        pos += 8 + vlen;
    }
    refused(f.buf, 8 + 3, "truncated"); /* VERS claims 4 bytes, 3 remain */

#define CASE(word, ...)                                                                            \
    do {                                                                                           \
        n = 0;                                                                                     \
        __VA_ARGS__;                                                                               \
        refused(b, n, word);                                                                       \
    } while (0)
    /* no SALT */
    CASE("SALT", bc_tlv_u32(&b, &n, "ITER", 5); class_rec(&b, &n, 1, 3, w));
    /* ITER zero, absent, absurd */
    CASE("ITER", bc_tlv(&b, &n, "SALT", SALT, 20); bc_tlv_u32(&b, &n, "ITER", 0);
         class_rec(&b, &n, 1, 3, w));
    CASE("ITER", bc_tlv(&b, &n, "SALT", SALT, 20); class_rec(&b, &n, 1, 3, w));
    CASE("ITER", bc_tlv(&b, &n, "SALT", SALT, 20); bc_tlv_u32(&b, &n, "ITER", 0xffffffffu);
         class_rec(&b, &n, 1, 3, w));
    /* DPIC zero or absurd; DPSL without DPIC */
    CASE("DPIC", header(&b, &n, 5, 0); bc_tlv_u32(&b, &n, "DPIC", 0);
         bc_tlv(&b, &n, "DPSL", DPSL, 20); class_rec(&b, &n, 1, 3, w));
    CASE("DPIC", header(&b, &n, 5, 0xfffffff0u); class_rec(&b, &n, 1, 3, w));
    CASE("DPIC", header(&b, &n, 5, 0); bc_tlv(&b, &n, "DPSL", DPSL, 20);
         class_rec(&b, &n, 1, 3, w));
    /* a 4-byte number of another length */
    CASE("4-byte", bc_tlv(&b, &n, "ITER", "\0\0\0\5\0", 5));
    /* a salt of 0 or 100 bytes */
    CASE("SALT", bc_tlv(&b, &n, "SALT", SALT, 0));
    {
        uint8_t big[100] = {0};
        CASE("SALT", bc_tlv(&b, &n, "SALT", big, 100));
    }
    /* class records: no CLAS, CLAS 0 / out of range / twice, short WPKY, none at all */
    CASE("CLAS", header(&b, &n, 5, 0); bc_tlv(&b, &n, "UUID", w, 16);
         bc_tlv(&b, &n, "WPKY", w, 40));
    CASE("range", header(&b, &n, 5, 0); class_rec(&b, &n, 0, 3, w));
    CASE("range", header(&b, &n, 5, 0); class_rec(&b, &n, 99, 3, w));
    CASE("twice", header(&b, &n, 5, 0); class_rec(&b, &n, 2, 3, w); class_rec(&b, &n, 2, 3, w));
    CASE("WPKY", header(&b, &n, 5, 0); bc_tlv(&b, &n, "UUID", w, 16); bc_tlv_u32(&b, &n, "CLAS", 1);
         bc_tlv(&b, &n, "WPKY", w, 32));
    CASE("no wrapped class key", header(&b, &n, 5, 0));
    /* TYPE beyond 3; a first UUID that is not 16 bytes */
    CASE("TYPE", bc_tlv_u32(&b, &n, "TYPE", 9); header(&b, &n, 5, 0); class_rec(&b, &n, 1, 3, w));
    CASE("UUID", bc_tlv(&b, &n, "UUID", w, 15); header(&b, &n, 5, 0));
#undef CASE
    /* Trailing bytes shorter than a record header are ignored (spec §3.3). */
    uint8_t *t = spy_xmalloc(f.len + 5);
    memcpy(t, f.buf, f.len);
    memcpy(t + f.len, "ABCDE", 5);
    spy_keybag kb;
    assert_int_equal(spy_keybag_parse(t, f.len + 5, &kb, NULL), SPY_OK);
    free(t);
    free(b);
    free(f.buf);
}

static void test_key_files(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *p = tu_join(dir, "key");
    uint8_t key[32];
    const char *good = "00112233445566778899aabbccddeeffFFEEDDCCBBAA99887766554433221100";
    tu_write_str(p, good);
    assert_int_equal(spy_keyfile_read(p, key), SPY_OK);
    assert_int_equal(key[1], 0x11);
    assert_int_equal(key[16], 0xff);
    char hex[65];
    spy_key_hex(key, hex);
    assert_string_equal(hex, "00112233445566778899aabbccddeeffffeeddccbbaa99887766554433221100");
    /* MVT's rule: exactly 64 characters; a trailing newline is refused. */
    char *nl = spy_xasprintf("%s\n", good);
    tu_write_str(p, nl);
    assert_int_equal(spy_keyfile_read(p, key), SPY_EFORMAT);
    tu_write_str(p, "0011");
    assert_int_equal(spy_keyfile_read(p, key), SPY_EFORMAT);
    tu_write_str(p, "zz112233445566778899aabbccddeeffFFEEDDCCBBAA99887766554433221100");
    assert_int_equal(spy_keyfile_read(p, key), SPY_EFORMAT);
    char *missing = tu_join(dir, "nope");
    assert_int_equal(spy_keyfile_read(missing, key), SPY_EIO);
    free(missing);
    free(nl);
    tu_rmtree(dir);
    free(dir);
    free(p);
}

int main(void)
{
    spy_log_set_quiet(true);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_known_answers), cmocka_unit_test(test_parse_derive_unlock),
        cmocka_unit_test(test_pre_10_2_keybag),   cmocka_unit_test(test_malformed_keybags),
        cmocka_unit_test(test_key_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
