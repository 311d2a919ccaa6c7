/* download-iocs (spec/iocs.md §10.2): fetches the public indicator index
 * (mvt-indicators' indicators.yaml) and every STIX2 file it names into the
 * downloaded-indicators folder. The only code in spyscan that uses the
 * network, and only when the analyst runs that command. */
#ifndef SPY_IOC_DOWNLOAD_H
#define SPY_IOC_DOWNLOAD_H

#include <stddef.h>

#define SPY_IOC_INDEX_URL                                                                          \
    "https://raw.githubusercontent.com/mvt-project/mvt-indicators/main/indicators.yaml"

/* One entry of the index. */
typedef struct spy_ioc_source {
    char *name;
    char *url; /* raw file URL built from github owner/repo/branch/path, or download_url */
} spy_ioc_source;

/* Parses an index document. Entries with no way to download them are
 * logged and left out. Returns SPY_EFORMAT when it is not such an index. */
int spy_ioc_index_parse(const char *yaml, size_t len, spy_ioc_source **out, size_t *n);
void spy_ioc_sources_free(spy_ioc_source *s, size_t n);

/* MVT's local file name for a URL: leading 'h','t','p','s',':','/'
 * characters removed, every '/' replaced by '_'. NULL when the result is
 * not a safe file name. */
char *spy_ioc_download_name(const char *url);

/* The folder downloaded indicators live in ($XDG_DATA_HOME/spyscan/indicators,
 * default ~/.local/share/spyscan/indicators); NULL when no home is known. */
char *spy_ioc_download_dir(void);

typedef struct spy_download_report {
    size_t downloaded, failed;
} spy_download_report;

/* Downloads the index at index_url and its files into dest_dir (created
 * 0700; files 0600, written atomically, replaced only by a valid bundle).
 * SPY_EIO when the index cannot be fetched, SPY_EFORMAT when unparsable. */
int spy_ioc_download_all(const char *index_url, const char *dest_dir, spy_download_report *rep);

#endif
