/* The PC around the hosted kernel: builds the device bus and the models
 * from the command line and the boot list, and attaches them to the
 * kernel. */
#ifndef SIM_DEVICES_MACHINE_H
#define SIM_DEVICES_MACHINE_H

#include <glib.h>
#include <stdio.h>

typedef struct {
    const char *hda;        /* ATA disk image, or NULL for no disk */
    gboolean hda_ro;        /* the disk refuses writes */
    gboolean snapshot;      /* the disk's writes go to a copy in memory, dropped at the end */
    const char *serial;     /* "stdio", "none" (NULL), or a file for COM1's output */
} sim_machine_config_t;

/* After kern_init, before the run.  FALSE with *err on a bad image or
 * serial file. */
gboolean sim_machine_init(const sim_machine_config_t *cfg, GError **err);
/* Flushes and closes what the models hold; prints their counters to
 * stats if it is not NULL. */
void sim_machine_fini(FILE *stats);

#endif /* SIM_DEVICES_MACHINE_H */
