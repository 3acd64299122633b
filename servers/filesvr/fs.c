/* filesvr: texts for the back ends' result codes. */
#include "fs.h"

const char *fs_strerror(int err)
{
    switch (err) {
    case FS_OK: return "success";
    case FS_ENOENT: return "no such file or directory";
    case FS_EEXIST: return "the name exists";
    case FS_ENOTDIR: return "not a directory";
    case FS_EISDIR: return "is a directory";
    case FS_ENOTEMPTY: return "directory not empty";
    case FS_ENOSPC: return "no space left on the device";
    case FS_EIO: return "input/output error";
    case FS_ECORRUPT: return "the file system is corrupt";
    case FS_EROFS: return "read-only file system";
    case FS_EINVAL: return "invalid argument";
    case FS_ENAMETOOLONG: return "name too long";
    case FS_EUNSUPP: return "not supported";
    case FS_ENOMEM: return "out of memory";
    case FS_EBUSY: return "busy";
    case FS_EFBIG: return "file too large";
    case FS_EMLINK: return "too many links";
    default: return "unknown error";
    }
}
