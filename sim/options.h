/* The simulator's command line: options, their checks, --help and
 * --version. */
#ifndef CHACM_SIM_OPTIONS_H
#define CHACM_SIM_OPTIONS_H

#include <glib.h>

#include "kern_iso.h"

typedef struct {
    gint64 seed;
    gint64 max_time_ms;     /* 0: no limit */
    gint64 timeout_s;       /* 0: no limit */
    gint64 window_mib;
    gint64 memory_mib;      /* 0: from the boot list, else the default */
    gint64 spaces;          /* 0: from the boot list, else the kernel's default */
    gint64 timeslice_us;
    gint64 entry_cost_ns;
    gint spin;              /* -1: the kernel's default */
    gint cpu;               /* -1: any */
    gboolean hold;
    gboolean stats;
    gboolean preempt;       /* --preempt after the auto rule */
    char *preempt_mode;     /* --preempt as given: on, off, auto, or NULL */
    char *isolation_mode;   /* --isolation as given: on, strict, off, auto, or NULL */
    int isolation;          /* KERN_ISO_OFF, _ON, _STRICT or _AUTO */
    char *module_path;      /* extra directories, or NULL */
    char *root;             /* --root's module and arguments, or NULL */
    char *bootlist;         /* the BOOTLIST argument, or NULL */
    char *hda;              /* --hda IMAGE: the ATA disk's image file, or NULL */
    gboolean hda_ro;        /* --hda-readonly */
    gboolean snapshot;      /* --snapshot */
    char *serial;           /* --serial stdio|none|FILE, or NULL */
    /* tracing and the monitor (docs/debugging.md) */
    char *trace_kinds;      /* --trace: kinds to record, or NULL */
    gint64 trace_size;      /* ring records (0: default) */
    char *trace_thread;     /* --trace-thread: thread numbers, comma-separated */
    char *trace_task;
    char *trace_label;
    char *trace_log;        /* text log written at the end, or NULL */
    char *trace_json;       /* Chrome trace-event JSON written at the end, or NULL */
    char *idl_names;        /* name table of the interfaces */
    char *monitor;          /* Unix socket path, "-" for the terminal, or NULL */
    char **breaks;          /* --break conditions */
    gboolean trace_hash;    /* print the trace's hash at the end */
    char *record;           /* --record FILE, or NULL */
    char *replay;           /* --replay FILE, or NULL */
    gboolean seed_given;    /* --seed was on the command line */
    /* fault injection (docs/debugging.md, "Fault plans") */
    char *fault_plan;       /* --fault-plan FILE, or NULL */
    char **faults;          /* --fault rules */
    gboolean end_check;     /* --end-check: the mapping database's check at the end */
} sim_options_t;

/* Parses and checks the command line into *o.  Returns -1 to go on, or
 * the exit status after printing (0 for --help and --version, 64 for a bad
 * command line, with the reason on stderr). */
int sim_options_parse(sim_options_t *o, int argc, char **argv);
void sim_options_free(sim_options_t *o);

#endif /* CHACM_SIM_OPTIONS_H */
