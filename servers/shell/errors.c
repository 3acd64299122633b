/* shell: the message table (errors.h). */
#include <stddef.h>

#include "errors.h"

typedef struct sh_msg {
    int code;
    const char *text;
} sh_msg_t;

static const sh_msg_t messages[] = {
    { SH_ESUCCESS, "success" },
    { SH_ENO, "no" },
    { SH_ESUPP, "operation not supported" },
    { SH_EDENIED, "access denied" },
    { SH_EAGAIN, "not available now, try again" },
    { SH_ENOTFOUND, "no such file or directory" },
    { SH_EBADPARM, "bad parameter" },
    { SH_EEXISTS, "already exists" },
    { SH_EFULL, "no space left" },
    { SH_ELOCKED, "locked by another thread" },
    { SH_EEOF, "end of file" },
    { SH_ENOTOPEN, "file not open" },
    { SH_EINVALID, "invalid object" },
    { SH_ECALL, "the server did not answer the call" },
    { SH_ENOTDIR, "not a directory" },
    { SH_EISDIR, "is a directory" },
    { SH_ENOTFILE, "not a file" },
    { SH_ETOOLONG, "name too long" },
    { SH_ENOTFS, "not a file system" },
    { SH_ENOTBLOCK, "not a block device" },
    { SH_EBUSY, "busy" },
    { SH_ENOTEMPTY, "directory not empty" },
};

const char *sh_strerror(int code)
{
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
        if (messages[i].code == code)
            return messages[i].text;
    return "unknown error";
}

/* Indexed by the CHACM_IDL_* codes of ipc/runtime/include/chacm/idlrt.h. */
static const char *const call_messages[] = {
    "no error",
    "the server is unreachable (IPC failed)",
    "the server does not implement this call",
    "the server rejected the request as malformed",
    "the server's reply is malformed",
    "data too long for the call",
    "the server raised an exception",
};

const char *sh_call_message(unsigned long error)
{
    if (error < sizeof call_messages / sizeof call_messages[0])
        return call_messages[error];
    return "unknown call error";
}
