/* The dumpsys line helpers (modules/android/pytext.h) against plain
 * byte-at-a-time versions of the same rules: the block-at-a-time paths
 * (line ends, leading spaces, words, strip's shortcut) must cut every text the same way,
 * whatever the offset of a break or a space inside a block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "modules/android/pytext.h"

/* str.splitlines() break at p: its length, 0 when none */
static size_t ref_break(const unsigned char *p, const unsigned char *end)
{
    if (*p == '\n' || *p == '\v' || *p == '\f' || *p == 0x1c || *p == 0x1d || *p == 0x1e)
        return 1;
    if (*p == '\r')
        return p + 1 < end && p[1] == '\n' ? 2 : 1;
    if (*p == 0xc2 && p + 1 < end && p[1] == 0x85)
        return 2;
    if (*p == 0xe2 && p + 2 < end && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
        return 3;
    return 0;
}

/* Python whitespace at p as pytext.c reads it: its length, 0 when none */
static size_t ref_space(const unsigned char *p, const unsigned char *end)
{
    size_t n = (size_t)(end - p);
    if (*p < 0x80)
        return *p == ' ' || (*p >= '\t' && *p <= '\r') || (*p >= 0x1c && *p <= 0x1f);
    if (n >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
        return 2;
    if (n >= 3 && ((p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80) ||
                   (p[0] == 0xe2 && p[1] == 0x80 &&
                    (p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf)) ||
                   (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) ||
                   (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)))
        return 3;
    return 0;
}

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static void test_against_reference(void **state)
{
    (void)state;
    /* spaces and letters mostly, so that runs cross 8-, 16- and 32-byte blocks */
    static const unsigned char pick[] = {' ',  ' ',  ' ',  ' ',  ' ',  'a',  'b',  '+',  '\n',
                                         '\r', '\t', 0x0b, 0x1c, 0x1f, 0xc2, 0x85, 0xa0, 0xe2,
                                         0x80, 0xa8, 0x8a, 0xff, 0xe3, 0x00, '"'};
    unsigned char buf[200];
    uint32_t seed = 1;
    for (int round = 0; round < 20000; round++) {
        size_t len = rnd(&seed) % sizeof buf;
        size_t run = rnd(&seed) % 70; /* a long run of spaces or letters first */
        unsigned char fill = rnd(&seed) % 2 ? ' ' : 'x';
        for (size_t i = 0; i < len; i++)
            buf[i] = i < run ? fill : pick[rnd(&seed) % sizeof pick];
        const unsigned char *end = buf + len;
        /* lines */
        spy_lines it;
        spy_text line;
        spy_lines_init(&it, (const char *)buf, len);
        const unsigned char *p = buf;
        while (p < end) {
            const unsigned char *q = p;
            size_t br = 0;
            while (q < end && (br = ref_break(q, end)) == 0)
                q++;
            assert_true(spy_lines_next(&it, &line));
            assert_ptr_equal(line.p, (const char *)p);
            assert_int_equal(line.n, (size_t)(q - p));
            p = q + br;
        }
        assert_false(spy_lines_next(&it, &line));
        /* lstrip, then the words */
        p = buf;
        size_t k;
        while (p < end && (k = ref_space(p, end)) != 0)
            p += k;
        spy_text t = spy_text_lstrip(spy_text_of((const char *)buf, len));
        assert_ptr_equal(t.p, (const char *)p);
        assert_int_equal(t.n, (size_t)(end - p));
        /* strip(): its shortcut keeps what rstrip(lstrip()) keeps, for
         * texts cut at every length (so that any byte ends one) */
        for (size_t cut = 0; cut <= len; cut += 1 + cut / 8) {
            spy_text c = spy_text_of((const char *)buf + len - cut, cut);
            spy_text a = spy_text_strip(c), b = spy_text_rstrip(spy_text_lstrip(c));
            assert_ptr_equal(a.p, b.p);
            assert_int_equal(a.n, b.n);
        }
        spy_text rest = spy_text_of((const char *)buf, len), word;
        p = buf;
        for (;;) {
            while (p < end && (k = ref_space(p, end)) != 0)
                p += k;
            if (p == end)
                break;
            const unsigned char *q = p;
            while (q < end && ref_space(q, end) == 0)
                q++;
            assert_true(spy_text_word(&rest, &word));
            assert_ptr_equal(word.p, (const char *)p);
            assert_int_equal(word.n, (size_t)(q - p));
            p = q;
        }
        assert_false(spy_text_word(&rest, &word));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
