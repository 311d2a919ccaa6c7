/* Passwords and key files of encrypted backups (acquire/ios_secret.h). */
#include "acquire/ios_secret.h"

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define LOGGER "spyscan.acquire.ios_backup"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int spy_keyfile_read(const char *path, uint8_t key[32])
{
    char buf[65];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        spy_error(LOGGER, "%s: the key file cannot be opened (%s)", path,
                  errno == ENOENT ? "no such file" : "not readable");
        return SPY_EIO;
    }
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf &&
           ((r = read(fd, buf + got, sizeof buf - got)) > 0 || (r < 0 && errno == EINTR)))
        got += r > 0 ? (size_t)r : 0;
    close(fd);
    bool ok = got == 64;
    for (size_t i = 0; ok && i < 64; i += 2) {
        int hi = hexval(buf[i]), lo = hexval(buf[i + 1]);
        ok = hi >= 0 && lo >= 0;
        if (ok)
            key[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    OPENSSL_cleanse(buf, sizeof buf);
    if (!ok) {
        OPENSSL_cleanse(key, 32);
        spy_error(LOGGER,
                  "%s: invalid key file: it must hold exactly 64 hexadecimal characters and "
                  "nothing else (no newline), as 'spyscan ios extract-key -k' writes it",
                  path);
        return SPY_EFORMAT;
    }
    return SPY_OK;
}

void spy_key_hex(const uint8_t key[32], char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[key[i] >> 4];
        out[2 * i + 1] = digits[key[i] & 15];
    }
    out[64] = '\0';
}

/* ---- the no-echo prompt ---- */

static const int prompt_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
#define N_SIGNALS (sizeof prompt_signals / sizeof prompt_signals[0])
static volatile sig_atomic_t tty_fd = -1;
static struct termios tty_saved, tty_noecho;

/* Puts echo back, then lets the signal do what it would have done. After a
 * stop (Ctrl-Z) the process continues here: echo goes off again and the
 * handler comes back, so the rest of the password is not shown either. */
static void restore_on_signal(int sig)
{
    int saved_errno = errno;
    if (tty_fd >= 0)
        tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
    signal(sig, SIG_DFL);
    /* Unblocked, so the signal acts now rather than after this handler
     * returns (when SIGTSTP would find this handler installed again). */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    if (sig == SIGTSTP) {
        struct sigaction sa = {.sa_handler = restore_on_signal};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTSTP, &sa, NULL);
        if (tty_fd >= 0)
            tcsetattr(tty_fd, TCSAFLUSH, &tty_noecho);
    }
    errno = saved_errno;
}

int spy_password_prompt(const char *prompt, char *buf, size_t cap, size_t *len)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return SPY_ENOTFOUND;
    if (tcgetattr(fd, &tty_saved) != 0) {
        close(fd);
        return SPY_ENOTFOUND;
    }
    struct sigaction sa = {.sa_handler = restore_on_signal}, old[N_SIGNALS];
    sigemptyset(&sa.sa_mask);
    tty_fd = fd;
    for (size_t i = 0; i < N_SIGNALS; i++)
        sigaction(prompt_signals[i], &sa, &old[i]);
    tty_noecho = tty_saved;
    tty_noecho.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    tty_noecho.c_lflag |= ICANON;
    tcsetattr(fd, TCSAFLUSH, &tty_noecho);
    ssize_t w = write(fd, prompt, strlen(prompt));
    (void)w;
    size_t n = 0;
    bool done = false;
    int err = SPY_OK;
    while (!done) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || c == '\n' || c == '\r')
            done = true;
        else if (n + 1 < cap)
            buf[n++] = c;
        else
            err = SPY_ELIMIT; /* keep reading to the end of the line */
    }
    buf[n < cap ? n : cap - 1] = '\0';
    *len = n;
    tcsetattr(fd, TCSAFLUSH, &tty_saved);
    w = write(fd, "\n", 1);
    (void)w;
    for (size_t i = 0; i < N_SIGNALS; i++)
        sigaction(prompt_signals[i], &old[i], NULL);
    tty_fd = -1;
    close(fd);
    if (err != SPY_OK)
        OPENSSL_cleanse(buf, cap);
    return err;
}

/* ---- choosing the source ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The password into buf: -p, then the environment, then the prompt. */
static int find_password(const spy_secret_opts *o, const char *what, char *buf, size_t cap,
                         size_t *len)
{
    const char *p = o ? o->password : NULL;
    const char *env[] = {"SPYSCAN_BACKUP_PASSWORD", "MVT_IOS_BACKUP_PASSWORD"};
    for (size_t i = 0; !p && i < 2; i++) {
        p = getenv(env[i]);
        if (p && !*p)
            p = NULL;
        if (p)
            spy_info(LOGGER, "Using the backup password from %s", env[i]);
    }
    if (p) {
        *len = strlen(p);
        if (*len + 1 > cap) {
            spy_error(LOGGER, "The backup password is longer than %zu bytes", cap - 1);
            return SPY_ELIMIT;
        }
        memcpy(buf, p, *len + 1);
        return SPY_OK;
    }
    if (o && !o->non_interactive) {
        char *prompt = spy_xasprintf("Password of the encrypted backup %s: ", what);
        int err = spy_password_prompt(prompt, buf, cap, len);
        free(prompt);
        if (err == SPY_OK)
            return SPY_OK;
        if (err == SPY_ELIMIT) {
            spy_error(LOGGER, "The backup password is longer than %zu bytes", cap - 1);
            return err;
        }
    }
    spy_error(LOGGER,
              "%s: the backup is encrypted: give its password (-p, SPYSCAN_BACKUP_PASSWORD or "
              "the prompt) or a key file from 'spyscan ios extract-key' (-k)",
              what);
    return SPY_EPASSWORD;
}

int spy_secret_key(const spy_secret_opts *o, const spy_keybag *kb, const char *what,
                   uint8_t key[32])
{
    if (o && o->key_file) {
        int err = spy_keyfile_read(o->key_file, key);
        if (err == SPY_OK)
            spy_info(LOGGER, "Using the decryption key from the key file %s", o->key_file);
        return err;
    }
    char pw[SPY_MAX_PASSWORD_BYTES + 1];
    size_t len = 0;
    int err = find_password(o, what, pw, sizeof pw, &len);
    if (err == SPY_OK) {
        spy_info(LOGGER,
                 "Deriving the decryption key from the password (%u + %u iterations); "
                 "this takes a few seconds...",
                 spy_keybag_has_dp(kb) ? kb->dpic : 0, kb->iter);
        double t0 = now_seconds();
        err = spy_keybag_derive(kb, pw, len, key);
        if (err == SPY_OK)
            spy_info(LOGGER, "Derived the decryption key in %.1f s", now_seconds() - t0);
        else
            spy_error(LOGGER, "Key derivation failed: %s", spy_err_str(err));
    }
    OPENSSL_cleanse(pw, sizeof pw);
    return err;
}
