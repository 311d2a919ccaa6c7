/* The output folder (design.md §3, §6): 0700, files 0600, each written under
 * a temporary name in the folder and renamed into place when complete. */
#ifndef SPY_OUTDIR_H
#define SPY_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct spy_outdir spy_outdir;

/* Creates (with parents) or opens the folder. Refuses, with one error line
 * naming the folder: a folder inside, equal to, or containing one of the
 * inputs (SPY_EUSAGE); a non-empty folder unless force (SPY_EEXISTS);
 * a path that cannot be created (SPY_EIO). */
int spy_outdir_open(spy_outdir **out, const char *path, const char *const *inputs, size_t n_inputs,
                    bool force);
const char *spy_outdir_path(const spy_outdir *d);
int spy_outdir_fd(const spy_outdir *d);
/* A private scratch folder inside the output folder (spill files), created
 * on first use and removed by spy_outdir_close(). */
int spy_outdir_scratch_fd(spy_outdir *d);
void spy_outdir_close(spy_outdir *d);

typedef struct spy_afile spy_afile;
/* Opens a new file that will appear as <name> only on commit. */
int spy_afile_open(spy_afile **out, spy_outdir *d, const char *name);
int spy_afile_fd(const spy_afile *f);
/* Flushes to disk and renames into place; frees f either way. */
int spy_afile_commit(spy_afile *f);
/* Removes the temporary file; frees f. */
void spy_afile_abort(spy_afile *f);

/* write(2) of the whole buffer, retrying on EINTR and short writes;
 * SPY_EIO with errno set on failure. */
int spy_write_all(int fd, const void *buf, size_t len);

/* Starts writing a file's pages to disk in the background once *since
 * reaches SPY_WRITEBACK_BYTES (n more bytes were just written), so that
 * the fsync of spy_afile_commit finds little left to wait for: results
 * files reach hundreds of MB, and their fsync alone took a tenth of a
 * large check's time. */
void spy_writeback_note(int fd, size_t *since, size_t n);

/* Convenience: writes a whole buffer as <name> atomically. */
int spy_outdir_write_file(spy_outdir *d, const char *name, const void *buf, size_t len);

#endif
