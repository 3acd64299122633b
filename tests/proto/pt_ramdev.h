/* A block device (block.idl) over memory, for tests and benchmarks that
 * give filesvr a disk: served by a thread of the caller's choosing. */
#ifndef CHACM_PT_RAMDEV_H
#define CHACM_PT_RAMDEV_H

struct pt_ramdev {
    unsigned char *mem;        /* the device's contents */
    unsigned long size;        /* bytes, a multiple of bsize */
    int bsize;                 /* bytes per block */
    volatile int writes;       /* write calls served */
    volatile int mute;         /* nonzero: reads get no answer (a hung device) */
    int no_bulk;               /* nonzero: no read_bulk/write_bulk (an old device) */
    int direct;                /* nonzero: replies straight from mem (mem in the window) */
    volatile int fail_writes;  /* nonzero: writes fail with EFULL, nothing written (a bad disk) */
};

/* Serves dev (object 0) for ever; a thread's function calls it.  One device per
 * program: a later call serves its own device instead. */
void pt_ramdev_serve(struct pt_ramdev *dev) __attribute__((noreturn));

#endif /* CHACM_PT_RAMDEV_H */
