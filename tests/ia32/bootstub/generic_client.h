/* bootinfo_test's stand-in for the generated generic_client.h: the
 * ChacmOS return codes (ipc/idl/constants.idl). */
#define ESUCCESS 1
#define EBADPARM (-5)
#define ENOTFOUND (-4)
#define EFULL (-7)
