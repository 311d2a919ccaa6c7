/* spyscan ios decrypt-backup / extract-key (spec/ios.md §3.8). */
#include "cli/cli.h"

#include "acquire/ios_backup.h"
#include "acquire/ios_decrypt.h"
#include "acquire/ios_secret.h"
#include "core/error.h"
#include "core/log.h"

#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGGER "spyscan.cli"

enum { LOPT_FORCE = 1101 };

static const struct option crypt_opts[] = {{"destination", required_argument, NULL, 'd'},
                                           {"password", required_argument, NULL, 'p'},
                                           {"backup-password", required_argument, NULL, 'p'},
                                           {"key-file", required_argument, NULL, 'k'},
                                           {"non-interactive", no_argument, NULL, 'n'},
                                           {"force", no_argument, NULL, LOPT_FORCE},
                                           {"verbose", no_argument, NULL, 'v'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};

typedef struct crypt_args {
    const char *dest, *input;
    spy_secret_opts so;
    bool force;
} crypt_args;

static void usage(FILE *f, bool decrypt)
{
    if (decrypt)
        fprintf(f, "Usage: spyscan ios decrypt-backup -d DEST [-p PASSWORD | -k KEYFILE] "
                   "BACKUP_PATH\n\n"
                   "Writes a decrypted copy of an encrypted backup into DEST, laid out as a plain\n"
                   "backup for other tools. Not needed to check a backup: check-backup decrypts\n"
                   "in memory and writes no plaintext anywhere.\n\n"
                   "  -d, --destination DEST   new or empty folder, not inside the backup (0700)\n"
                   "      --force              write into a non-empty DEST\n"
                   "  -k, --key-file FILE      key from 'spyscan ios extract-key'\n");
    else
        fprintf(f, "Usage: spyscan ios extract-key [-p PASSWORD] [-k KEYFILE] BACKUP_PATH\n\n"
                   "Derives the decryption key of an encrypted backup once, so later commands\n"
                   "skip the slow derivation (-k). The key is equivalent to the password.\n\n"
                   "  -k, --key-file FILE      save the key there (new file, 0600) instead of\n"
                   "                           printing it\n");
    fprintf(f,
            "  -p, --password PW        backup password (also --backup-password; prefer the\n"
            "                           prompt or SPYSCAN_BACKUP_PASSWORD: -p is visible to\n"
            "                           other users in the process list)\n"
            "  -n, --non-interactive    never prompt for a password\n"
            "  -v, --verbose            show debug messages\n"
            "  -h, --help               show this help\n\n"
            "Exit codes: 0 done; 2 usage error; 3 input unusable (not found, not encrypted,\n"
            "wrong password, corrupt)%s.\n",
            decrypt ? "; 4 done, but some files could not be decrypted" : "");
}

/* Returns -1 to go on, or an exit code. */
static int parse(int argc, char **argv, bool decrypt, crypt_args *a)
{
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, decrypt ? "d:p:k:nvh" : "p:k:nvh", crypt_opts, NULL)) !=
           -1) {
        switch (opt) {
        case 'd': a->dest = optarg; break;
        case 'p': a->so.password = optarg; break;
        case 'k': a->so.key_file = optarg; break;
        case 'n': a->so.non_interactive = true; break;
        case LOPT_FORCE:
            if (!decrypt)
                return SPY_EXIT_USAGE;
            a->force = true;
            break;
        case 'v': spy_log_set_verbose(true); break;
        case 'h': usage(stdout, decrypt); return SPY_EXIT_CLEAN;
        default: return SPY_EXIT_USAGE;
        }
    }
    const char *name = decrypt ? "decrypt-backup" : "extract-key";
    if (optind != argc - 1) {
        fprintf(stderr, "spyscan ios %s: expected one BACKUP_PATH (see --help)\n", name);
        return SPY_EXIT_USAGE;
    }
    if (decrypt && !a->dest) {
        fprintf(stderr, "spyscan ios decrypt-backup: -d/--destination is required\n");
        return SPY_EXIT_USAGE;
    }
    if (decrypt && a->so.password && a->so.key_file) {
        fprintf(stderr, "spyscan ios decrypt-backup: give either --password or --key-file\n");
        return SPY_EXIT_USAGE;
    }
    a->input = argv[optind];
    return -1;
}

int spy_cli_ios_decrypt_main(int argc, char **argv, const spy_cli_cmd *self)
{
    (void)self;
    crypt_args a = {0};
    int code = parse(argc, argv, true, &a);
    if (code >= 0)
        return code;
    spy_acq acq;
    if (spy_ios_backup_open_ex(a.input, &a.so, 0, &acq) != SPY_OK)
        return SPY_EXIT_INPUT;
    if (!spy_ios_backup_is_encrypted(&acq)) {
        spy_error(LOGGER, "%s: the backup does not seem encrypted: nothing to decrypt", a.input);
        spy_acq_close(&acq);
        return SPY_EXIT_INPUT;
    }
    spy_info(LOGGER, "Decrypting iOS backup at path %s into %s", a.input, a.dest);
    spy_decrypt_report rep;
    int err = spy_ios_backup_decrypt_to(&acq, a.dest, a.force, &rep);
    spy_acq_close(&acq);
    if (err == SPY_EUSAGE || err == SPY_EEXISTS)
        return SPY_EXIT_USAGE;
    if (err != SPY_OK)
        return SPY_EXIT_INPUT;
    spy_info(LOGGER,
             "Decrypted %zu files (%llu bytes) into %s; %zu listed without content (partial "
             "backup), %zu failed",
             rep.files, (unsigned long long)rep.bytes, a.dest, rep.missing, rep.failed);
    return rep.failed ? SPY_EXIT_MODULE_FAILED : SPY_EXIT_CLEAN;
}

int spy_cli_ios_extract_key_main(int argc, char **argv, const spy_cli_cmd *self)
{
    (void)self;
    crypt_args a = {0};
    int code = parse(argc, argv, false, &a);
    if (code >= 0)
        return code;
    /* -k names the output here (MVT's extract-key): the key comes from a
     * password only. */
    const char *out = a.so.key_file;
    a.so.key_file = NULL;
    spy_acq acq;
    if (spy_ios_backup_open_ex(a.input, &a.so, SPY_IOS_BACKUP_NEED_KEY, &acq) != SPY_OK)
        return SPY_EXIT_INPUT;
    uint8_t key[32];
    int err = spy_ios_backup_derived_key(&acq, key);
    spy_acq_close(&acq);
    if (err != SPY_OK) {
        spy_error(LOGGER, "%s: the backup is not encrypted: it has no key", a.input);
        return SPY_EXIT_INPUT;
    }
    if (out) {
        err = spy_keyfile_write(out, key);
        if (err == SPY_OK)
            spy_info(LOGGER,
                     "Wrote the decryption key to %s. This file is equivalent to the password: "
                     "keep it safe",
                     out);
    } else {
        char hex[65];
        spy_key_hex(key, hex);
        /* stdout only: never through the log (command.log, consoles). */
        printf("%s\n", hex);
        fflush(stdout);
        OPENSSL_cleanse(hex, sizeof hex);
        spy_info(LOGGER, "The key above is equivalent to the password: keep it safe");
    }
    OPENSSL_cleanse(key, sizeof key);
    return err == SPY_OK ? SPY_EXIT_CLEAN : err == SPY_EEXISTS ? SPY_EXIT_USAGE : SPY_EXIT_INPUT;
}
