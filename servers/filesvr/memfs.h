/* filesvr: the memory file system (files, directories, symbolic links and
 * hard links kept in the heap), with the same operations as ext2. */
#ifndef FS_MEMFS_H
#define FS_MEMFS_H

#include "fs.h"

struct memfs;

/* Makes an empty file system holding at most limit bytes of file data;
 * now (may be NULL) gives the time.  NULL when out of memory. */
struct memfs *memfs_new(uint64_t limit, uint32_t (*now)(void *ctx), void *ctx);

#endif /* !FS_MEMFS_H */
