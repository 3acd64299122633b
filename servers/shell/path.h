/* shell: absolute paths from the working directory and a relative or
 * absolute name, with "." and ".." resolved by name.  Pure code. */
#ifndef SH_PATH_H
#define SH_PATH_H

#include <stddef.h>

#define SH_PATH_MAX 512

/* Writes the normalised absolute path of path (relative to cwd, itself
 * absolute and normalised) to out: "/" or "/a/b", no trailing '/', no
 * empty, "." or ".." components (".." of "/" is "/").  Returns 0, or -1
 * if it does not fit in size bytes. */
int sh_path_join(const char *cwd, const char *path, char *out, size_t size);
/* For a normalised absolute path: the parent's path into parent (size
 * bytes) and a pointer to the last component in abs ("" for "/"). */
const char *sh_path_split(const char *abs, char *parent, size_t size);

#endif /* !SH_PATH_H */
