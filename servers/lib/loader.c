/* Programs from files: reading a program file through the file interface
 * and loading it (chacm/loader.h).  The arch's part, turning an image into
 * a task's program, is lib_arch_load in arch/<arch>/image.c. */
#include <string.h>
#include <chacm/loader.h>

#include "file_client.h"
#include "arch.h"

int lib_file_slurp(L4_ThreadId_t svr, int obj, char *buf, size_t cap, size_t *size)
{
    chacm_env_t env = { 0 };
    *size = 0;
    int rc = file_open(svr, obj, FILE_READ, &env);
    if (env.error != CHACM_IDL_OK)
        return EINVALID;
    if (rc != ESUCCESS)
        return rc;
    for (;;) {
        char *p = buf + *size;
        int got = 0;
        size_t want = cap - *size < CHACM_FILE_XFER_MAX ? cap - *size : CHACM_FILE_XFER_MAX;
        if (want == 0) {
            rc = EFULL;
            break;
        }
        rc = file_read(svr, obj, (int)want, &got, &p, &env);
        if (env.error != CHACM_IDL_OK) {
            rc = EINVALID;
            break;
        }
        if (rc == EEOF || (rc == ESUCCESS && got == 0)) {
            rc = ESUCCESS;
            break;
        }
        if (rc != ESUCCESS)
            break;
        if (got < 0 || (size_t)got > want) {
            rc = EINVALID;
            break;
        }
        *size += (size_t)got;
    }
    file_close(svr, obj, &env);
    return rc;
}

int lib_program_load(const void *image, size_t size, const char *name, task_t memtask, L4_Word_t *entry,
                     const char **why)
{
    *entry = 0;
    *why = "";
    if (!image || size == 0 || !name || !*name) {
        *why = "empty image or name";
        return EBADPARM;
    }
    return lib_arch_load(image, size, name, memtask, entry, why);
}
