/* Memory helpers for protocol tests: pages from sigma0 for the test's own
 * task, and "agents": helper tasks that run reads, writes, calls, unmaps
 * and mappings in their own address space on request.  The test's main
 * thread is every agent's pager: a page fault an agent takes during a
 * request arrives as the request's answer; pm_* then maps a scratch page
 * (filled with PM_SCRATCH; its first word is code that returns 42) there
 * so that the request completes, and counts the fault. */
#ifndef CHACM_PT_MEM_H
#define CHACM_PT_MEM_H

#include <stdbool.h>
#include <l4/types.h>
#include <l4/message.h>

#define PM_SCRATCH 0x5C5C5C5C5C5C5C5CUL

/* The last fault an agent took during a request (0: none). */
extern L4_Word_t pm_fault_label, pm_fault_addr, pm_fault_ip;
extern unsigned pm_faults;

/* A new page of 2^log2 bytes from sigma0, mapped rwx into this task at the
 * next free aligned address; returns that address (0 if refused). */
L4_Word_t pm_page(int log2);
/* The same, with the given rights. */
L4_Word_t pm_page_rights(int log2, L4_Word_t rights);

L4_ThreadId_t pm_agent(void);
L4_Word_t pm_base(L4_ThreadId_t a);                     /* its usable base */
/* *val = the word at addr in a's space; false if a faulted first. */
bool pm_read(L4_ThreadId_t a, L4_Word_t addr, L4_Word_t *val);
bool pm_write(L4_ThreadId_t a, L4_Word_t addr, L4_Word_t val);
bool pm_exec(L4_ThreadId_t a, L4_Word_t addr, L4_Word_t *result);  /* calls addr() */
/* Sends a the map or grant item with a's acceptor window set first;
 * returns a's view of the item (MR1, MR2 as it received them). */
L4_MapItem_t pm_give(L4_ThreadId_t a, L4_Word_t item0, L4_Word_t item1, L4_Fpage_t window);
L4_MapItem_t pm_map(L4_ThreadId_t a, L4_Fpage_t f, L4_Word_t snd_base, L4_Fpage_t window);
L4_MapItem_t pm_grant(L4_ThreadId_t a, L4_Fpage_t f, L4_Word_t snd_base, L4_Fpage_t window);
/* a maps (grant: grants) fpage f of its space to agent b's window. */
void pm_pass(L4_ThreadId_t a, L4_ThreadId_t b, L4_Fpage_t f, L4_Word_t snd_base, L4_Fpage_t window,
             bool grant);
/* a unmaps (flush: flushes) f in its space; returns the result fpage. */
L4_Fpage_t pm_unmap(L4_ThreadId_t a, L4_Fpage_t f, bool flush);
/* The same with n copies of f in one Unmap (MR0..MRn-1); the first result. */
L4_Fpage_t pm_unmap_n(L4_ThreadId_t a, L4_Fpage_t f, unsigned n, bool flush);
/* a asks sigma0 for f into window; returns sigma0's answer. */
L4_Fpage_t pm_sigma0(L4_ThreadId_t a, L4_Fpage_t f, L4_Fpage_t window);

#endif /* CHACM_PT_MEM_H */
