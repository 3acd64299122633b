/* shell: one table from ChacmOS return codes (and the IDL runtime's call
 * errors) to messages.  Pure code, also built on the host for tests. */
#ifndef SH_ERRORS_H
#define SH_ERRORS_H

/* ChacmOS's return codes (ipc/idl/constants.idl), repeated so that this
 * file needs no generated header; tests/unit/test_shell.c checks them. */
#define SH_ESUCCESS 1
#define SH_ENO 0
#define SH_ESUPP (-1)
#define SH_EDENIED (-2)
#define SH_EAGAIN (-3)
#define SH_ENOTFOUND (-4)
#define SH_EBADPARM (-5)
#define SH_EEXISTS (-6)
#define SH_EFULL (-7)
#define SH_ELOCKED (-8)
#define SH_EEOF (-9)
#define SH_ENOTOPEN (-10)
#define SH_EINVALID (-11)

/* Shell-side codes below every ChacmOS code. */
#define SH_ECALL (-100)      /* the call itself failed: see sh_call_message */
#define SH_ENOTDIR (-101)    /* a path component is not a directory */
#define SH_EISDIR (-102)     /* a directory where a file is needed */
#define SH_ENOTFILE (-103)   /* not a file */
#define SH_ETOOLONG (-104)   /* a path or name longer than the limits */
#define SH_ENOTFS (-105)     /* not a file system */
#define SH_ENOTBLOCK (-106)  /* not a block device */
#define SH_EBUSY (-107)      /* mounted over, or in use */
#define SH_ENOTEMPTY (-108)  /* a directory that still has entries */

/* The message of a ChacmOS or shell code ("not found", ...); a code the
 * table does not know gives "unknown error". */
const char *sh_strerror(int code);
/* The message of a call failure, by the IDL runtime's env->error code. */
const char *sh_call_message(unsigned long error);

#endif /* !SH_ERRORS_H */
