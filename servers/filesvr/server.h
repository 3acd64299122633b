/* filesvr: what the server's handler files share: the error mapping, the
 * generated server interface, the open-file table and mounting. */
#ifndef FILESVR_SERVER_H
#define FILESVR_SERVER_H

#include "filesvr_server.h"
#include "vfs.h"

/* Maps an FS_E* code to ChacmOS's return codes (FS_OK: ESUCCESS). */
int srv_err(int fs_err);
/* Decodes obj for a handler: ESUCCESS or EINVALID. */
int srv_obj(int obj, struct vfs_mount **m, uint32_t *ino);

/* file.c: whether a client other than caller has a file of mount i open
 * (or a file of it is mapped). */
int srv_mount_busy(int i, L4_ThreadId_t caller);
/* file.c: mount i is gone: the open files of it are closed. */
void srv_mount_gone(int i);
/* mount.c: mounts the ext2 on block device <svr, obj> on directory dir;
 * ChacmOS code, and a log line on failure. */
int srv_mount_ext2(int32_t dir, L4_ThreadId_t svr, int obj);

/* bootmount.c: the NAME=DEVICE mounts of the command line, and their
 * names in the root (registrant::names_back links them again). */
void srv_boot_mounts(void);
void srv_registrant_ops(filesvr_ops_t *ops);

/* fmap.c: files as memory objects (file_map, memory_object). */
void srv_fmap_ops(filesvr_ops_t *ops);
/* Whether a file of mount i is mapped. */
int srv_fmap_busy(int i);
/* filesystem::sync of obj: has memsvr return the dirty pages of mapped
 * files first (the reply is then deferred), else syncs at once. */
int srv_fmap_sync(int obj, chacm_srvenv_t *env);
/* mount.c: writes back the file system of obj (0: all of them). */
int srv_sync_now(int obj);

void srv_dir_ops(filesvr_ops_t *ops);
void srv_file_ops(filesvr_ops_t *ops);
void srv_mount_ops(filesvr_ops_t *ops);

/* Seconds since 1970: a fixed base plus the simulated clock. */
uint32_t srv_now(void *ctx);

#endif /* !FILESVR_SERVER_H */
