/* The program's command line: crt0 calls __chacm_main, which finds the
 * task's own record in the boot information (the SimpleExec record whose
 * initial IP is this module's _start) or, for a program the booter loaded
 * from a file (no record) or one that cannot read the boot information
 * (chacm/boot.h), asks the booter; keeps the command line for
 * lib_cmdline() and splits it into argc/argv for main.  Words are
 * separated by blanks; double quotes group blanks into a word.  When main
 * returns, a booter task tells the booter its status (chacm/task.h). */
#include <stddef.h>
#include <stdio.h>
#include <chacm/boot.h>
#include <chacm/console.h>
#include <chacm/task.h>
#include <l4/bootinfo.h>
#include <l4/kip.h>

#include "arch.h"
#include "internal.h"

#define ARGV_MAX 128
#define ARGS_BYTES 4096

extern void _start(void);
int main(int argc, char **argv);
int __chacm_main(void) __attribute__((visibility("hidden")));

static const char *lib_cmdline_str = "";
static char *argv_words[ARGV_MAX + 1];
static char arg_bytes[ARGS_BYTES];

const char *lib_cmdline(void)
{
    return lib_cmdline_str;
}

void lib_set_cmdline(const char *cmdline)
{
    lib_cmdline_str = cmdline ? cmdline : "";
}

/* This program's record in boot information bi, or NULL. */
static const L4_BootRec_t *self_in(const void *bi)
{
    if (!bi || !L4_BootInfo_Valid(bi))
        return NULL;
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries(bi); i++, r = L4_BootRec_Next(r))
        if (L4_BootRec_Type(r) == L4_BootInfo_SimpleExec && L4_SimpleExec_InitialIP(r) == (L4_Word_t)_start)
            return r;
    return NULL;
}

const L4_BootRec_t *lib_boot_self(void)
{
    return self_in(lib_boot_info());
}

/* This task's command line from the boot information, or NULL if the
 * boot information has no record of this program or this program cannot
 * read it (chacm/boot.h).  One KernelInterface call, as every program
 * makes it at start. */
static const char *boot_cmdline(void)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    if (!kip || !kip->BootInfo)
        return "";      /* no boot information at all: no booter either */
    const void *bi = lib_arch_boot_info(kip);
    if (!bi)
        return NULL;
    if (!L4_BootInfo_Valid(bi))
        return "";
    const L4_BootRec_t *r = self_in(bi);
    return r ? L4_SimpleExec_Cmdline(r) : NULL;
}

/* The command line of a program the booter loaded (no boot record). */
static const char *loaded_cmdline(void)
{
    static char line[ARGS_BYTES];
    return lib_booter_cmdline(line, sizeof line) ? line : "";
}

/* Splits s into argv_words; returns argc, or -1 if it does not fit. */
static int split_words(const char *s)
{
    int argc = 0;
    size_t used = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (argc == ARGV_MAX)
            return -1;
        argv_words[argc++] = arg_bytes + used;
        int quoted = 0;
        for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++) {
            if (*s == '"') {
                quoted = !quoted;
                continue;
            }
            if (used + 2 > ARGS_BYTES)
                return -1;
            arg_bytes[used++] = *s;
        }
        arg_bytes[used++] = 0;
    }
    argv_words[argc] = NULL;
    return argc;
}

int __chacm_main(void)
{
    const char *cmd = boot_cmdline();
    lib_set_cmdline(cmd ? cmd : loaded_cmdline());
    int argc = split_words(lib_cmdline_str);
    if (argc < 0) {
        printf("chacm: the command line has more than %d words or %d bytes\n", ARGV_MAX, ARGS_BYTES - 1);
        return 255;
    }
    int status = main(argc, argv_words);
    con_flush();
    lib_task_exit(status);
    return status;
}
