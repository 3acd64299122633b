/* Boots a parsed boot list: loads modules, builds the boot information,
 * starts sigma0 and the root task. */
#ifndef CHACM_SIM_BOOT_H
#define CHACM_SIM_BOOT_H

#include <glib.h>
#include "bootlist.h"

/* Returns 0, or an exit status with *err set. */
int sim_boot(boot_list_t *bl, GError **err);

#endif /* CHACM_SIM_BOOT_H */
