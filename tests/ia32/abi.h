/* The ia32 ABI harness: a fake kernel inside a 32-bit Linux process.  Its
 * KIP's system-call entries (abi_fake.S) record the registers they were
 * entered with and return the registers the test chose; the KIP trap
 * (lock; nop), the kernel-debugger traps (int3) and port I/O are emulated
 * in signal handlers (abi_env.c); the UTCB is reached through %gs:0 as on
 * Pistachio, with a TLS segment of our own. */
#ifndef ABI_H
#define ABI_H

#include <l4/types.h>

typedef struct {
    L4_Word_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
} abi_regs_t;

/* Index of each entry = its word in the KIP minus 52 (l4/ia32/syscalls.h). */
enum {
    ABI_SpaceControl, ABI_ThreadControl, ABI_ProcessorControl, ABI_MemoryControl, ABI_Ipc,
    ABI_Lipc, ABI_Unmap, ABI_ExchangeRegisters, ABI_SystemClock, ABI_ThreadSwitch, ABI_Schedule,
    ABI_NUM_ENTRIES
};

extern abi_regs_t abi_in;           /* registers at the last entry */
extern abi_regs_t abi_out;          /* registers the entries return (not ESP) */
extern volatile L4_Word_t abi_called;   /* 1 + index of the last entry called, 0: none */
extern void (*const abi_entries[ABI_NUM_ENTRIES])(void);

/* What the trap handlers saw and answer. */
typedef struct {
    L4_Word_t kip_traps;            /* lock; nop executed */
    L4_Word_t kdb_op;               /* cmpb operand after int3, or 0x100 + 'E' for enter */
    L4_Word_t kdb_eax;
    const char *kdb_string;         /* KDB_Enter's message */
    L4_Word_t kdb_reply;            /* EAX for ReadChar */
    L4_Word_t io_port, io_width, io_value, io_out;  /* last port access */
    L4_Word_t io_reply;             /* value an in instruction reads */
    L4_Word_t kdb_traps;            /* int3 traps taken */
    L4_Word_t guard_faults;         /* reads of the guarded page */
    L4_Word_t kdb_traps_at_guard;   /* kdb_traps when the guarded page was read */
} abi_traps_t;

extern abi_traps_t abi_traps;

#define ABI_API_VERSION     0x84050000UL
#define ABI_API_FLAGS       0x00000000UL
#define ABI_KERNEL_ID       0x04020000UL

extern L4_Word_t *abi_kip;          /* the fake KIP */
extern L4_Word_t *abi_utcb;         /* MR0 of the fake UTCB (what %gs:0 holds) */

/* Sets up the KIP, the UTCB, the %gs segment and the trap handlers. */
void abi_env_init(void);
/* Switch %gs to the UTCB segment / back to the C library's; between the
 * two, call nothing from the C library. */
void abi_enter(void);
void abi_leave(void);

/* A copy of s in a page that is unreadable until first read (the fault
 * makes it readable and counts in abi_traps.guard_faults), like a page a
 * real kernel has not mapped yet. */
const char *abi_guarded_string(const char *s);

/* Fills every register of abi_out with a distinct junk value, so a wrapper
 * that trusts a clobbered register reads junk. */
void abi_junk_out(void);

/* Checks (abi_test.c): abi_start begins case `id` with junk output
 * registers, no entry called and a UTCB of known words (MR i = 0x3300 + i,
 * TCRs and BRs 0); abi_check counts and reports one comparison. */
void abi_start(const char *id);
void abi_check(const char *what, L4_Word_t got, L4_Word_t want);
#define CHECK(expr, want) abi_check(#expr, (L4_Word_t)(expr), (L4_Word_t)(want))
#define CALLED(entry) abi_check("entry called", abi_called, 1 + (L4_Word_t)(entry))

static inline L4_ThreadId_t tid(L4_Word_t raw)
{
    L4_ThreadId_t t = { .raw = raw };
    return t;
}

/* abi_more.c: the IPC conveniences, the virtual registers, KDB and ports,
 * and values live across each call. */
void abi_conveniences(void);
void abi_vregs(void);
void abi_kdb_io(void);
void abi_live_values(void);

#endif /* ABI_H */
