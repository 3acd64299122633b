/* ChacmOS extras of servers/lib beyond the C subset: where output goes, the
 * heap's memory, the program's command line, panic and the exit hook. */
#ifndef CHACM_LIB_H
#define CHACM_LIB_H

#include <stdarg.h>
#include <stddef.h>

/* A character sink: receives each output character and the hook's argument. */
typedef void (*lib_putc_fn)(int c, void *arg);

/* Prints "panic: <message>" and ends the program with status 255.  For broken
 * internal invariants only; client input must never reach a panic. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Ends the program (all threads of the task) with the given status.  Defined
 * by the arch's crt0, not by this library. */
_Noreturn void __chacm_exit(int status) __attribute__((visibility("hidden")));

/* Routes printf, puts, putchar and panic output to putc(c, arg), one call per
 * character.  putc == NULL restores the default, the L4 kernel debugger. */
void lib_set_putc(lib_putc_fn putc, void *arg);

/* Formats like vprintf into the sink putc(c, arg).  Returns the number of
 * characters produced. */
int lib_vformat(lib_putc_fn putc, void *arg, const char *fmt, va_list ap);

/* The heap starts as a static 256 KiB arena.  heap_init replaces everything
 * the heap had with [base, base+size) — call it before the first malloc, as
 * earlier allocations become invalid.  heap_add gives the heap one more
 * region; regions need not be contiguous.  Neither takes a lock: a task whose
 * threads allocate concurrently must serialise them itself. */
void heap_init(void *base, size_t size);
void heap_add(void *base, size_t size);

/* Where malloc finds more memory once the heap is full: by default
 * vm_allocate at memsvr (for a task memsvr pages; others get none).  A
 * program that memsvr does not page (memsvr itself) names its own source:
 * more(want, &got) returns at least want new bytes (got says how many) or
 * NULL.  It is called with the heap's lock held, so it must not allocate. */
typedef void *(*lib_heap_source_fn)(size_t want, size_t *got);
void lib_heap_source(lib_heap_source_fn more);

/* The program's command line as the booter passed it ("" if none).  crt0 sets
 * it with lib_set_cmdline before main; the string must outlive the program. */
const char *lib_cmdline(void);
void lib_set_cmdline(const char *cmdline);

#endif /* !CHACM_LIB_H */
